"""Seed one occupancy threshold per target group with the seeds' figures (92% and 95%)."""

from decimal import Decimal

from django.db import migrations

TARGET_GROUPS = ["asylum", "permit_holders", "ukraine"]


def add_defaults(apps, schema_editor):
    OccupancyThreshold = apps.get_model("capacity", "OccupancyThreshold")
    for target_group in TARGET_GROUPS:
        OccupancyThreshold.objects.get_or_create(
            target_group=target_group,
            defaults={"warning": Decimal("0.920"), "tipping_point": Decimal("0.950")},
        )


class Migration(migrations.Migration):
    dependencies = [("capacity", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
