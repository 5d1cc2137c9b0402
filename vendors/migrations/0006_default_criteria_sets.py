"""Every organisation without a criteria set gets the default one.

The criteria pages used to create it when first shown (a GET that wrote). Now it is made
by a POST: the organisation's first sourcing event, the button on the criteria page, or
the demo data. Organisations that have none yet get it here, so nobody finds the page
different. Every sourcing event already has its set (the field is required), so only
organisations can lack one. The rows come from the same function the service uses
(vendors/engine/criteria.py). Going back leaves the sets: they are ordinary data by then.
"""

from django.db import migrations

from vendors.engine.criteria import DEFAULT_CRITERIA_SET, default_criteria_rows


def create_default_sets(apps, schema_editor) -> None:
    Organisation = apps.get_model("accounts", "Organisation")
    CriteriaSet = apps.get_model("vendors", "CriteriaSet")
    Criterion = apps.get_model("vendors", "Criterion")
    database = schema_editor.connection.alias
    rows = default_criteria_rows()
    lacking = list(
        Organisation.objects.using(database)
        .filter(criteria_sets__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for organisation_id in lacking:
        criteria_set = CriteriaSet.objects.using(database).create(
            organisation_id=organisation_id, name=DEFAULT_CRITERIA_SET
        )
        Criterion.objects.using(database).bulk_create(
            [
                Criterion(
                    criteria_set=criteria_set,
                    code=row.code,
                    label=row.label,
                    position=row.position,
                    percent=row.percent,
                )
                for row in rows
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organisation_require_mfa"),
        ("vendors", "0005_history_reason_limit"),
    ]

    operations = [
        migrations.RunPython(create_default_sets, migrations.RunPython.noop, elidable=True),
    ]
