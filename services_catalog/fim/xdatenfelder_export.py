"""Catalogue form schema → XDatenfelder 3.0 Stammdatenschema message that re-imports to the same schema.

What the standard has no element for travels in elements it does have: English texts as ``stichwort``
with our URIs, our declarative conditions and rules as ``regel`` (type K) whose script is JSON. Elements
without a FIM id get an identifier starting with ``amtsplatz-``, which the import does not keep as a FIM id.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from django.utils import timezone

from services_catalog.fim.xdatenfelder import EN_HELP, EN_LABEL, NS_V3, OWN_ID_PREFIX, RULE_MARKER, SEMANTIC

EN_CODE = "urn:amtsplatz:en:code:"
DATA_TYPES = {
    "text": "text", "text_latin": "text_latin", "date": "date", "bool": "bool", "number": "num",
    "integer": "num_int", "currency": "num_currency", "file": "file",
}  # fmt: skip

register_namespace("xdf", NS_V3)


def _el(parent: Element, name: str, text: str | None = None, **attrs: str) -> Element:
    element = SubElement(parent, f"{{{NS_V3}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _code(parent: Element, name: str, value: str) -> None:
    SubElement(_el(parent, name), "code").text = value


class _Writer:
    def __init__(self) -> None:
        self.rule_number = 0

    def identity(self, parent: Element, fim: dict[str, Any] | None, own_id: str, version: str = "1.0") -> None:
        ident = _el(parent, "identifikation")
        _el(ident, "id", fim["id"] if fim else f"{OWN_ID_PREFIX}{own_id}")
        _el(ident, "version", (fim or {}).get("version") or version)

    def texts(
        self, parent: Element, label: dict[str, str], help_text: dict[str, str] | None, help_de: str | None = None
    ) -> None:
        _el(parent, "bezeichnungEingabe", label.get("de", ""))
        _el(parent, "bezeichnungAusgabe", label.get("de", ""))
        de = help_de if help_de is not None else (help_text or {}).get("de", "")
        if de:
            _el(parent, "hilfetextEingabe", de)
        if label.get("en"):
            _el(parent, "stichwort", label["en"], uri=EN_LABEL)
        if (help_text or {}).get("en"):
            _el(parent, "stichwort", help_text["en"], uri=EN_HELP)  # type: ignore[index]

    def own_rule(self, parent: Element, payload: dict[str, Any], description: str) -> None:
        self.rule_number += 1
        rule = _el(parent, "regel")
        ident = _el(rule, "identifikation")
        _el(ident, "id", f"{OWN_ID_PREFIX}rule-{self.rule_number}")
        _el(ident, "version", "1.0")
        _el(rule, "name", description)
        _el(rule, "freitextRegel", description)
        _code(rule, "typ", "K")
        _el(
            rule,
            "skript",
            json.dumps({RULE_MARKER: payload.pop("kind"), **payload}, ensure_ascii=False, sort_keys=True),
        )

    def rules(self, parent: Element, owner: dict[str, Any]) -> None:
        if "show_if" in owner:
            self.own_rule(
                parent, {"kind": "show_if", "condition": owner["show_if"]}, "Anzeige nur unter einer Bedingung"
            )
        for rule in owner.get("rules", []):
            self.own_rule(parent, {"kind": "rule", "rule": rule}, (rule.get("message") or {}).get("de", "Regel"))
        for kept in owner.get("fim_rules", []):
            element = _el(parent, "regel")
            ident = _el(element, "identifikation")
            _el(ident, "id", kept["id"])
            _el(ident, "version", kept.get("version", ""))
            _el(element, "name", kept.get("name", ""))
            _el(element, "freitextRegel", kept.get("text", ""))
            if kept.get("type"):
                _code(element, "typ", kept["type"])
            _el(element, "skript", kept.get("script", ""))

    def structure(self, parent: Element, cardinality: str, reference: str | None) -> Element:
        structure = _el(parent, "struktur")
        _el(structure, "anzahl", cardinality)
        if reference:
            _el(structure, "bezug", reference)
        return _el(structure, "enthaelt")

    def field(self, parent: Element, spec: dict[str, Any], cardinality: str | None = None) -> None:
        if cardinality is None:
            if spec.get("type") == "file":
                cardinality = spec["cardinality"]
            else:
                cardinality = "1:1" if spec.get("required") else "0:1"
        field = _el(self.structure(parent, cardinality, spec.get("legal_reference")), "datenfeld")
        fim = spec.get("fim")
        self.identity(field, fim, spec["id"])
        _el(field, "name", (fim or {}).get("name") or spec["id"])
        kind = spec["kind"]
        reference = spec.get("code_list_ref")
        fallback = kind == "input" and reference is not None and "help" in reference
        if kind == "label":
            _el(field, "bezeichnungEingabe", spec["label"].get("de", ""))
            if spec["label"].get("en"):
                _el(field, "stichwort", spec["label"]["en"], uri=EN_LABEL)
        else:
            self.texts(field, spec["label"], spec.get("help"), reference["help"] if fallback and reference else None)
        if spec.get("semantic"):
            _el(field, "stichwort", spec["semantic"], uri=SEMANTIC)
        for entry in spec.get("code_list", []):
            if entry["label"].get("en"):
                _el(field, "stichwort", entry["label"]["en"], uri=f"{EN_CODE}{entry['value']}")
        _code(field, "feldart", "select" if fallback else kind)
        _code(field, "datentyp", DATA_TYPES.get(spec.get("type", "text"), "text"))
        limits = {
            "minLength": spec.get("min_length"), "maxLength": spec.get("max_length"),
            "minValue": spec.get("min_value"), "maxValue": spec.get("max_value"), "pattern": spec.get("pattern"),
        }  # fmt: skip
        if any(value is not None for value in limits.values()):
            _el(field, "praezisierung", **{key: str(value) for key, value in limits.items() if value is not None})
        if kind == "label":
            _el(field, "inhalt", spec["label"].get("de", ""))
        elif "default" in spec:
            default = spec["default"]
            _el(field, "inhalt", ("true" if default else "false") if isinstance(default, bool) else str(default))
        if spec.get("code_list"):
            values = _el(field, "werte")
            for entry in spec["code_list"]:
                value = _el(values, "wert")
                _el(value, "code", entry["value"])
                _el(value, "name", entry["label"].get("de", ""))
        if reference:
            element = _el(field, "codelisteReferenz")
            _el(element, "canonicalUri", reference.get("uri", ""))
            _el(element, "version", reference.get("version", ""))
        if spec.get("type") == "file":
            _el(field, "maxSize", str(int(spec.get("max_size_mb", 10) * 1024)))
            for media_type in spec.get("accept", []):
                _el(field, "mediaType", media_type)
        self.rules(field, spec)

    def group(self, parent: Element, group: dict[str, Any]) -> None:
        if group.get("wraps_field"):
            repeat = group["repeat"]
            inner = dict(group["fields"][0])
            inner.pop("required", None)
            self.field(parent, inner, f"{repeat['min']}:{repeat['max']}")
            return
        repeat = group.get("repeat")
        cardinality = f"{repeat['min']}:{repeat['max']}" if repeat else "1:1"
        element = _el(self.structure(parent, cardinality, group.get("legal_reference")), "datenfeldgruppe")
        fim = group.get("fim")
        self.identity(element, fim, group["id"])
        _el(element, "name", (fim or {}).get("name") or group["id"])
        self.texts(element, group["title"], group.get("help"))
        self.rules(element, group)
        for spec in group.get("fields", []):
            self.field(element, spec)
        for sub in group.get("groups", []):
            self.group(element, sub)


def export_form(schema: dict[str, Any], *, key: str, name: str, version: str) -> bytes:
    """An ``xdatenfelder.stammdatenschema.0102`` message (XDatenfelder 3.0.0) for ``schema``."""
    root = Element(f"{{{NS_V3}}}xdatenfelder.stammdatenschema.0102")
    header = _el(root, "header")
    _el(header, "nachrichtID", uuid.uuid4().hex)
    _el(header, "erstellungszeitpunkt", timezone.now().isoformat())
    main = _el(root, "stammdatenschema")
    writer = _Writer()
    fim = schema.get("fim")
    writer.identity(main, {"id": fim["id"], "version": fim.get("version", "")} if fim else None, key, version)
    _el(main, "name", name)
    _el(main, "bezeichnungEingabe", name)
    writer.rules(main, {"rules": schema.get("rules", []), "fim_rules": (fim or {}).get("rules", [])})
    for group in schema["groups"]:
        writer.group(main, group)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8", xml_declaration=False)
