"""Declarative conditions over form values: validated when a version is saved, evaluated later.

A condition is ``{"field": id, "op": OP, "value": v}`` (``v`` may be ``{"field": other_id}``),
``{"all"|"any": [...]}`` or ``{"not": condition}``; no code is ever executed
(docs/catalogue-format.md).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from services_catalog.errors import SchemaErrors

COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge")
MEMBERSHIP = ("in", "not_in")
UNARY = ("empty", "not_empty", "true", "false")
OPERATORS = COMPARISONS + MEMBERSHIP + UNARY


def validate_condition(condition: Any, path: str, field_ids: set[str], errors: SchemaErrors) -> None:
    """Record every problem of ``condition`` (unknown field, operator, missing value)."""
    if not isinstance(condition, dict):
        errors.add(path, _("a condition must be an object"))
        return
    if "all" in condition or "any" in condition:
        key = "all" if "all" in condition else "any"
        parts = condition[key]
        if not isinstance(parts, list) or not parts:
            errors.add(f"{path}.{key}", _("must be a non-empty list of conditions"))
            return
        for index, part in enumerate(parts):
            validate_condition(part, f"{path}.{key}[{index}]", field_ids, errors)
        return
    if "not" in condition:
        validate_condition(condition["not"], f"{path}.not", field_ids, errors)
        return
    field = condition.get("field")
    if field not in field_ids:
        errors.add(f"{path}.field", _("refers to unknown field '%(field)s'") % {"field": field})
    op = condition.get("op")
    if op not in OPERATORS:
        errors.add(
            f"{path}.op",
            _("unknown operator '%(op)s'; use one of %(ops)s") % {"op": op, "ops": ", ".join(OPERATORS)},
        )
    elif op in MEMBERSHIP and not isinstance(condition.get("value"), list):
        errors.add(f"{path}.value", _("must be a list for '%(op)s'") % {"op": op})
    elif op in COMPARISONS and "value" not in condition:
        errors.add(f"{path}.value", _("is missing"))
    elif op in COMPARISONS and _is_reference(condition["value"]) and condition["value"]["field"] not in field_ids:
        errors.add(
            f"{path}.value.field",
            _("refers to unknown field '%(field)s'") % {"field": condition["value"]["field"]},
        )


def _is_reference(value: Any) -> bool:
    """A comparison value ``{"field": id}`` compares with another field (cross-field rules)."""
    return isinstance(value, dict) and set(value) == {"field"}


def _comparable(value: Any, reference: Any) -> tuple[Any, Any]:
    """Bring a form value and a rule value to one comparable type (number, date or text)."""
    if reference == "today":
        reference = datetime.date.today().isoformat()
    if isinstance(reference, bool) or isinstance(value, bool):
        return bool(value), bool(reference)
    if isinstance(reference, int | float | Decimal) or isinstance(value, int | float | Decimal):
        try:
            return Decimal(str(value)), Decimal(str(reference))
        except InvalidOperation:
            return str(value), str(reference)
    return ("" if value is None else str(value)), str(reference)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def evaluate(condition: dict[str, Any], data: dict[str, Any]) -> bool:
    """Whether ``condition`` holds for the form values in ``data``."""
    if "all" in condition:
        return all(evaluate(part, data) for part in condition["all"])
    if "any" in condition:
        return any(evaluate(part, data) for part in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], data)
    value = data.get(condition["field"])
    op = condition["op"]
    if op == "empty":
        return _is_empty(value)
    if op == "not_empty":
        return not _is_empty(value)
    if op == "true":
        return value is True
    if op == "false":
        return value is not True
    if op in MEMBERSHIP:
        contained = value in condition["value"] or str(value) in map(str, condition["value"])
        return contained if op == "in" else not contained
    reference = condition["value"]
    if _is_reference(reference):
        reference = data.get(reference["field"])
        if reference is None or reference == "":
            return op == "ne"
    if value is None or value == "":
        return op == "ne"
    left, right = _comparable(value, reference)
    try:
        return {
            "eq": left == right,
            "ne": left != right,
            "lt": left < right,
            "le": left <= right,
            "gt": left > right,
            "ge": left >= right,
        }[op]
    except TypeError:
        return False
