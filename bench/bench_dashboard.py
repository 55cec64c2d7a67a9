"""Benchmark: the dashboard's and the overview API's query count and time, 100 and 5,000 locations.

    .venv/bin/python bench/bench_dashboard.py            # throwaway SQLite file in /tmp
    DATABASE_URL=postgres://twente:twente@127.0.0.1:5432/twente \\
        .venv/bin/python bench/bench_dashboard.py        # its own database, twente_bench_dash,
                                                         # created and dropped (never `twente`)

Per size: Twente's 14 municipalities (the reference data), all locations in that one region
(the worst case for a region read) with coordinates, a year of weekly reports each
(bulk_create), the worker's full occupancy recompute, an adopted task per target group and 300
open meeting actions. Then, through the test client as a coordinator (full request: session,
roles, template), the dashboard, its print page, an XLSX export and `GET /api/v1/overview`
(JSON, and the 304 answer to `If-None-Match`), each the median of 5 runs after one warm-up.
Results: bench/README.md.
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
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twente.settings")
# DEBUG off, as in production (no SQL logging overhead outside the measured blocks).
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("API_TOKEN_THROTTLE_RATE", "1000000/minute")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = os.environ.get("BENCH_SQLITE_PATH", "/tmp/bench_dashboard.sqlite3")
    Path(os.environ["SQLITE_PATH"]).unlink(missing_ok=True)

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from signin import sign_in_verified  # noqa: E402

from allocation.models import Assignment  # noqa: E402
from allocation.services import assignment_adopt, assignment_create  # noqa: E402
from capacity import read_cache  # noqa: E402
from capacity.choices import LocationStatus, LocationType, TargetGroup  # noqa: E402
from capacity.models import CapacityReport, Location, OccupancySnapshot  # noqa: E402
from capacity.selectors import locations_as_of  # noqa: E402
from capacity.services import occupancy_recompute  # noqa: E402
from meetings.models import AgendaItem, Body, Entry, EntryKind, Meeting  # noqa: E402
from municipalities.models import Membership, Municipality, SafetyRegion  # noqa: E402
from municipalities.services import groups_ensure, reference_data_load  # noqa: E402
from twente.dashboard.selectors import regional_picture  # noqa: E402
from twente.seeding import FIXTURES  # noqa: E402

SIZES = [100, 5_000]
WEEKS = 52
RUNS = 5
REGION = "VR05"
TODAY = timezone.localdate()
TYPES = [LocationType.CNO, LocationType.AZC, LocationType.UKRAINE_MUNICIPAL, LocationType.FLEX]
GROUPS = list(TargetGroup.values)
# Static files as in development: the production manifest needs `collectstatic` first.
STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def setup() -> tuple[list[Municipality], User]:
    groups_ensure()
    reference_data_load(directory=FIXTURES)
    region = SafetyRegion.objects.get(code=REGION)
    user, _ = User.objects.get_or_create(username="bench-coordinator")
    user.groups.add(Group.objects.get(name="coordinator"))
    Membership.objects.update_or_create(user=user, defaults={"safety_region": region})
    for group in GROUPS:
        assignment = assignment_create(
            code=f"bench-{group}",
            title=f"Taakstelling {group}",
            target_group=group,
            issuer="province",
            region=region,
            total=3000,
            deadline=TODAY + datetime.timedelta(days=60),
        )
        assignment_adopt(assignment=assignment)
    body = Body.objects.create(
        code="TRA", name="Twentse Regietafel Asielinstroom", safety_region=region
    )
    meeting = Meeting.objects.create(body=body, date=TODAY - datetime.timedelta(days=90))
    item = AgendaItem.objects.create(meeting=meeting, position=1, number="1", title="Acties")
    Entry.objects.bulk_create(
        Entry(
            item=item,
            position=n,
            kind=EntryKind.ACTION,
            text=f"Actie {n}",
            owner="Projectleider",
            status="open",
            due_date=TODAY + datetime.timedelta(days=n % 60 - 30),
        )
        for n in range(300)
    )
    return list(Municipality.objects.in_region(REGION).order_by("code")), user


def generate(size: int, municipalities: list[Municipality]) -> None:
    rng = random.Random(size)
    CapacityReport.objects.all().delete()
    OccupancySnapshot.objects.all().delete()
    Location.objects.all().delete()
    Location.objects.bulk_create(
        [
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
                latitude=round(52.1 + rng.random() * 0.4, 5),
                longitude=round(6.4 + rng.random() * 0.7, 5),
            )
            for n in range(size)
        ],
        batch_size=2000,
    )
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
                    source="import",
                )
            )
        if len(reports) >= 20_000:
            CapacityReport.objects.bulk_create(reports, batch_size=5000)
            reports = []
    CapacityReport.objects.bulk_create(reports, batch_size=5000)
    occupancy_recompute(municipality_ids=[m.pk for m in municipalities])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(func) -> tuple[int, float]:
    """(queries of one run, median milliseconds over RUNS runs after a warm-up)."""
    func()
    with CaptureQueriesContext(connection) as context:
        func()
    # Read now: the next request's request_started signal clears the query log.
    queries = len(context.captured_queries)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return queries, statistics.median(times)


def get(client: Client, path: str, status: int = 200, changed: bool = False, **extra):
    def request():
        if changed:
            # As after the worker's recompute of the region: the read cache starts afresh.
            read_cache.regions_changed([REGION])
        response = client.get(path, **extra)
        assert response.status_code == status, (path, response.status_code)
        return response

    return request


def run() -> None:
    print(f"database: {connection.vendor}, {WEEKS} weekly reports per location, region {REGION}")
    with transaction.atomic():
        municipalities, user = setup()
    client = Client()
    sign_in_verified(client, user)
    header = f"{'locations':>9} {'reports':>9} | {'what':<38} {'queries':>7} {'ms':>8}"
    print(header)
    print("-" * len(header))
    for size in SIZES:
        with transaction.atomic():
            generate(size, municipalities)
        reports = CapacityReport.objects.count()
        etag = client.get("/api/v1/overview")["ETag"]
        map_etag = client.get("/dashboard/map/")["ETag"]
        rows = [
            ("dashboard page (GET /)", get(client, "/")),
            ("dashboard, sorted by asylum gap", get(client, "/?sort=-asylum_gap")),
            ("map points (/dashboard/map/)", get(client, "/dashboard/map/")),
            (
                "map points, If-None-Match (304)",
                get(client, "/dashboard/map/", status=304, HTTP_IF_NONE_MATCH=map_etag),
            ),
            ("print page (/dashboard/print/)", get(client, "/dashboard/print/")),
            (
                "export per municipality (XLSX)",
                get(client, "/dashboard/export/?table=municipalities&format=xlsx"),
            ),
            ("API overview (JSON)", get(client, "/api/v1/overview?region=VR05")),
            (
                "API overview, If-None-Match (304)",
                get(client, "/api/v1/overview", status=304, HTTP_IF_NONE_MATCH=etag),
            ),
            # The first request after the worker recomputed the region (the cache starts afresh).
            ("dashboard, right after a recompute", get(client, "/", changed=True)),
            ("map points, right after a recompute", get(client, "/dashboard/map/", changed=True)),
            (
                "API overview, right after a recompute",
                get(client, "/api/v1/overview?region=VR05", changed=True),
            ),
        ]
        for what, request in rows:
            queries, ms = measure(request)
            print(f"{size:>9,} {reports:>9,} | {what:<38} {queries:>7} {ms:>8.1f}")
        # The dashboard's totals (snapshots) equal the totals straight from the reports.
        region = SafetyRegion.objects.get(code=REGION)
        shown = regional_picture(region=region, on=TODAY).total.operational
        direct = sum(
            location.report_capacity
            for location in locations_as_of(on=TODAY, region_code=REGION)
            if location.counted
        )
        assert shown == direct, f"dashboard disagrees with the reports: {shown} != {direct}"
    assert Assignment.objects.filter(status="adopted").count() == len(GROUPS)


def main() -> None:
    with override_settings(STORAGES=STATIC):
        if os.environ.get("DATABASE_URL"):
            # Never touch the real database: a dedicated one, created here and dropped after.
            old_name = connection.settings_dict["NAME"]
            name = os.environ.get("BENCH_DB_NAME", "twente_bench_dash")
            connection.settings_dict.setdefault("TEST", {})["NAME"] = name
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
