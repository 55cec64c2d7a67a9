"""Check and time the set-based snapshot rebuild against the day-by-day one it replaced, on a
filled database (e.g. the whole country kept by `bench_country.py --only country --keep`):

    DATABASE_URL=postgres://twente:twente@127.0.0.1:5432/twente_bench_country \\
        .venv/bin/python bench/compare_snapshots.py

Rebuilds every municipality's snapshots both ways (the reference is
tests/capacity/day_by_day_rebuild.py), prints each one's time and row count, and compares the
rows with EXCEPT ALL both ways (PostgreSQL; SQLite: EXCEPT). The database keeps the
set-based rows. It rewrites the snapshots: never point it at a database in use.
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twente.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from capacity.models import OccupancySnapshot  # noqa: E402
from capacity.services import occupancy_recompute  # noqa: E402
from municipalities.models import Municipality  # noqa: E402
from tests.capacity.day_by_day_rebuild import rebuild_day_by_day  # noqa: E402

COLUMNS = (
    "municipality_id, target_group, date, valid_until, locations, capacity, occupied, "
    "reserved, last_report_date"
)


def timed(label, rebuild, ids):
    start = time.perf_counter()
    with transaction.atomic():
        rebuild(municipality_ids=ids, from_date=None)
    seconds = time.perf_counter() - start
    rows = OccupancySnapshot.objects.count()
    print(f"{label:<40} {seconds:8.1f} s  {rows:>9,} rows")
    return seconds


def main() -> None:
    table = OccupancySnapshot._meta.db_table
    ids = list(Municipality.objects.values_list("pk", flat=True))
    print(f"database: {connection.vendor}, {len(ids)} municipalities")
    old = timed("day by day (one query per change date)", rebuild_day_by_day, ids)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS snapshot_reference")
        cursor.execute(f"CREATE TABLE snapshot_reference AS SELECT {COLUMNS} FROM {table}")
    new = timed("set-based (one INSERT ... SELECT)", occupancy_recompute, ids)
    every = "EXCEPT ALL" if connection.vendor == "postgresql" else "EXCEPT"
    with connection.cursor() as cursor:
        differences = []
        for first, second in ((table, "snapshot_reference"), ("snapshot_reference", table)):
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT {COLUMNS} FROM {first} "
                f"{every} SELECT {COLUMNS} FROM {second}) difference"
            )
            differences.append(cursor.fetchone()[0])
        cursor.execute("DROP TABLE snapshot_reference")
    print(
        f"rows only in the set-based rebuild: {differences[0]}, only in the reference: "
        f"{differences[1]}; {old / new:.1f}x faster"
    )
    sys.exit(1 if any(differences) else 0)


if __name__ == "__main__":
    main()
