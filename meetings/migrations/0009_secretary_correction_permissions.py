"""The secretary records corrections of adopted minutes: add and view, never change or delete
(a recorded correction stays as it was). Private annotations get no secretary permission at
all: they are the municipalities' own.

Django creates model permissions after all migrations ran (post_migrate), so they are created
here first; create_permissions skips those that exist.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["add_minutescorrection", "view_minutescorrection"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("meetings")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretary, _ = Group.objects.get_or_create(name="secretary")
    secretary.permissions.add(
        *Permission.objects.filter(content_type__app_label="meetings", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretary = Group.objects.filter(name="secretary").first()
    if secretary is not None:
        secretary.permissions.remove(
            *Permission.objects.filter(content_type__app_label="meetings", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0008_minutes_corrections"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
