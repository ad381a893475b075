"""A new application's writes in one statement (docs/decisions/0030-filing-in-one-statement.md).

Filing through the API creates an application that is submitted at once: its reference number is
counted up, the row and its history entries are inserted. Through the ORM that is three statements
and most of the request's time; here one data-modifying ``WITH`` statement does all three, built
from the models' own field definitions, so a new model field needs no change here.

Model signals are not sent for these rows (as with ``bulk_create``).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Field, Model

from applications.models import Application, ReferenceCounter, StatusChange

_COUNTER = ReferenceCounter._meta.db_table
_APPLICATION = Application._meta.db_table
_HISTORY = StatusChange._meta.db_table

# Upsert: the year's first application creates its counter row; later ones lock and count it up.
COUNT_UP = (
    f'INSERT INTO "{_COUNTER}" AS counter (prefix, year, last) VALUES (%s, %s, 1) '
    "ON CONFLICT (prefix, year) DO UPDATE SET last = counter.last + 1 RETURNING last"
)


def reference(prefix: str, year: int, number: int) -> str:
    """``GER-2026-000042``: at least six digits."""
    return f"{prefix}-{year}-{number:06d}"


# :func:`reference` of the counter's new value (CTE ``counted``), with prefix and year as parameters.
_REFERENCE = "(SELECT %s || '-' || %s || '-' || lpad(last::text, greatest(6, length(last::text)), '0') FROM counted)"


def _columns(model: type[Model], skip: set[str]) -> list[Field[Any, Any]]:
    return [f for f in model._meta.local_concrete_fields if not f.primary_key and f.name not in skip]


def _row(fields: list[Field[Any, Any]], obj: Model) -> list[Any]:
    """The values Django's own INSERT would send (``auto_now`` and other ``pre_save`` applied)."""
    return [field.get_db_prep_save(field.pre_save(obj, add=True), connection=connection) for field in fields]


def _quoted(fields: list[Field[Any, Any]]) -> str:
    return ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)  # concrete: never None


def insert_filed(application: Application, history: list[StatusChange], *, prefix: str, year: int) -> None:
    """Insert ``application`` with the next reference of ``prefix`` and ``year``, and its ``history``.

    Sets the primary keys and the reference on the objects. A unique conflict (the same idempotency
    key) raises IntegrityError, and nothing is stored, not even the counted-up number.
    """
    application_fields = _columns(Application, skip={"reference"})
    history_fields = _columns(StatusChange, skip={"application"})
    application_values = ", ".join(["%s"] * len(application_fields))
    history_values = ", ".join([f"((SELECT id FROM filed), {', '.join(['%s'] * len(history_fields))})"] * len(history))
    sql = (
        f"WITH counted AS ({COUNT_UP}), "
        f'filed AS (INSERT INTO "{_APPLICATION}" ({_quoted(application_fields)}, reference) '
        f"VALUES ({application_values}, {_REFERENCE}) RETURNING id, reference), "
        f'logged AS (INSERT INTO "{_HISTORY}" (application_id, {_quoted(history_fields)}) '
        f"VALUES {history_values} RETURNING id) "
        "SELECT filed.id, filed.reference, ARRAY(SELECT id FROM logged ORDER BY id) FROM filed"
    )
    params: list[Any] = [prefix, year, *_row(application_fields, application), prefix, year]
    for change in history:
        params += _row(history_fields, change)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        application_id, application.reference, history_ids = cursor.fetchone()
    _stored(application, application_id)
    for change, change_id in zip(history, history_ids, strict=True):
        change.application_id = application_id
        _stored(change, change_id)


def _stored(obj: Model, pk: int) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias
