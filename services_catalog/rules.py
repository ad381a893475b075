"""Evaluating a version's fee rule and decision rule against submitted form values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from services_catalog.conditions import evaluate


def compute_fee(rule: dict[str, Any] | None, data: dict[str, Any]) -> Decimal:
    """The fee in euros for ``data``; a missing rule means no fee."""
    if not rule or rule["kind"] == "free":
        return Decimal("0.00")
    if rule["kind"] == "fixed":
        return Decimal(rule["amount"])
    total = Decimal("0.00")
    for term in rule["terms"]:
        if "when" in term and not evaluate(term["when"], data):
            continue
        factor = Decimal(str(data.get(term["per"]) or 0)) if "per" in term else Decimal(1)
        total += Decimal(term["amount"]) * factor
    if "minimum" in rule:
        total = max(total, Decimal(rule["minimum"]))
    if "maximum" in rule:
        total = min(total, Decimal(rule["maximum"]))
    return total.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Decision:
    outcome: str  # approve | reject | manual
    reason: dict[str, str]


def decide(rule: dict[str, Any], data: dict[str, Any]) -> Decision:
    """The first rule whose condition holds decides; otherwise the rule's default."""
    for entry in rule.get("rules", []):
        if evaluate(entry["when"], data):
            return Decision(entry["outcome"], dict(entry.get("reason") or {}))
    return Decision(rule["otherwise"], dict(rule.get("otherwise_reason") or {}))
