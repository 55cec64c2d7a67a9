"""Benchmark: what scale costs. One region's pages with Twente alone and with the whole country.

    .venv/bin/python bench/bench_country.py             # throwaway SQLite files in /tmp
    DATABASE_URL=postgres://twente:twente@127.0.0.1:5432/twente \\
        .venv/bin/python bench/bench_country.py         # databases twente_bench_twente and
                                                        # twente_bench_country, created and
                                                        # dropped (the given one is not touched)

It generates the files of a synthetic country once (bench/gen_country.py: 342
municipalities, 5,000 locations, 104 weeks of reports) and fills two databases, each in a
process of its own:

- *Twente alone*: migrate, `load_twente`, then the Twente slice (Twente's ~180 locations and
  their reports);
- *whole country*: migrate, `load_twente`, then the municipalities and population of the
  other 24 regions, all 5,000 locations and ~490,000 reports.

Everything comes in through `imports.service.import_file`, the function behind
`manage.py import_data` and the upload page (rows per second per file kind). The recompute
each import enqueues is held back and run afterwards, timed on its own. Then: an adopted task
per target group for Twente (in the country also for every other region), `ANALYZE`, and,
through Django's test client (the whole request: session, roles, middleware, template), as a
coordinator of VR05: the dashboard `/` and `/api/v1/overview?region=VR05`; as a provincial
reader of Overijssel: the province's and the country's overview (pages and API), where those
URLs exist. Per request: the queries of one request, and the median time of --runs (7) timed
requests after three warm-up requests, in each of --rounds (3) rounds in which the two
databases take turns, so that other work on the machine weighs on both alike. The table
compares both databases; the verdict checks the target: one region's pages cost the same
queries and at most 1.5x the time with the country loaded.

Both databases must show Twente the same: the overview API's JSON for VR05 is compared.
`--keep` leaves the databases in place (to EXPLAIN queries); `--verbose` prints the slowest
queries of each request. Results: bench/README.md.
"""

import argparse
import datetime
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

FLAVOURS = {"twente": "Twente alone", "country": "whole country"}
REGION = "VR05"
PROVINCE = "PV23"  # Overijssel: IJsselland and Twente
TARGET_RATIO = 1.5
WARM_UP = 3  # requests before measuring: templates compiled, database pages cached
# Requests whose cost must not depend on the size of the country.
REGION_PAGES = ("dashboard page (GET /)", "API overview VR05 (JSON)")


# The parent: files, child processes per database, the table ------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locations", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--runs", type=int, default=7, help="timed requests per round")
    parser.add_argument(
        "--rounds", type=int, default=3, help="measurements per database, taking turns"
    )
    parser.add_argument("--only", choices=list(FLAVOURS), help="fill and measure one database")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--verbose", action="store_true", help="print the slowest queries")
    parser.add_argument("--child", choices=["fill", "measure"], help=argparse.SUPPRESS)
    parser.add_argument("--flavour", choices=list(FLAVOURS), help=argparse.SUPPRESS)
    parser.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    import gen_country

    started = time.perf_counter()
    directory = Path(tempfile.mkdtemp(prefix="bench_country_"))
    counts = gen_country.generate(directory, locations=args.locations, weeks=args.weeks, seed=1)
    reports = counts["country/capacity_reports.csv"]
    print(
        f"files: {directory}, {args.locations:,} locations, {args.weeks} weeks, "
        f"{reports:,} reports ({time.perf_counter() - started:.1f} s to generate)"
    )
    flavours = [args.only] if args.only else list(FLAVOURS)
    results: dict[str, dict] = {}

    def run_child(mode: str, flavour: str, *extra: str) -> dict:
        result_path = directory / f"{mode}-{flavour}.json"
        command = [sys.executable, __file__, "--child", mode, "--flavour", flavour]
        command += ["--files", str(directory), "--result", str(result_path), *extra]
        subprocess.run(command, check=True)
        return json.loads(result_path.read_text())

    try:
        for flavour in flavours:
            start = time.perf_counter()
            results[flavour] = run_child("fill", flavour)
            results[flavour]["fill_seconds"] = time.perf_counter() - start
        # The databases take turns, so that other work on the machine weighs on both alike.
        for number in range(args.rounds):
            for flavour in flavours:
                extra = ["--runs", str(args.runs)] + ["--verbose"] * (args.verbose and not number)
                measured = run_child("measure", flavour, *extra)
                requests = results[flavour].setdefault("requests", {})
                for row in measured["requests"]:
                    known = requests.setdefault(row["what"], row)
                    if known is not row and row["status"] == 200:
                        known["times"] += row["times"]
    finally:
        for flavour in flavours:
            if args.keep:
                print(f"kept the database of {FLAVOURS[flavour]}: {database_of(flavour)}")
            else:
                drop_database(flavour)
        for path in sorted(directory.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        directory.rmdir()
    for result in results.values():
        for row in result["requests"].values():
            if row["status"] == 200:
                row["ms"] = statistics.median(row["times"])
    report(results, runs=args.runs * args.rounds)


def database_of(flavour: str) -> str:
    """The SQLite file or the PostgreSQL URL of a flavour's throwaway database."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"/tmp/bench_country_{flavour}.sqlite3"
    return f"{url.rpartition('/')[0]}/twente_bench_{flavour}"


def _maintenance(statement: str) -> None:
    import psycopg

    # The maintenance database: the one named in DATABASE_URL need not exist.
    with psycopg.connect(f"{os.environ['DATABASE_URL'].rpartition('/')[0]}/postgres",
                         autocommit=True) as conn:  # fmt: skip
        conn.execute(statement)


def drop_database(flavour: str) -> None:
    if not os.environ.get("DATABASE_URL"):
        Path(database_of(flavour)).unlink(missing_ok=True)
    else:
        _maintenance(f"DROP DATABASE IF EXISTS twente_bench_{flavour}")


def report(results: dict, *, runs: int) -> None:
    vendor = next(iter(results.values()))["vendor"]
    print(f"\ndatabase: {vendor}; DEBUG off; per request the median of {runs} timed requests")
    for flavour, result in results.items():
        print(
            f"{FLAVOURS[flavour]}: {result['municipalities']} municipalities, "
            f"{result['locations']:,} locations, {result['reports']:,} reports, "
            f"{result['snapshots']:,} snapshot rows; filled in {result['fill_seconds']:.0f} s, "
            f"peak memory {result['peak_mb']:.0f} MB"
        )

    print(f"\n{'step':<40} | {'Twente alone':>35} | {'whole country':>35}")
    print("-" * 117)
    steps: dict[str, dict] = {}
    # The country's steps first: it has every step, in the order they ran.
    for flavour, result in sorted(results.items(), key=lambda item: item[0] != "country"):
        for step in result["steps"]:
            steps.setdefault(step["what"], {})[flavour] = step
    for what, by_flavour in steps.items():
        cells = []
        for flavour in FLAVOURS:
            step = by_flavour.get(flavour)
            if step is None:
                cells.append("")
            elif step["rows"]:
                rate = step["rows"] / step["seconds"]
                cells.append(f"{step['rows']:>9,} rows {step['seconds']:>7.1f} s {rate:>8,.0f}/s")
            else:
                cells.append(f"{step['seconds']:.1f} s")
        print(f"{what:<40} | {cells[0]:>35} | {cells[1]:>35}")

    print(f"\n{'request':<40} | {'Twente alone':>18} | {'whole country':>18} | ratio")
    print(f"{'':<40} | {'queries':>8} {'ms':>9} | {'queries':>8} {'ms':>9} |")
    print("-" * 90)
    requests: dict[str, dict] = {}
    for flavour, result in results.items():
        for row in result["requests"].values():
            requests.setdefault(row["what"], {})[flavour] = row
    verdicts = []
    for what, by_flavour in requests.items():
        cells = []
        for flavour in FLAVOURS:
            row = by_flavour.get(flavour)
            if row is None:
                cells.append(f"{'':>18}")
            elif row["status"] != 200:
                cells.append(f"{row['note']:>18}")
            else:
                cells.append(f"{row['queries']:>8} {row['ms']:>9.1f}")
        twente, whole = by_flavour.get("twente"), by_flavour.get("country")
        ratio = ""
        if twente and whole and twente["status"] == whole["status"] == 200:
            ratio = f"{whole['ms'] / twente['ms']:.2f}x"
            if what in REGION_PAGES:
                same = twente["queries"] == whole["queries"]
                fast = whole["ms"] <= TARGET_RATIO * twente["ms"]
                verdicts.append(
                    f"{what}: queries {twente['queries']} -> {whole['queries']} "
                    f"({'same' if same else 'DIFFERENT'}), time {ratio} "
                    f"({'<=' if fast else '>'} {TARGET_RATIO}x): "
                    f"{'meets the target' if same and fast else 'MISSES the target'}"
                )
        print(f"{what:<40} | {cells[0]} | {cells[1]} | {ratio}")
    if verdicts:
        print()
        for line in verdicts:
            print(line)
    twente, whole = results.get("twente"), results.get("country")
    if twente and whole:
        same = twente["region_json"] == whole["region_json"]
        print(
            "Twente's overview (API JSON) in both databases: "
            + ("identical" if same else "DIFFERENT (the Twente data are not the same)")
        )


# The children: fill one database, or measure it -------------------------------------------


def child(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twente.settings")
    # As in production: DEBUG off (no SQL logging). No REDIS_URL: Celery runs eagerly, and
    # the benchmark runs the held-back recompute itself, outside the timed imports.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["REDIS_URL"] = ""
    os.environ["LOG_LEVEL"] = "ERROR"  # kombu warns that eager tasks have no broker host
    os.environ["API_TOKEN_THROTTLE_RATE"] = "1000000/minute"
    if args.child == "fill":
        drop_database(args.flavour)
        if os.environ.get("DATABASE_URL"):
            _maintenance(f"CREATE DATABASE twente_bench_{args.flavour}")
    if os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = database_of(args.flavour)
    else:
        os.environ["SQLITE_PATH"] = database_of(args.flavour)
    import django

    django.setup()
    from django.test import override_settings

    # WhiteNoise warns once that there is no collected static directory: not what we measure.
    warnings.filterwarnings("ignore", message="No directory at")
    # Static files as in development: the production manifest needs `collectstatic` first.
    static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=static):
        result = fill(args) if args.child == "fill" else {"requests": measure_requests(args)}
    args.result.write_text(json.dumps(result, default=str))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def fill(args) -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from capacity import tasks
    from capacity.models import CapacityReport, Location, OccupancySnapshot
    from imports.models import ImportStatus
    from imports.service import import_file
    from municipalities.models import Municipality

    flavour = args.flavour
    files = args.files / flavour
    steps = []

    def step(what: str, func, rows: int = 0):
        start = time.perf_counter()
        value = func()
        seconds = time.perf_counter() - start
        steps.append({"what": what, "rows": rows, "seconds": seconds})
        print(f"  [{flavour}] {what}: {seconds:.1f} s", flush=True)
        return value

    step("migrate", lambda: call_command("migrate", verbosity=0))
    step("load_twente", lambda: call_command("load_twente", verbosity=0, stdout=io.StringIO()))

    # The recompute each import enqueues (args, kwargs), held back to be timed on its own.
    held_back: list[tuple] = []
    tasks.recompute_occupancy.delay = lambda *args, **kwargs: held_back.append((args, kwargs))
    kinds = [("locations", "locations.csv"), ("capacity-reports", "capacity_reports.csv")]
    if flavour == "country":
        kinds = [("municipalities", "municipalities.csv"), ("population", "population.csv")]
        kinds += [("locations", "locations.csv"), ("capacity-reports", "capacity_reports.csv")]
    for kind, name in kinds:
        rows = sum(1 for _ in (files / name).open(encoding="utf-8")) - 1

        def run_import(kind=kind, name=name):
            return import_file(kind=kind, path=files / name, user=None, dry_run=False)

        result = step(f"import {kind}", run_import, rows=rows)
        run = result.run
        assert run.status == ImportStatus.IMPORTED, [str(e) for e in result.errors[:5]]
        assert run.created_count == rows, (kind, run.created_count, rows)

    def recompute():
        return sum(tasks.recompute_occupancy(*args, **kwargs) for args, kwargs in held_back)

    step("worker: recompute after the imports", recompute)
    step("tasks: one per target group and region", lambda: adopt_tasks(flavour))
    step("ANALYZE", analyze)
    check_totals()
    client = Client()
    from signin import sign_in_verified

    sign_in_verified(client, user("bench-coordinator", "coordinator"))
    user("bench-reader", "provincial_reader")
    region_json = client.get(f"/api/v1/overview?region={REGION}").json()
    if connection.vendor == "sqlite":
        vendor = f"SQLite {connection.Database.sqlite_version}"
    else:
        connection.ensure_connection()
        version = connection.pg_version
        vendor = f"PostgreSQL {version // 10000}.{version % 10000}"
    return {
        "vendor": vendor,
        "municipalities": Municipality.objects.count(),
        "locations": Location.objects.count(),
        "reports": CapacityReport.objects.count(),
        "snapshots": OccupancySnapshot.objects.count(),
        "steps": steps,
        "region_json": region_json,
        "peak_mb": peak_mb(),
    }


def analyze() -> None:
    """Fresh planner statistics, as autovacuum / a long-running database would have."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def adopt_tasks(flavour: str) -> None:
    """An adopted task per target group: Twente's in both databases, and in the country one
    for every other region too, about one place per 250 inhabitants, due in 60 days."""
    from django.db import transaction
    from django.utils import timezone

    from allocation.services import assignment_adopt, assignment_create
    from municipalities.models import SafetyRegion
    from municipalities.selectors import municipalities_for_region

    deadline = timezone.localdate() + datetime.timedelta(days=60)
    regions = SafetyRegion.objects.order_by("code")
    if flavour == "twente":
        regions = regions.filter(code=REGION)
    for region in regions:
        population = sum(m.population or 0 for m in municipalities_for_region(region.code))
        for group, per in (("asylum", 250), ("ukraine", 200), ("permit_holders", 500)):
            with transaction.atomic():
                task = assignment_create(
                    code=f"bench-{region.code}-{group}",
                    title=f"Taakstelling {group} {region.name}",
                    target_group=group,
                    issuer="province",
                    region=region,
                    total=max(population // per, 1),
                    deadline=deadline,
                )
                assignment_adopt(assignment=task)


def user(username: str, role: str):
    from django.contrib.auth.models import Group, User

    from municipalities.models import Membership, SafetyRegion

    account, _ = User.objects.get_or_create(username=username)
    account.groups.add(Group.objects.get(name=role))
    Membership.objects.update_or_create(
        user=account, defaults={"safety_region": SafetyRegion.objects.get(code=REGION)}
    )
    return account


def available(path: str, route: str) -> bool:
    """Whether `path` is served by a URL pattern whose route is `route` (exists yet)."""
    from django.urls import Resolver404, resolve

    try:
        return resolve(path.split("?")[0]).route == route
    except Resolver404:
        return False


def measure_requests(args) -> list[dict]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from signin import sign_in_verified

    coordinator = Client()
    sign_in_verified(coordinator, User.objects.get(username="bench-coordinator"))
    reader = Client()
    reader.force_login(User.objects.get(username="bench-reader"))
    plan = [
        ("dashboard page (GET /)", coordinator, "/", ""),
        ("API overview VR05 (JSON)", coordinator, f"/api/v1/overview?region={REGION}",
         "api/v1/overview"),
        ("province page Overijssel", reader, f"/dashboard/province/?province={PROVINCE}",
         "dashboard/province/"),
        ("API province overview PV23 (JSON)", reader,
         f"/api/v1/overview/province?province={PROVINCE}", "api/v1/overview/province"),
        ("national page", reader, "/dashboard/national/", "dashboard/national/"),
        ("API national overview (JSON)", reader, "/api/v1/overview/national",
         "api/v1/overview/national"),
    ]  # fmt: skip
    rows = []
    for what, client, path, route in plan:
        if route and not available(path, route):
            rows.append({"what": what, "path": path, "status": 404, "note": "not available"})
            continue
        for _ in range(WARM_UP):
            response = client.get(path)
        if response.status_code != 200:
            note = f"HTTP {response.status_code}"
            rows.append({"what": what, "path": path, "status": response.status_code, "note": note})
            continue
        with CaptureQueriesContext(connection) as context:
            client.get(path)
        # Read now: the next request's request_started signal clears the query log.
        captured = list(context.captured_queries)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        rows.append(
            {"what": what, "path": path, "status": 200, "queries": len(captured), "times": times}
        )
        ms = statistics.median(times)
        print(f"  [{args.flavour}] {what}: {len(captured)} queries, {ms:.1f} ms", flush=True)
        if args.verbose:
            for query in sorted(captured, key=lambda q: -float(q["time"]))[:4]:
                print(f"      {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    return rows


def check_totals() -> None:
    """The dashboard's totals (precomputed snapshots) equal the totals straight from the
    reports, for Twente."""
    from django.utils import timezone

    from capacity.selectors import locations_as_of
    from municipalities.models import SafetyRegion
    from twente.dashboard.selectors import regional_picture

    today = timezone.localdate()
    region = SafetyRegion.objects.get(code=REGION)
    shown = regional_picture(region=region, on=today).total.operational
    direct = sum(
        location.report_capacity
        for location in locations_as_of(on=today, region_code=REGION)
        if location.counted
    )
    assert shown == direct, f"dashboard disagrees with the reports: {shown} != {direct}"


if __name__ == "__main__":
    main()
