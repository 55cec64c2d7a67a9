"""The bodies that exist so far are Twente's (the deployment started with Twente only): the TRA
and the BAO meet in safety region VR05, the PRT is the provincial table of Overijssel (PV23).
Any other body a secretary added belongs to the deployment's home region.

The region and province rows normally exist (the reference data loads them before any body);
a database that somehow has bodies but not those rows gets them from the fixtures' CSV files.
"""

import csv
from pathlib import Path

from django.conf import settings
from django.db import migrations

TWENTE = "VR05"
OVERIJSSEL = "PV23"
PROVINCIAL = {"PRT"}
FIXTURES = Path(__file__).resolve().parents[2] / "twente" / "fixtures"


def _fixture_rows(name: str) -> dict[str, dict]:
    with (FIXTURES / name).open(encoding="utf-8") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


def _province(apps, code: str):
    Province = apps.get_model("municipalities", "Province")
    province = Province.objects.filter(code=code).first()
    if province is None:
        province = Province.objects.create(
            code=code, name=_fixture_rows("provinces.csv")[code]["name"]
        )
    return province


def _region(apps, code: str):
    SafetyRegion = apps.get_model("municipalities", "SafetyRegion")
    region = SafetyRegion.objects.filter(code=code).first()
    if region is None:
        row = _fixture_rows("safety_regions.csv")[code]
        region = SafetyRegion.objects.create(
            code=code, name=row["name"], province=_province(apps, row["province"])
        )
    return region


def assign(apps, schema_editor):
    Body = apps.get_model("meetings", "Body")
    bodies = Body.objects.filter(safety_region__isnull=True, province__isnull=True)
    if not bodies.exists():
        return
    provincial = bodies.filter(code__in=PROVINCIAL)
    if provincial.exists():
        provincial.update(province=_province(apps, OVERIJSSEL))
    regional = bodies.filter(province__isnull=True)
    regional.filter(code__in=["TRA", "BAO"]).update(safety_region=_region(apps, TWENTE))
    rest = regional.filter(safety_region__isnull=True)
    if rest.exists():
        rest.update(safety_region=_region(apps, settings.HOME_REGION))


def unassign(apps, schema_editor):
    apps.get_model("meetings", "Body").objects.update(safety_region=None, province=None)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_body_region_or_province"),
        ("municipalities", "0003_history"),
    ]

    operations = [migrations.RunPython(assign, unassign)]
