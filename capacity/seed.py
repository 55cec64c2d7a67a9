"""Seed data of `load_twente`: the CNO locations of December 2022 and the AZCs (Procesplan
Twente Opvang Vluchtelingen, dec. 2022),
with their capacity reports (twente/fixtures/README.md explains every figure).

Safe to rerun: rows are matched on the location code and (location, date); a row is only
saved when a value differs, so a rerun adds no history records and changes nothing.
"""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from municipalities.models import Municipality

from .choices import ReportSource
from .models import CapacityReport, Location, NationalFigure
from .recompute import figures_recompute

# twente/fixtures/README.md: AZC Albergen was "in oprichting" in December 2022 with 150 planned
# places (public news reports of 2022, not in the seeds); locations.csv has no column for it.
PLANNED_CAPACITY = {"AZC-TUB": 150}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(value: str) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _decimal(value: str) -> Decimal | None:
    return Decimal(value) if value else None


def _save_if_changed(model, lookup: dict, values: dict) -> bool:
    """Create the row, or update it when a value differs; True when something was written."""
    instance = model.objects.filter(**lookup).first()
    if instance is not None and all(
        getattr(instance, name) == value for name, value in values.items()
    ):
        return False
    if instance is not None:
        instance.version += 1  # locations and reports: a change raises the version
    instance = instance or model(**lookup)
    for name, value in values.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance._change_reason = "brondocument"
    instance.save()
    return True


@transaction.atomic
def load(*, directory: Path) -> dict[str, int]:
    municipalities = {m.code: m for m in Municipality.objects.all()}
    locations = {}
    for row in _rows(directory / "locations.csv"):
        planned = row.get("planned_capacity") or PLANNED_CAPACITY.get(row["code"])
        values = {
            "name": row["name"],
            "municipality": municipalities[row["municipality"]],
            "place": row["place"],
            "type": row["type"],
            "target_group": row["target_group"],
            "status": row["status"],
            "opened_on": _date(row["opened_on"]),
            "contract_end": _date(row["contract_end"]),
            "planned_capacity": int(planned) if planned else None,
            "latitude": _decimal(row["latitude"]),
            "longitude": _decimal(row["longitude"]),
            "notes": row.get("notes", ""),
        }
        _save_if_changed(Location, {"code": row["code"]}, values)
        locations[row["code"]] = Location.objects.get(code=row["code"])
    reports = 0
    for row in _rows(directory / "capacity_reports.csv"):
        _save_if_changed(
            CapacityReport,
            {"location": locations[row["location"]], "date": _date(row["date"])},
            {
                "capacity": int(row["capacity"]),
                "occupied": int(row["occupied"]),
                "reserved": int(row.get("reserved") or 0),
                "source": ReportSource.SEED,
            },
        )
        reports += 1
    national = _load_national_figures(directory / "national_figures.csv")
    municipality_ids = {location.municipality_id for location in locations.values()}
    # Synchronously: load_twente must leave the figures complete without a worker running.
    figures_recompute(municipality_ids=municipality_ids)
    return {"locations": len(locations), "capacity_reports": reports, "national_figures": national}


def _load_national_figures(path: Path) -> int:
    """The national figures the Verslag BAO juli 2022 names (4,919 places, 92%); a figure entered
    since for the same target group and date is the coordinators' and is left alone."""
    if not path.exists():
        return 0
    rows = _rows(path)
    for row in rows:
        NationalFigure.objects.get_or_create(
            target_group=row["target_group"],
            date=_date(row["date"]),
            defaults={
                "available_places": int(row["available_places"])
                if row["available_places"]
                else None,
                "occupancy_rate": _decimal(row["occupancy_rate"]),
                "source": row["source"],
            },
        )
    return len(rows)
