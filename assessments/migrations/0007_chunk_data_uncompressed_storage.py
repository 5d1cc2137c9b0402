"""Chunk data is stored as it comes, without PostgreSQL's compression attempt.

A chunk is some 0.5 to 8 MB of random floats that do not compress: PostgreSQL's default
storage (EXTENDED) tried its compression on every insert before giving up, which took
four times as long as the insert itself (about 10 ms against 2.3 ms for 0.5 MB). EXTERNAL
keeps the data out of line, uncompressed. Other databases have no such setting.
"""

from django.db import migrations

TABLE, COLUMN = "assessments_projectionchunk", "data"


def _storage(kind: str):
    def set_storage(apps, schema_editor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(TABLE)} ALTER COLUMN {quote(COLUMN)} SET STORAGE {kind}"
        )

    return set_storage


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_calibrated_assumptions")]

    operations = [migrations.RunPython(_storage("EXTERNAL"), _storage("EXTENDED"))]
