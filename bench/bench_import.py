"""Benchmark: import 130,000 capacity reports (5,000 locations × 26 weeks) from CSV.

    .venv/bin/python bench/bench_import.py                  # throwaway SQLite file in /tmp
    DATABASE_URL=postgres://twente:twente@127.0.0.1:5432/twente \
        .venv/bin/python bench/bench_import.py              # throwaway database twente_bench

Creates a throwaway database (SQLite at $SQLITE_PATH, default /tmp/bench_import.sqlite3; or,
with DATABASE_URL, a database `twente_bench` next to the given one, created and dropped
here: the given database itself is never touched), migrates, loads the Twente reference data,
generates the files (bench/gen_capacity_reports.py) and imports the locations. Then it times,
through the same service as `manage.py import_data`:

0. a dry run of the 130,000 reports (read and validate only: the upload page's preview);
1. the 130,000 new reports (validate, bulk insert, history rows for every report);
2. the same file again (all unchanged: nothing written);
3. a file in which every 10th report has another occupied figure (13,000 bulk updates);
4. the worker's recompute after the first import (one task for the whole file).

It prints rows per second and the peak resident memory of the process (getrusage). The
recompute task is held back during the imports and run on its own, so the import figures
are the import alone. Results: bench/README.md.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twente.settings")
# As in production: DEBUG off (no SQL logging). Celery eager: the benchmark runs the recompute
# itself, outside the timed imports.
os.environ["DEBUG"] = "false"
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
os.environ["REDIS_URL"] = ""
os.environ["LOG_LEVEL"] = "WARNING"
BENCH_DATABASE = "twente_bench"


def prepare_database():
    """Point Django at a throwaway database; returns a function that removes it."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        path = Path(os.environ.setdefault("SQLITE_PATH", "/tmp/bench_import.sqlite3"))
        path.unlink(missing_ok=True)
        return lambda: path.unlink(missing_ok=True)
    import psycopg

    base, _, _ = url.rpartition("/")

    def execute(statement: str) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(statement)

    execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
    execute(f"CREATE DATABASE {BENCH_DATABASE}")
    os.environ["DATABASE_URL"] = f"{base}/{BENCH_DATABASE}"

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")

    return drop


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run(locations: int, weeks: int) -> None:
    import gen_capacity_reports
    from django.core.management import call_command
    from django.db import connection

    from capacity import tasks
    from capacity.models import CapacityReport
    from imports.models import ImportStatus
    from imports.service import import_file

    call_command("migrate", verbosity=0)
    call_command("load_twente", verbosity=0)
    # The recompute each import enqueues (args, kwargs), held back to be timed on its own.
    held_back: list[tuple] = []
    tasks.recompute_occupancy.delay = lambda *args, **kwargs: held_back.append((args, kwargs))

    directory = Path(tempfile.mkdtemp(prefix="bench_import_"))
    rows = gen_capacity_reports.generate(
        directory, locations=locations, weeks=weeks, seed=1, changed=10
    )
    print(f"database: {connection.vendor}; {locations:,} locations × {weeks} weeks = {rows:,} rows")
    print(
        f"files: {directory} ({(directory / 'capacity_reports.csv').stat().st_size / 1e6:.1f} MB)"
    )

    def timed(label: str, kind: str, name: str, expect: tuple[int, int, int], dry_run=False):
        before = rss_mb()
        start = time.perf_counter()
        result = import_file(kind=kind, path=directory / name, user=None, dry_run=dry_run)
        elapsed = time.perf_counter() - start
        run = result.run
        expected = ImportStatus.VALIDATED if dry_run else ImportStatus.IMPORTED
        assert run.status == expected, [str(e) for e in result.errors[:5]]
        counts = (run.created_count, run.updated_count, run.unchanged_count)
        assert counts == expect, counts
        total = sum(counts)
        print(
            f"{label:<36} {total:>8,} rows {elapsed:>7.1f} s {total / elapsed:>9,.0f} rows/s   "
            f"rss before {before:>6.0f} MB, peak {peak_mb():>6.0f} MB   "
            f"(new {counts[0]:,}, changed {counts[1]:,}, unchanged {counts[2]:,})"
        )
        return run

    timed("locations", "locations", "locations.csv", (locations, 0, 0))
    seeded = CapacityReport.objects.count(), CapacityReport.history.count()  # load_twente's
    timed("capacity reports, dry run (validate)", "capacity-reports", "capacity_reports.csv",
          (rows, 0, 0), dry_run=True)  # fmt: skip
    first = timed("capacity reports, new", "capacity-reports", "capacity_reports.csv", (rows, 0, 0))
    assert CapacityReport.objects.count() == seeded[0] + rows
    assert CapacityReport.history.count() == seeded[1] + rows
    timed("capacity reports, same file again", "capacity-reports", "capacity_reports.csv",
          (0, 0, rows))  # fmt: skip
    changed = rows // 10
    timed("capacity reports, 10% changed", "capacity-reports", "capacity_reports_changed.csv",
          (0, changed, rows - changed))  # fmt: skip
    assert CapacityReport.history.count() == seeded[1] + rows + changed
    assert [kwargs["import_run_id"] for _, kwargs in held_back].count(first.pk) == 1

    start = time.perf_counter()
    [(args, kwargs)] = [call for call in held_back if call[1]["import_run_id"] == first.pk]
    written = tasks.recompute_occupancy(*args, **kwargs)
    elapsed = time.perf_counter() - start
    print(
        f"{'worker: recompute after the import':<36} {written:>8,} snapshot rows {elapsed:>7.1f} s"
    )
    for path in directory.iterdir():
        path.unlink()
    directory.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locations", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=26)
    args = parser.parse_args()
    drop = prepare_database()
    import django

    django.setup()
    try:
        run(args.locations, args.weeks)
    finally:
        drop()


if __name__ == "__main__":
    main()
