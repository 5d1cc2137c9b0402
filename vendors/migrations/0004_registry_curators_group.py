"""The platform-level group whose members curate the shared vendor registry."""

from django.db import migrations

CURATORS_GROUP = "Registry curators"  # vendors.models.curation.CURATORS_GROUP, frozen here


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=CURATORS_GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CURATORS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("vendors", "0003_registry_curation"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
