"""Benchmark: the occupancy overview's query count and time for 100 and 5,000 locations.

    .venv/bin/python bench/bench_overview.py            # throwaway SQLite file in /tmp
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_overview.py
                                                       # throwaway test_<name> database

For each size it puts all locations in one safety region (14 municipalities, the worst case
for a region read), gives every location a year of weekly reports (bulk_create), runs the
worker's full `occupancy_recompute`, and then times the reads the overview makes:
`occupancy_by_municipality` + `occupancy_by_target_group` (median of 7 runs). For
comparison it also times a one-municipality recompute after a new report, the per-location
list (`locations_as_of`) and the 12-month `capacity_outlook`. Results: bench/README.md.
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twente.settings")
# DEBUG off, as in production: no SQL logging overhead outside the measured blocks.
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = os.environ.get("BENCH_SQLITE_PATH", "/tmp/bench_overview.sqlite3")
    Path(os.environ["SQLITE_PATH"]).unlink(missing_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from capacity.choices import LocationStatus, LocationType, TargetGroup  # noqa: E402
from capacity.models import CapacityReport, Location, OccupancySnapshot  # noqa: E402
from capacity.selectors import (  # noqa: E402
    capacity_outlook,
    locations_as_of,
    occupancy_by_municipality,
    occupancy_by_target_group,
)
from capacity.services import occupancy_recompute  # noqa: E402
from municipalities.models import Municipality, Province, SafetyRegion  # noqa: E402

SIZES = [100, 5_000]
WEEKS = 52
TODAY = datetime.date(2024, 1, 1)  # a Monday; the year of reports ends here
REGION = "VR05"
TYPES = [LocationType.CNO, LocationType.AZC, LocationType.UKRAINE_MUNICIPAL, LocationType.FLEX]
GROUPS = list(TargetGroup.values)


def setup_region() -> list[Municipality]:
    province, _ = Province.objects.get_or_create(code="PV23", defaults={"name": "Overijssel"})
    region, _ = SafetyRegion.objects.get_or_create(
        code=REGION, defaults={"name": "Twente", "province": province}
    )
    return [
        Municipality.objects.get_or_create(
            code=f"GM{9000 + n:04d}",
            defaults={"name": f"Gemeente {n:02d}", "safety_region": region},
        )[0]
        for n in range(14)
    ]


def generate(size: int, municipalities: list[Municipality]) -> None:
    rng = random.Random(size)
    CapacityReport.objects.all().delete()
    OccupancySnapshot.objects.all().delete()
    Location.objects.all().delete()
    locations = [
        Location(
            code=f"B-{n:05d}",
            name=f"Locatie {n}",
            municipality=municipalities[n % len(municipalities)],
            place="Plaats",
            type=TYPES[n % len(TYPES)],
            target_group=GROUPS[n % len(GROUPS)],
            status=LocationStatus.OPERATIONAL,
            contract_end=TODAY + datetime.timedelta(days=rng.randint(-60, 400))
            if n % 3 == 0
            else None,
        )
        for n in range(size)
    ]
    Location.objects.bulk_create(locations, batch_size=2000)
    reports = []
    for location in Location.objects.only("pk"):
        capacity = rng.randint(6, 400)
        for week in range(WEEKS):
            occupied = rng.randint(int(capacity * 0.7), capacity)
            reports.append(
                CapacityReport(
                    location_id=location.pk,
                    date=TODAY - datetime.timedelta(weeks=week),
                    capacity=capacity,
                    occupied=occupied,
                    reserved=rng.randint(0, capacity - occupied),
                    source="import",
                )
            )
        if len(reports) >= 20_000:
            CapacityReport.objects.bulk_create(reports, batch_size=5000)
            reports = []
    CapacityReport.objects.bulk_create(reports, batch_size=5000)


def analyze() -> None:
    """Fresh planner statistics, as autovacuum / a long-running SQLite database would have."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(func, runs: int = 7) -> tuple[int, float]:
    """(queries of one run, median milliseconds over `runs` runs)."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as context:
        func()
    queries = len(context.captured_queries)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return queries, statistics.median(times)


def run() -> None:
    os.environ["HOME_REGION"] = REGION
    print(f"database: {connection.vendor}, {WEEKS} weekly reports per location, region {REGION}")
    municipalities = setup_region()
    header = f"{'locations':>9} {'reports':>9} | {'what':<44} {'queries':>7} {'ms':>9}"
    print(header)
    print("-" * len(header))
    for size in SIZES:
        start = time.perf_counter()
        with transaction.atomic():
            generate(size, municipalities)
        analyze()
        generated = (time.perf_counter() - start) * 1000
        reports = CapacityReport.objects.count()

        def overview():
            occupancy_by_municipality(on=TODAY, region_code=REGION)
            occupancy_by_target_group(on=TODAY, region_code=REGION)

        ids = [m.pk for m in municipalities]
        one = [municipalities[0].pk]
        rows = [
            ("generate (bulk_create)", (0, generated)),
            (
                "occupancy_recompute, 14 municipalities, all",
                measure(lambda ids=ids: occupancy_recompute(municipality_ids=ids), runs=1),
            ),
            (
                "occupancy_recompute, 1 municipality, 1 week",
                measure(
                    lambda one=one: occupancy_recompute(municipality_ids=one, from_date=TODAY),
                    runs=3,
                ),
            ),
            ("overview: by municipality + by target group", measure(overview)),
            (
                "locations_as_of (every location)",
                measure(lambda: list(locations_as_of(on=TODAY, region_code=REGION)), runs=3),
            ),
            (
                "capacity_outlook (12 months)",
                measure(lambda: capacity_outlook(start=TODAY, region_code=REGION), runs=3),
            ),
        ]
        for what, (queries, ms) in rows:
            print(f"{size:>9,} {reports:>9,} | {what:<44} {queries:>7} {ms:>9.1f}")
        # The precomputed totals must equal the totals straight from the reports.
        totals = sum(row.operational for row in occupancy_by_target_group(on=TODAY))
        direct = sum(
            location.report_capacity
            for location in locations_as_of(on=TODAY, region_code=REGION)
            if location.counted
        )
        assert totals == direct, f"snapshots disagree: {totals} != {direct}"


def main() -> None:
    if os.environ.get("DATABASE_URL"):
        # Never touch the real database: work in a throwaway test_<name> database.
        old_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            run()
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    else:
        call_command("migrate", verbosity=0)
        try:
            run()
        finally:
            connection.close()
            Path(os.environ["SQLITE_PATH"]).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
