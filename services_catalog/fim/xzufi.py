"""Services as XZuFi 2.x-shaped XML beside our JSON format (docs/catalogue-format.md, "XZuFi").

:func:`export_services` writes SERVICE documents as ``leistung`` elements: text modules by the code of
the LeiKa text module code list, costs, deadlines, processing time, responsible level, trust level; a
municipality's offices as ``organisationseinheit`` with ``zustaendigkeit`` links. :func:`import_services`
reads them back into SERVICE documents (validated by the caller like any catalogue import). What XZuFi
has no element for (the form, fee and decision rules, retention) travels in our own extension element.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, SubElement, register_namespace, tostring

from django.utils import timezone
from django.utils.translation import gettext as _

from services_catalog.constants import TEXT_MODULES
from services_catalog.fim.xmlsafe import XmlInputError, parse

NS = "http://xoev.de/schemata/xzufi/2_2_0"
NS_OWN = "urn:amtsplatz:xzufi-erweiterung:1"
ROOT = "xzufi.transfer.leistungen"
TEXT_MODULE_LIST = "urn:de:fim:leika:textmodul"
LANGUAGES = {"de": "de-DE", "en": "en"}
CODE_TO_MODULE = {code: key for key, code, _label in TEXT_MODULES if code}
# Modules without a code of their own live in the description of the module they belong to.
DESCRIBED_MODULES = {"fristen": "modulFrist", "bearbeitungsdauer": "modulBearbeitungsdauer"}
EXTENSION_KEYS = (
    "form_schema", "fee_rule", "decision_rule", "decision_title", "retention_days", "online_application",
    "appointment_minutes",
)  # fmt: skip

register_namespace("xzufi", NS)
register_namespace("amtsplatz", NS_OWN)


class XZuFiError(XmlInputError):
    """A document that is not an XZuFi transfer we can read; the message names the position."""


@dataclass
class XZuFiImport:
    services: list[dict[str, Any]] = field(default_factory=list)
    organisations: list[dict[str, Any]] = field(default_factory=list)


def _el(parent: Element, name: str, text: str | None = None, ns: str = NS, **attrs: str) -> Element:
    element = SubElement(parent, f"{{{ns}}}{name}", attrs)
    if text is not None:
        element.text = text
    return element


def _code(parent: Element, name: str, value: str, list_uri: str | None = None) -> None:
    element = _el(parent, name, **({"listURI": list_uri} if list_uri else {}))
    SubElement(element, "code").text = value


def _texts(parent: Element, name: str, text: dict[str, str] | None) -> None:
    for language, code in LANGUAGES.items():
        if (text or {}).get(language):
            _el(parent, name, text[language], languageCode=code)  # type: ignore[index]


def _duration(parent: Element, value: dict[str, Any]) -> None:
    _el(parent, "dauer", str(value["duration"]))
    _code(parent, "einheit", value["unit"], "urn:amtsplatz:zeiteinheit")
    _texts(parent, "beschreibung", value.get("note"))


def _service(parent: Element, document: dict[str, Any], offered_by: list[str]) -> None:
    service = _el(parent, "leistung")
    _el(service, "id", document["key"], schemeAgencyID="amtsplatz", schemeID="urn:amtsplatz:service")
    if document.get("leika_key"):
        _code(service, "referenzLeiKa", document["leika_key"], "urn:de:fim:leika:leistung")
    name = _el(service, "modulText")
    _code(name, "leikaTextmodul", "03", TEXT_MODULE_LIST)
    _texts(name, "inhalt", document["name"])
    texts = document.get("texts", {})
    for key, code, _label in TEXT_MODULES:
        if code and texts.get(key):
            module = _el(service, "modulText")
            _code(module, "leikaTextmodul", code, TEXT_MODULE_LIST)
            _texts(module, "inhalt", texts[key])
    costs = document.get("costs") or {"kind": "free"}
    module = _el(service, "modulKosten")
    entry = _el(module, "kosten")
    _code(entry, "kostenart", costs["kind"], "urn:amtsplatz:kostenart")
    if costs["kind"] == "fixed":
        _el(entry, "betragFix", str(costs["amount"]))
    elif costs["kind"] == "range":
        _el(entry, "betragUntergrenze", str(costs["min"]))
        _el(entry, "betragObergrenze", str(costs["max"]))
    if "in_advance" in costs:
        _el(entry, "vorkasse", "true" if costs["in_advance"] else "false")
    _texts(module, "beschreibung", costs.get("note"))
    module = _el(service, "modulFrist")
    for deadline in document.get("deadlines", []):
        entry = _el(module, "frist")
        _code(entry, "typ", deadline["kind"], "urn:amtsplatz:fristtyp")
        _duration(entry, deadline)
    _texts(module, "beschreibung", texts.get("fristen"))
    module = _el(service, "modulBearbeitungsdauer")
    if document.get("processing_time"):
        _duration(_el(module, "bearbeitungsdauer"), document["processing_time"])
    _texts(module, "beschreibung", texts.get("bearbeitungsdauer"))
    _code(service, "zustaendigkeitsebene", document.get("responsibility_level", "municipality"), "urn:amtsplatz:ebene")
    _code(service, "vertrauensniveau", document.get("trust_level", "low"), "urn:amtsplatz:vertrauensniveau")
    for addressee in document.get("addressees", []):
        _code(service, "adressat", addressee, "urn:amtsplatz:adressat")
    for situation in document.get("life_situations", []):
        _code(service, "lebenslage", situation, "urn:amtsplatz:lebenslage")
    for language, words in document.get("keywords", {}).items():
        for word in words:
            _el(service, "suchbegriff", word, languageCode=LANGUAGES.get(language, language))
    _el(service, "schriftformerfordernis", "true" if document.get("written_form_required") else "false")
    _el(service, "persoenlichesErscheinen", "true" if document.get("personal_appearance_required") else "false")
    for organisation in offered_by:
        link = _el(service, "zustaendigkeit")
        _el(link, "organisationseinheitID", organisation)
    extension = {key: document[key] for key in EXTENSION_KEYS if key in document}
    _el(service, "erweiterung", json.dumps(extension, ensure_ascii=False, sort_keys=True), ns=NS_OWN)


def _organisation(parent: Element, organisation: dict[str, Any]) -> None:
    unit = _el(parent, "organisationseinheit")
    _el(unit, "id", organisation["id"], schemeAgencyID="amtsplatz", schemeID="urn:amtsplatz:office")
    _el(unit, "name", organisation["name"], languageCode="de-DE")
    address = _el(unit, "anschrift")
    for key, element in (("street", "strasse"), ("postcode", "postleitzahl"), ("city", "ort")):
        if organisation.get(key):
            _el(address, element, organisation[key])
    for key, element in (("phone", "telefon"), ("email", "email"), ("url", "internetadresse")):
        if organisation.get(key):
            _el(_el(unit, "kommunikation"), element, organisation[key])


def export_services(documents: list[dict[str, Any]], *, organisations: list[dict[str, Any]] | None = None) -> bytes:
    """One transfer message; ``organisations`` are ``{"id", "name", "street", …, "services": [keys]}``."""
    root = Element(f"{{{NS}}}{ROOT}")
    header = _el(root, "nachrichtenkopf")
    _el(header, "erstellungszeitpunkt", timezone.now().isoformat())
    _el(header, "autor", "Amtsplatz")
    for organisation in organisations or []:
        _organisation(root, organisation)
    for document in documents:
        offered_by = [org["id"] for org in organisations or [] if document["key"] in org.get("services", [])]
        _service(root, document, offered_by)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="utf-8", xml_declaration=False)


class _Reader:
    def __init__(self) -> None:
        self.path = ""

    def all(self, element: Element, name: str) -> list[Element]:
        return element.findall(f"{{{NS}}}{name}")

    def one(self, element: Element, name: str) -> Element | None:
        return element.find(f"{{{NS}}}{name}")

    def text(self, element: Element, name: str) -> str:
        found = self.one(element, name)
        return (found.text or "").strip() if found is not None else ""

    def code(self, element: Element, name: str) -> str:
        found = self.one(element, name)
        code = found.find("code") if found is not None else None
        return (code.text or "").strip() if code is not None else ""

    def codes(self, element: Element, name: str) -> list[str]:
        return [(node.findtext("code") or "").strip() for node in self.all(element, name)]

    def texts(self, element: Element, name: str) -> dict[str, str] | None:
        found: dict[str, str] = {}
        for node in self.all(element, name):
            language = {code: key for key, code in LANGUAGES.items()}.get(node.get("languageCode", "de-DE"))
            if language:
                found[language] = (node.text or "").strip()
        return found or None

    def number(self, element: Element, name: str, where: str) -> int:
        value = self.text(element, name)
        if not value.isdigit():
            raise XZuFiError(
                _("%(path)s/%(name)s: “%(value)s” is not a whole number.")
                % {"path": where, "name": name, "value": value}
            )
        return int(value)

    def duration(self, element: Element, where: str) -> dict[str, Any]:
        value: dict[str, Any] = {
            "duration": self.number(element, "dauer", where),
            "unit": self.code(element, "einheit"),
        }
        note = self.texts(element, "beschreibung")
        if note:
            value["note"] = note
        return value

    def service(self, element: Element, where: str) -> dict[str, Any]:
        key = self.text(element, "id")
        if not key:
            raise XZuFiError(_("%(path)s/id is missing.") % {"path": where})
        document: dict[str, Any] = {"key": key, "leika_key": self.code(element, "referenzLeiKa"), "texts": {}}
        for index, module in enumerate(self.all(element, "modulText")):
            code = self.code(module, "leikaTextmodul")
            text = self.texts(module, "inhalt") or {}
            if code == "03":
                document["name"] = {"de": text.get("de", ""), "en": text.get("en", "")}
            elif code in CODE_TO_MODULE:
                document["texts"][CODE_TO_MODULE[code]] = text
            else:
                raise XZuFiError(
                    _("%(path)s/modulText[%(index)s]: text module code “%(code)s” is not one we keep.")
                    % {"path": where, "index": index + 1, "code": code}
                )
        if "name" not in document:
            raise XZuFiError(_("%(path)s: no modulText with code 03 (Leistungsname).") % {"path": where})
        costs_module = self.one(element, "modulKosten")
        if costs_module is not None:
            entry = self.one(costs_module, "kosten")
            costs: dict[str, Any] = {"kind": self.code(entry, "kostenart") if entry is not None else "free"}
            if entry is not None:
                if costs["kind"] == "fixed":
                    costs["amount"] = self.text(entry, "betragFix")
                elif costs["kind"] == "range":
                    costs["min"], costs["max"] = (
                        self.text(entry, "betragUntergrenze"),
                        self.text(entry, "betragObergrenze"),
                    )
                if self.one(entry, "vorkasse") is not None:
                    costs["in_advance"] = self.text(entry, "vorkasse") == "true"
            note = self.texts(costs_module, "beschreibung")
            if note:
                costs["note"] = note
            document["costs"] = costs
        deadlines_module = self.one(element, "modulFrist")
        document["deadlines"] = []
        if deadlines_module is not None:
            for index, entry in enumerate(self.all(deadlines_module, "frist")):
                document["deadlines"].append(
                    {"kind": self.code(entry, "typ"), **self.duration(entry, f"{where}/modulFrist/frist[{index + 1}]")}
                )
            note = self.texts(deadlines_module, "beschreibung")
            if note:
                document["texts"]["fristen"] = note
        processing = self.one(element, "modulBearbeitungsdauer")
        document["processing_time"] = None
        if processing is not None:
            span = self.one(processing, "bearbeitungsdauer")
            if span is not None:
                document["processing_time"] = self.duration(span, f"{where}/modulBearbeitungsdauer/bearbeitungsdauer")
            note = self.texts(processing, "beschreibung")
            if note:
                document["texts"]["bearbeitungsdauer"] = note
        document["responsibility_level"] = self.code(element, "zustaendigkeitsebene") or "municipality"
        document["trust_level"] = self.code(element, "vertrauensniveau") or "low"
        document["addressees"] = self.codes(element, "adressat")
        document["life_situations"] = self.codes(element, "lebenslage")
        keywords: dict[str, list[str]] = {}
        for node in self.all(element, "suchbegriff"):
            language = {code: key for key, code in LANGUAGES.items()}.get(node.get("languageCode", "de-DE"), "de")
            keywords.setdefault(language, []).append((node.text or "").strip())
        document["keywords"] = keywords
        document["written_form_required"] = self.text(element, "schriftformerfordernis") == "true"
        document["personal_appearance_required"] = self.text(element, "persoenlichesErscheinen") == "true"
        extension = element.find(f"{{{NS_OWN}}}erweiterung")
        if extension is not None:
            try:
                extra = json.loads(extension.text or "{}")
            except json.JSONDecodeError as exc:
                raise XZuFiError(
                    _("%(path)s/erweiterung: not valid JSON (%(error)s).") % {"path": where, "error": exc.msg}
                ) from exc
            document.update({key: extra[key] for key in EXTENSION_KEYS if key in extra})
        document["offered_by"] = [
            self.text(link, "organisationseinheitID") for link in self.all(element, "zustaendigkeit")
        ]
        return document

    def organisation(self, element: Element) -> dict[str, Any]:
        address = self.one(element, "anschrift")
        organisation = {"id": self.text(element, "id"), "name": self.text(element, "name")}
        if address is not None:
            for key, name in (("street", "strasse"), ("postcode", "postleitzahl"), ("city", "ort")):
                if self.text(address, name):
                    organisation[key] = self.text(address, name)
        for channel in self.all(element, "kommunikation"):
            for key, name in (("phone", "telefon"), ("email", "email"), ("url", "internetadresse")):
                if self.text(channel, name):
                    organisation[key] = self.text(channel, name)
        return organisation


def import_services(data: bytes) -> XZuFiImport:
    """SERVICE documents (plus ``offered_by``) and organisations of a transfer message."""
    root = parse(data)
    if root.tag != f"{{{NS}}}{ROOT}":
        raise XZuFiError(
            _("Line 1: “%(tag)s” is not an XZuFi transfer (%(root)s in namespace %(ns)s).")
            % {"tag": root.tag, "root": ROOT, "ns": NS}
        )
    reader = _Reader()
    result = XZuFiImport()
    for element in reader.all(root, "organisationseinheit"):
        result.organisations.append(reader.organisation(element))
    for index, element in enumerate(reader.all(root, "leistung")):
        result.services.append(reader.service(element, f"/{ROOT}/leistung[{index + 1}]"))
    return result
