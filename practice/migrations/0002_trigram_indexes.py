"""Trigram indexes for the practice search on PostgreSQL.

Names, serials and plates are searched by fragment (``LIKE '%...%'`` on the
normalised columns); pg_trgm's GIN indexes serve that. pg_trgm is a trusted
extension (PostgreSQL 13+), so a database owner may create it. Other
databases (SQLite for the laptop and the suite) skip this migration.
"""

from django.db import migrations

INDEXES = (
    ("practice_person", "search_names", "practice_person_names_trgm"),
    ("practice_firearm", "serial_key", "practice_firearm_serial_trgm"),
    ("practice_vehicle", "plate_key", "practice_vehicle_plate_trgm"),
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column, name in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, _column, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("practice", "0001_exercises_sandboxes_search")]

    operations = [migrations.RunPython(create, drop)]
