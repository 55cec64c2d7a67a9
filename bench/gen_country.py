"""Generate import files for a synthetic country: 342 municipalities, 25 safety regions,
5,000 locations and two years of weekly capacity reports.

    .venv/bin/python bench/gen_country.py --out /tmp/bench_country       # both slices
    .venv/bin/python bench/gen_country.py --out /tmp/bench_country --twente-only

writes, in the import formats of DESIGN.md (`manage.py import_data KIND FILE`):

- `<out>/country/municipalities.csv` (`municipalities`: code,name,safety_region): the 328
  municipalities of the 24 safety regions other than Twente, codes GM5000-GM5327 (no real
  CBS code is that high); Twente's 14 real municipalities come from `load_twente`;
- `<out>/country/population.csv` (`population`: municipality,date,inhabitants) for those
  328, so that with Twente's 633,917 the country has 17.9 million inhabitants;
- `<out>/country/locations.csv` (`locations`) and `<out>/country/capacity_reports.csv`
  (`capacity-reports`, with the optional `reserved` column): 5,000 locations over all 342
  municipalities, roughly in proportion to population (at least one each), and a report per
  location per week for 104 weeks while the location is open;
- `<out>/twente/locations.csv` and `<out>/twente/capacity_reports.csv`: exactly the rows of
  the two country files that are about Twente (VR05), so a database loaded with only these
  holds the same Twente data as one loaded with the whole country.

Deterministic for a given seed and end date. The last week starts on `--end` (a Monday;
default: the latest Monday whose Friday is not after today), so the newest reports are
recent and no report lies in the future. Each location reports on its own weekday (Monday
to Friday), as locations do. No Django needed.
"""

import argparse
import csv
import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "twente" / "fixtures"
TWENTE = "VR05"
POPULATION_DATE = datetime.date(2022, 1, 1)  # the date of Twente's figures in the fixtures
COUNTRY_POPULATION = 17_900_000
FIRST_CODE = 5000

# Safety region: (inhabitants in thousands, about 2022; municipalities; centre lat, lon).
# Twente's municipalities and population come from the fixtures.
REGIONS = {
    "VR01": (590, 10, 53.22, 6.75),
    "VR02": (654, 18, 53.10, 5.80),
    "VR03": (495, 12, 52.85, 6.60),
    "VR04": (540, 11, 52.50, 6.15),
    "VR06": (840, 21, 52.10, 6.30),
    "VR07": (700, 16, 52.05, 5.85),
    "VR08": (560, 13, 51.85, 5.70),
    "VR09": (1370, 25, 52.08, 5.15),
    "VR10": (675, 16, 52.70, 4.85),
    "VR11": (345, 7, 52.48, 4.90),
    "VR12": (555, 9, 52.38, 4.60),
    "VR13": (1075, 6, 52.35, 4.90),
    "VR14": (255, 7, 52.25, 5.20),
    "VR15": (1125, 9, 52.05, 4.30),
    "VR16": (830, 18, 52.10, 4.60),
    "VR17": (1300, 15, 51.90, 4.45),
    "VR18": (490, 10, 51.80, 4.75),
    "VR19": (387, 13, 51.50, 3.80),
    "VR20": (1130, 23, 51.58, 4.80),
    "VR21": (660, 12, 51.70, 5.40),
    "VR22": (790, 20, 51.45, 5.50),
    "VR23": (520, 15, 51.35, 6.05),
    "VR24": (595, 16, 50.88, 5.85),
    "VR25": (430, 6, 52.50, 5.50),
}
TWENTE_CENTRE = (52.30, 6.70)

# Location type: (target group, share of locations, capacity range, name).
TYPES = {
    "azc": ("asylum", 5, (150, 800), "Azc"),
    "coa_emergency": ("asylum", 5, (50, 300), "Noodopvang"),
    "cno": ("asylum", 12, (20, 150), "Crisisnoodopvang"),
    "amv": ("asylum", 4, (10, 60), "Amv-opvang"),
    "hotel": ("asylum", 8, (30, 200), "Hotelopvang"),
    "ukraine_municipal": ("ukraine", 38, (10, 250), "Opvang Oekraïne"),
    "flex": ("permit_holders", 16, (10, 120), "Flexwoningen"),
    "intermediate": ("permit_holders", 12, (10, 80), "Tussenvoorziening"),
}
LOCATION_HEADER = [
    "code", "name", "municipality", "place", "type", "target_group", "status", "opened_on",
    "contract_end", "latitude", "longitude", "planned_capacity",
]  # fmt: skip
REPORT_HEADER = ["location", "date", "capacity", "occupied", "reserved"]


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    region: str
    population: int


@dataclass
class Location:
    code: str
    municipality: Municipality
    type: str
    status: str
    opened_on: datetime.date
    contract_end: datetime.date | None
    latitude: float
    longitude: float
    capacity: int
    weekday: int
    reports_from: datetime.date | None  # None: never reports (still to open)
    reports_until: datetime.date | None


def default_end(today: datetime.date | None = None) -> datetime.date:
    """The latest Monday whose Friday is not after `today`: the last full reporting week."""
    day = (today or datetime.date.today()) - datetime.timedelta(days=4)
    return day - datetime.timedelta(days=day.weekday())


def twente_municipalities() -> list[Municipality]:
    with (FIXTURES / "twente_municipalities.csv").open(encoding="utf-8", newline="") as handle:
        return [
            Municipality(row["code"], row["name"], row["safety_region"], int(row["population"]))
            for row in csv.DictReader(handle)
            if row["safety_region"] == TWENTE
        ]


def region_names() -> dict[str, str]:
    with (FIXTURES / "safety_regions.csv").open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Whole numbers in proportion to `weights` that add up to `total`."""
    whole = sum(weights)
    quotas = [total * weight / whole for weight in weights]
    shares = [int(quota) for quota in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (shares[i] - quotas[i], i))
    for index in order[: total - sum(shares)]:
        shares[index] += 1
    return shares


def other_municipalities(rng: random.Random, twente_population: int) -> list[Municipality]:
    """The 328 municipalities of the other regions, a few large and many small per region
    (a Zipf-like spread), so that the country adds up to COUNTRY_POPULATION."""
    names = region_names()
    scale = (COUNTRY_POPULATION - twente_population) / sum(r[0] for r in REGIONS.values())
    municipalities = []
    code = FIRST_CODE
    for region, (thousands, count, _lat, _lon) in REGIONS.items():
        weights = [rng.uniform(0.8, 1.25) / (rank + 1) ** 1.1 for rank in range(count)]
        populations = largest_remainder(round(thousands * scale), weights)
        for rank, population in enumerate(populations, start=1):
            municipalities.append(
                Municipality(f"GM{code}", f"{names[region]} {rank}", region, population)
            )
            code += 1
    return municipalities


def country(seed: int = 1) -> list[Municipality]:
    """All 342 municipalities: Twente's from the fixtures, then the generated ones."""
    twente = twente_municipalities()
    rng = random.Random(seed)
    return twente + other_municipalities(rng, sum(m.population for m in twente))


def make_locations(
    rng: random.Random, municipalities: list[Municipality], count: int, *, start, end
) -> list[Location]:
    """`count` locations, at least one per municipality, the rest by population."""
    if count < len(municipalities):
        raise SystemExit(f"--locations must be at least {len(municipalities)}")
    extra = largest_remainder(count - len(municipalities), [m.population for m in municipalities])
    kinds = list(TYPES)
    kind_weights = [TYPES[kind][1] for kind in kinds]
    span = (end - start).days
    locations = []
    for municipality, more in zip(municipalities, extra, strict=True):
        lat0, lon0 = (
            TWENTE_CENTRE if municipality.region == TWENTE else REGIONS[municipality.region][2:]
        )
        for _ in range(1 + more):
            kind = rng.choices(kinds, kind_weights)[0]
            low, high = TYPES[kind][2]
            capacity = rng.randint(low, high)
            fate = rng.random()
            opened_on = start - datetime.timedelta(days=rng.randint(30, 700))
            contract_end = None
            status = "operational"
            reports_from, reports_until = start, end + datetime.timedelta(days=4)
            if fate < 0.04:  # closed during the period: reports stop at the contract end
                contract_end = start + datetime.timedelta(days=rng.randint(min(56, span), span))
                status = "closed"
                reports_until = contract_end
            elif fate < 0.07:  # opened during the period
                opened_on = start + datetime.timedelta(days=rng.randint(min(28, span), span))
                reports_from = opened_on
            elif fate < 0.09:  # still to open: planned places, no reports yet
                opened_on = end + datetime.timedelta(days=rng.randint(14, 300))
                status = rng.choice(["planned", "preparing"])
                reports_from = reports_until = None
            elif fate < 0.29:  # a contract that ends in the coming year or so
                contract_end = end + datetime.timedelta(days=rng.randint(30, 500))
            locations.append(
                Location(
                    code=f"LOC-{len(locations) + 1:05d}",
                    municipality=municipality,
                    type=kind,
                    status=status,
                    opened_on=opened_on,
                    contract_end=contract_end,
                    latitude=round(lat0 + rng.uniform(-0.25, 0.25), 4),
                    longitude=round(lon0 + rng.uniform(-0.35, 0.35), 4),
                    capacity=capacity,
                    weekday=rng.randrange(5),
                    reports_from=reports_from,
                    reports_until=reports_until,
                )
            )
    return locations


def location_row(location: Location) -> list:
    planned = location.capacity if location.reports_from is None else ""
    return [
        location.code,
        f"{TYPES[location.type][3]} {location.municipality.name} {location.code[-5:]}",
        location.municipality.code,
        location.municipality.name,
        location.type,
        TYPES[location.type][0],
        location.status,
        location.opened_on.isoformat(),
        location.contract_end.isoformat() if location.contract_end else "",
        f"{location.latitude:.4f}",
        f"{location.longitude:.4f}",
        planned,
    ]


def reports(rng: random.Random, location: Location, *, start, weeks: int) -> Iterator[list]:
    """Weekly reports: capacity changes now and then, the occupancy rate drifts, a few places
    are reserved; always capacity >= occupied + reserved."""
    if location.reports_from is None:
        return
    capacity = location.capacity
    rate = rng.uniform(0.65, 0.97)
    for week in range(weeks):
        day = start + datetime.timedelta(weeks=week, days=location.weekday)
        if day < location.reports_from or day > location.reports_until:
            continue
        if rng.random() < 0.04:
            capacity = max(5, round(capacity * rng.uniform(0.85, 1.2)))
        rate = min(1.0, max(0.45, rate + rng.gauss(0, 0.025)))
        occupied = min(capacity, round(capacity * rate))
        free = capacity - occupied
        reserved = rng.randint(0, min(free, 4)) if free and rng.random() < 0.3 else 0
        yield [location.code, day.isoformat(), capacity, occupied, reserved]


def generate(
    out: Path,
    *,
    locations: int = 5000,
    weeks: int = 104,
    seed: int = 1,
    end: datetime.date | None = None,
    twente_only: bool = False,
) -> dict[str, int]:
    """Write the files (see the module docstring); returns the row count per file."""
    end = end or default_end()
    if end.weekday() != 0:
        raise SystemExit(f"--end must be a Monday, not {end:%A %Y-%m-%d}")
    start = end - datetime.timedelta(weeks=weeks - 1)
    municipalities = country(seed)
    rng = random.Random(seed + 1)
    places = make_locations(rng, municipalities, locations, start=start, end=end)
    slices = {"twente": out / "twente"} if twente_only else {
        "country": out / "country", "twente": out / "twente"
    }  # fmt: skip
    for directory in slices.values():
        directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}

    def writers(name: str, header: list[str]):
        handles = {key: (path / name).open("w", encoding="utf-8", newline="") for key, path in
                   slices.items()}  # fmt: skip
        result = {key: csv.writer(handle) for key, handle in handles.items()}
        for writer in result.values():
            writer.writerow(header)
        return handles, result

    def count(key: str, name: str, n: int = 1) -> None:
        counts[f"{key}/{name}"] = counts.get(f"{key}/{name}", 0) + n

    if "country" in slices:
        others = [m for m in municipalities if m.region != TWENTE]
        with (slices["country"] / "municipalities.csv").open(
            "w", encoding="utf-8", newline=""
        ) as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "name", "safety_region"])
            writer.writerows([m.code, m.name, m.region] for m in others)
        with (slices["country"] / "population.csv").open(
            "w", encoding="utf-8", newline=""
        ) as handle:
            writer = csv.writer(handle)
            writer.writerow(["municipality", "date", "inhabitants"])
            writer.writerows([m.code, POPULATION_DATE.isoformat(), m.population] for m in others)
        count("country", "municipalities.csv", len(others))
        count("country", "population.csv", len(others))

    for name, header in (("locations.csv", LOCATION_HEADER),):
        handles, out_writers = writers(name, header)
        for location in places:
            row = location_row(location)
            for key, writer in out_writers.items():
                if key == "country" or location.municipality.region == TWENTE:
                    writer.writerow(row)
                    count(key, name)
        for handle in handles.values():
            handle.close()

    name = "capacity_reports.csv"
    handles, out_writers = writers(name, REPORT_HEADER)
    for location in places:
        # Figures are drawn for every location, also when only Twente is written, so both
        # slices get the very same Twente rows.
        rows = list(reports(rng, location, start=start, weeks=weeks))
        for key, writer in out_writers.items():
            if key == "country" or location.municipality.region == TWENTE:
                writer.writerows(rows)
                count(key, name, len(rows))
    for handle in handles.values():
        handle.close()
    counts["first_week"] = start.toordinal()
    counts["last_week"] = end.toordinal()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locations", type=int, default=5000)
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--end", type=datetime.date.fromisoformat, help="Monday of the last week (YYYY-MM-DD)"
    )
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench_country"))
    parser.add_argument(
        "--twente-only", action="store_true", help="write only <out>/twente (the Twente slice)"
    )
    args = parser.parse_args()
    counts = generate(
        args.out,
        locations=args.locations,
        weeks=args.weeks,
        seed=args.seed,
        end=args.end,
        twente_only=args.twente_only,
    )
    first = datetime.date.fromordinal(counts.pop("first_week"))
    last = datetime.date.fromordinal(counts.pop("last_week"))
    print(f"weeks {first:%d-%m-%Y} to {last:%d-%m-%Y}")
    for name, rows in counts.items():
        size = (args.out / name).stat().st_size / 1e6
        print(f"{args.out / name}: {rows:,} rows ({size:.1f} MB)")


if __name__ == "__main__":
    main()
