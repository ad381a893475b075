"""What one municipality schema costs before it holds any data: relations, disk, catalogue rows (issue 26).

Every municipality repeats the template schema's tables, indexes, sequences and TOAST tables, and each
of them is a row in ``pg_class`` (plus rows in ``pg_attribute``, ``pg_index``, ``pg_type``, …) that
every PostgreSQL backend caches once it has touched the schema. These read-only catalogue queries are
shared by ``bench.tenant_cost`` (the figures) and the foundation tests (nothing redundant comes back).

Two kinds of index cost a municipality without serving any query (docs/decisions/0093-…):

- **pattern indexes** Django adds to every indexed or unique ``CharField`` on PostgreSQL
  (``…_like``, ``varchar_pattern_ops``). They serve only case-sensitive prefix searches
  (``__startswith``, ``LIKE 'x%'``); :data:`PATTERN_INDEXES_IN_USE` lists the ones a query of ours or of
  Wagtail/taggit uses, the rest are dropped (``cms`` migration ``0006_h26a_…``);
- **redundant indexes**: a plain single-column B-tree index whose column leads another B-tree index
  of the same table with the same operator class (a foreign key's index beside a unique pair that
  starts with it): the wider index answers every lookup the narrow one would.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

# Pattern (``varchar_pattern_ops``) indexes that serve prefix searches: Wagtail's and treebeard's page and
# collection trees (``path__startswith``), Wagtail's free-slug search (``slug__startswith``), the page
# history's comment filter (``action__startswith``) and taggit's free-slug search.
PATTERN_INDEXES_IN_USE = frozenset(
    {
        "wagtailcore_page_path_98eba2c8_like",
        "wagtailcore_page_slug_e7c11b8f_like",
        "wagtailcore_collection_path_d848dc19_like",
        "wagtailcore_pagelogentry_action_c2408198_like",
        "taggit_tag_slug_6be58b2c_like",
    }
)


@dataclass(frozen=True)
class SchemaCost:
    """What one schema holds in the catalogue and on disk."""

    tables: int
    indexes: int
    sequences: int
    toast_tables: int
    toast_indexes: int
    disk_bytes: int
    pg_class_rows: int
    pg_attribute_rows: int
    pg_index_rows: int
    pg_constraint_rows: int
    pg_type_rows: int

    @property
    def relations(self) -> int:
        return self.tables + self.indexes + self.sequences + self.toast_tables + self.toast_indexes

    @property
    def catalogue_rows(self) -> int:
        return (
            self.pg_class_rows
            + self.pg_attribute_rows
            + self.pg_index_rows
            + self.pg_constraint_rows
            + self.pg_type_rows
        )


# The schema's own relations plus the TOAST tables and TOAST indexes that belong to its tables.
_RELATIONS = """
WITH own AS (
    SELECT c.oid, c.relkind, c.reltoastrelid FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %(schema)s
), toast AS (
    SELECT t.oid, 't'::"char" AS relkind FROM pg_class t JOIN own ON own.reltoastrelid = t.oid
), toast_index AS (
    SELECT x.indexrelid AS oid, 'T'::"char" AS relkind FROM pg_index x JOIN toast ON toast.oid = x.indrelid
), everything AS (
    SELECT oid, relkind FROM own UNION ALL SELECT oid, relkind FROM toast
    UNION ALL SELECT oid, relkind FROM toast_index
)
"""


def schema_cost(schema: str) -> SchemaCost:
    """Relations, disk and catalogue rows of ``schema`` (one statement, read-only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _RELATIONS
            + """
            SELECT
              count(*) FILTER (WHERE relkind IN ('r', 'p')),
              count(*) FILTER (WHERE relkind IN ('i', 'I')),
              count(*) FILTER (WHERE relkind = 'S'),
              count(*) FILTER (WHERE relkind = 't'),
              count(*) FILTER (WHERE relkind = 'T'),
              coalesce(sum(pg_relation_size(oid) + pg_relation_size(oid, 'fsm') + pg_relation_size(oid, 'vm')), 0),
              count(*),
              (SELECT count(*) FROM pg_attribute a JOIN everything e ON e.oid = a.attrelid),
              (SELECT count(*) FROM pg_index x JOIN everything e ON e.oid = x.indexrelid),
              (SELECT count(*) FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
                 WHERE n.nspname = %(schema)s),
              (SELECT count(*) FROM pg_type ty JOIN pg_namespace n ON n.oid = ty.typnamespace
                 WHERE n.nspname = %(schema)s)
            FROM everything
            """,
            {"schema": schema},
        )
        row = cursor.fetchone()
    return SchemaCost(*row)


def unused_pattern_indexes(schema: str) -> list[str]:
    """``varchar_pattern_ops`` indexes of ``schema`` that no prefix search of ours or our libraries uses."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_namespace n ON n.oid = i.relnamespace "
            "JOIN pg_opclass oc ON oc.oid = x.indclass[0] "
            "WHERE n.nspname = %s AND oc.opcname IN ('varchar_pattern_ops', 'text_pattern_ops') "
            "ORDER BY 1",
            [schema],
        )
        return [name for (name,) in cursor.fetchall() if name not in PATTERN_INDEXES_IN_USE]


def redundant_indexes(schema: str) -> list[tuple[str, str]]:
    """``(index, covered by)``: plain one-column B-tree indexes whose column leads a wider index of the table."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT DISTINCT ON (narrow_index.relname) narrow_index.relname, wide_index.relname
            FROM pg_index narrow
            JOIN pg_class narrow_index ON narrow_index.oid = narrow.indexrelid
            JOIN pg_namespace n ON n.oid = narrow_index.relnamespace
            JOIN pg_index wide ON wide.indrelid = narrow.indrelid AND wide.indexrelid <> narrow.indexrelid
            JOIN pg_class wide_index ON wide_index.oid = wide.indexrelid
            WHERE n.nspname = %s
              AND narrow.indnkeyatts = 1 AND NOT narrow.indisunique AND narrow.indpred IS NULL
              AND narrow.indexprs IS NULL AND wide.indpred IS NULL AND wide.indexprs IS NULL
              AND narrow_index.relam = wide_index.relam
              AND narrow_index.relam = (SELECT oid FROM pg_am WHERE amname = 'btree')
              AND wide.indkey[0] = narrow.indkey[0] AND wide.indclass[0] = narrow.indclass[0]
              AND (wide.indnkeyatts > 1 OR wide.indisunique)
            ORDER BY narrow_index.relname, wide.indisunique DESC, wide_index.relname
            """,
            [schema],
        )
        return [(narrow, wide) for narrow, wide in cursor.fetchall()]
