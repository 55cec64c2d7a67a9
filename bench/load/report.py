"""Print locust's CSV results as one table; exit 1 when any request failed.

    .venv/bin/python bench/load/report.py PREFIX [WEB_CPU_SECONDS [REQUESTS_JSON]]
                                # reads PREFIX_stats.csv and PREFIX_failures.csv

Per request type and in total: requests, failures, median, p95, p99 and max in milliseconds,
and requests per second; given the CPU seconds gunicorn's workers used, the CPU per request.
Locust keeps response times in buckets (to 10 ms above 100 ms, to 100 ms above 1 s), so the
percentiles are rounded the same way.

With the locustfile's request log (REQUESTS_JSON), also the steady state: the requests that
started STEADY_AFTER seconds or more after the first one, when every user has logged in (the
32 logins of the ramp-up cost about half a CPU second each: PBKDF2 with 1,000,000
iterations), exact percentiles, reads and writes apart.
"""

import csv
import json
import math
import sys
from pathlib import Path

STEADY_AFTER = 30  # seconds
WRITES = ("POST", "PUT", "PATCH")

COLUMNS = [
    ("requests", "Request Count"),
    ("failures", "Failure Count"),
    ("median", "50%"),
    ("p95", "95%"),
    ("p99", "99%"),
    ("max", "Max Response Time"),
    ("req/s", "Requests/s"),
]


def _number(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:,.1f}" if number % 1 else f"{number:,.0f}"


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted `values`."""
    return values[max(math.ceil(share * len(values)) - 1, 0)]


def steady_state(path: Path) -> None:
    requests = json.loads(path.read_text())
    if not requests:
        return
    first = min(start for start, *_ in requests)
    last = max(start for start, *_ in requests)
    later = [row for row in requests if row[0] >= first + STEADY_AFTER]
    print(
        f"\nsteady state: requests started {STEADY_AFTER} s or more after the first "
        f"({last - first - STEADY_AFTER:.0f} s), milliseconds"
    )
    print(f"{'':<8} {'requests':>9} {'failures':>9} {'median':>9} {'p95':>9} {'p99':>9} {'max':>9}")
    for label, rows in (
        ("reads", [row for row in later if row[1].split()[0] not in WRITES]),
        ("writes", [row for row in later if row[1].split()[0] in WRITES]),
        ("all", later),
    ):
        times = sorted(row[2] for row in rows)
        if not times:
            continue
        figures = [_percentile(times, 0.5), _percentile(times, 0.95), _percentile(times, 0.99)]
        print(
            f"{label:<8} {len(rows):>9,} {sum(row[3] for row in rows):>9} "
            + " ".join(f"{value:>9,.0f}" for value in [*figures, times[-1]])
        )


def main(prefix: str, web_cpu: float | None = None, requests: Path | None = None) -> int:
    rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").open(newline="")))
    width = max(len(f"{row['Type']} {row['Name']}") for row in rows)
    header = f"{'request':<{width}} " + " ".join(f"{label:>9}" for label, _ in COLUMNS)
    print(header)
    print("-" * len(header))
    failures = 0
    for row in rows:
        name = row["Name"] if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        if row["Name"] == "Aggregated":
            print("-" * len(header))
            failures = int(row["Failure Count"])
        print(f"{name:<{width}} " + " ".join(f"{_number(row[key]):>9}" for _, key in COLUMNS))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    if web_cpu is not None and int(total["Request Count"]):
        print(
            f"gunicorn workers: {web_cpu:.1f} CPU s for {total['Request Count']} requests, "
            f"{web_cpu * 1000 / int(total['Request Count']):.0f} ms per request"
        )
    if requests is not None and requests.exists():
        steady_state(requests)
    failure_file = Path(f"{prefix}_failures.csv")
    if failures and failure_file.exists():
        print("\nfailures:")
        for row in csv.DictReader(failure_file.open(newline="")):
            print(f"  {row['Occurrences']}x {row['Method']} {row['Name']}: {row['Error'][:300]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(
        main(
            sys.argv[1],
            float(sys.argv[2]) if len(sys.argv) > 2 else None,
            Path(sys.argv[3]) if len(sys.argv) > 3 else None,
        )
    )
