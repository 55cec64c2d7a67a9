"""The demo history of Twente, March 2022 to January 2024, as plain data (no database).

`demo_plan()` builds every demo location and weekly capacity report from a fixed seed, so
every run gives the same rows. The figures the documents give for a date are built in, not
hoped for: the capacity of the Ukrainian reception is planned per period so that it adds up
to the documents' totals on their dates (UKRAINE_TOTALS), the occupied places on 7 July 2022
are set to the minutes' 2,189, and `_check` refuses a plan that misses any of them. Around
those figures everything is made up (twente/fixtures/README.md, "Demodata"): which locations, where,
how large, when they open, and how full they are week by week.

Reports are weekly, on Mondays. Occupancy moves by a small random walk around a curve per
kind of location; new places fill up over a few weeks and places that close empty first.
A few reports come in late (later that week) or not at all, one municipality stops
reporting in the last weeks, and one report has an implausible figure, flagged as the
checks would flag it. None of that touches the weeks whose totals the documents give.
"""

import datetime
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from allocation.engine import allocate
from capacity.choices import LocationStatus, LocationType, TargetGroup
from capacity.lifecycle import EffectiveStatus, effective_status
from capacity.outliers import outlier_reason

SEED = "twente-demo-2022"
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)
FIRST_MONDAY = datetime.date(2022, 3, 7)
LAST_MONDAY = datetime.date(2024, 1, 15)

# Regional capacity for Ukrainians on the Monday before each document's date (a report on
# Monday holds for the rest of the week). Between these Mondays the places are made up.
UKRAINE_TOTALS: tuple[tuple[datetime.date, int], ...] = (
    # Verslag BAO maart 2022: Twente did not have the first 1,000 places by 25 March.
    (datetime.date(2022, 3, 21), 880),
    (datetime.date(2022, 5, 2), 1960),
    # Verslag BAO juli 2022 (7 July in the meetings), item 10.2: 2,475 operational places,
    # 2,189 occupied (88%).
    (datetime.date(2022, 7, 4), 2475),
    # Procesplan Twente Opvang Vluchtelingen, dec. 2022, tabel 2.2: 2,790 realised.
    (datetime.date(2022, 11, 28), 2790),
    (datetime.date(2023, 6, 26), 3050),
    # Verslag PRT Overijssel 22 december 2023: "om en nabij 3200 plekken" in Twente.
    (datetime.date(2023, 12, 18), 3205),
)
UKRAINE_OCCUPIED = (datetime.date(2022, 7, 4), 2189)
# Permit holders: places in intermediate housing on the Monday before the deadline of the
# first-half 2023 task (764, due 30 June 2023): near the task, not at it (made up).
PERMIT_HOLDERS_REALISED = (datetime.date(2023, 6, 26), 738)
PERMIT_HOLDERS_SECOND_HALF = 130  # places added in the second half of 2023 (made up)

# The Mondays whose reports decide a document's figure: no late or missing report there.
KEY_MONDAYS = frozenset(
    [day for day, _ in UKRAINE_TOTALS] + [UKRAINE_OCCUPIED[0], PERMIT_HOLDERS_REALISED[0]]
)

# Verslag BAO juli 2022, item 10.3: crisis reception for 225 asylum seekers for three months,
# divided over the 14 municipalities; "gemeenten lijken in verschillend tempo" to start.
BAO_FIRST_MONDAY = datetime.date(2022, 7, 11)
BAO_WEEKS = 13
# AZC Albergen, "in oprichting" in December 2022, opens on this (made-up) day.
ALBERGEN_OPENS = datetime.date(2023, 4, 3)
# The municipality that stops reporting after this Monday (the dashboard calls it stale).
SILENT_MUNICIPALITY = "GM0168"
SILENT_AFTER = datetime.date(2023, 12, 25)
MISSING_SHARE = 0.01
LATE_SHARE = 0.03


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class DemoMunicipality:
    code: str
    name: str
    abbreviation: str
    population: int  # Procesplan Twente Opvang Vluchtelingen, dec. 2022, bijlage 3
    places: tuple[Place, ...]


MUNICIPALITIES: tuple[DemoMunicipality, ...] = (
    DemoMunicipality("GM0141", "Almelo", "ALM", 73155, (Place("Almelo", 52.3567, 6.6625),)),
    DemoMunicipality("GM0147", "Borne", "BOR", 24007, (Place("Borne", 52.2997, 6.7528),)),
    DemoMunicipality(
        "GM1774",
        "Dinkelland",
        "DIN",
        26594,
        (
            Place("Denekamp", 52.3775, 7.0069),
            Place("Ootmarsum", 52.4081, 6.9008),
            Place("Weerselo", 52.3536, 6.8528),
        ),
    ),
    DemoMunicipality(
        "GM0153",
        "Enschede",
        "ENS",
        160640,
        (Place("Enschede", 52.2215, 6.8937), Place("Glanerbrug", 52.2139, 6.9722)),
    ),
    DemoMunicipality(
        "GM0158", "Haaksbergen", "HKB", 24268, (Place("Haaksbergen", 52.1567, 6.7389),)
    ),
    DemoMunicipality(
        "GM0163",
        "Hellendoorn",
        "HLD",
        35940,
        (Place("Nijverdal", 52.3628, 6.4636), Place("Hellendoorn", 52.3897, 6.4500)),
    ),
    DemoMunicipality("GM0164", "Hengelo", "HGL", 81476, (Place("Hengelo", 52.2658, 6.7931),)),
    DemoMunicipality(
        "GM1735",
        "Hof van Twente",
        "HVT",
        35056,
        (
            Place("Goor", 52.2333, 6.5861),
            Place("Delden", 52.2617, 6.7117),
            Place("Markelo", 52.2361, 6.4972),
        ),
    ),
    DemoMunicipality(
        "GM0168",
        "Losser",
        "LOS",
        23084,
        (Place("Losser", 52.2608, 7.0047), Place("Overdinkel", 52.2406, 7.0353)),
    ),
    DemoMunicipality("GM0173", "Oldenzaal", "OLD", 31741, (Place("Oldenzaal", 52.3131, 6.9292),)),
    DemoMunicipality(
        "GM1742",
        "Rijssen-Holten",
        "RHO",
        38231,
        (Place("Rijssen", 52.3069, 6.5161), Place("Holten", 52.2828, 6.4206)),
    ),
    DemoMunicipality(
        "GM0183",
        "Tubbergen",
        "TUB",
        21364,
        (
            Place("Tubbergen", 52.4067, 6.7836),
            Place("Albergen", 52.3653, 6.7583),
            Place("Vasse", 52.4372, 6.8403),
        ),
    ),
    DemoMunicipality(
        "GM1700",
        "Twenterand",
        "TWR",
        33718,
        (
            Place("Vriezenveen", 52.4089, 6.6219),
            Place("Vroomshoop", 52.4619, 6.5683),
            Place("Den Ham", 52.4636, 6.4969),
        ),
    ),
    DemoMunicipality(
        "GM0189",
        "Wierden",
        "WIE",
        24643,
        (Place("Wierden", 52.3592, 6.5936), Place("Enter", 52.2950, 6.5781)),
    ),
)
BY_CODE = {municipality.code: municipality for municipality in MUNICIPALITIES}

# Occupancy curves (date, rate) per kind of location; linear in between.
CURVES: dict[str, tuple[tuple[datetime.date, float], ...]] = {
    "ukraine": (
        (datetime.date(2022, 3, 7), 0.66),
        (datetime.date(2022, 4, 25), 0.82),
        (datetime.date(2022, 7, 4), 0.89),
        (datetime.date(2022, 10, 3), 0.90),
        (datetime.date(2023, 1, 2), 0.92),
        (datetime.date(2023, 7, 3), 0.94),
        (datetime.date(2023, 12, 18), 0.965),
        (datetime.date(2024, 1, 15), 0.97),
    ),
    "azc": ((datetime.date(2022, 3, 7), 0.95), (datetime.date(2024, 1, 15), 0.97)),
    "cno": (
        (datetime.date(2022, 6, 6), 0.88),
        (datetime.date(2022, 9, 5), 0.96),
        (datetime.date(2023, 3, 6), 0.94),
        (datetime.date(2024, 1, 15), 0.92),
    ),
    "crisis": ((datetime.date(2022, 7, 11), 0.90), (datetime.date(2022, 10, 31), 0.92)),
    "emergency": ((datetime.date(2023, 10, 2), 0.93), (datetime.date(2024, 1, 15), 0.95)),
    "permit_holders": ((datetime.date(2022, 3, 7), 0.86), (datetime.date(2024, 1, 15), 0.93)),
}
# Weeks before the contract end in which a location empties, and how far.
WIND_DOWN = {"cno": (17, 0.2), "ukraine": (6, 0.35), "crisis": (2, 0.7)}


@dataclass(frozen=True)
class ReferenceLocation:
    """A location of the reference data (`load_twente`) the demo writes reports for."""

    code: str
    municipality: str
    type: str
    status: str
    capacity: int  # of its report in the reference data, else its planned capacity
    contract_end: datetime.date | None


@dataclass
class PlannedLocation:
    code: str
    name: str
    municipality: str
    place: str
    type: str
    target_group: str
    status: str
    opened_on: datetime.date | None
    contract_end: datetime.date | None
    latitude: Decimal | None
    longitude: Decimal | None
    notes: str
    planned_capacity: int | None = None
    profile: str = ""
    # (Monday, capacity from that Monday on); empty for a location that has not opened.
    steps: list[tuple[datetime.date, int]] = field(default_factory=list)
    reference: bool = False  # a reference location: only its reports are demo data
    ramps: bool = True  # new places fill up over a few weeks (not for long-open AZCs)

    def fields(self) -> dict:
        """The Location model fields of a demo location."""
        return {
            "name": self.name,
            "place": self.place,
            "type": self.type,
            "target_group": self.target_group,
            "status": self.status,
            "opened_on": self.opened_on,
            "contract_end": self.contract_end,
            "planned_capacity": self.planned_capacity,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "notes": self.notes,
        }

    def capacity_on(self, day: datetime.date) -> int:
        capacity = 0
        for start, places in self.steps:
            if start <= day:
                capacity = places
        return capacity

    def last_monday(self) -> datetime.date:
        last = LAST_MONDAY
        if self.contract_end is not None:
            last = min(last, _monday_on_or_before(self.contract_end))
        if self.municipality == SILENT_MUNICIPALITY:
            last = min(last, SILENT_AFTER)
        return last


@dataclass
class PlannedReport:
    location: str
    date: datetime.date
    capacity: int
    occupied: int
    flagged: bool = False
    flag_reason: str = ""


@dataclass
class PlannedHousing:
    """A municipality's permit-holder housing report: persons housed since its previous
    report (of which AMV), and those linked but not yet housed on `date`."""

    municipality: str
    date: datetime.date
    housed: int
    housed_amv: int
    linked: int


@dataclass
class DemoPlan:
    locations: list[PlannedLocation]  # demo locations and the reference ones reported for
    overlays: dict[str, dict]  # reference location code -> fields the demo sets
    reports: list[PlannedReport]
    housing: list[PlannedHousing] = field(default_factory=list)

    def housed_between(self, first: datetime.date, last: datetime.date) -> int:
        return sum(row.housed for row in self.housing if first <= row.date <= last)

    @property
    def demo_locations(self) -> list[PlannedLocation]:
        return [location for location in self.locations if not location.reference]

    def totals_on(self, day: datetime.date, target_group: str) -> tuple[int, int]:
        """(operational, occupied) of a target group on `day` by the lifecycle rule: what
        the overview must show for the demo's own reports."""
        latest: dict[str, PlannedReport] = {}
        for report in self.reports:
            if report.date <= day:
                known = latest.get(report.location)
                if known is None or known.date < report.date:
                    latest[report.location] = report
        capacity = occupied = 0
        for location in self.locations:
            if location.target_group != target_group or location.code not in latest:
                continue
            fields = {**location.fields(), **self.overlays.get(location.code, {})}
            state = effective_status(
                status=fields["status"],
                opened_on=fields["opened_on"],
                contract_end=fields["contract_end"],
                on=day,
            )
            if state == EffectiveStatus.OPERATIONAL:
                capacity += latest[location.code].capacity
                occupied += latest[location.code].occupied
        return capacity, occupied


def demo_plan(
    *,
    reference: Mapping[str, ReferenceLocation],
    crisis_shares: Mapping[str, int],
    permit_holder_shares: Mapping[str, int],
) -> DemoPlan:
    """The whole demo history. `reference`: the reference data's CNO locations and AZCs;
    `crisis_shares` and `permit_holder_shares`: the shares per municipality (CBS code) of the
    BAO's 225 crisis places and of the first-half 2023 permit-holder task."""
    locations = [
        *_ukraine(random.Random(f"{SEED}:ukraine")),
        *_asylum_reference(random.Random(f"{SEED}:reference"), reference),
        *_crisis_places(random.Random(f"{SEED}:crisis"), crisis_shares),
        *_asylum_emergency(),
        *_permit_holders(random.Random(f"{SEED}:permit"), permit_holder_shares),
    ]
    overlays = {
        location.code: {"status": location.status, "opened_on": location.opened_on}
        for location in locations
        if location.reference and location.opened_on is not None
    }
    reports = _reports(locations)
    _set_occupied_total(reports, locations, *UKRAINE_OCCUPIED, TargetGroup.UKRAINE)
    _flag_implausible(reports, locations)
    housing = _housing(random.Random(f"{SEED}:housing"), permit_holder_shares)
    plan = DemoPlan(locations=locations, overlays=overlays, reports=reports, housing=housing)
    _check(plan)
    return plan


# Calendar -----------------------------------------------------------------------------------


def _mondays(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    days = []
    day = first
    while day <= last:
        days.append(day)
        day += WEEK
    return days


def _monday_on_or_before(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _curve(profile: str, day: datetime.date) -> float:
    points = CURVES[profile]
    if day <= points[0][0]:
        return points[0][1]
    for (start, low), (end, high) in zip(points, points[1:], strict=False):
        if day <= end:
            return low + (high - low) * (day - start).days / (end - start).days
    return points[-1][1]


def _coordinates(rng: random.Random, place: Place) -> tuple[Decimal, Decimal]:
    # Near the centre of the place, a little apart so the map shows every marker.
    latitude = place.latitude + rng.uniform(-0.008, 0.008)
    longitude = place.longitude + rng.uniform(-0.012, 0.012)
    return Decimal(f"{latitude:.4f}"), Decimal(f"{longitude:.4f}")


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` in `parts` whole numbers of roughly the same size (exact sum)."""
    weights = {f"{index:02d}": rng.randint(70, 130) for index in range(parts)}
    return [share.share for share in allocate(total, weights)]


# Ukraine ------------------------------------------------------------------------------------

UKRAINE_SITES = (
    "voormalig kantoorpand",
    "voormalige school",
    "kloostergebouw",
    "voormalig verzorgingshuis",
    "woonunits",
    "voormalig bedrijfspand",
    "studentenhuisvesting",
    "voormalig ziekenhuisgebouw",
)
HOTEL_SITES = ("hotel", "vakantiepark", "groepsaccommodatie", "bungalowpark")
UKRAINE_CLOSINGS = (  # short contracts of the first months that end ("afbouw", BAO juli 2022)
    datetime.date(2022, 10, 30),
    datetime.date(2022, 12, 31),
    datetime.date(2023, 3, 31),
)
UKRAINE_ENDS_LATER = datetime.date(2024, 6, 30)

UKRAINE_NOTE = (
    "Demodata (verzonnen): locatie, plekken en bezetting zijn bedacht. Wel uit de documenten: "
    "de regionale totalen, zoals 2.475 operationele plekken waarvan 2.189 bezet in juli 2022 "
    "(Verslag BAO juli 2022, agendapunt 10.2), 2.790 gerealiseerde plekken in december 2022 "
    "(Procesplan Twente Opvang Vluchtelingen, dec. 2022, tabel 2.2) en om en nabij 3.200 "
    "plekken in december 2023 (Verslag PRT Overijssel 22 december 2023)."
)


def _ukraine(rng: random.Random) -> list[PlannedLocation]:
    """Locations for Ukrainians whose capacity adds up to UKRAINE_TOTALS on their Mondays.

    Each period's increase is divided over the municipalities (population times a random
    effort factor, largest remainder, so it adds up exactly); a municipality's part opens a
    new location or enlarges one of its locations on a Monday within the period. Places of
    locations that close in a period are added to that period's increase.
    """
    made: dict[str, list[PlannedLocation]] = {code: [] for code in BY_CODE}
    sites: dict[str, list[str]] = {}
    compensation = [0] * len(UKRAINE_TOTALS)
    previous, start = 0, FIRST_MONDAY
    for index, (milestone, total) in enumerate(UKRAINE_TOTALS):
        mondays = _mondays(start, milestone)
        weights = {code: BY_CODE[code].population * rng.randint(50, 150) for code in BY_CODE}
        exclude = []
        if index == 0:  # not every municipality had places in the first weeks
            exclude = rng.sample(sorted(code for code in BY_CODE if code != "GM0153"), 5)
        minimums = {code: 20 for code in BY_CODE if not made[code] and index >= 2}
        increase = total - previous + compensation[index]
        for share in allocate(increase, weights, minimums=minimums, exclude=exclude):
            if share.share:
                _ukraine_grow(rng, made, sites, share.key, share.share, mondays, index)
        if index == 1:
            _ukraine_close(rng, made, compensation)
        previous, start = total, milestone + WEEK
    late = [
        location
        for code in sorted(made)
        for location in made[code]
        if location.steps[0][0] > UKRAINE_TOTALS[3][0] and location.contract_end is None
    ]
    # Two contracts that run out after the demo period (the outlook shows them ending).
    for location in rng.sample(late, min(2, len(late))):
        location.contract_end = UKRAINE_ENDS_LATER
    locations = [location for code in sorted(made) for location in made[code]]
    hengelo = BY_CODE["GM0164"]
    latitude, longitude = _coordinates(rng, hengelo.places[0])
    locations.append(
        PlannedLocation(
            code="DEMO-OEK-HGL-90",
            name="Flexwoningen Oekraïne Hengelo (gepland)",
            municipality=hengelo.code,
            place=hengelo.places[0].name,
            type=LocationType.FLEX,
            target_group=TargetGroup.UKRAINE,
            status=LocationStatus.PLANNED,
            opened_on=datetime.date(2024, 4, 1),
            contract_end=None,
            planned_capacity=96,
            latitude=latitude,
            longitude=longitude,
            notes="Demodata (verzonnen): geplande locatie, voor de vooruitblik.",
        )
    )
    return locations


def _ukraine_grow(rng, made, sites, code, places, mondays, period) -> None:
    municipality = BY_CODE[code]
    open_ones = [
        location
        for location in made[code]
        if location.contract_end is None and location.status != LocationStatus.CLOSED
    ]
    if open_ones and places < 150 and (places < 40 or rng.random() < 0.5):
        location = rng.choice(open_ones)
        day = rng.choice(mondays)
        location.steps.append((day, location.steps[-1][1] + places))
        return
    parts = 1 if places <= 260 else -(-places // 200)
    for part in _split(rng, places, parts):
        hotel = rng.random() < (0.35 if period <= 1 else 0.15)
        pool = sites.setdefault(f"{code}:{hotel}", list(HOTEL_SITES if hotel else UKRAINE_SITES))
        site = pool.pop(rng.randrange(len(pool))) if pool else "locatie"
        place = rng.choice(municipality.places)
        number = len(made[code]) + 1
        latitude, longitude = _coordinates(rng, place)
        day = rng.choice(mondays)
        made[code].append(
            PlannedLocation(
                code=f"DEMO-OEK-{municipality.abbreviation}-{number:02d}",
                name=f"Opvang Oekraïne {place.name} ({site})",
                municipality=code,
                place=place.name,
                type=LocationType.HOTEL if hotel else LocationType.UKRAINE_MUNICIPAL,
                target_group=TargetGroup.UKRAINE,
                status=LocationStatus.OPERATIONAL,
                opened_on=day,
                contract_end=None,
                latitude=latitude,
                longitude=longitude,
                notes=UKRAINE_NOTE,
                profile="ukraine",
                steps=[(day, part)],
            )
        )


def _ukraine_close(rng, made, compensation) -> None:
    """Close a few locations of the first months; their places are made up for in the period
    in which they close, so the totals still hold."""
    candidates = sorted(
        (location for code in sorted(made) for location in made[code]),
        key=lambda location: (location.type != LocationType.HOTEL, location.code),
    )
    hotels = [location for location in candidates if location.type == LocationType.HOTEL]
    chosen = rng.sample(hotels, len(UKRAINE_CLOSINGS)) if len(hotels) >= 3 else candidates[:3]
    for location, day in zip(chosen, UKRAINE_CLOSINGS, strict=True):
        location.status = LocationStatus.CLOSED
        location.contract_end = day
        period = next(i for i, (milestone, _) in enumerate(UKRAINE_TOTALS) if day <= milestone)
        compensation[period] += location.steps[-1][1]


# Asylum -------------------------------------------------------------------------------------


def _asylum_reference(
    rng: random.Random, reference: Mapping[str, ReferenceLocation]
) -> list[PlannedLocation]:
    """Weekly reports for the reference data's AZCs and CNO locations. The CNO locations
    open in June to September 2022 ("sinds juni") and report until their contract end;
    AZC Albergen, in preparation in December 2022, opens on ALBERGEN_OPENS."""
    june = _mondays(datetime.date(2022, 6, 6), datetime.date(2022, 6, 27))
    later = _mondays(datetime.date(2022, 7, 4), datetime.date(2022, 9, 26))
    locations = []
    for code in sorted(reference):
        ref = reference[code]
        location = PlannedLocation(
            code=code,
            name=code,
            municipality=ref.municipality,
            place="",
            type=ref.type,
            target_group=TargetGroup.ASYLUM,
            status=ref.status,
            opened_on=None,
            contract_end=ref.contract_end,
            latitude=None,
            longitude=None,
            notes="",
            reference=True,
        )
        if ref.type == LocationType.AZC and ref.status == LocationStatus.OPERATIONAL:
            location.profile, location.ramps = "azc", False
            location.steps = [(FIRST_MONDAY, ref.capacity)]
        elif ref.type == LocationType.AZC:
            location.profile = "azc"
            location.status = LocationStatus.OPERATIONAL
            location.opened_on = ALBERGEN_OPENS
            location.steps = [(ALBERGEN_OPENS, ref.capacity)]
        else:
            location.profile = "cno"
            location.steps = [(rng.choice(june if ref.capacity >= 28 else later), ref.capacity)]
        locations.append(location)
    return locations


def _crisis_places(rng: random.Random, shares: Mapping[str, int]) -> list[PlannedLocation]:
    """The BAO's 225 crisis places: one location per municipality with its share, open for
    three months from a Monday in July 2022 (municipalities started at different speeds)."""
    locations = []
    for code in sorted(shares):
        if not shares[code]:
            continue
        municipality = BY_CODE[code]
        opened = BAO_FIRST_MONDAY + WEEK * rng.choice([0, 0, 0, 1, 1, 2, 3])
        latitude, longitude = _coordinates(rng, municipality.places[0])
        locations.append(
            PlannedLocation(
                code=f"DEMO-BAO-{municipality.abbreviation}",
                name=f"Crisisnoodopvang BAO {municipality.name}",
                municipality=code,
                place=municipality.places[0].name,
                type=LocationType.CNO,
                target_group=TargetGroup.ASYLUM,
                status=LocationStatus.CLOSED,
                opened_on=opened,
                contract_end=opened + WEEK * BAO_WEEKS - DAY,
                latitude=latitude,
                longitude=longitude,
                notes=(
                    "Demodata: het aantal plekken is het aandeel van deze gemeente in de "
                    "crisisnoodopvang voor 225 asielzoekers gedurende 3 maanden (Verslag BAO juli "
                    "2022, agendapunt 10.3: verdeling naar inwonertal, Enschede 50-60, "
                    "Hengelo en Almelo 25-30, overige gemeenten 10-15). Locatie, openingsdatum "
                    "en bezetting zijn verzonnen."
                ),
                profile="crisis",
                steps=[(opened, shares[code])],
            )
        )
    return locations


def _asylum_emergency() -> list[PlannedLocation]:
    """COA emergency reception of autumn 2023 and a planned AZC (all made up): temporary
    places that end in 2024 (Verslag PRT Overijssel 22 december 2023) and the outlook."""
    rng = random.Random(f"{SEED}:emergency")
    rows = (
        ("DEMO-COA-ENS-01", "GM0153", "Noodopvang COA Enschede (paviljoens)", 350,
         datetime.date(2023, 10, 2), datetime.date(2024, 9, 30)),
        ("DEMO-COA-RHO-01", "GM1742", "Noodopvang COA Rijssen (hal)", 200,
         datetime.date(2023, 11, 6), datetime.date(2024, 6, 30)),
        ("DEMO-COA-HGL-01", "GM0164", "Noodopvang COA Hengelo (kantoorpand)", 150,
         datetime.date(2023, 12, 4), datetime.date(2024, 6, 30)),
    )  # fmt: skip
    locations = []
    for code, municipality_code, name, places, opened, ends in rows:
        place = BY_CODE[municipality_code].places[0]
        latitude, longitude = _coordinates(rng, place)
        locations.append(
            PlannedLocation(
                code=code,
                name=name,
                municipality=municipality_code,
                place=place.name,
                type=LocationType.COA_EMERGENCY,
                target_group=TargetGroup.ASYLUM,
                status=LocationStatus.OPERATIONAL,
                opened_on=opened,
                contract_end=ends,
                latitude=latitude,
                longitude=longitude,
                notes=(
                    "Demodata (verzonnen): tijdelijke noodopvang die in 2024 eindigt, zoals "
                    "het Verslag PRT Overijssel 22 december 2023 die plekken beschrijft."
                ),
                profile="emergency",
                steps=[(opened, places)],
            )
        )
    place = BY_CODE["GM1742"].places[1]
    latitude, longitude = _coordinates(rng, place)
    locations.append(
        PlannedLocation(
            code="DEMO-AZC-RHO-90",
            name="Azc Holten (gepland)",
            municipality="GM1742",
            place=place.name,
            type=LocationType.AZC,
            target_group=TargetGroup.ASYLUM,
            status=LocationStatus.PLANNED,
            opened_on=datetime.date(2024, 10, 1),
            contract_end=None,
            planned_capacity=300,
            latitude=latitude,
            longitude=longitude,
            notes="Demodata (verzonnen): geplande locatie, voor de vooruitblik.",
        )
    )
    return locations


# Permit holders -----------------------------------------------------------------------------


def _permit_holders(rng: random.Random, shares: Mapping[str, int]) -> list[PlannedLocation]:
    """Intermediate housing and flex homes for permit holders: by the end of June 2023 as
    many places as PERMIT_HOLDERS_REALISED says, divided over the municipalities around
    their share of the task (some above, most a little below); more in the second half."""
    deadline, realised = PERMIT_HOLDERS_REALISED
    weights = {code: max(shares.get(code, 0), 1) * rng.randint(85, 112) for code in BY_CODE}
    targets = {share.key: share.share for share in allocate(realised, weights)}
    early = _mondays(FIRST_MONDAY, datetime.date(2022, 6, 27))
    h1 = _mondays(datetime.date(2022, 9, 5), deadline)
    locations: list[PlannedLocation] = []
    counters: dict[str, int] = {}

    def add(code, places, day, flex, status=LocationStatus.OPERATIONAL, planned=None):
        municipality = BY_CODE[code]
        counters[code] = counters.get(code, 0) + 1
        place = rng.choice(municipality.places)
        latitude, longitude = _coordinates(rng, place)
        kind = "Flexwoningen" if flex else "Tussenvoorziening"
        locations.append(
            PlannedLocation(
                code=f"DEMO-SH-{municipality.abbreviation}-{counters[code]:02d}",
                name=f"{kind} statushouders {place.name}",
                municipality=code,
                place=place.name,
                type=LocationType.FLEX if flex else LocationType.INTERMEDIATE,
                target_group=TargetGroup.PERMIT_HOLDERS,
                status=status,
                opened_on=day,
                contract_end=None,
                planned_capacity=planned,
                latitude=latitude,
                longitude=longitude,
                notes=(
                    "Demodata (verzonnen): plekken en bezetting zijn bedacht. De taakstelling "
                    "van 764 statushouders voor de eerste helft van 2023 komt uit het Procesplan "
                    "Twente Opvang Vluchtelingen, dec. 2022, bijlage 3."
                    if planned is None
                    else "Demodata (verzonnen): geplande locatie, voor de vooruitblik."
                ),
                profile="permit_holders" if planned is None else "",
                steps=[(day, places)] if planned is None else [],
            )
        )

    for code in sorted(targets):
        target = targets[code]
        parts = 1 if target < 35 else 2 if target < 90 else 3
        days = sorted(rng.sample(h1, parts))
        if target >= 90:  # the large municipalities already had some intermediate housing
            days[0] = rng.choice(early)
        for places, day in zip(_split(rng, target, parts), days, strict=True):
            add(code, places, day, flex=rng.random() < 0.3)
    h2 = _mondays(datetime.date(2023, 8, 7), datetime.date(2023, 12, 4))
    chosen = sorted(rng.sample(sorted(BY_CODE), 6))
    for code, places in zip(chosen, _split(rng, PERMIT_HOLDERS_SECOND_HALF, 6), strict=True):
        add(code, places, rng.choice(h2), flex=True)
    add("GM0153", 0, datetime.date(2024, 3, 4), True, LocationStatus.PLANNED, planned=48)
    add("GM1700", 0, datetime.date(2024, 5, 6), True, LocationStatus.PLANNED, planned=36)
    return locations


# Reports ------------------------------------------------------------------------------------


# Permit-holder housing (persons housed, the task's own measure) ---------------------------

HOUSING_FIRST_HALF = (datetime.date(2023, 1, 1), datetime.date(2023, 6, 30))
HOUSING_SECOND_HALF_TOTAL = 772  # made up: near the second half's forecast of 786


def _month_ends(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    ends, day = [], first
    while day <= last:
        following = datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        ends.append(following - datetime.timedelta(days=1))
        day = following
    return ends


def _housing(rng: random.Random, shares: Mapping[str, int]) -> list[PlannedHousing]:
    """Monthly housing reports of 2023 per municipality: in the first half as many persons
    as PERMIT_HOLDERS_REALISED says (near, not at, the task of 764), divided around each
    municipality's share; in the second half HOUSING_SECOND_HALF_TOTAL by the same shares.
    About 4% of the housed are AMV; the linked pipeline shrinks as the year goes on."""
    codes = sorted(shares)
    weights = {code: max(1, round(shares[code] * rng.uniform(85, 110))) for code in codes}
    halves = (
        (_month_ends(*HOUSING_FIRST_HALF), PERMIT_HOLDERS_REALISED[1]),
        (
            _month_ends(datetime.date(2023, 7, 1), datetime.date(2023, 12, 31)),
            HOUSING_SECOND_HALF_TOTAL,
        ),
    )
    rows = []
    for months, total in halves:
        per_municipality = {share.key: share.share for share in allocate(total, weights)}
        for code in codes:
            for day, housed in zip(
                months, _split(rng, per_municipality[code], len(months)), strict=True
            ):
                rows.append(
                    PlannedHousing(
                        municipality=code,
                        date=day,
                        housed=housed,
                        housed_amv=min(housed, round(housed * rng.uniform(0.0, 0.08))),
                        linked=max(0, round(shares[code] * rng.uniform(0.05, 0.25))),
                    )
                )
    return rows


def _reports(locations: list[PlannedLocation]) -> list[PlannedReport]:
    reports = []
    for location in locations:
        if location.steps:
            reports.extend(_location_reports(location))
    return reports


def _location_reports(location: PlannedLocation) -> list[PlannedReport]:
    rng = random.Random(f"{SEED}:reports:{location.code}")
    first, last = location.steps[0][0], location.last_monday()
    weeks = _mondays(first, last)
    bias = rng.gauss(0, 0.025)
    noise = 0.0
    wind_weeks, wind_floor = WIND_DOWN.get(location.profile, (0, 1.0))
    reports = []
    for index, monday in enumerate(weeks):
        noise = 0.6 * noise + rng.gauss(0, 0.02)
        capacity = location.capacity_on(monday)
        # Each enlargement fills up over a few weeks, like a new location.
        filled = 0.0
        previous = 0
        for start, places in location.steps:
            if start > monday:
                break
            weeks_open = (monday - start).days // 7
            ramp = 1 - 0.45 ** (weeks_open + 1) if location.ramps else 1.0
            filled += (places - previous) * ramp
            previous = places
        rate = _curve(location.profile, monday) + bias + noise
        if location.contract_end is not None and wind_weeks:
            weeks_left = (location.contract_end - monday).days / 7
            if weeks_left < wind_weeks:
                rate *= wind_floor + (1 - wind_floor) * max(weeks_left, 0) / wind_weeks
        occupied = max(0, min(capacity, round(filled * min(rate, 1.0))))
        day = monday
        choice = rng.random()
        changed = index > 0 and capacity != location.capacity_on(monday - WEEK)
        may_slip = 0 < index < len(weeks) - 1 and not changed and monday not in KEY_MONDAYS
        if may_slip and monday != LAST_MONDAY and choice < MISSING_SHARE:
            continue
        if may_slip and monday != LAST_MONDAY and choice < MISSING_SHARE + LATE_SHARE:
            day = monday + DAY * rng.choice([1, 2, 3])
        if day == datetime.date(2022, 12, 1):  # the reference data's own report day
            day = monday
        reports.append(PlannedReport(location.code, day, capacity, occupied))
    return reports


def _set_occupied_total(reports, locations, day, total, target_group) -> None:
    """Move the occupied places of the reports on `day` one by one until they add up to
    `total` (a few places per location: the week still looks like its neighbours)."""
    group = {location.code for location in locations if location.target_group == target_group}
    those = sorted(
        (report for report in reports if report.date == day and report.location in group),
        key=lambda report: report.location,
    )
    difference = total - sum(report.occupied for report in those)
    step = 1 if difference > 0 else -1
    while difference:
        moved = False
        for report in those:
            if difference and 0 <= report.occupied + step <= report.capacity:
                report.occupied += step
                difference -= step
                moved = True
        if not moved:
            raise ValueError(f"cannot reach {total} occupied places on {day}")


def _flag_implausible(reports, locations) -> None:
    """The last report of Enschede's largest location for Ukrainians has a digit too few
    in its occupied places; it is flagged as the checks flag it. Two other locations miss
    their last report."""
    by_location: dict[str, list[PlannedReport]] = {}
    for report in reports:
        by_location.setdefault(report.location, []).append(report)
    enschede = [
        location
        for location in locations
        if location.municipality == "GM0153"
        and location.target_group == TargetGroup.UKRAINE
        and location.code in by_location
        and by_location[location.code][-1].date == LAST_MONDAY
    ]
    largest = max(enschede, key=lambda location: (location.capacity_on(LAST_MONDAY), location.code))
    history = by_location[largest.code]
    last = history[-1]
    last.occupied //= 10
    earlier = [(report.capacity, report.occupied) for report in reversed(history[:-1])][:12]
    last.flagged = True
    last.flag_reason = outlier_reason(
        capacity=last.capacity, occupied=last.occupied, history=earlier
    ) or (f"Bezet ({last.occupied}) wijkt sterk af van de vorige melding ({earlier[0][1]}).")
    rng = random.Random(f"{SEED}:missing")
    candidates = sorted(
        code
        for code, rows in by_location.items()
        if rows[-1].date == LAST_MONDAY and code != largest.code and len(rows) > 1
    )
    for code in rng.sample(candidates, 2):
        rows = by_location[code]
        if rows[-1].capacity == rows[-2].capacity:
            reports.remove(rows[-1])


def _check(plan: DemoPlan) -> None:
    """The documents' figures, as the overview will compute them from these reports."""
    problems = []
    for day, total in UKRAINE_TOTALS:
        found = plan.totals_on(day, TargetGroup.UKRAINE)[0]
        if found != total:
            problems.append(f"Ukraine on {day}: {found} places, not {total}")
    day, occupied = UKRAINE_OCCUPIED
    found = plan.totals_on(day, TargetGroup.UKRAINE)[1]
    if found != occupied:
        problems.append(f"Ukraine on {day}: {found} occupied, not {occupied}")
    housed = plan.housed_between(*HOUSING_FIRST_HALF)
    if housed != PERMIT_HOLDERS_REALISED[1]:
        problems.append(f"permit holders housed in the first half of 2023: {housed}")
    day, realised = PERMIT_HOLDERS_REALISED
    found = plan.totals_on(day, TargetGroup.PERMIT_HOLDERS)[0]
    if found != realised:
        problems.append(f"permit holders on {day}: {found} places, not {realised}")
    if problems:
        raise ValueError("; ".join(problems))
