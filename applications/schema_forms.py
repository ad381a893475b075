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
    for spec in json.loads(group_json)["fields"]:
        if spec["kind"] in ("label", "hidden"):
            continue
        field = fields[spec["id"]] = _build_field(spec, language)
        if spec.get("required") and "show_if" not in spec:
            field.widget.attrs["aria-required"] = "true"
            field.required_marker = True  # type: ignore[attr-defined]
    return fields


@dataclass
class StepItem:
    """What a step shows, in schema order: a form field or a text (``label`` kind)."""

    spec: dict[str, Any]
    text: str = ""
    conditional: bool = field(default=False)


class SchemaStepForm(forms.Form):
    """The fields of one group of a form schema.

    ``known`` holds the values of the other groups, so that conditions and cross-field rules
    that reach across steps are evaluated with everything the citizen entered so far.
    ``existing_files`` counts files already uploaded per field (for required file fields).
    A form that is only validated, never rendered (``validate_only``), uses the process's shared
    fields instead of copies: cleaning a value reads a field and never changes it.
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
        prototypes = _group_fields(json.dumps(self.group, sort_keys=True), language, translation.get_language())
        for spec in self.group["fields"]:
            if spec["kind"] == "label":
                self.items.append(StepItem(spec, text=localised(spec.get("label"), language)))
                continue
            if spec["kind"] == "hidden":
                continue
            prototype = prototypes[spec["id"]]
            self.fields[spec["id"]] = prototype if validate_only else copy.deepcopy(prototype)
            self.items.append(StepItem(spec, conditional="show_if" in spec))

    @property
    def title(self) -> str:
        return localised(self.group.get("title"), self.language)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = {**self.known, **{k: v for k, v in cleaned.items() if not isinstance(v, list)}}
        result: dict[str, Any] = {}
        for spec in self.group["fields"]:
            field_id = spec["id"]
            if spec["kind"] == "label":
                continue
            if spec["kind"] in ("hidden", "locked"):
                result[field_id] = spec.get("default")
                continue
            if "show_if" in spec and not evaluate(spec["show_if"], values):
                self.errors.pop(field_id, None)
                continue
            value = cleaned.get(field_id)
            if spec.get("type") == "file" and spec["kind"] == "input":
                self.step_uploads[field_id] = value or []
                self._check_files(spec, value or [])
                continue
            if spec.get("required") and (value is None or value == "") and field_id not in self.errors:
                self.add_error(field_id, _("This field is required."))
            result[field_id] = _stored(value)
        self._check_rules({**values, **result})
        return result

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
        group_fields = {spec["id"] for spec in self.group["fields"]}
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


def step_initial(schema: dict[str, Any], group_index: int, data: dict[str, Any]) -> dict[str, Any]:
    specs = schema["groups"][group_index]["fields"]
    return {
        spec["id"]: form_value(spec, data[spec["id"]])
        for spec in specs
        if spec["id"] in data and spec.get("type") != "file"
    }


def validate_data(
    schema: dict[str, Any], data: dict[str, Any], *, language: str = "de", files: dict[str, int] | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate a whole application's values group by group: (clean values, errors per field id)."""
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for index, group in enumerate(schema["groups"]):
        form_data = {spec["id"]: form_value(spec, data.get(spec["id"])) for spec in group["fields"]}
        form = SchemaStepForm(
            schema, index, language=language, known=clean, existing_files=files, validate_only=True, data=form_data
        )
        if form.is_valid():
            clean.update(form.cleaned_data)
        else:
            errors.update({key: [str(message) for message in messages] for key, messages in form.errors.items()})
            clean.update({k: v for k, v in form.cleaned_data.items() if k not in form.errors})
    unknown = set(data) - {spec["id"] for group in schema["groups"] for spec in group["fields"]}
    for key in sorted(unknown):
        errors[key] = [_("This form has no field “%(field)s”.") % {"field": key}]
    return clean, errors
