"""Drops the foreign keys from a municipality's tables to tables of another schema (issue 26, ADR 0097).

Each such key makes PostgreSQL create two triggers on the referenced *public* table (22 keys per
municipality, 19 of them on ``django_content_type``). Adding one more key reads every trigger of that
table, so onboarding a municipality got slower with every municipality before it (measured: ~2.6 µs per
existing trigger and key; ~2 s per clone at 1,000 municipalities, ~19 s projected at 10,000), and every
database session rebuilds the table's cache entry with all triggers after each clone. The rows they
point at do not go away: catalogue versions cannot be deleted (a database rule), a definition with
versions is protected by them (only published definitions can be adopted), content types are never removed. Only the municipality schema being migrated
(``current_schema()``) is touched; the keys inside it stay. They are not created again on reverse.
"""

from django.db import migrations

DROP_KEYS_LEAVING_THE_SCHEMA = """
DO $$
DECLARE
    fk record;
BEGIN
    FOR fk IN
        SELECT con.conname, c.relname
        FROM pg_constraint con
        JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_class r ON r.oid = con.confrelid
        WHERE con.contype = 'f'
          AND con.connamespace = current_schema()::regnamespace
          AND r.relnamespace <> con.connamespace
        -- Dropping a key locks the public table it points at: every schema takes them in the same order, so
        -- migrate_all's parallel processes wait for each other instead of deadlocking (seen at 763 schemas).
        ORDER BY r.oid, c.relname, con.conname
    LOOP
        EXECUTE format('ALTER TABLE %I.%I DROP CONSTRAINT %I', current_schema(), fk.relname, fk.conname);
    END LOOP;
END
$$
"""


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0006_h26a_drop_unused_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("wagtailadmin", "0006_formstate"),
        ("local_services", "0001_initial"),
        ("applications", "0004_merge_20c_23a"),
    ]

    operations = [migrations.RunSQL(DROP_KEYS_LEAVING_THE_SCHEMA, reverse_sql=migrations.RunSQL.noop)]
