"""Seed the load test's database: Twente as the load test meets it (bench/load/run.sh).

    DATABASE_URL=postgres://.../twente_load .venv/bin/python bench/load/seed.py ACCOUNTS.json

Run after `migrate` and `load_twente`. It adds, through the services where the app has them:
- the CNO locations of 2022 that closed with their contract (31-07-2023) marked closed, as
  a project leader would have done;
- operational locations for every municipality of Twente, about one per 8,000 inhabitants
  (~80 in all, Twente's order of magnitude), spread over the three target groups;
- a year of weekly reports for every operational location (on today - 7, - 14, ... days, so
  the last seven days are free for the load test's reports), then the full recompute;
- an adopted task per target group with a deadline ahead;
- accounts with their passwords and API tokens: coordinators (each with a confirmed TOTP
  device whose key goes to ACCOUNTS.json), a project leader for each of
  the 14 municipalities, a provincial reader.

The accounts (username, password, token, municipality, the location codes and capacities a
project leader reports for) go to ACCOUNTS.json for the locustfile.
"""

import datetime
import json
import os
import random
import secrets
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twente.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from allocation.services import assignment_create  # noqa: E402
from capacity.choices import LocationStatus, LocationType, ReportSource, TargetGroup  # noqa: E402
from capacity.models import CapacityReport, Location  # noqa: E402
from capacity.services import location_create, location_update, occupancy_recompute  # noqa: E402
from municipalities.models import Municipality, Role, SafetyRegion  # noqa: E402
from municipalities.services import user_provision  # noqa: E402

REGION = "VR05"
User = get_user_model()
WEEKS = 52
# One account per simulated coordinator: a TOTP code is accepted once per device and period,
# so two users logging in on one account in the same 30 s would refuse each other.
COORDINATORS = int(os.environ.get("LOAD_COORDINATORS", "30"))
INHABITANTS_PER_LOCATION = 8_000
# (type, target group, smallest and largest number of places)
KINDS = [
    (LocationType.COA_EMERGENCY, TargetGroup.ASYLUM, 40, 300),
    (LocationType.UKRAINE_MUNICIPAL, TargetGroup.UKRAINE, 15, 150),
    (LocationType.INTERMEDIATE, TargetGroup.PERMIT_HOLDERS, 10, 60),
    (LocationType.FLEX, TargetGroup.PERMIT_HOLDERS, 12, 48),
    (LocationType.HOTEL, TargetGroup.UKRAINE, 20, 90),
]


def password() -> str:
    return f"load-{secrets.token_urlsafe(18)}"


def close_ended_locations(today: datetime.date) -> int:
    closed = 0
    ended = Location.objects.filter(contract_end__lt=today).exclude(status=LocationStatus.CLOSED)
    for location in ended:
        location_update(location=location, user=None, reason="seed", status=LocationStatus.CLOSED)
        closed += 1
    return closed


def add_locations(municipalities: list[Municipality], rng: random.Random) -> int:
    added = 0
    for municipality in municipalities:
        count = max(3, round((municipality.population_on() or 0) / INHABITANTS_PER_LOCATION))
        for n in range(1, count + 1):
            kind, group, low, high = KINDS[(n - 1) % len(KINDS)]
            location_create(
                user=None,
                reason="seed",
                code=f"LT-{municipality.code}-{n:02d}",
                name=f"{kind.label} {municipality.name} {n}",
                municipality=municipality,
                place=municipality.name,
                type=kind,
                target_group=group,
                status=LocationStatus.OPERATIONAL,
                planned_capacity=None,
                latitude=Decimal(f"{52.15 + rng.random() * 0.35:.5f}"),
                longitude=Decimal(f"{6.45 + rng.random() * 0.6:.5f}"),
                accessible=n % 2 == 0,
                family_rooms=n % 3 == 0,
            )
            added += 1
    return added


def add_reports(today: datetime.date, rng: random.Random) -> int:
    """A year of weekly reports per operational location, on today - 7k days (k = 1..52)."""
    reports = []
    for location in Location.objects.filter(status=LocationStatus.OPERATIONAL).order_by("code"):
        latest = location.reports.order_by("-date").first()
        capacity = latest.capacity if latest else rng.randint(*_range(location))
        for week in range(WEEKS, 0, -1):
            occupied = rng.randint(int(capacity * 0.75), capacity)
            reserved = rng.randint(0, min(3, capacity - occupied))
            reports.append(
                CapacityReport(
                    location=location,
                    date=today - datetime.timedelta(weeks=week),
                    capacity=capacity,
                    occupied=occupied,
                    reserved=reserved,
                    source=ReportSource.IMPORT,
                )
            )
    CapacityReport.objects.bulk_create(reports, batch_size=2000)
    return len(reports)


def _range(location: Location) -> tuple[int, int]:
    for kind, _group, low, high in KINDS:
        if kind == location.type:
            return low, high
    return 100, 400


def add_tasks(region: SafetyRegion, today: datetime.date) -> None:
    for group, total in (
        (TargetGroup.ASYLUM, 2400),
        (TargetGroup.PERMIT_HOLDERS, 900),
        (TargetGroup.UKRAINE, 1800),
    ):
        assignment_create(
            code=f"load-{group}",
            title=f"Taakstelling {TargetGroup(group).label} (belastingtest)",
            target_group=group,
            issuer="province",
            region=region,
            total=total,
            deadline=today + datetime.timedelta(days=120),
            adopt=True,
        )


def add_accounts(municipalities: list[Municipality]) -> dict:
    accounts: dict = {"coordinators": [], "project_leaders": [], "provincial_readers": []}

    def provision(username: str, role: str, municipality: str | None = None) -> dict:
        secret = password()
        user = user_provision(
            username=username, role=role, password=secret, municipality_code=municipality
        )
        token, _ = Token.objects.get_or_create(user=user)
        return {"username": username, "password": secret, "token": token.key}

    for n in range(1, COORDINATORS + 1):
        account = provision(f"load-coordinator-{n}", Role.COORDINATOR)
        # Coordinators owe a second factor: the load test's "authenticator app" is this key.
        device = TOTPDevice.objects.create(
            user=User.objects.get(username=account["username"]), name="Belastingtest"
        )
        account["totp_key"] = device.key
        accounts["coordinators"].append(account)
    for municipality in municipalities:
        account = provision(f"load-pl-{municipality.code}", Role.PROJECT_LEADER, municipality.code)
        locations = Location.objects.filter(
            municipality=municipality, status=LocationStatus.OPERATIONAL
        ).order_by("code")
        account["municipality"] = municipality.code
        account["locations"] = {
            location.code: location.reports.order_by("-date").values_list("capacity", flat=True)[0]
            for location in locations
        }
        accounts["project_leaders"].append(account)
    accounts["provincial_readers"].append(provision("load-provincie", Role.PROVINCIAL_READER))
    return accounts


def main(out: Path) -> None:
    today = timezone.localdate()
    rng = random.Random(9)
    region = SafetyRegion.objects.get(code=REGION)
    municipalities = list(Municipality.objects.in_region(REGION).order_by("code"))
    with transaction.atomic():
        closed = close_ended_locations(today)
        added = add_locations(municipalities, rng)
        reports = add_reports(today, rng)
        occupancy_recompute(municipality_ids=[m.pk for m in municipalities])
        add_tasks(region, today)
        accounts = add_accounts(municipalities)
    accounts["today"] = today.isoformat()
    accounts["seed_reports"] = CapacityReport.objects.count()
    out.write_text(json.dumps(accounts, indent=1))
    print(
        f"seed: {added} locations added, {closed} closed, {reports} weekly reports, "
        f"{CapacityReport.objects.count()} reports in all, "
        f"{Location.objects.filter(status=LocationStatus.OPERATIONAL).count()} operational "
        f"locations, {len(accounts['project_leaders'])} project leaders"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
