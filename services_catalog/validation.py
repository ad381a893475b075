"""The meta-schema of catalogue content: every check names the path of what is wrong.

One function per part of a SERVICE document (docs/catalogue-format.md). Used when a draft is
saved or published, and by the import before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from services_catalog.conditions import validate_condition
from services_catalog.constants import (
    DEADLINE_KINDS,
    DECISION_TITLE_KINDS,
    DURATION_UNITS,
    REQUIRED_TEXT_MODULES,
    TEXT_MODULE_KEYS,
    VERIFIED_FACTS,
    Addressee,
    LifeSituation,
    ResponsibilityLevel,
    TrustLevel,
)
from services_catalog.errors import SchemaErrors

FIELD_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SERVICE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{2,79}$")
LEIKA_KEY = re.compile(r"^\d{14}$")
CARDINALITY = re.compile(r"^(\d+):(\d+|\*)$")
FIELD_KINDS = ("input", "select", "label", "hidden", "locked")
DATA_TYPES = ("text", "text_latin", "date", "bool", "number", "integer", "currency", "file")
TEXT_TYPES = ("text", "text_latin")
NUMERIC_TYPES = ("number", "integer", "currency")
FILE_TYPES = ("application/pdf", "image/jpeg", "image/png")
MAX_FILE_MB = 20
OUTCOMES = ("approve", "reject", "manual")


def _text(value: Any, path: str, errors: SchemaErrors, *, required: bool = True) -> None:
    """A bilingual text ``{"de": …, "en": …}``; German is required when the text is."""
    if value is None:
        if required:
            errors.add(f"{path}.de", _("the German text is required"))
        return
    if not isinstance(value, dict) or set(value) - {"de", "en"}:
        errors.add(path, _('must be an object like {"de": "…", "en": "…"}'))
        return
    if any(not isinstance(item, str) for item in value.values()):
        errors.add(path, _("texts must be strings"))
    elif required and not (value.get("de") or "").strip():
        errors.add(f"{path}.de", _("the German text is required"))


def _amount(value: Any, path: str, errors: SchemaErrors) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        errors.add(path, _("'%(value)s' is not an amount like \"30.70\"") % {"value": value})
        return None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        errors.add(path, _("must be zero or more, with at most two decimal places"))
        return None
    return amount


def _duration(value: Any, path: str, errors: SchemaErrors) -> None:
    if not isinstance(value, dict):
        errors.add(path, _("must be an object with duration and unit"))
        return
    if not isinstance(value.get("duration"), int) or value["duration"] < 0:
        errors.add(f"{path}.duration", _("must be a whole number of zero or more"))
    if value.get("unit") not in DURATION_UNITS:
        errors.add(f"{path}.unit", _("must be one of %(units)s") % {"units": ", ".join(DURATION_UNITS)})
    _text(value.get("note"), f"{path}.note", errors, required=False)


def validate_costs(costs: Any, path: str, errors: SchemaErrors) -> None:
    if not isinstance(costs, dict):
        errors.add(path, _("must be an object"))
        return
    kind = costs.get("kind")
    if kind == "fixed":
        _amount(costs.get("amount"), f"{path}.amount", errors)
    elif kind == "range":
        low = _amount(costs.get("min"), f"{path}.min", errors)
        high = _amount(costs.get("max"), f"{path}.max", errors)
        if low is not None and high is not None and low > high:
            errors.add(path, _("min must not be greater than max"))
    elif kind == "variable":
        # No nationally uniform amount (local fee bylaw, or it depends on the case): the note says how.
        _text(costs.get("note"), f"{path}.note", errors)
    elif kind != "free":
        errors.add(f"{path}.kind", _("must be free, fixed, range or variable"))
    if "in_advance" in costs and not isinstance(costs["in_advance"], bool):
        errors.add(f"{path}.in_advance", _("must be true or false"))
    _text(costs.get("note"), f"{path}.note", errors, required=False)


def _field(field: Any, path: str, errors: SchemaErrors) -> None:
    """One form field on its own; references to other fields are checked afterwards."""
    if not isinstance(field, dict):
        errors.add(path, _("a field must be an object"))
        return
    kind = field.get("kind")
    if kind not in FIELD_KINDS:
        errors.add(f"{path}.kind", _("must be one of %(kinds)s") % {"kinds": ", ".join(FIELD_KINDS)})
    _text(field.get("label"), f"{path}.label", errors)
    _text(field.get("help"), f"{path}.help", errors, required=False)
    if kind == "label":
        return
    data_type = field.get("type")
    if data_type not in DATA_TYPES:
        errors.add(
            f"{path}.type",
            _("unknown data type '%(type)s'; use one of %(types)s")
            % {"type": data_type, "types": ", ".join(DATA_TYPES)},
        )
        return
    if kind in ("hidden", "locked") and "default" not in field:
        errors.add(f"{path}.default", _("hidden and locked fields need a default value"))
    if "required" in field and not isinstance(field["required"], bool):
        errors.add(f"{path}.required", _("must be true or false"))
    for limit in ("min_length", "max_length"):
        if limit in field and (data_type not in TEXT_TYPES or not isinstance(field[limit], int)):
            errors.add(f"{path}.{limit}", _("only a whole number, and only for text fields"))
    lengths = (field.get("min_length"), field.get("max_length"))
    if all(isinstance(length, int) for length in lengths) and lengths[0] > lengths[1]:  # type: ignore[operator]
        errors.add(path, _("min_length must not be greater than max_length"))
    if "pattern" in field:
        try:
            re.compile(str(field["pattern"]))
        except re.error as exc:
            errors.add(f"{path}.pattern", _("is not a valid regular expression: %(error)s") % {"error": exc})
    for limit in ("min_value", "max_value"):
        if limit not in field:
            continue
        value = field[limit]
        if data_type in NUMERIC_TYPES and not isinstance(value, int | float):
            errors.add(f"{path}.{limit}", _("must be a number"))
        elif data_type == "date" and not (
            value == "today" or (isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}$", value))
        ):
            errors.add(f"{path}.{limit}", _('must be an ISO date or "today"'))
        elif data_type not in (*NUMERIC_TYPES, "date"):
            errors.add(f"{path}.{limit}", _("only for number and date fields"))
    if kind == "select":
        code_list = field.get("code_list")
        if not isinstance(code_list, list) or not code_list:
            errors.add(f"{path}.code_list", _("a select field needs a non-empty code list"))
        else:
            values = [entry.get("value") if isinstance(entry, dict) else None for entry in code_list]
            if any(not isinstance(value, str) or not value for value in values):
                errors.add(f"{path}.code_list", _("every entry needs a value"))
            elif len(set(values)) != len(values):
                errors.add(f"{path}.code_list", _("values must be unique"))
            for index, entry in enumerate(code_list):
                if isinstance(entry, dict):
                    _text(entry.get("label"), f"{path}.code_list[{index}].label", errors)
    elif "code_list" in field:
        errors.add(f"{path}.code_list", _("only select fields have a code list"))
    if data_type == "file":
        match = CARDINALITY.match(str(field.get("cardinality", "")))
        if not match:
            errors.add(f"{path}.cardinality", _('must look like "0:1" or "1:3"'))
        elif match.group(2) != "*" and int(match.group(1)) > int(match.group(2)):
            errors.add(f"{path}.cardinality", _("minimum must not exceed maximum"))
        size = field.get("max_size_mb")
        if not isinstance(size, int | float) or not 0 < size <= MAX_FILE_MB:
            errors.add(f"{path}.max_size_mb", _("must be a number from 1 to %(max)s") % {"max": MAX_FILE_MB})
        accept = field.get("accept")
        if not isinstance(accept, list) or not accept or set(accept) - set(FILE_TYPES):
            errors.add(
                f"{path}.accept",
                _("must list allowed types from %(types)s") % {"types": ", ".join(FILE_TYPES)},
            )


MAX_GROUP_DEPTH = 6
MAX_REPEAT = 50


def _fim_identity(value: Any, path: str, errors: SchemaErrors) -> None:
    """``{"id": "F60000227", "version": "1.1", "name": …}`` kept from an XDatenfelder import."""
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"]:
        errors.add(path, _('must be an object like {"id": "F60000227", "version": "1.1"}'))


def _rules(rules: Any, path: str, field_ids: set[str], errors: SchemaErrors, *, scope: set[str] | None = None) -> None:
    """Cross-field rules; a group's rules show their message at one of the group's own fields."""
    if not isinstance(rules, list):
        errors.add(path, _("must be a list"))
        return
    for index, rule in enumerate(rules):
        rule_path = f"{path}[{index}]"
        if not isinstance(rule, dict):
            errors.add(rule_path, _("a rule must be an object"))
            continue
        if "when" in rule:
            validate_condition(rule["when"], f"{rule_path}.when", field_ids, errors)
        validate_condition(rule.get("require"), f"{rule_path}.require", field_ids, errors)
        if rule.get("field") not in (field_ids if scope is None else scope):
            errors.add(f"{rule_path}.field", _("must name the field where the message appears"))
        _text(rule.get("message"), f"{rule_path}.message", errors)


@dataclass
class _Collected:
    field_ids: set[str] = dataclass_field(default_factory=set)
    group_ids: set[str] = dataclass_field(default_factory=set)
    conditions: list[tuple[str, Any]] = dataclass_field(default_factory=list)
    group_rules: list[tuple[str, Any, set[str]]] = dataclass_field(default_factory=list)


def _group(group: Any, path: str, depth: int, seen: _Collected, errors: SchemaErrors) -> set[str]:
    """One group and its sub-groups; returns the ids of the fields directly in its scope."""
    if not isinstance(group, dict):
        errors.add(path, _("a group must be an object"))
        return set()
    group_id = group.get("id")
    if not isinstance(group_id, str) or not FIELD_ID.match(group_id) or group_id in seen.group_ids:
        errors.add(f"{path}.id", _("needs a unique id of lower-case letters, digits and _"))
    seen.group_ids.add(str(group_id))
    _text(group.get("title"), f"{path}.title", errors)
    _text(group.get("help"), f"{path}.help", errors, required=False)
    if "fim" in group:
        _fim_identity(group["fim"], f"{path}.fim", errors)
    if "repeat" in group:
        repeat = group["repeat"]
        low, high = (repeat.get("min"), repeat.get("max")) if isinstance(repeat, dict) else (None, None)
        if not isinstance(low, int) or not isinstance(high, int) or not 0 <= low <= high or not 1 <= high <= MAX_REPEAT:
            errors.add(
                f"{path}.repeat",
                _('must be like {"min": 0, "max": 5}: whole numbers, min ≤ max, max from 1 to %(max)s')
                % {"max": MAX_REPEAT},
            )
    if "show_if" in group:
        seen.conditions.append((f"{path}.show_if", group["show_if"]))
    fields = group.get("fields", [])
    subgroups = group.get("groups", [])
    if not isinstance(fields, list) or not isinstance(subgroups, list) or not (fields or subgroups):
        errors.add(f"{path}.fields", _("a group needs at least one field or sub-group"))
        return set()
    if subgroups and depth >= MAX_GROUP_DEPTH:
        errors.add(f"{path}.groups", _("groups nest at most %(depth)s levels deep") % {"depth": MAX_GROUP_DEPTH})
        return set()
    scope: set[str] = set()
    for field_index, field in enumerate(fields):
        field_path = f"{path}.fields[{field_index}]"
        _field(field, field_path, errors)
        if not isinstance(field, dict):
            continue
        field_id = field.get("id")
        if not isinstance(field_id, str) or not FIELD_ID.match(field_id):
            errors.add(f"{field_path}.id", _("must be lower-case letters, digits and _, starting with a letter"))
        elif field_id in seen.field_ids:
            errors.add(f"{field_path}.id", _("'%(id)s' is used twice") % {"id": field_id})
        seen.field_ids.add(str(field_id))
        scope.add(str(field_id))
        if "show_if" in field:
            seen.conditions.append((f"{field_path}.show_if", field["show_if"]))
        if "fim" in field:
            _fim_identity(field["fim"], f"{field_path}.fim", errors)
    for index, subgroup in enumerate(subgroups):
        inner = _group(subgroup, f"{path}.groups[{index}]", depth + 1, seen, errors)
        if isinstance(subgroup, dict) and "repeat" not in subgroup:
            scope |= inner  # a plain sub-group's fields live in the same scope
    if "rules" in group:
        seen.group_rules.append((f"{path}.rules", group["rules"], scope))
    return scope


def validate_form_schema(schema: Any, path: str, errors: SchemaErrors) -> set[str]:
    """Check a form schema; return the ids of its fields (for rules that refer to them).

    Groups may nest (``groups``), repeat (``repeat``: min/max entries), depend on a condition
    (``show_if``) and carry their own cross-field ``rules``. A repeatable group's id names the list
    of its entries in the data, so it must differ from every field id.
    """
    if not isinstance(schema, dict) or not isinstance(schema.get("groups"), list) or not schema["groups"]:
        errors.add(f"{path}.groups", _("a form needs a non-empty list of groups"))
        return set()
    seen = _Collected()
    for group_index, group in enumerate(schema["groups"]):
        _group(group, f"{path}.groups[{group_index}]", 1, seen, errors)
    for clash in sorted(seen.field_ids & seen.group_ids):
        errors.add(f"{path}.groups", _("'%(id)s' names both a group and a field") % {"id": clash})
    field_ids = seen.field_ids
    for condition_path, condition in seen.conditions:
        validate_condition(condition, condition_path, field_ids, errors)
    for rules_path, rules, scope in seen.group_rules:
        _rules(rules, rules_path, field_ids, errors, scope=scope)
    if "rules" in schema:
        _rules(schema["rules"], f"{path}.rules", field_ids, errors)
    if "fim" in schema:
        _fim_identity(schema["fim"], f"{path}.fim", errors)
    return field_ids


def validate_fee_rule(rule: Any, path: str, field_ids: set[str], errors: SchemaErrors) -> None:
    if not isinstance(rule, dict):
        errors.add(path, _("must be an object"))
        return
    kind = rule.get("kind")
    if kind == "fixed":
        _amount(rule.get("amount"), f"{path}.amount", errors)
    elif kind == "computed":
        terms = rule.get("terms")
        if not isinstance(terms, list) or not terms:
            errors.add(f"{path}.terms", _("a computed fee needs a non-empty list of terms"))
            return
        for index, term in enumerate(terms):
            term_path = f"{path}.terms[{index}]"
            if not isinstance(term, dict):
                errors.add(term_path, _("a term must be an object"))
                continue
            _amount(term.get("amount"), f"{term_path}.amount", errors)
            if "when" in term:
                validate_condition(term["when"], f"{term_path}.when", field_ids, errors)
            if "per" in term and term["per"] not in field_ids:
                errors.add(f"{term_path}.per", _("refers to unknown field '%(field)s'") % {"field": term["per"]})
        for bound in ("minimum", "maximum"):
            if bound in rule:
                _amount(rule[bound], f"{path}.{bound}", errors)
    elif kind != "free":
        errors.add(f"{path}.kind", _("must be free, fixed or computed"))


def validate_decision_rule(rule: Any, path: str, field_ids: set[str], errors: SchemaErrors) -> None:
    if not isinstance(rule, dict):
        errors.add(path, _("must be an object"))
        return
    rules = rule.get("rules", [])
    if not isinstance(rules, list):
        errors.add(f"{path}.rules", _("must be a list"))
        rules = []
    for index, entry in enumerate(rules):
        entry_path = f"{path}.rules[{index}]"
        if not isinstance(entry, dict):
            errors.add(entry_path, _("a rule must be an object"))
            continue
        validate_condition(entry.get("when"), f"{entry_path}.when", field_ids, errors)
        if entry.get("outcome") not in OUTCOMES:
            errors.add(f"{entry_path}.outcome", _("must be approve, reject or manual"))
        _text(entry.get("reason"), f"{entry_path}.reason", errors)
    if rule.get("otherwise") not in ("approve", "manual"):
        errors.add(f"{path}.otherwise", _("must be approve or manual"))
    _text(rule.get("otherwise_reason"), f"{path}.otherwise_reason", errors, required=False)
    facts = rule.get("verified_facts", [])
    if not isinstance(facts, list) or set(facts) - set(VERIFIED_FACTS):
        errors.add(f"{path}.verified_facts", _("must be a list of %(facts)s") % {"facts": ", ".join(VERIFIED_FACTS)})


def validate_decision_title(titles: Any, path: str, errors: SchemaErrors) -> None:
    """``{"approve": {"de": …, "en": …}, "reject": {…}, "permit": {…}}``: the letter's titles, each optional."""
    if not isinstance(titles, dict) or set(titles) - set(DECISION_TITLE_KINDS):
        errors.add(path, _('must be an object like {"approve": {"de": "…"}, "reject": {"de": "…"}}'))
        return
    for outcome, text in titles.items():
        _text(text, f"{path}.{outcome}", errors)


def validate_service(document: Any, path: str = "") -> SchemaErrors:
    """Check a whole SERVICE document; an empty result means it can be saved and published."""
    errors = SchemaErrors()
    prefix = f"{path}." if path else ""
    if not isinstance(document, dict):
        errors.add(path or "service", _("must be an object"))
        return errors
    if not isinstance(document.get("key"), str) or not SERVICE_KEY.match(document["key"]):
        errors.add(f"{prefix}key", _("must be 3–80 lower-case letters, digits or hyphens"))
    leika = document.get("leika_key", "")
    if leika and not (isinstance(leika, str) and LEIKA_KEY.match(leika)):
        errors.add(f"{prefix}leika_key", _("a LeiKa key has exactly 14 digits; leave it empty if there is none"))
    _text(document.get("name"), f"{prefix}name", errors)
    keywords = document.get("keywords", {})
    if not isinstance(keywords, dict) or any(
        not isinstance(words, list) or not all(isinstance(word, str) for word in words) for words in keywords.values()
    ):
        errors.add(f"{prefix}keywords", _('must be an object like {"de": ["…"], "en": ["…"]}'))
    for name, allowed in (("addressees", Addressee.values), ("life_situations", LifeSituation.values)):
        values = document.get(name, [])
        if not isinstance(values, list) or set(values) - set(allowed):
            errors.add(f"{prefix}{name}", _("must be a list of %(allowed)s") % {"allowed": ", ".join(allowed)})
    if document.get("trust_level", "low") not in TrustLevel.values:
        errors.add(f"{prefix}trust_level", _("must be one of %(levels)s") % {"levels": ", ".join(TrustLevel.values)})
    if document.get("responsibility_level", ResponsibilityLevel.MUNICIPALITY) not in ResponsibilityLevel.values:
        errors.add(
            f"{prefix}responsibility_level",
            _("must be one of %(levels)s (who is responsible in general)")
            % {"levels": ", ".join(ResponsibilityLevel.values)},
        )
    texts = document.get("texts", {})
    if not isinstance(texts, dict):
        errors.add(f"{prefix}texts", _("must be an object of text modules"))
        texts = {}
    for module in set(texts) - set(TEXT_MODULE_KEYS):
        errors.add(f"{prefix}texts.{module}", _("unknown text module"))
    for module in TEXT_MODULE_KEYS:
        _text(texts.get(module), f"{prefix}texts.{module}", errors, required=module in REQUIRED_TEXT_MODULES)
    validate_costs(document.get("costs", {"kind": "free"}), f"{prefix}costs", errors)
    deadlines = document.get("deadlines", [])
    if not isinstance(deadlines, list):
        errors.add(f"{prefix}deadlines", _("must be a list"))
        deadlines = []
    for index, deadline in enumerate(deadlines):
        _duration(deadline, f"{prefix}deadlines[{index}]", errors)
        if isinstance(deadline, dict) and deadline.get("kind") not in DEADLINE_KINDS:
            errors.add(
                f"{prefix}deadlines[{index}].kind",
                _("must be one of %(kinds)s") % {"kinds": ", ".join(DEADLINE_KINDS)},
            )
    if document.get("processing_time") is not None:
        _duration(document["processing_time"], f"{prefix}processing_time", errors)
    for flag in ("written_form_required", "personal_appearance_required", "online_application"):
        if not isinstance(document.get(flag, False), bool):
            errors.add(f"{prefix}{flag}", _("must be true or false"))
    minutes = document.get("appointment_minutes")
    if minutes is not None and (isinstance(minutes, bool) or not isinstance(minutes, int) or not 5 <= minutes <= 240):
        errors.add(f"{prefix}appointment_minutes", _("must be a whole number of minutes from 5 to 240, or null"))
    retention = document.get("retention_days", 365)
    if not isinstance(retention, int) or retention < 30:
        errors.add(f"{prefix}retention_days", _("must be a whole number of at least 30"))

    field_ids: set[str] = set()
    if document.get("form_schema") is not None:
        field_ids = validate_form_schema(document["form_schema"], f"{prefix}form_schema", errors)
    elif document.get("online_application"):
        errors.add(f"{prefix}form_schema", _("an online application needs a form schema"))
    if document.get("fee_rule") is not None:
        validate_fee_rule(document["fee_rule"], f"{prefix}fee_rule", field_ids, errors)
    validate_decision_title(document.get("decision_title", {}), f"{prefix}decision_title", errors)
    if document.get("decision_rule") is not None:
        if document.get("form_schema") is None:
            errors.add(f"{prefix}decision_rule", _("a decision rule needs a form schema to decide on"))
        else:
            validate_decision_rule(document["decision_rule"], f"{prefix}decision_rule", field_ids, errors)
    return errors
