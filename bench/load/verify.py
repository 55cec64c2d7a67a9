"""After the load test: nothing lost, and the worker's aggregates are right (bench/load/run.sh).

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/load/verify.py ACCOUNTS.json WRITES.json

1. Waits until the worker has finished every task (the Redis queue and its unacknowledged
   messages are empty), then counts the task results: any failed task is an error.
2. The reports: every (location, date) the load test wrote holds the figures of its last
   successful write; the reports of the last seven days are exactly the ones written (none
   missing, none extra); the first API write of a (location, date) answered 201 and every
   later one 200; and every accepted write that changed a figure left one history record (a
   write that repeats the figures held changes nothing and leaves none).
3. The occupancy snapshots the worker wrote form a clean chain per municipality and target
   group (each row valid until the next one) and say, for every date, what a fresh full
   recompute from the reports says; the dashboard's regional total equals the sum straight
   from the reports.

Prints what it checked; exits 1 on the first kind of disagreement it finds (after printing
all of them).
"""

import datetime
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twente.settings")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from capacity.models import CapacityReport, Location, OccupancySnapshot  # noqa: E402
from capacity.selectors import locations_as_of  # noqa: E402
from capacity.services import occupancy_recompute  # noqa: E402
from municipalities.models import Municipality, SafetyRegion  # noqa: E402
from twente.dashboard.selectors import regional_picture  # noqa: E402

REGION = "VR05"
DRAIN_TIMEOUT = 120
problems: list[str] = []


def check(ok: bool, message: str) -> None:
    print(("  ok    " if ok else "  FAIL  ") + message)
    if not ok:
        problems.append(message)


def wait_for_worker(client: redis.Redis) -> None:
    start = time.monotonic()
    quiet = 0
    while time.monotonic() - start < DRAIN_TIMEOUT:
        busy = client.llen("celery") + client.hlen("unacked")
        quiet = quiet + 1 if busy == 0 else 0
        if quiet >= 3:
            break
        time.sleep(0.5)
    waited = time.monotonic() - start
    check(quiet >= 3, f"worker drained its queue ({waited:.1f} s after the load test)")
    statuses: dict[str, int] = defaultdict(int)
    for key in client.scan_iter("celery-task-meta-*", count=1000):
        statuses[json.loads(client.get(key))["status"]] += 1
    print(f"        task results: {dict(statuses)}")
    check(
        set(statuses) <= {"SUCCESS"} and statuses["SUCCESS"] > 0,
        f"every recompute task succeeded ({statuses['SUCCESS']} tasks)",
    )


def check_reports(accounts: dict, writes: list[dict]) -> None:
    today = datetime.date.fromisoformat(accounts["today"])
    window_start = today - datetime.timedelta(days=6)
    last: dict[tuple[str, str], dict] = {}
    first: dict[tuple[str, str], dict] = {}
    for write in writes:
        key = (write["location"], write["date"])
        first.setdefault(key, write)
        last[key] = write
    by_via: dict[str, int] = defaultdict(int)
    for write in writes:
        by_via[write["via"]] += 1
    print(f"        {len(writes)} accepted writes {dict(by_via)} on {len(last)} (location, date)")

    stored = {
        (code, day.isoformat()): (capacity, occupied, reserved)
        for code, day, capacity, occupied, reserved in CapacityReport.objects.filter(
            date__gte=window_start
        ).values_list("location__code", "date", "capacity", "occupied", "reserved")
    }
    wrong = [
        key
        for key, write in last.items()
        if stored.get(key) != (write["capacity"], write["occupied"], write["reserved"])
    ]
    check(not wrong, f"every written report holds its last write's figures ({len(wrong)} differ)")
    extra = set(stored) - set(last)
    check(
        set(stored) == set(last),
        f"reports of the last 7 days == the (location, date) written: {len(stored)} rows in the "
        f"database, {len(last)} written, {len(extra)} unexpected",
    )
    total = CapacityReport.objects.count()
    check(
        total == accounts["seed_reports"] + len(last),
        f"all reports: {total} == {accounts['seed_reports']} seeded + {len(last)} new",
    )
    api = [w for w in writes if w["via"].startswith("api")]
    bad_status = [
        w for w in api if w["status"] != (201 if first[(w["location"], w["date"])] is w else 200)
    ]
    check(
        not bad_status,
        f"API: 201 for the first write of a (location, date), 200 after "
        f"({sum(1 for w in api if w['status'] == 201)} created, {len(bad_status)} wrong)",
    )
    # A write that repeats the figures its (location, date) already holds changes nothing:
    # the server writes no report and no history for it (capacity.reporting), whichever way
    # it came in. Every other accepted write leaves exactly one history record.
    held: dict[tuple, tuple] = {}
    changing = 0
    for write in writes:
        key, figures = (
            (write["location"], write["date"]),
            (
                write["capacity"],
                write["occupied"],
                write["reserved"],
            ),
        )
        changing += held.get(key) != figures
        held[key] = figures
    history = CapacityReport.history.filter(date__gte=window_start).count()
    check(
        history == changing,
        f"one history record per accepted write that changed a figure ({history} records, "
        f"{changing} such writes of {len(writes)})",
    )


def _snapshot_rows() -> list[tuple]:
    return list(
        OccupancySnapshot.objects.order_by("municipality_id", "target_group", "date").values_list(
            "municipality_id",
            "target_group",
            "date",
            "valid_until",
            "locations",
            "capacity",
            "occupied",
            "reserved",
            "last_report_date",
        )
    )


def _as_of_changes(rows: list[tuple]) -> dict[tuple, list[tuple]]:
    """Per (municipality, target group): the dates on which the figures change, with the
    figures from then on. Equal rows in a row and leading zero rows say nothing new."""
    changes: dict[tuple, list[tuple]] = defaultdict(list)
    previous: dict[tuple, tuple] = {}
    for municipality, group, day, _until, *figures in rows:
        key = (municipality, group)
        figures = tuple(figures)
        if figures != previous.get(key, (0, 0, 0, 0, None)):
            changes[key].append((day, figures))
        previous[key] = figures
    return changes


def check_snapshots() -> None:
    worker_rows = _snapshot_rows()
    broken = 0
    for index, row in enumerate(worker_rows):
        following = worker_rows[index + 1] if index + 1 < len(worker_rows) else None
        same_key = following is not None and following[:2] == row[:2]
        expected_until = following[2] if same_key else None
        broken += row[3] != expected_until
    check(not broken, f"snapshot rows chain up ({len(worker_rows)} rows, {broken} broken)")
    ids = list(Municipality.objects.in_region(REGION).values_list("pk", flat=True))
    with transaction.atomic():
        occupancy_recompute(municipality_ids=ids)
        fresh_rows = _snapshot_rows()
        transaction.set_rollback(True)
    worker, fresh = _as_of_changes(worker_rows), _as_of_changes(fresh_rows)
    differ = [key for key in set(worker) | set(fresh) if worker.get(key) != fresh.get(key)]
    check(
        not differ,
        f"the worker's snapshots == a fresh full recompute, on every date "
        f"({len(fresh_rows)} fresh rows; {len(differ)} municipality/target groups differ)",
    )
    today = timezone.localdate()
    region = SafetyRegion.objects.get(code=REGION)
    shown = regional_picture(region=region, on=today).total.operational
    direct = sum(
        location.report_capacity
        for location in locations_as_of(on=today, region_code=REGION)
        if location.counted
    )
    check(shown == direct, f"dashboard total {shown} places == {direct} from the reports")


def main(accounts_path: Path, writes_path: Path) -> None:
    accounts = json.loads(accounts_path.read_text())
    writes = json.loads(writes_path.read_text())
    print("verify:")
    wait_for_worker(redis.Redis.from_url(settings.REDIS_URL))
    check_reports(accounts, writes)
    check_snapshots()
    print(f"        {Location.objects.count()} locations, {CapacityReport.objects.count()} reports")
    if problems:
        print(f"verify: {len(problems)} problem(s)")
        sys.exit(1)
    print("verify: all checks passed")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
