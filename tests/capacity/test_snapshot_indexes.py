"""The occupancy reads find the snapshot rows valid on a date through an index, without reading
every older row: with the whole country loaded (bench/bench_country.py) a region's pages must
cost what they cost with one region, and the national overview what its current rows cost.

The plans are the database's own choice, so the data look like the benchmark's: many
municipalities with a long weekly history each, and fresh planner statistics.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capacity.choices import TargetGroup
from capacity.models import OccupancySnapshot
from capacity.selectors import occupancy_by_region, occupancy_by_target_group
from municipalities.models import Municipality, SafetyRegion
from municipalities.services import reference_data_load
from twente.seeding import FIXTURES

FIRST = datetime.date(2024, 1, 1)
WEEKS = 100
ON = FIRST + datetime.timedelta(weeks=WEEKS - 1, days=3)


@pytest.fixture
def country(db):
    """Twente's 14 municipalities and 3 more in each other region, 100 weekly rows per
    municipality and target group (the last one still valid)."""
    reference_data_load(directory=FIXTURES)
    number = 5000
    for region in SafetyRegion.objects.exclude(code="VR05"):
        for _ in range(3):
            Municipality.objects.create(
                code=f"GM{number}", name=f"Gemeente {number}", safety_region=region
            )
            number += 1
    rows = []
    for municipality_id in Municipality.objects.values_list("pk", flat=True):
        for group in TargetGroup.values:
            for week in range(WEEKS):
                day = FIRST + datetime.timedelta(weeks=week)
                rows.append(
                    OccupancySnapshot(
                        municipality_id=municipality_id,
                        target_group=group,
                        date=day,
                        valid_until=day + datetime.timedelta(weeks=1) if week < WEEKS - 1 else None,
                        locations=2,
                        capacity=100 + week,
                        occupied=90,
                    )
                )
    OccupancySnapshot.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def snapshot_plan(read) -> str:
    """The plan of the snapshot query that `read()` sends."""
    with CaptureQueriesContext(connection) as context:
        read()
    (sql,) = [
        q["sql"] for q in context.captured_queries if "capacity_occupancysnapshot" in q["sql"]
    ]
    explain = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql)
        return "\n".join(str(row) for row in cursor.fetchall())


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL reads a region's rows per municipality through the foreign key index",
)
def test_a_regions_current_rows_are_looked_up_per_municipality(country):
    plan = snapshot_plan(lambda: occupancy_by_target_group(on=ON, region_code="VR05"))

    assert "snapshot_municipality_valid" in plan


def test_the_countrys_current_rows_are_looked_up_not_scanned(country):
    expected = {"sqlite": "snapshot_municipality_valid", "postgresql": "snapshot_valid_until"}

    plan = snapshot_plan(lambda: occupancy_by_region(on=ON))

    assert expected[connection.vendor] in plan


def test_the_indexed_reads_still_give_the_rows_valid_on_the_date(country):
    twente = {row.target_group: row for row in occupancy_by_target_group(on=ON)}
    regions = {(row.key, row.target_group): row for row in occupancy_by_region(on=ON)}

    assert twente["asylum"].operational == 14 * (100 + WEEKS - 1)
    assert regions[("VR01", "ukraine")].operational == 3 * (100 + WEEKS - 1)
    earlier = occupancy_by_region(on=FIRST + datetime.timedelta(weeks=10))
    assert {row.operational for row in earlier if row.key == "VR05"} == {14 * 110}
