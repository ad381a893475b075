"""Published versions are immutable in the database; their search vector is built on insert."""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION services_catalog_version_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'published service versions cannot be changed or deleted (id %)', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER serviceversion_immutable
    BEFORE UPDATE OR DELETE ON services_catalog_serviceversion
    FOR EACH ROW EXECUTE FUNCTION services_catalog_version_immutable();

CREATE OR REPLACE FUNCTION services_catalog_version_search_vector() RETURNS trigger AS $$
DECLARE
    keywords text := coalesce(
        (SELECT string_agg(value, ' ') FROM jsonb_array_elements_text(coalesce(NEW.keywords -> 'de', '[]'::jsonb))), '');
    keywords_en text := coalesce(
        (SELECT string_agg(value, ' ') FROM jsonb_array_elements_text(coalesce(NEW.keywords -> 'en', '[]'::jsonb))), '');
    summary text := coalesce(NEW.texts #>> '{teaser,de}', '') || ' ' || coalesce(NEW.texts #>> '{kurztext,de}', '');
    body text := coalesce(
        (SELECT string_agg(value ->> 'de', ' ') FROM jsonb_each(NEW.texts)
          WHERE key NOT IN ('teaser', 'kurztext', 'rechtsbehelf')), '');
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('german', coalesce(NEW.name_de, '')), 'A') ||
        setweight(to_tsvector('german', keywords), 'A') ||
        setweight(to_tsvector('simple', coalesce(NEW.name_en, '') || ' ' || keywords_en), 'B') ||
        setweight(to_tsvector('german', summary), 'B') ||
        setweight(to_tsvector('german', body), 'D');
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER serviceversion_search_vector
    BEFORE INSERT ON services_catalog_serviceversion
    FOR EACH ROW EXECUTE FUNCTION services_catalog_version_search_vector();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS serviceversion_search_vector ON services_catalog_serviceversion;
DROP FUNCTION IF EXISTS services_catalog_version_search_vector();
DROP TRIGGER IF EXISTS serviceversion_immutable ON services_catalog_serviceversion;
DROP FUNCTION IF EXISTS services_catalog_version_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("services_catalog", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
