"""Drop django-auditlog's own log table: entries live in audit.AuditEntry
(AUDITLOG_LOGENTRY_MODEL), so that table is never written. django-auditlog's migrations
create it anyway, with a foreign key to the users table; PostgreSQL then refuses to
truncate the users table on its own (Django's flush, used after every test that commits),
so an unused table would break every such test.
"""

from django.db import migrations


def drop_unused_table(apps, schema_editor) -> None:
    cascade = " CASCADE" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP TABLE IF EXISTS auditlog_logentry{cascade}")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(drop_unused_table, migrations.RunPython.noop)]
