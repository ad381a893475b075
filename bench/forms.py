"""FIM forms: import time of the largest sample, server-side render of its first page, validation of a full submission.

.venv/bin/python -m bench.forms [--repeat 50]

No database is needed: import, render and validation are pure. Other work on the machine shifts single runs,
so the figures are medians over ``--repeat`` runs with the p95 beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).resolve().parents[1] / "tests" / "catalogue" / "fim_samples"


def _timed(repeat: int, work: Callable[[], object]) -> tuple[float, float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]


def _value(spec: dict[str, Any]) -> Any:
    """A valid value for a field spec (what a careful citizen would enter)."""
    if spec.get("code_list"):
        return spec["code_list"][0]["value"]
    return {
        "date": spec.get("min_value") if spec.get("min_value") not in (None, "today") else "2000-01-01",
        "bool": True, "integer": spec.get("min_value", 1), "number": spec.get("min_value", 1),
        "currency": "12.50",
    }.get(spec.get("type", "text"), "08:30" if spec.get("pattern") else "Beispiel")  # fmt: skip


def _submission(group: dict[str, Any]) -> dict[str, Any]:
    """Values for every field of a group; repeatable groups get as many entries as they may have."""
    data: dict[str, Any] = {}
    for spec in group.get("fields", []):
        if spec["kind"] in ("input", "select") and spec.get("type") != "file":
            data[spec["id"]] = _value(spec)
    for sub in group.get("groups", []):
        if "repeat" in sub:
            data[sub["id"]] = [_submission(sub) for _ in range(sub["repeat"]["max"])]
        else:
            data.update(_submission(sub))
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")
    import django

    django.setup()
    from django.template.loader import render_to_string
    from django.utils import translation

    from applications.schema_forms import SchemaStepForm, all_specs, validate_data
    from bench.report import record
    from services_catalog.fim.xdatenfelder import import_form

    path = max(SAMPLES.rglob("*.xml"), key=lambda candidate: candidate.stat().st_size)
    data = path.read_bytes()
    schema = import_form(data).schema
    translation.activate("de")

    def render(step: int) -> str:
        """A step's form as the page shows it: every field through the field template, texts as they are."""
        form = SchemaStepForm(schema, step)
        return "".join(
            render_to_string("themes/partials/field.html", {"field": form[item.name], "show_if": item.conditional})
            if item.kind == "field"
            else item.text
            for item in form.items
        )

    largest = max(range(len(schema["groups"])), key=lambda step: len(SchemaStepForm(schema, step).fields))

    submission: dict[str, Any] = {}
    for group in schema["groups"]:
        submission.update({group["id"]: [_submission(group)]} if "repeat" in group else _submission(group))
    files = {spec["id"]: 1 for spec in all_specs({"groups": schema["groups"]}) if spec.get("type") == "file"}
    clean, errors = validate_data(schema, submission, files=files)
    if errors:
        raise SystemExit(f"the generated submission is not valid: {errors}")
    fields = len(list(all_specs({"groups": schema["groups"]})))
    import_ms = _timed(args.repeat, lambda: import_form(data))
    render_ms = _timed(args.repeat, lambda: render(0))
    largest_ms = _timed(args.repeat, lambda: render(largest))
    validate_ms = _timed(args.repeat, lambda: validate_data(schema, submission, files=files))
    lines = [
        f"sample: {path.relative_to(SAMPLES.parents[2])} ({len(data) / 1024:.1f} KiB, {fields} fields, "
        f"{len(schema['groups'])} steps)",
        f"import (parse, map, report, meta-schema check): median {import_ms[0]:.2f} ms, p95 {import_ms[1]:.2f} ms",
        f"render first page server-side: median {render_ms[0]:.2f} ms, p95 {render_ms[1]:.2f} ms",
        f"render largest page (step {largest + 1}, {len(SchemaStepForm(schema, largest).fields)} form fields): "
        f"median {largest_ms[0]:.2f} ms, p95 {largest_ms[1]:.2f} ms",
        f"validate a full submission ({len(str(clean))} characters of clean data): "
        f"median {validate_ms[0]:.2f} ms, p95 {validate_ms[1]:.2f} ms",
        "other load on the machine only adds time: figures are upper bounds",
    ]
    print("\n".join(lines))
    record("forms", f"python -m bench.forms --repeat {args.repeat}", lines)


if __name__ == "__main__":
    main()
