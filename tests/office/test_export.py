"""The export's schema rename: statements point at the new schema, rows inside COPY blocks stay untouched."""

from __future__ import annotations

from amtsplatz.office.export import rename_schema_in_dump


def test_rename_touches_statements_not_rows() -> None:
    dump = (
        "CREATE SCHEMA gera;\n"
        "CREATE TABLE gera.notes (id bigint, text text);\n"
        "COPY gera.notes (id, text) FROM stdin;\n"
        "1\tgera.localhost bleibt gera.\n"
        "\\.\n"
        "SELECT pg_catalog.setval('gera.notes_id_seq', 1, true);\n"
        "ALTER TABLE ONLY gera.notes ADD CONSTRAINT x FOREIGN KEY (id) REFERENCES public.y(id);\n"
    )
    assert rename_schema_in_dump(dump, "gera", "gera_neu") == (
        "CREATE SCHEMA gera_neu;\n"
        "CREATE TABLE gera_neu.notes (id bigint, text text);\n"
        "COPY gera_neu.notes (id, text) FROM stdin;\n"
        "1\tgera.localhost bleibt gera.\n"
        "\\.\n"
        "SELECT pg_catalog.setval('gera_neu.notes_id_seq', 1, true);\n"
        "ALTER TABLE ONLY gera_neu.notes ADD CONSTRAINT x FOREIGN KEY (id) REFERENCES public.y(id);\n"
    )
