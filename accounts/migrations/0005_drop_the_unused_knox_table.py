"""Drop django-rest-knox's own token table: tokens live in accounts.ApiToken
(KNOX_TOKEN_MODEL), so that table is never written. knox's migrations create it anyway,
with a foreign key to the users table; PostgreSQL then refuses to truncate the users table
on its own (Django's flush, used after every test that commits), so an unused table would
break every such test. The same reason made audit drop django-auditlog's table.
"""

from django.db import migrations


def drop_unused_table(apps, schema_editor) -> None:
    cascade = " CASCADE" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP TABLE IF EXISTS knox_authtoken{cascade}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_api_tokens"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(drop_unused_table, migrations.RunPython.noop)]
