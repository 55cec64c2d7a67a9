"""Benchmark: the national import, recompute and dashboard against the machine's limits, in one run.

    DATABASE_URL=postgres://twente:twente@127.0.0.1:5432/twente \\
        .venv/bin/python bench/bench_limits.py      # database twente_bench_limits, created
                                                    # and dropped (--keep leaves it)

PostgreSQL only. It generates the synthetic country (bench/gen_country.py: 342
municipalities, 5,000 locations, 104 weeks, ~493,000 reports), loads the municipalities,
population and locations through `import_file`, and then measures, each next to its limit on
the same data in the same run:

- **import** of the capacity reports through `import_file` (read, validate, write, history;
  the recompute held back), against `COPY` of the same rows into a table with the report
  table's columns, constraints, indexes and a deferred foreign key, plus one
  `INSERT ... SELECT` of the history rows (issue 18's "COPY plus history");
- **recompute** of every municipality's snapshots by the worker's `occupancy_recompute`,
  against the bare SQL: the same DELETE and INSERT ... SELECT sent straight through psycopg;
- **dashboard** `GET /` as a coordinator of Twente (the whole request through Django's test
  client), against the overview API of the same region; median of --runs after warm-up.

It prints each figure, its limit, the ratio and issue 18's target. Results: bench/README.md.
"""

import argparse
import csv
import os
import resource
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DATABASE = "twente_bench_limits"
REGION = "VR05"
WARM_UP = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locations", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--runs", type=int, default=15, help="timed requests per page")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("bench_limits.py measures PostgreSQL: set DATABASE_URL")
    maintenance(base, f"DROP DATABASE IF EXISTS {DATABASE}")
    maintenance(base, f"CREATE DATABASE {DATABASE}")
    os.environ["DATABASE_URL"] = f"{base.rpartition('/')[0]}/{DATABASE}"
    # As bench_country.py: production settings without SQL logging, Celery eager.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twente.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["REDIS_URL"] = ""
    os.environ["LOG_LEVEL"] = "ERROR"
    import django

    django.setup()
    from django.test import override_settings

    warnings.filterwarnings("ignore", message="No directory at")
    static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    try:
        with override_settings(STORAGES=static):
            rows = measure(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept the database: {os.environ['DATABASE_URL']}")
        else:
            maintenance(base, f"DROP DATABASE IF EXISTS {DATABASE}")
    print_table(rows)


def maintenance(base: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{base.rpartition('/')[0]}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def timed(func):
    start = time.perf_counter()
    value = func()
    return time.perf_counter() - start, value


def measure(args) -> list[tuple]:
    import io

    import gen_country
    from django.core.management import call_command
    from django.db import connection, transaction

    from capacity import tasks
    from capacity.models import Location, OccupancySnapshot
    from capacity.services import occupancy_recompute
    from imports.cells import parse_date
    from imports.service import import_file
    from municipalities.models import Municipality

    directory = Path(tempfile.mkdtemp(prefix="bench_limits_"))
    gen_country.generate(directory, locations=args.locations, weeks=args.weeks, seed=1)
    files = directory / "country"
    call_command("migrate", verbosity=0)
    call_command("load_twente", verbosity=0, stdout=io.StringIO())
    tasks.recompute_occupancy.delay = lambda *args, **kwargs: None  # timed on its own below
    for kind, name in (
        ("municipalities", "municipalities.csv"),
        ("population", "population.csv"),
        ("locations", "locations.csv"),
    ):
        import_file(kind=kind, path=files / name, user=None, dry_run=False)
    OccupancySnapshot.objects.all().delete()

    reports_csv = files / "capacity_reports.csv"
    codes = dict(Location.objects.values_list("code", "pk"))
    with reports_csv.open(encoding="utf-8", newline="") as handle:
        prepared = [
            (
                codes[row["location"]],
                parse_date(row["date"]),
                int(row["capacity"]),
                int(row["occupied"]),
                int(row.get("reserved") or 0),
            )
            for row in csv.DictReader(handle)
        ]
    count = len(prepared)
    print(f"country: {Municipality.objects.count()} municipalities, {len(codes):,} locations, "
          f"{count:,} reports", flush=True)  # fmt: skip

    copy_seconds, history_seconds = copy_limit(prepared)
    del prepared
    print(f"  COPY {copy_seconds:.1f} s, history {history_seconds:.1f} s", flush=True)

    import_seconds, result = timed(
        lambda: import_file(kind="capacity-reports", path=reports_csv, user=None, dry_run=False)
    )
    assert result.run.created_count == count, (result.run.created_count, count)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  import {import_seconds:.1f} s (peak memory {peak_mb:.0f} MB)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    ids = list(Municipality.objects.values_list("pk", flat=True))
    recompute_seconds, written = timed(lambda: occupancy_recompute(municipality_ids=ids))
    bare_seconds = bare_recompute(ids)
    assert OccupancySnapshot.objects.count() == written
    print(f"  recompute {recompute_seconds:.1f} s, bare SQL {bare_seconds:.1f} s "
          f"({written:,} rows)", flush=True)  # fmt: skip
    with transaction.atomic():
        from bench_country import adopt_tasks

        adopt_tasks("country")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    dashboard, overview = requests(args.runs)
    for path in sorted(directory.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    directory.rmdir()
    return [
        ("import of the capacity reports", f"{count:,} rows", import_seconds, "s",
         "COPY + history", copy_seconds + history_seconds, 1.5),
        ("  rows per second end to end", "", count / import_seconds, "/s",
         "COPY alone", copy_seconds, None),
        ("full recompute of the snapshots", f"{written:,} rows", recompute_seconds, "s",
         "bare SQL statement", bare_seconds, 2.0),
        (f"dashboard GET / ({dashboard['queries']} queries)", f"{len(codes):,} locations",
         dashboard["ms"], "ms", f"overview API ({overview['queries']} queries)",
         overview["ms"], None),
    ]  # fmt: skip


def copy_limit(prepared: list[tuple]) -> tuple[float, float]:
    """COPY into a twin of the report table, then the history rows with one INSERT ...
    SELECT; both twins dropped afterwards."""
    from django.db import connection, transaction

    from capacity.models import CapacityReport

    report = CapacityReport._meta.db_table
    history = CapacityReport.history.model._meta.db_table
    location = CapacityReport._meta.get_field("location").related_model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE limit_report (LIKE {report} INCLUDING ALL)")
        cursor.execute(
            f"ALTER TABLE limit_report ADD FOREIGN KEY (location_id) REFERENCES {location} (id) "
            "DEFERRABLE INITIALLY DEFERRED"
        )
        cursor.execute(f"CREATE TABLE limit_history (LIKE {history} INCLUDING ALL)")
        columns = "location_id, date, capacity, occupied, reserved, source, flagged, flag_reason"
        columns += ", version, created, updated"

        def copy():
            now = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())
            with cursor.cursor.copy(f"COPY limit_report ({columns}) FROM STDIN") as pipe:
                for row in prepared:
                    pipe.write_row((*row, "import", False, "", 1, now, now))
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred check, timed

        copy_seconds, _ = timed(copy)

        def history_rows():
            cursor.execute(
                """
                INSERT INTO limit_history
                    (id, location_id, date, capacity, occupied, reserved, source,
                     reported_by_id, flagged, flag_reason, version, history_date,
                     history_change_reason, history_type, history_user_id)
                SELECT id, location_id, date, capacity, occupied, reserved, source,
                       reported_by_id, flagged, flag_reason, version, now(),
                       'Import capacity_reports.csv', '+', NULL
                FROM limit_report
                """
            )

        history_seconds, _ = timed(history_rows)
        cursor.execute("DROP TABLE limit_history")
        cursor.execute("DROP TABLE limit_report")
    return copy_seconds, history_seconds


def bare_recompute(ids: list[int]) -> float:
    """The worker's statements sent straight through psycopg, without Django around them."""
    from django.db import connection

    from capacity import snapshots
    from capacity.models import OccupancySnapshot

    sql, params = snapshots._insert_statement(ids, None)
    table = OccupancySnapshot._meta.db_table
    connection.ensure_connection()
    raw = connection.connection
    with raw.transaction(), raw.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute(f"DELETE FROM {table} WHERE municipality_id = ANY(%s)", [ids])
        cursor.execute(sql, params)
        return time.perf_counter() - start


def requests(runs: int) -> tuple[dict, dict]:
    from bench_country import user
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from signin import sign_in_verified

    client = Client()
    sign_in_verified(client, user("bench-coordinator", "coordinator"))
    results = []
    for path in ("/", f"/api/v1/overview/?region={REGION}"):
        for _ in range(WARM_UP):
            assert client.get(path).status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        results.append({"ms": statistics.median(times), "queries": len(queries)})
    return results[0], results[1]


def print_table(rows: list[tuple]) -> None:
    header = (f"{'work':<42} {'size':>16} | {'today':>10} | {'limit, same data, same run':<30} "
              f"{'':>10} | {'ratio':>6} | target")  # fmt: skip
    print()
    print(header)
    print("-" * len(header))
    for what, size, value, unit, limit_name, limit, target in rows:
        ratio = value / limit if limit else 0
        verdict = (
            "" if target is None else f"<= {target}x {'met' if ratio <= target else 'NOT met'}"
        )
        if unit == "/s":
            print(f"{what:<42} {size:>16} | {value:>8,.0f}/s | {limit_name:<30} {limit:>8.1f} s |"
                  f" {'':>6} | > 12,000/s {'met' if value > 12000 else 'NOT met'}")  # fmt: skip
            continue
        print(f"{what:<42} {size:>16} | {value:>8.1f} {unit:<2}| {limit_name:<30} "
              f"{limit:>8.1f} {unit:<2}| {ratio:>5.1f}x | {verdict}")  # fmt: skip
    print("dashboard target: < 100 ms with <= 10 queries at 5,000 locations")


if __name__ == "__main__":
    main()
