"""Django forms built from a version's ``form_schema`` (XDatenfelder-shaped, docs/catalogue-format.md).

One form class serves every channel: the web form validates one step (field group) at a time,
and :func:`validate_data` runs the same forms over all groups for the API and for the final
check before submission.
"""

from __future__ import annotations

import copy
import datetime
import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from services_catalog.conditions import evaluate

LATIN = re.compile(r"^[\u0020-\u024F\n\r\t]*$")
YES_NO = [("true", gettext_lazy("Yes")), ("false", gettext_lazy("No"))]


def localised(text: Any, language: str) -> str:
    """A catalogue text ``{"de": …, "en": …}`` in ``language``, falling back to German."""
    if not isinstance(text, dict):
        return ""
    return str(text.get(language) or text.get("de") or "")


def _date_limit(value: str) -> datetime.date:
    return datetime.date.today() if value == "today" else datetime.date.fromisoformat(value)


def _limits(field: forms.Field, spec: dict[str, Any]) -> None:
    """Min/max checks with messages that name the limit (dates may say "today")."""
    low, high = spec.get("min_value"), spec.get("max_value")

    def check(value: Any) -> None:
        if value is None or value == "":
            return
        lower: datetime.date | Decimal | None
        upper: datetime.date | Decimal | None
        if spec["type"] == "date":
            lower = _date_limit(low) if low else None
            upper = _date_limit(high) if high else None
        else:
            lower = Decimal(str(low)) if low is not None else None
            upper = Decimal(str(high)) if high is not None else None
        if lower is not None and value < lower:
            raise ValidationError(_("Please enter a value of at least %(limit)s.") % {"limit": _shown(lower)})
        if upper is not None and value > upper:
            raise ValidationError(_("Please enter a value of at most %(limit)s.") % {"limit": _shown(upper)})

    field.validators.append(check)


def _shown(limit: Any) -> str:
    if isinstance(limit, datetime.date):
        return limit.strftime("%d.%m.%Y")
    return str(limit)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Zero or more uploads; counting against the cardinality happens in the form."""

    def __init__(self, *args: Any, multiple: bool, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput() if multiple else forms.ClearableFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(FilesField, self).clean(item, initial) for item in files]


def cardinality(spec: dict[str, Any]) -> tuple[int, int | None]:
    low, _sep, high = str(spec.get("cardinality") or ("1:1" if spec.get("required") else "0:1")).partition(":")
    return int(low), (None if high == "*" else int(high))


def _build_field(spec: dict[str, Any], language: str) -> forms.Field:
    kind, kind_type = spec["kind"], spec.get("type", "text")
    common: dict[str, Any] = {
        "label": localised(spec.get("label"), language),
        "help_text": localised(spec.get("help"), language),
        "required": False,  # enforced in the form, where conditions are known
    }
    field: forms.Field
    if kind == "select":
        choices = [(item["value"], localised(item["label"], language)) for item in spec.get("code_list", [])]
        widget = forms.RadioSelect if len(choices) <= 4 else forms.Select
        field = forms.ChoiceField(choices=[("", "—"), *choices] if widget is forms.Select else choices,
                                  widget=widget, **common)  # fmt: skip
    elif kind_type == "bool":
        field = forms.TypedChoiceField(choices=YES_NO, coerce=lambda v: v == "true", widget=forms.RadioSelect,
                                       empty_value=None, **common)  # fmt: skip
    elif kind_type == "date":
        field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        _limits(field, spec)
    elif kind_type == "integer":
        field = forms.IntegerField(**common)
        _limits(field, spec)
    elif kind_type in ("number", "currency"):
        field = forms.DecimalField(decimal_places=2 if kind_type == "currency" else None, **common)
        field.widget.attrs["inputmode"] = "decimal"
        _limits(field, spec)
    elif kind_type == "file":
        _low, high = cardinality(spec)
        field = FilesField(multiple=high is None or high > 1, **common)
        field.widget.attrs["accept"] = ",".join(spec.get("accept", []))
    else:
        field = forms.CharField(max_length=spec.get("max_length"), min_length=spec.get("min_length"), **common)
        if spec.get("max_length", 0) > 200:
            field.widget = forms.Textarea(attrs={"rows": 5})
        if spec.get("pattern"):
            field.validators.append(
                RegexValidator(spec["pattern"], _("Please check the format: %(hint)s") % {
                    "hint": localised(spec.get("help"), language) or _("it does not match the expected pattern")})
            )  # fmt: skip
        if kind_type == "text_latin":
            field.validators.append(RegexValidator(LATIN, _("Please use Latin letters only.")))
    if kind == "locked":
        field.disabled = True
        field.initial = spec.get("default")
    return field


@functools.lru_cache(maxsize=256)
def _group_fields(group_json: str, language: str, active_language: str | None) -> dict[str, forms.Field]:
    """The form fields of one group, built once per process: every form gets deep copies.

    Keyed by the group's JSON (a published version never changes, a draft's edit is a new key), the
    form's language and the active one (messages are translated when a field is built).
    """
    fields: dict[str, forms.Field] = {}
    for spec in all_specs(json.loads(group_json)):
        if spec["kind"] in ("label", "hidden"):
            continue
        field = fields[spec["id"]] = _build_field(spec, language)
        if spec.get("required") and "show_if" not in spec:
            field.widget.attrs["aria-required"] = "true"
            field.required_marker = True  # type: ignore[attr-defined]
    return fields


def all_specs(group: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every field spec of a group and of all its sub-groups, in schema order."""
    yield from group.get("fields", [])
    for sub in group.get("groups", []):
        yield from all_specs(sub)


def scope_specs(group: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields whose values sit beside the group's own: its fields and those of plain sub-groups."""
    specs = list(group.get("fields", []))
    for sub in group.get("groups", []):
        if "repeat" not in sub:
            specs.extend(scope_specs(sub))
    return specs


def scope_repeats(group: dict[str, Any]) -> list[dict[str, Any]]:
    """The repeatable groups whose entry lists sit beside the group's own values."""
    found: list[dict[str, Any]] = []
    for sub in group.get("groups", []):
        found.extend([sub] if "repeat" in sub else scope_repeats(sub))
    return found


def step_keys(group: dict[str, Any]) -> set[str]:
    """The keys of the application's data that a step (top-level group) writes."""
    if "repeat" in group:
        return {group["id"]}
    return {spec["id"] for spec in scope_specs(group)} | {sub["id"] for sub in scope_repeats(group)}


def data_path(name: str) -> str:
    """A form field name as a data path: ``kinder-0-vorname`` → ``kinder[0].vorname``."""
    path = re.sub(r"-(\d+)-", r"[\1].", name)
    return path.removesuffix("-count")


@dataclass
class StepItem:
    """What a step shows, in schema order.

    ``kind`` is ``field`` (a form field named ``name``), ``text`` (a ``label`` spec), ``open`` /
    ``close`` (a fieldset for a sub-group or one entry of a repeatable group), ``count`` (the hidden
    number of entries) or ``add`` (the button that adds an entry to the repeatable group ``name``).
    """

    spec: dict[str, Any]
    text: str = ""
    conditional: bool = field(default=False)
    kind: str = "field"
    name: str = ""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


class SchemaStepForm(forms.Form):
    """The fields of one group of a form schema, with its sub-groups and repeatable entries.

    ``known`` holds the values of the other groups, so that conditions and cross-field rules
    that reach across steps are evaluated with everything the citizen entered so far.
    ``existing_files`` counts files already uploaded per field (for required file fields).
    A form that is only validated, never rendered (``validate_only``), uses the process's shared
    fields instead of copies: cleaning a value reads a field and never changes it.
    Entries of a repeatable group are named ``<group>-<n>-<field>``; ``<group>-count`` holds how
    many entries the page shows (the "add" button posts one more).
    """

    def __init__(
        self,
        schema: dict[str, Any],
        group_index: int,
        *,
        language: str = "de",
        known: dict[str, Any] | None = None,
        existing_files: dict[str, int] | None = None,
        validate_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.schema = schema
        self.group = schema["groups"][group_index]
        self.language = language
        self.known = dict(known or {})
        self.existing_files = existing_files or {}
        self.items: list[StepItem] = []
        self.step_uploads: dict[str, list[Any]] = {}
        self.counts: dict[str, int] = {}
        self.posted_counts: dict[str, int] = {}
        self._validate_only = validate_only
        self._prototypes = _group_fields(json.dumps(self.group, sort_keys=True), language, translation.get_language())
        if "repeat" in self.group:
            self._place_repeat(self.group, "")
        else:
            self._place(self.group, "")

    def _place(self, group: dict[str, Any], prefix: str) -> None:
        for spec in group.get("fields", []):
            if spec["kind"] == "label":
                self.items.append(StepItem(spec, text=localised(spec.get("label"), self.language), kind="text"))
                continue
            if spec["kind"] == "hidden":
                continue
            name = prefix + spec["id"]
            prototype = self._prototypes[spec["id"]]
            self.fields[name] = prototype if self._validate_only else copy.deepcopy(prototype)
            self.items.append(StepItem(spec, conditional="show_if" in spec, name=name))
        for sub in group.get("groups", []):
            if "repeat" in sub:
                self._place_repeat(sub, prefix)
                continue
            title = localised(sub.get("title"), self.language)
            self.items.append(
                StepItem(sub, text=title, kind="open", conditional="show_if" in sub, name=prefix + sub["id"])
            )
            self._place(sub, prefix)
            self.items.append(StepItem(sub, kind="close"))

    def _place_repeat(self, group: dict[str, Any], prefix: str) -> None:
        key = prefix + group["id"]
        low, high = group["repeat"]["min"], group["repeat"]["max"]
        source = self.data if self.is_bound else self.initial
        try:
            count = int(source.get(f"{key}-count") or 0)
        except (TypeError, ValueError):
            count = 0
        self.posted_counts[key] = count
        count = self.counts[key] = min(max(count, low, 1), high)
        self.fields[f"{key}-count"] = forms.IntegerField(
            label=localised(group.get("title"), self.language), required=False, widget=forms.HiddenInput, initial=count
        )
        title = localised(group.get("title"), self.language)
        self.items.append(StepItem(group, text=title, kind="open", conditional="show_if" in group, name=key))
        self.items.append(StepItem(group, kind="count", name=f"{key}-count"))
        for index in range(count):
            self.items.append(StepItem(group, text=f"{title} {index + 1}", kind="open", name=f"{key}-{index}"))
            self._place(group, f"{key}-{index}-")
            self.items.append(StepItem(group, kind="close"))
        if count < high:
            self.items.append(StepItem(group, text=title, kind="add", name=key))
        self.items.append(StepItem(group, kind="close"))

    @property
    def title(self) -> str:
        return localised(self.group.get("title"), self.language)

    def clean(self) -> dict[str, Any]:
        super().clean()
        result: dict[str, Any] = {}
        if "repeat" in self.group:
            entries = self._collect_repeat(self.group, "", dict(self.known))
            if entries is not None:
                result[self.group["id"]] = entries
            return result
        context = {**self.known, **self._raw(self.group, "")}
        self._collect(self.group, "", context, result, shown=True)
        self._check_rules({**context, **result})
        return result

    def _raw(self, group: dict[str, Any], prefix: str) -> dict[str, Any]:
        """The values of a scope before conditions are applied (what conditions are evaluated on)."""
        raw = {}
        for spec in scope_specs(group):
            value = self.cleaned_data.get(prefix + spec["id"])
            if spec.get("type") != "file" and spec["kind"] != "label":
                raw[spec["id"]] = spec.get("default") if spec["kind"] in ("hidden", "locked") else _stored(value)
        return raw

    def _drop_errors(self, prefix: str) -> None:
        for name in [name for name in self.errors if name.startswith(prefix)]:
            self.errors.pop(name)

    def _collect(
        self, group: dict[str, Any], prefix: str, context: dict[str, Any], result: dict[str, Any], *, shown: bool
    ) -> None:
        """Clean values of one scope into ``result``; fields and groups hidden by a condition are left out."""
        shown = shown and ("show_if" not in group or evaluate(group["show_if"], context))
        for spec in group.get("fields", []):
            field_id, name = spec["id"], prefix + spec["id"]
            if spec["kind"] == "label":
                continue
            if not shown or ("show_if" in spec and not evaluate(spec["show_if"], context)):
                self.errors.pop(name, None)
                continue
            if spec["kind"] in ("hidden", "locked"):
                result[field_id] = spec.get("default")
                continue
            value = self.cleaned_data.get(name)
            if spec.get("type") == "file" and spec["kind"] == "input":
                self.step_uploads[field_id] = value or []
                self._check_files(spec, value or [])
                continue
            if spec.get("required") and _empty(value) and name not in self.errors:
                self.add_error(name, _("This field is required."))
            result[field_id] = _stored(value)
        for sub in group.get("groups", []):
            if "repeat" in sub:
                entries = self._collect_repeat(sub, prefix, context) if shown else None
                if entries is None:
                    self._drop_errors(f"{prefix}{sub['id']}-")
                else:
                    result[sub["id"]] = entries
            else:
                self._collect(sub, prefix, context, result, shown=shown)
        if shown:
            self._group_rules(group, prefix, {**context, **result})

    def _collect_repeat(self, group: dict[str, Any], prefix: str, context: dict[str, Any]) -> list[Any] | None:
        """The entries of a repeatable group; entries left completely empty beyond the minimum are dropped."""
        key = prefix + group["id"]
        if "show_if" in group and not evaluate(group["show_if"], context):
            return None
        low, high = group["repeat"]["min"], group["repeat"]["max"]
        entries = []
        for index in range(self.counts.get(key, 0)):
            entry_prefix = f"{key}-{index}-"
            raw = self._raw(group, entry_prefix)
            editable = [spec for spec in scope_specs(group) if spec["kind"] in ("input", "select")]
            if index >= low and all(_empty(self.cleaned_data.get(entry_prefix + spec["id"])) for spec in editable):
                self._drop_errors(entry_prefix)
                continue
            entry: dict[str, Any] = {}
            self._collect(group, entry_prefix, {**context, **raw}, entry, shown=True)
            entries.append(entry)
        title = localised(group.get("title"), self.language)
        if len(entries) < low:
            self.add_error(
                f"{key}-count",
                _("Please give at least %(count)d entries for “%(group)s”.") % {"count": low, "group": title},
            )
        elif max(len(entries), self.posted_counts.get(key, 0)) > high:
            self.add_error(
                f"{key}-count",
                _("Please give at most %(count)d entries for “%(group)s”.") % {"count": high, "group": title},
            )
        return entries

    def _group_rules(self, group: dict[str, Any], prefix: str, values: dict[str, Any]) -> None:
        for rule in group.get("rules", []):
            name = prefix + rule["field"]
            if name in self.errors:
                continue
            if "when" in rule and not evaluate(rule["when"], values):
                continue
            if not evaluate(rule["require"], values):
                self.add_error(name, localised(rule.get("message"), self.language))

    def _check_files(self, spec: dict[str, Any], uploads: list[Any]) -> None:
        low, high = cardinality(spec)
        count = self.existing_files.get(spec["id"], 0) + len(uploads)
        if spec.get("required"):
            low = max(low, 1)
        if count < low:
            self.add_error(spec["id"], _("Please upload at least %(count)d file(s).") % {"count": low})
        elif high is not None and count > high:
            self.add_error(spec["id"], _("Please upload at most %(count)d file(s).") % {"count": high})

    def _check_rules(self, values: dict[str, Any]) -> None:
        group_fields = {spec["id"] for spec in scope_specs(self.group)}
        for rule in self.schema.get("rules", []):
            if rule["field"] not in group_fields or rule["field"] in self.errors:
                continue
            if "when" in rule and not evaluate(rule["when"], values):
                continue
            if not evaluate(rule["require"], values):
                self.add_error(rule["field"], localised(rule.get("message"), self.language))


def _stored(value: Any) -> Any:
    """A cleaned value as JSON: dates as ISO text, decimals as text (exact), the rest as is."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def form_value(spec: dict[str, Any], value: Any) -> Any:
    """A stored or API (JSON) value as the form's widget expects it."""
    if value is None:
        return ""
    if spec.get("type") == "bool" and isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flatten(
    group: dict[str, Any], data: dict[str, Any], prefix: str, out: dict[str, Any], problems: list[str]
) -> None:
    """Nested data (entries of repeatable groups as lists) as the flat names of a step form."""
    for spec in scope_specs(group):
        if spec["id"] in data and spec.get("type") != "file":
            out[prefix + spec["id"]] = form_value(spec, data[spec["id"]])
    for sub in scope_repeats(group):
        _flatten_repeat(sub, data.get(sub["id"]), prefix, out, problems)


def _flatten_repeat(group: dict[str, Any], entries: Any, prefix: str, out: dict[str, Any], problems: list[str]) -> None:
    key = prefix + group["id"]
    if entries is None:
        return
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        problems.append(key)
        return
    out[f"{key}-count"] = str(len(entries))
    allowed = {spec["id"] for spec in scope_specs(group)} | {sub["id"] for sub in scope_repeats(group)}
    for index, entry in enumerate(entries):
        problems.extend(f"{key}-{index}-{unknown}" for unknown in sorted(set(entry) - allowed))
        _flatten(group, entry, f"{key}-{index}-", out, problems)


def step_initial(schema: dict[str, Any], group_index: int, data: dict[str, Any]) -> dict[str, Any]:
    group = schema["groups"][group_index]
    out: dict[str, Any] = {}
    if "repeat" in group:
        _flatten_repeat(group, data.get(group["id"]), "", out, [])
    else:
        _flatten(group, data, "", out, [])
    return out


def validate_data(
    schema: dict[str, Any], data: dict[str, Any], *, language: str = "de", files: dict[str, int] | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate a whole application's values group by group: (clean values, errors by data path)."""
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for index, group in enumerate(schema["groups"]):
        problems: list[str] = []
        form_data: dict[str, Any] = {}
        if "repeat" in group:
            _flatten_repeat(group, data.get(group["id"]), "", form_data, problems)
        else:
            _flatten(group, data, "", form_data, problems)
        for problem in problems:
            errors[data_path(problem)] = [
                _("This form has no field “%(field)s”, or the entries are not a list of objects.")
                % {"field": data_path(problem)}
            ]
        form = SchemaStepForm(
            schema, index, language=language, known=clean, existing_files=files, validate_only=True, data=form_data
        )
        if form.is_valid():
            clean.update(form.cleaned_data)
        else:
            errors.update(
                {data_path(key): [str(message) for message in messages] for key, messages in form.errors.items()}
            )
            clean.update({k: v for k, v in form.cleaned_data.items() if k not in form.errors})
    unknown = set(data) - set().union(*(step_keys(group) for group in schema["groups"]))
    for key in sorted(unknown):
        errors[key] = [_("This form has no field “%(field)s”.") % {"field": key}]
    return clean, errors
