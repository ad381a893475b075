"""``manage.py citus_convert``: the check runs on plain PostgreSQL and names what blocks a conversion."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tenants import citus
from tenants.models import Municipality

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("citus_convert", *args, stdout=out)
    return out.getvalue()


def test_the_check_reports_the_plan(gera: Municipality, wurzen: Municipality) -> None:
    output = _run("--check")
    assert "Citus is not available on this server" in output or "Citus is available" in output
    for table in citus.REFERENCE_TABLES:
        assert f"public.{table}: create_reference_table" in output
    schemas = Municipality.objects.count() + 1  # and the template
    assert f"Schemas: {schemas} (0 already distributed, {schemas} to distribute)" in output
    assert "Nothing blocks the conversion." in output


def test_the_check_fails_on_a_key_citus_would_refuse(gera: Municipality, wurzen: Municipality) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{gera.schema_name}".citus_probe (id bigint PRIMARY KEY)')
        cursor.execute(
            f'CREATE TABLE "{wurzen.schema_name}".citus_probe ('
            f'id bigint PRIMARY KEY, gera_id bigint REFERENCES "{gera.schema_name}".citus_probe (id))'
        )
    out = StringIO()
    with pytest.raises(CommandError, match="block the conversion"):
        call_command("citus_convert", "--check", stdout=out)
    assert f"{wurzen.schema_name}.citus_probe → {gera.schema_name}.citus_probe" in out.getvalue()


def test_apply_without_citus_changes_nothing_and_says_what_to_do(gera: Municipality) -> None:
    assert citus.citus_version() is None  # Citus cannot be installed on these machines (docs/citus.md)
    with pytest.raises(CommandError, match="CREATE EXTENSION citus"):
        _run("--apply")
