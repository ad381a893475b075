"""XDatenfelder 2.0 and 3.0 → catalogue form schema (docs/catalogue-format.md, "XDatenfelder").

:func:`import_form` reads a Stammdatenschema or Datenfeldgruppe message and returns the form schema
plus a report that lists, by path in the document, every construct that could not be mapped (or was
mapped with a loss). Nothing is dropped silently; the office reads the report before publishing.
The schema keeps the FIM identity: ``form_schema["fim"]`` (standard, id, version, name, original XML)
and ``fim`` on every group and field, so submitted data can be mapped back to FIM ids.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

from django.utils.translation import gettext as _

from services_catalog.errors import SchemaErrors
from services_catalog.fim.xmlsafe import XmlInputError, parse
from services_catalog.semantic import SEMANTIC_KEYS
from services_catalog.validation import FILE_TYPES, validate_form_schema

NS_V2 = "urn:xoev-de:fim:standard:xdatenfelder_2"
NS_V3 = "urn:xoev-de:fim:standard:xdatenfelder_3.0.0"
STANDARDS = {NS_V2: "xdatenfelder-2.0", NS_V3: "xdatenfelder-3.0"}
MESSAGES = {
    "xdatenfelder.stammdatenschema.0102": "stammdatenschema",
    "xdatenfelder.datenfeldgruppe.0103": "datenfeldgruppe",
}
# Identifiers of elements that Amtsplatz made up itself on export (no FIM id): not kept as FIM ids.
OWN_ID_PREFIX = "amtsplatz-"
# Texts in English and our declarative rules travel in elements the standard has (stichwort, regel).
EN_LABEL = "urn:amtsplatz:en:label"
SEMANTIC = "urn:amtsplatz:semantic"  # a field's semantic key (docs/form-semantic-keys.md)
EN_HELP = "urn:amtsplatz:en:help"
EN_CODE = "urn:amtsplatz:en:code:"
RULE_MARKER = "amtsplatz"
DATA_TYPES = {
    "text": "text", "text_latin": "text_latin", "date": "date", "bool": "bool", "num": "number",
    "num_int": "integer", "num_currency": "currency", "file": "file",
}  # fmt: skip
LOSSY_TYPES = {
    "time": ("^([01][0-9]|2[0-3]):[0-5][0-9]$", "HH:MM"),
    "datetime": ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}", "JJJJ-MM-TTTHH:MM"),
}
FIELD_KINDS = ("input", "select", "label", "hidden", "locked")
DEFAULT_FILE_MB = 10
MAX_REPEAT = 50


@dataclass
class ImportResult:
    schema: dict[str, Any]
    report: list[tuple[str, str]] = field(default_factory=list)
    standard: str = ""
    fim_id: str = ""
    fim_version: str = ""
    name: str = ""


class XDatenfelderError(XmlInputError):
    """A document that is not an XDatenfelder message we can read; the message names the position."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _slug(text: str) -> str:
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    if not text or not text[0].isalpha():
        text = f"f_{text}"
    return text[:40].rstrip("_")


class _Reader:
    """One pass over a message; collects the report while it builds the schema."""

    def __init__(self, namespace: str) -> None:
        self.ns = namespace
        self.v3 = namespace == NS_V3
        self.report: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    # --- element helpers -------------------------------------------------------------------
    def child(self, element: Element, name: str) -> Element | None:
        return element.find(f"{{{self.ns}}}{name}")

    def children(self, element: Element, name: str) -> list[Element]:
        return element.findall(f"{{{self.ns}}}{name}")

    def text(self, element: Element, name: str) -> str:
        found = self.child(element, name)
        return " ".join((found.text or "").split()) if found is not None else ""

    def code(self, element: Element, name: str) -> str:
        found = self.child(element, name)
        if found is None:
            return ""
        code = found.find("code")
        if code is None:
            code = self.child(found, "code")
        return (code.text or "").strip() if code is not None else ""

    def identity(self, element: Element, path: str) -> dict[str, str]:
        ident = self.child(element, "identifikation")
        fim_id = self.text(ident, "id") if ident is not None else ""
        if not fim_id:
            raise XDatenfelderError(_("%(path)s: the element has no identifikation/id.") % {"path": path})
        return {"id": fim_id, "version": self.text(ident, "version") if ident is not None else ""}

    def english(self, element: Element) -> dict[str, str]:
        found: dict[str, str] = {}
        for keyword in self.children(element, "stichwort"):
            uri = keyword.get("uri", "")
            if uri in (EN_LABEL, EN_HELP, SEMANTIC) or uri.startswith(EN_CODE):
                found[uri] = (keyword.text or "").strip()
        return found

    def unique_id(self, name: str) -> str:
        base = _slug(name)
        candidate, number = base, 2
        while candidate in self.ids:
            candidate = f"{base[:36].rstrip('_')}_{number}"
            number += 1
        self.ids.add(candidate)
        return candidate

    def lost(self, path: str, message: str) -> None:
        self.report.append((path, message))

    # --- building blocks -------------------------------------------------------------------
    def fim_identity(self, element: Element, path: str) -> dict[str, str] | None:
        identity = self.identity(element, path)
        if identity["id"].startswith(OWN_ID_PREFIX):
            return None
        identity["name"] = self.text(element, "name")
        return identity

    def labels(self, element: Element) -> tuple[dict[str, str], dict[str, str] | None]:
        english = self.english(element)
        label = {"de": self.text(element, "bezeichnungEingabe") or self.text(element, "name")}
        if english.get(EN_LABEL):
            label["en"] = english[EN_LABEL]
        help_de = self.text(element, "hilfetextEingabe")
        help_text = {"de": help_de} if help_de else None
        if help_text is not None and english.get(EN_HELP):
            help_text["en"] = english[EN_HELP]
        return label, help_text

    def rules(self, element: Element, path: str, target: dict[str, Any]) -> None:
        """Our own declarative rules come back; every other FIM rule is reported and kept as text."""
        for index, rule in enumerate(self.children(element, "regel")):
            rule_path = f"{path}/regel[{index + 1}]"
            script = self.text(rule, "skript" if self.v3 else "script")
            try:
                parsed = json.loads(script) if script.startswith("{") else None
            except json.JSONDecodeError:
                parsed = None
            if isinstance(parsed, dict) and parsed.get(RULE_MARKER) == "show_if":
                target["show_if"] = parsed["condition"]
                continue
            if isinstance(parsed, dict) and parsed.get(RULE_MARKER) == "rule":
                target.setdefault("rules", []).append(parsed["rule"])
                continue
            identity = self.identity(rule, rule_path)
            description = self.text(rule, "freitextRegel") or self.text(rule, "beschreibung") or self.text(rule, "name")
            target.setdefault("fim_rules", []).append(
                {"id": identity["id"], "version": identity["version"], "name": self.text(rule, "name"),
                 "type": self.code(rule, "typ"), "text": description, "script": script}
            )  # fmt: skip
            self.lost(
                rule_path,
                _("Rule %(id)s (“%(text)s”) is a script and cannot be enforced; kept as text for the office.")
                % {"id": identity["id"], "text": description[:120]},
            )

    def cardinality(self, structure: Element, path: str) -> tuple[int, int | None]:
        raw = self.text(structure, "anzahl") or "1:1"
        match = re.match(r"^(\d+):(\d+|\*|n)$", raw)
        if not match:
            raise XDatenfelderError(
                _("%(path)s/anzahl: “%(value)s” is not a cardinality like 0:1 or 1:*.") % {"path": path, "value": raw}
            )
        high = None if match.group(2) in ("*", "n") else int(match.group(2))
        return int(match.group(1)), high

    def field(self, element: Element, path: str, low: int, high: int | None, reference: str) -> dict[str, Any] | None:
        identity = self.fim_identity(element, path)
        label, help_text = self.labels(element)
        kind = self.code(element, "feldart") or "input"
        data_type = self.code(element, "datentyp") or "text"
        spec: dict[str, Any] = {"id": self.unique_id(self.text(element, "name") or label["de"]), "kind": kind}
        if kind not in FIELD_KINDS:
            self.lost(path, _("Unknown field kind “%(kind)s”; imported as an input field.") % {"kind": kind})
            spec["kind"] = kind = "input"
        content = self.text(element, "inhalt")
        if kind == "label":
            spec["label"] = {"de": content or label["de"], **({"en": label["en"]} if "en" in label else {})}
            if identity:
                spec["fim"] = identity
            return spec
        spec["label"] = label
        if help_text:
            spec["help"] = help_text
        semantic = self.english(element).get(SEMANTIC)
        if semantic in SEMANTIC_KEYS:
            spec["semantic"] = semantic
        if data_type in DATA_TYPES:
            spec["type"] = DATA_TYPES[data_type]
        elif data_type in LOSSY_TYPES:
            pattern, shape = LOSSY_TYPES[data_type]
            spec.update(type="text", pattern=pattern)
            self.lost(
                path,
                _("Data type “%(type)s” becomes text in the form %(shape)s.") % {"type": data_type, "shape": shape},
            )
        elif data_type == "obj":
            spec["type"] = "file"
            self.lost(path, _("Data type “obj” (binary object) becomes a file upload (PDF, JPEG, PNG)."))
        else:
            self.lost(path, _("Unknown data type “%(type)s”; imported as text.") % {"type": data_type})
            spec["type"] = "text"
        reference = reference or self.text(element, "bezug")  # the structure's reference, else the field's own
        if reference:
            spec["legal_reference"] = reference
        self.precision(element, path, spec)
        if kind == "select":
            self.code_list(element, path, spec)
        if spec["type"] == "file":
            spec["cardinality"] = f"{low}:{'*' if high is None else high}"
            self.file_limits(element, spec)
        elif low >= 1:
            spec["required"] = True
        if content and kind != "label":
            spec["default"] = (
                content == "true" if spec["type"] == "bool"
                else int(content) if spec["type"] == "integer" and re.match(r"^-?\d+$", content)
                else content
            )  # fmt: skip
        if kind in ("hidden", "locked") and "default" not in spec:
            spec["default"] = ""
            self.lost(path, _("A %(kind)s field without content (inhalt); its value is empty.") % {"kind": kind})
        if identity:
            spec["fim"] = identity
        self.rules(element, path, spec)
        return spec

    def precision(self, element: Element, path: str, spec: dict[str, Any]) -> None:
        node = self.child(element, "praezisierung")
        if node is None:
            return
        if self.v3:
            values: dict[str, Any] = dict(node.attrib)
        else:
            raw = (node.text or "").strip()
            try:
                values = json.loads(raw) if raw else {}
            except json.JSONDecodeError:
                self.lost(f"{path}/praezisierung", _("Not readable as JSON; no length or value limits were taken."))
                return
        text_type = spec["type"] in ("text", "text_latin")
        for source, target in (("minLength", "min_length"), ("maxLength", "max_length")):
            if source in values and text_type and str(values[source]).isdigit():
                spec[target] = int(values[source])
        if values.get("pattern") and text_type and "pattern" not in spec:
            try:
                re.compile(values["pattern"])
                spec["pattern"] = values["pattern"]
            except re.error:
                self.lost(f"{path}/praezisierung", _("The pattern is not a regular expression we can check; dropped."))
        for source, target in (("minValue", "min_value"), ("maxValue", "max_value")):
            if source not in values or values[source] in ("", None):
                continue
            value = str(values[source])
            if spec["type"] == "date" and (value == "today" or re.match(r"^\d{4}-\d{2}-\d{2}$", value)):
                spec[target] = value
            elif spec["type"] in ("number", "integer", "currency") and re.match(r"^-?\d+(\.\d+)?$", value):
                spec[target] = int(value) if spec["type"] == "integer" or "." not in value else float(value)
            else:
                self.lost(f"{path}/praezisierung", _("%(name)s “%(value)s” does not fit the data type; dropped.")
                          % {"name": source, "value": value})  # fmt: skip

    def code_list(self, element: Element, path: str, spec: dict[str, Any]) -> None:
        values = self.child(element, "werte")
        english = self.english(element)
        entries: list[dict[str, Any]] = []
        if values is not None:
            for value in self.children(values, "wert"):
                code = self.text(value, "code")
                if code and code not in {entry["value"] for entry in entries}:
                    label = {"de": self.text(value, "name") or code}
                    if english.get(f"{EN_CODE}{code}"):
                        label["en"] = english[f"{EN_CODE}{code}"]
                    entries.append({"value": code, "label": label})
        reference = self.child(element, "codelisteReferenz")
        uri, version = "", ""
        if reference is not None:
            generic = self.child(reference, "genericodeIdentification")
            holder = generic if generic is not None else reference
            uri = self.text(holder, "canonicalIdentification") or self.text(holder, "canonicalUri")
            version = self.text(holder, "version")
        if entries:
            spec["code_list"] = entries
            if uri:
                spec["code_list_ref"] = {"uri": uri, "version": version}
            return
        spec["kind"] = "input"
        if spec["type"] not in ("text", "text_latin"):
            spec["type"] = "text"
        # The help text without our note, so that an export writes the original back.
        spec["code_list_ref"] = {"uri": uri, "version": version, "help": (spec.get("help") or {}).get("de", "")}
        note = _("Choose from the code list %(uri)s (version %(version)s) and enter its value.") % {
            "uri": uri or "?",
            "version": version or "?",
        }
        spec["help"] = {"de": " ".join(filter(None, [(spec.get("help") or {}).get("de", ""), note]))}
        self.lost(
            f"{path}/codelisteReferenz",
            _("Code list %(uri)s cannot be resolved offline; the field became free text with a note.")
            % {"uri": uri or "?"},
        )

    def file_limits(self, element: Element, spec: dict[str, Any]) -> None:
        size = self.text(element, "maxSize")
        spec["max_size_mb"] = min(20, max(1, int(size) // 1024)) if size.isdigit() else DEFAULT_FILE_MB
        media = [node.text.strip() for node in self.children(element, "mediaType") if node.text]
        accepted = [kind for kind in media if kind in FILE_TYPES]
        spec["accept"] = accepted or list(FILE_TYPES)

    def group(self, element: Element, path: str, low: int, high: int | None, reference: str) -> dict[str, Any]:
        identity = self.fim_identity(element, path)
        title, help_text = self.labels(element)
        group: dict[str, Any] = {"id": self.unique_id(self.text(element, "name") or title["de"]), "title": title}
        if help_text:
            group["help"] = help_text
        reference = reference or self.text(element, "bezug")
        if reference:
            group["legal_reference"] = reference
        if (low, high) != (1, 1):
            group["repeat"] = {"min": low, "max": high if high is not None else MAX_REPEAT}
            if high is None:
                self.lost(
                    path,
                    _("Unbounded repetition (%(low)s:*) is limited to %(max)s entries.")
                    % {"low": low, "max": MAX_REPEAT},
                )
        if identity:
            group["fim"] = identity
        self.rules(element, path, group)
        self.contents(element, path, group)
        return group

    def contents(self, element: Element, path: str, group: dict[str, Any]) -> None:
        """Fields first, then sub-groups (our form shows a group's fields before its sub-groups)."""
        fields: list[dict[str, Any]] = []
        groups: list[dict[str, Any]] = []
        for index, structure in enumerate(self.children(element, "struktur")):
            structure_path = f"{path}/struktur[{index + 1}]"
            low, high = self.cardinality(structure, structure_path)
            reference = self.text(structure, "bezug")
            contained = self.child(structure, "enthaelt")
            inner = list(contained) if contained is not None else []
            if len(inner) != 1:
                raise XDatenfelderError(
                    _("%(path)s/enthaelt: expected one datenfeld or datenfeldgruppe.") % {"path": structure_path}
                )
            node = inner[0]
            node_path = f"{structure_path}/{_local(node.tag)}"
            if _local(node.tag) == "datenfeldgruppe":
                groups.append(self.group(node, node_path, low, high, reference))
            elif _local(node.tag) == "datenfeld":
                spec = self.field(node, node_path, low, high, reference)
                if spec is None:
                    continue
                if spec.get("type") != "file" and spec["kind"] != "label" and (high is None or high > 1):
                    spec["required"] = True
                    wrapper = {
                        "id": self.unique_id(f"{spec['id']}_liste"), "title": dict(spec["label"]),
                        "repeat": {"min": low, "max": high if high is not None else MAX_REPEAT},
                        "wraps_field": True, "fields": [spec],
                    }  # fmt: skip
                    groups.append(wrapper)
                elif groups:
                    self.lost(
                        node_path,
                        _("This field follows a sub-group in the document; it is shown before the sub-groups."),
                    )
                    fields.append(spec)
                else:
                    fields.append(spec)
            else:
                raise XDatenfelderError(
                    _("%(path)s: unexpected element “%(name)s”.") % {"path": node_path, "name": _local(node.tag)}
                )
        group["fields"] = fields  # always present: code that reads a group's own fields keeps working
        if groups:
            group["groups"] = groups
        if not fields and not groups:
            group["fields"] = [
                {"id": self.unique_id(f"{group['id']}_hinweis"), "kind": "label", "label": dict(group["title"])}
            ]
            self.lost(path, _("The group is empty; a text with its title stands in for it."))


def detect(root: Element) -> tuple[str, str]:
    """(namespace, kind of message) of a root element, or an error that names what was found."""
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    name = _local(root.tag)
    if namespace not in STANDARDS:
        raise XDatenfelderError(
            _("Line 1: “%(name)s” in namespace “%(ns)s” is not an XDatenfelder 2.0 or 3.0 message.")
            % {"name": name, "ns": namespace or "-"}
        )
    if name not in MESSAGES:
        raise XDatenfelderError(
            _("Line 1: message “%(name)s” is not supported; import xdatenfelder.stammdatenschema.0102 or "
              "xdatenfelder.datenfeldgruppe.0103.") % {"name": name}
        )  # fmt: skip
    return namespace, MESSAGES[name]


def import_form(data: bytes) -> ImportResult:
    """Read an XDatenfelder message; raise :class:`XmlInputError` with the position when it cannot."""
    root = parse(data)
    namespace, kind = detect(root)
    reader = _Reader(namespace)
    main = reader.child(root, kind)
    path = f"/{_local(root.tag)}/{kind}"
    if main is None:
        raise XDatenfelderError(_("%(path)s is missing.") % {"path": path})
    identity = reader.identity(main, path)
    name = reader.text(main, "bezeichnungEingabe") or reader.text(main, "name")
    top: dict[str, Any] = {"id": "form", "title": {"de": name}}
    if kind == "datenfeldgruppe":
        groups = [reader.group(main, path, 1, 1, "")]
    else:
        reader.rules(main, path, top)
        reader.contents(main, path, top)
        groups = list(top.get("groups", []))
        if top.get("fields"):
            reader.ids.add("angaben")
            groups.insert(0, {"id": "angaben", "title": {"de": name or _("Details")}, "fields": top["fields"]})
    schema: dict[str, Any] = {"groups": groups}
    if top.get("rules"):
        schema["rules"] = top["rules"]
    own = identity["id"].startswith(OWN_ID_PREFIX)
    if not own:
        schema["fim"] = {
            "standard": STANDARDS[namespace], "message": kind, "id": identity["id"], "version": identity["version"],
            "name": name, "sha256": hashlib.sha256(data).hexdigest(), "xml": data.decode("utf-8", "replace"),
            "report": [{"path": p, "message": m} for p, m in reader.report],
            **({"rules": top["fim_rules"]} if top.get("fim_rules") else {}),
        }  # fmt: skip
    errors = SchemaErrors()
    validate_form_schema(schema, "form_schema", errors)
    if errors:
        raise XDatenfelderError("; ".join(errors.messages()))
    return ImportResult(
        schema=schema, report=reader.report, standard=STANDARDS[namespace],
        fim_id="" if own else identity["id"], fim_version=identity["version"], name=name,
    )  # fmt: skip
