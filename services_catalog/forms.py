"""The office's editor for a definition's draft: plain fields plus JSON for forms and rules."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from services_catalog.constants import (
    DECISION_TITLE_KINDS,
    TEXT_MODULES,
    Addressee,
    LifeSituation,
    ResponsibilityLevel,
    TrustLevel,
)
from services_catalog.exchange import content_to_document
from services_catalog.models import ServiceDefinition
from services_catalog.validation import validate_service

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

JSON_FIELDS = ("costs", "deadlines", "processing_time", "form_schema", "fee_rule", "decision_rule")


def _json_field(label: StrOrPromise, help_text: StrOrPromise) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 8, "class": "code", "spellcheck": "false"}),
    )


class ServiceDraftForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=80, help_text=_("Stable identifier, e.g. bewohnerparkausweis."))
    leika_key = forms.CharField(label=_("LeiKa key"), required=False, max_length=14)
    name_de = forms.CharField(label=_("Name (German)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    keywords_de = forms.CharField(
        label=_("Search terms (German), one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    keywords_en = forms.CharField(
        label=_("Search terms (English), one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    addressees = forms.MultipleChoiceField(
        label=_("For"), choices=Addressee.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    trust_level = forms.ChoiceField(label=_("Trust level"), choices=TrustLevel.choices)
    responsibility_level = forms.ChoiceField(
        label=_("Responsible in general"),
        choices=ResponsibilityLevel.choices,
        initial=ResponsibilityLevel.MUNICIPALITY,
        help_text=_("Each municipality resolves this to a concrete office when it adopts the service."),
    )
    life_situations = forms.MultipleChoiceField(
        label=_("Life situations"), choices=LifeSituation.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    written_form_required = forms.BooleanField(label=_("Written form required"), required=False)
    personal_appearance_required = forms.BooleanField(label=_("Personal appearance required"), required=False)
    appointment_minutes = forms.IntegerField(
        label=_("Appointment length (minutes)"), min_value=5, max_value=240, required=False,
        help_text=_("Default length of an in-person appointment; municipalities may set their own per office."),
    )  # fmt: skip
    online_application = forms.BooleanField(label=_("Can be applied for online"), required=False)
    retention_days = forms.IntegerField(label=_("Keep closed applications (days)"), min_value=30, initial=365)
    costs = _json_field(_("Costs (JSON)"), _('e.g. {"kind": "fixed", "amount": "30.70", "in_advance": true}'))
    deadlines = _json_field(_("Deadlines (JSON)"), _('e.g. [{"kind": "validity", "duration": 1, "unit": "years"}]'))
    processing_time = _json_field(_("Processing time (JSON)"), _('e.g. {"duration": 3, "unit": "days"}'))
    form_schema = _json_field(_("Form schema (JSON)"), _("Groups and fields, see docs/catalogue-format.md."))
    fee_rule = _json_field(_("Fee rule (JSON)"), _('e.g. {"kind": "fixed", "amount": "30.70"}'))
    decision_rule = _json_field(_("Decision rule (JSON)"), _("Conditions → approve / reject / manual."))
    decision_title_approve_de = forms.CharField(
        label=_("Title of an approval (German)"), max_length=200, required=False,
        help_text=_("e.g. Bescheid über die Erteilung eines Bewohnerparkausweises"),
    )  # fmt: skip
    decision_title_approve_en = forms.CharField(
        label=_("Title of an approval (English)"), max_length=200, required=False
    )
    decision_title_reject_de = forms.CharField(
        label=_("Title of a refusal (German)"), max_length=200, required=False,
        help_text=_("e.g. Bescheid über die Ablehnung Ihres Antrags auf einen Bewohnerparkausweis"),
    )  # fmt: skip
    decision_title_reject_en = forms.CharField(label=_("Title of a refusal (English)"), max_length=200, required=False)
    decision_title_permit_de = forms.CharField(
        label=_("Title of the permit page (German)"), max_length=200, required=False,
        help_text=_("Only for approvals that grant something for a period, e.g. Bewohnerparkausweis"),
    )  # fmt: skip
    decision_title_permit_en = forms.CharField(
        label=_("Title of the permit page (English)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, definition: ServiceDefinition | None = None, **kwargs: Any) -> None:
        if definition is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(definition)
        super().__init__(*args, **kwargs)
        for module, _code, label in TEXT_MODULES:
            for language, language_label in (("de", _("German")), ("en", _("English"))):
                self.fields[f"text_{module}_{language}"] = forms.CharField(
                    label=f"{label} ({language_label})",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
        if definition is not None:
            self.fields["key"].disabled = True

    @staticmethod
    def initial_from(definition: ServiceDefinition) -> dict[str, Any]:
        document = content_to_document(definition, definition.key)
        initial: dict[str, Any] = {
            "key": definition.key,
            "leika_key": definition.leika_key,
            "name_de": definition.name_de,
            "name_en": definition.name_en,
            "keywords_de": "\n".join(definition.keywords.get("de", [])),
            "keywords_en": "\n".join(definition.keywords.get("en", [])),
        }
        for name in ("addressees", "trust_level", "responsibility_level", "life_situations", "written_form_required",
                     "personal_appearance_required", "appointment_minutes", "online_application",
                     "retention_days"):  # fmt: skip
            initial[name] = document[name]
        for name in JSON_FIELDS:
            value = document[name]
            initial[name] = "" if value is None else json.dumps(value, ensure_ascii=False, indent=2)
        for module, _code, _label in TEXT_MODULES:
            for language in ("de", "en"):
                initial[f"text_{module}_{language}"] = (definition.texts.get(module) or {}).get(language, "")
        for kind in DECISION_TITLE_KINDS:
            for language in ("de", "en"):
                titles = (definition.decision_title or {}).get(kind) or {}
                initial[f"decision_title_{kind}_{language}"] = titles.get(language, "")
        return initial

    def _decision_title(self, cleaned: dict[str, Any]) -> dict[str, dict[str, str]]:
        titles = {}
        for kind in DECISION_TITLE_KINDS:
            value = {lang: cleaned.get(f"decision_title_{kind}_{lang}", "").strip() for lang in ("de", "en")}
            if value["de"] or value["en"]:
                titles[kind] = value
        return titles

    def _parsed_json(self, name: str) -> Any:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return None
        try:
            return json.loads(raw)
        except json.JSONDecodeError as exc:
            self.add_error(
                name, _("Not valid JSON (line %(line)s, column %(column)s): %(error)s")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
            )  # fmt: skip
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        parsed = {name: self._parsed_json(name) for name in JSON_FIELDS}
        if self.errors:
            return cleaned
        texts = {}
        for module, _code, _label in TEXT_MODULES:
            value = {lang: cleaned.get(f"text_{module}_{lang}", "").strip() for lang in ("de", "en")}
            if value["de"] or value["en"]:
                texts[module] = value
        self.document = {
            "key": cleaned["key"],
            "leika_key": cleaned.get("leika_key", "").strip(),
            "name": {"de": cleaned["name_de"].strip(), "en": cleaned.get("name_en", "").strip()},
            "keywords": {
                lang: [line.strip() for line in cleaned.get(f"keywords_{lang}", "").splitlines() if line.strip()]
                for lang in ("de", "en")
            },
            "addressees": list(cleaned.get("addressees", [])),
            "trust_level": cleaned["trust_level"],
            "responsibility_level": cleaned["responsibility_level"],
            "life_situations": list(cleaned.get("life_situations", [])),
            "texts": texts,
            "costs": parsed["costs"] or {"kind": "free"},
            "deadlines": parsed["deadlines"] or [],
            "processing_time": parsed["processing_time"],
            "written_form_required": cleaned.get("written_form_required", False),
            "personal_appearance_required": cleaned.get("personal_appearance_required", False),
            "appointment_minutes": cleaned.get("appointment_minutes"),
            "online_application": cleaned.get("online_application", False),
            "form_schema": parsed["form_schema"],
            "fee_rule": parsed["fee_rule"],
            "decision_rule": parsed["decision_rule"],
            "decision_title": self._decision_title(cleaned),
            "retention_days": cleaned["retention_days"],
        }
        for path, message in validate_service(self.document).items:
            self.add_error(self._field_for(path), f"{path}: {message}")
        return cleaned

    def _field_for(self, path: str) -> str | None:
        """The form field that shows an error at a document path."""
        root, _dot, rest = path.partition(".")
        root = root.split("[")[0]
        if root == "name":
            return "name_en" if rest.startswith("en") else "name_de"
        if root == "texts":
            module, _dot, language = rest.partition(".")
            name = f"text_{module}_{language or 'de'}"
            return name if name in self.fields else None
        if root == "keywords":
            return "keywords_de"
        return root if root in self.fields else None
