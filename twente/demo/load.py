"""Write the demo history (`plan.demo_plan`) to the database: `manage.py load_demo`.

Bulk writes, then one occupancy recompute for the region and one realisation recompute of its
tasks, synchronously, so the figures are complete without a worker. Safe to rerun: locations
are matched on their code and reports on (location, date), and only what differs from the
plan is written, so a second run writes no rows (the recompute is idempotent too).

What the demo owns: locations marked `demo`, reports with source `demo`, and the opening of
AZC Albergen (the reference data has it in preparation; `load_twente` sets that back, a next
`load_demo` opens it again). A report someone entered on a demo location's date is kept and
the demo's report for that date left out.
"""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.db.models.deletion import ProtectedError
from django.db.models.functions import Coalesce
from simple_history.utils import bulk_create_with_history

from allocation.models import Share
from allocation.services import realisation_recompute
from capacity.choices import ReportSource, TargetGroup
from capacity.models import CapacityReport, Location, PermitHolderReport
from capacity.seed import PLANNED_CAPACITY
from capacity.services import occupancy_recompute
from municipalities.models import Municipality
from twente.seeding import FIXTURES

from .plan import MUNICIPALITIES, DemoPlan, PlannedReport, ReferenceLocation, demo_plan

REGION_CODE = "VR05"
CRISIS_TASK = "asylum-cno-2022-10"  # the BAO's 225 crisis places for three months
PERMIT_HOLDER_TASK = "permit-holders-2023-h1"  # 764 permit holders, first half 2023
CHANGE_REASON = "demodata"
REPORT_FIELDS = ("capacity", "occupied", "flagged", "flag_reason")
LOCATION_FIELDS = (
    "name",
    "place",
    "type",
    "target_group",
    "status",
    "opened_on",
    "contract_end",
    "planned_capacity",
    "latitude",
    "longitude",
    "notes",
)


class DemoDataError(Exception):
    """The demo cannot be loaded (say the reference data is missing); nothing was written."""


@dataclass(frozen=True)
class DemoResult:
    locations: int
    locations_created: int
    locations_changed: int
    locations_deleted: int
    reports: int
    reports_created: int
    reports_changed: int
    reports_deleted: int
    latest_report: datetime.date | None


@transaction.atomic
def demo_load(*, directory: Path = FIXTURES) -> DemoResult:
    """Load the demo history of Twente over the reference data of `directory`."""
    municipalities = {
        municipality.code: municipality
        for municipality in Municipality.objects.in_region(REGION_CODE)
    }
    missing = [m.name for m in MUNICIPALITIES if m.code not in municipalities]
    if missing:
        raise DemoDataError(
            f"De referentiedata ontbreekt ({', '.join(missing)}): draai eerst "
            "`manage.py load_twente`."
        )
    reference = _reference(directory)
    plan = demo_plan(
        reference=reference,
        crisis_shares=_shares(CRISIS_TASK),
        permit_holder_shares=_shares(PERMIT_HOLDER_TASK),
    )
    location_ids, created, changed, deleted = _locations_apply(plan, municipalities)
    changed += _overlays_apply(plan)
    reports = _reports_apply(plan, location_ids)
    _housing_apply(plan, municipalities)
    ids = [municipality.pk for municipality in municipalities.values()]
    # Synchronously: `make run` serves the figures right after this command.
    occupancy_recompute(municipality_ids=ids)
    realisation_recompute(municipality_ids=ids)
    latest = CapacityReport.objects.filter(
        location__municipality__safety_region__code=REGION_CODE
    ).aggregate(latest=Max("date"))["latest"]
    return DemoResult(
        locations=len(plan.demo_locations),
        locations_created=created,
        locations_changed=changed,
        locations_deleted=deleted,
        reports=len(plan.reports),
        reports_created=reports[0],
        reports_changed=reports[1],
        reports_deleted=reports[2],
        latest_report=latest,
    )


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _reference(directory: Path) -> dict[str, ReferenceLocation]:
    """The reference data's asylum locations as its files define them (not as they are in the
    database now: the demo itself opens AZC Albergen there)."""
    capacities = {
        row["location"]: int(row["capacity"]) for row in _rows(directory / "capacity_reports.csv")
    }
    reference = {}
    for row in _rows(directory / "locations.csv"):
        if row["target_group"] != TargetGroup.ASYLUM:
            continue
        capacity = capacities.get(row["code"]) or PLANNED_CAPACITY.get(row["code"])
        if capacity is None:
            continue
        reference[row["code"]] = ReferenceLocation(
            code=row["code"],
            municipality=row["municipality"],
            type=row["type"],
            status=row["status"],
            capacity=capacity,
            contract_end=datetime.date.fromisoformat(row["contract_end"])
            if row["contract_end"]
            else None,
        )
    found = set(Location.objects.filter(code__in=reference).values_list("code", flat=True))
    if found != set(reference):
        raise DemoDataError(
            "De locaties uit de referentiedata ontbreken: draai eerst `manage.py load_twente`."
        )
    return reference


def _shares(code: str) -> dict[str, int]:
    shares = dict(
        Share.objects.filter(assignment__code=code)
        .annotate(base=Coalesce("agreed_share", "computed_share"))
        .values_list("municipality__code", "base")
    )
    if not shares:
        raise DemoDataError(
            f"De taakstelling {code} ontbreekt: draai eerst `manage.py load_twente`."
        )
    return shares


def _locations_apply(plan: DemoPlan, municipalities) -> tuple[dict[str, int], int, int, int]:
    """Create, change and delete demo locations to match the plan. Returns the ids by code
    of every location the plan reports for, and the counts created, changed, deleted."""
    wanted = {location.code: location for location in plan.demo_locations}
    existing = {location.code: location for location in Location.objects.filter(demo=True)}
    taken = set(Location.objects.filter(code__in=wanted, demo=False).values_list("code", flat=True))
    if taken:
        raise DemoDataError(
            f"Deze codes zijn al in gebruik voor echte locaties: {', '.join(sorted(taken))}."
        )
    new = []
    changed = 0
    for code, planned in wanted.items():
        values = {**planned.fields(), "municipality_id": municipalities[planned.municipality].pk}
        location = existing.get(code)
        if location is None:
            new.append(Location(code=code, demo=True, **values))
            continue
        if all(getattr(location, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(location, name, value)
        location.version += 1
        location.full_clean(validate_unique=False, validate_constraints=False)
        location._change_reason = CHANGE_REASON
        location.save()
        changed += 1
    for location in new:
        # The database holds the constraints; clean() holds the rules about one row.
        location.full_clean(validate_unique=False, validate_constraints=False)
    bulk_create_with_history(new, Location, batch_size=500, default_change_reason=CHANGE_REASON)
    obsolete = [location for code, location in existing.items() if code not in wanted]
    if obsolete:
        CapacityReport.objects.filter(location__in=obsolete).delete()
        try:
            Location.objects.filter(pk__in=[location.pk for location in obsolete]).delete()
        except ProtectedError as exc:
            raise DemoDataError(
                "Een demolocatie die niet meer in de demo hoort, heeft plaatsingen; verwijder "
                "die eerst."
            ) from exc
    codes = [location.code for location in plan.locations]
    ids = dict(Location.objects.filter(code__in=codes).values_list("code", "pk"))
    return ids, len(new), changed, len(obsolete)


def _overlays_apply(plan: DemoPlan) -> int:
    """Open the reference locations the demo opens (AZC Albergen), with a history entry."""
    changed = 0
    for location in Location.objects.filter(code__in=plan.overlays).order_by("code"):
        values = plan.overlays[location.code]
        if all(getattr(location, name) == value for name, value in values.items()):
            continue
        for name, value in values.items():
            setattr(location, name, value)
        location.version += 1
        location.full_clean()
        location._change_reason = CHANGE_REASON
        location.save()
        changed += 1
    return changed


def _reports_apply(plan: DemoPlan, location_ids: dict[str, int]) -> tuple[int, int, int]:
    """Make the demo reports match the plan: (created, changed, deleted)."""
    existing = {
        (report.location_id, report.date): report
        for report in CapacityReport.objects.filter(location_id__in=location_ids.values())
    }
    create, update, kept = [], [], set()
    for planned in plan.reports:
        key = (location_ids[planned.location], planned.date)
        report = existing.get(key)
        if report is None:
            create.append(_report(planned, key[0]))
            continue
        kept.add(report.pk)
        if report.source != ReportSource.DEMO:
            continue  # a report someone entered (or the reference data's own) stays
        if any(getattr(report, name) != getattr(planned, name) for name in REPORT_FIELDS):
            for name in REPORT_FIELDS:
                setattr(report, name, getattr(planned, name))
            report.version += 1
            update.append(report)
    # Demo reports the plan no longer has, also those of locations it no longer reports for.
    stale = [
        report.pk
        for report in existing.values()
        if report.source == ReportSource.DEMO and report.pk not in kept
    ]
    deleted = CapacityReport.objects.filter(pk__in=stale).delete()[0] if stale else 0
    deleted += (
        CapacityReport.objects.filter(source=ReportSource.DEMO)
        .exclude(location_id__in=location_ids.values())
        .delete()[0]
    )
    CapacityReport.objects.bulk_create(create, batch_size=1000)
    CapacityReport.objects.bulk_update(update, [*REPORT_FIELDS, "version"], batch_size=1000)
    return len(create), len(update), deleted


HOUSING_FIELDS = ("housed", "housed_amv", "linked")


def _housing_apply(plan: DemoPlan, municipalities) -> None:
    """Make the demo's permit-holder housing reports match the plan; a report someone
    entered for the same municipality and date stays as it is."""
    ids = {code: municipality.pk for code, municipality in municipalities.items()}
    existing = {
        (report.municipality_id, report.date): report
        for report in PermitHolderReport.objects.filter(municipality_id__in=ids.values())
    }
    create, update, kept = [], [], set()
    for planned in plan.housing:
        key = (ids[planned.municipality], planned.date)
        report = existing.get(key)
        if report is None:
            create.append(
                PermitHolderReport(
                    municipality_id=key[0],
                    date=planned.date,
                    source=ReportSource.DEMO,
                    **{name: getattr(planned, name) for name in HOUSING_FIELDS},
                )
            )
            continue
        kept.add(report.pk)
        if report.source == ReportSource.DEMO and any(
            getattr(report, name) != getattr(planned, name) for name in HOUSING_FIELDS
        ):
            for name in HOUSING_FIELDS:
                setattr(report, name, getattr(planned, name))
            report.version += 1
            update.append(report)
    stale = [
        report.pk
        for report in existing.values()
        if report.source == ReportSource.DEMO and report.pk not in kept
    ]
    PermitHolderReport.objects.filter(pk__in=stale).delete()
    PermitHolderReport.objects.bulk_create(create, batch_size=1000)
    PermitHolderReport.objects.bulk_update(update, [*HOUSING_FIELDS, "version"], batch_size=1000)


def _report(planned: PlannedReport, location_id: int) -> CapacityReport:
    return CapacityReport(
        location_id=location_id,
        date=planned.date,
        capacity=planned.capacity,
        occupied=planned.occupied,
        reserved=0,
        source=ReportSource.DEMO,
        flagged=planned.flagged,
        flag_reason=planned.flag_reason,
    )
