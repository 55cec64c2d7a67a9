"""Generate import files for the benchmark: N locations and W weekly reports per location.

    .venv/bin/python bench/gen_capacity_reports.py --locations 5000 --weeks 26 --out /tmp/bench

writes `locations.csv` (the `locations` import, spread over Twente's 14 municipalities) and
`capacity_reports.csv` (the `capacity-reports` import: one row per location per week, the
last week ending on END). With `--changed 10` every 10th report gets another occupied
figure (`capacity_reports_changed.csv`), to time an import that updates existing reports.
No Django needed; deterministic for a given seed.
"""

import argparse
import csv
import datetime
import random
from pathlib import Path

TWENTE = [
    "GM0141", "GM0147", "GM1774", "GM0153", "GM0158", "GM0163", "GM0164",
    "GM1735", "GM0168", "GM0173", "GM1742", "GM0183", "GM1700", "GM0189",
]  # fmt: skip
END = datetime.date(2024, 6, 24)  # a Monday in the past, so no report lies in the future
TYPES = [
    ("cno", "asylum"),
    ("azc", "asylum"),
    ("ukraine_municipal", "ukraine"),
    ("flex", "permit_holders"),
]
LOCATION_HEADER = [
    "code", "name", "municipality", "place", "type", "target_group", "status", "opened_on",
    "contract_end", "latitude", "longitude",
]  # fmt: skip


def code(n: int) -> str:
    return f"BENCH-{n:05d}"


def write_locations(path: Path, locations: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(LOCATION_HEADER)
        for n in range(locations):
            kind, group = TYPES[n % len(TYPES)]
            writer.writerow(
                [code(n), f"Benchlocatie {n}", TWENTE[n % len(TWENTE)], "Twente", kind, group,
                 "operational", "2022-01-03", "", f"{52 + (n % 50) / 100:.4f}",
                 f"{6.5 + (n % 70) / 100:.4f}"]
            )  # fmt: skip


def write_reports(path: Path, locations: int, weeks: int, *, seed: int, changed: int = 0) -> int:
    """Rows are streamed to disk; returns the number of rows. `changed` > 0 alters the occupied
    figure of every `changed`-th row (the other figures stay as in the unchanged file)."""
    rng = random.Random(seed)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["location", "date", "capacity", "occupied"])
        for n in range(locations):
            capacity = rng.randint(6, 400)
            for week in range(weeks):
                occupied = rng.randint(int(capacity * 0.7), capacity)
                rows += 1
                if changed and rows % changed == 0:
                    occupied = occupied - 1 if occupied else 1
                day = END - datetime.timedelta(weeks=weeks - 1 - week)
                writer.writerow([code(n), day.isoformat(), capacity, occupied])
    return rows


def generate(directory: Path, *, locations: int, weeks: int, seed: int = 1, changed: int = 0):
    directory.mkdir(parents=True, exist_ok=True)
    write_locations(directory / "locations.csv", locations)
    rows = write_reports(directory / "capacity_reports.csv", locations, weeks, seed=seed)
    if changed:
        write_reports(
            directory / "capacity_reports_changed.csv", locations, weeks, seed=seed, changed=changed
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locations", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--changed", type=int, default=0, help="alter every N-th report")
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench_import"))
    args = parser.parse_args()
    rows = generate(
        args.out, locations=args.locations, weeks=args.weeks, seed=args.seed, changed=args.changed
    )
    print(f"{args.out}/locations.csv: {args.locations} locations")
    print(f"{args.out}/capacity_reports.csv: {rows} reports")


if __name__ == "__main__":
    main()
