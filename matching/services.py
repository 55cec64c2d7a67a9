"""Writes and the ranking of the phone team's matching.

`matches_find` ranks the locations with room for a request; `placement_create` and
`placement_end` change a location's occupied count for today through capacity's
`report_submit` (source "placement"), so a placement's report gets the checks, flag, version,
history and recompute of every report write (`capacity.reporting.reports_record`). Both lock
the location row first (`select_for_update`), so two people placing into the
same location are served one after the other and the second sees the first one's report: a
placement never pushes occupied above capacity.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from allocation.choices import ShareStatus
from allocation.models import Share
from allocation.selectors import active_assignments
from capacity.choices import LocationStatus, LocationType, ReportSource
from capacity.lifecycle import EffectiveStatus, location_effective_status
from capacity.models import FACILITY_FIELDS, CapacityReport, Location
from capacity.selectors import locations_as_of
from capacity.services import report_submit
from municipalities.errors import ConflictError
from municipalities.models import SafetyRegion

from .choices import Category, PlacementStatus
from .models import Placement, PlacementRequest

# The ranked list is for people on the phone: more than this many places is never read.
MAX_MATCHES = 100
REQUEST_FIELDS = (
    "people",
    "target_group",
    "category",
    "adults",
    "children",
    "household",
    *FACILITY_FIELDS,
    "preferred_municipality",
    "arrival_date",
    "origin",
    "origin_note",
)


class NoRoomError(ConflictError):
    """The location has fewer free places than the placement needs (HTTP 409)."""

    def __init__(self, *, location: Location, free: int):
        self.location = location
        self.free = max(free, 0)
        super().__init__(
            _("Er is geen plek meer in %(name)s: nog %(free)s vrij.")
            % {"name": location.name, "free": self.free}
        )


class PlacementEndedError(ValidationError, ConflictError):
    """The placement was already cancelled or departed; nothing changes (HTTP 409)."""


# Finding --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criteria:
    """What a request asks for. `needs` are names from capacity.models.FACILITY_FIELDS;
    `preferred_municipality` is a CBS code."""

    people: int
    target_group: str
    needs: tuple[str, ...] = ()
    preferred_municipality: str | None = None
    municipality_only: str | None = None
    # An unaccompanied minor goes to an AMV location only, ranked by the task's AMV part.
    amv: bool = False

    @classmethod
    def of_request(cls, request: PlacementRequest) -> "Criteria":
        preferred = request.preferred_municipality
        return cls(
            people=request.people,
            target_group=request.target_group,
            needs=tuple(name for name in FACILITY_FIELDS if getattr(request, name)),
            preferred_municipality=preferred.code if preferred else None,
            amv=request.category == Category.AMV,
        )


@dataclass(frozen=True)
class Match:
    location: Location
    free: int
    capacity: int
    occupied: int
    reserved: int
    last_report: datetime.date
    stale: bool
    preferred: bool
    share_gap: int | None  # effective share − realised of the active task; None without one
    # What the gap was read from: "agreed" shares, or "indicative" ones when the task has no
    # agreed share at all; None without a task.
    share_basis: str | None = None

    @property
    def municipality(self):
        return self.location.municipality

    @property
    def facilities(self) -> list[str]:
        return [name for name in FACILITY_FIELDS if getattr(self.location, name)]


def matches_find(
    *, criteria: Criteria, region_code: str, on: datetime.date | None = None
) -> list[Match]:
    """The region's operational locations of the request's target group with at least
    `criteria.people` free places (capacity − occupied − reserved of the latest report on or
    before `on`) and every facility asked for.

    Ranked: the preferred municipality first, then most free places, then the municipality
    furthest behind its share of the active task of that target group (effective share −
    realised, bigger first; municipalities without a share last), then location code. Only
    agreed shares count: an indicative or offered share binds nobody. When no share of the
    task is agreed the indicative ones count, and each match says so (`share_basis`).
    An AMV request (`criteria.amv`) is offered AMV locations only, ranked by the shares of
    the task's AMV part (a third query). Two queries otherwise: the active task, then the
    locations with the share's gap as a subquery.
    """
    on = on or timezone.localdate()
    assignment = active_assignments(region_code=region_code, on=on).get(criteria.target_group)
    if criteria.amv and assignment is not None:
        # The AMV part of the task ranks an AMV request (a third query); without one, none.
        assignment = assignment.parts.filter(location_types=[LocationType.AMV]).first()
    # Operational by the lifecycle rule and not already marked closed (a closed location
    # still counts up to its closing day, but takes nobody new).
    locations = (
        locations_as_of(on=on, region_code=region_code)
        .exclude(status=LocationStatus.CLOSED)
        .filter(
            target_group=criteria.target_group,
            counted=True,
            report_free__gte=criteria.people,
            **{name: True for name in criteria.needs},
        )
    )
    if criteria.municipality_only:
        locations = locations.filter(municipality__code=criteria.municipality_only)
    if criteria.amv:
        locations = locations.filter(type=LocationType.AMV)
    if assignment is not None:
        any_agreed = Exists(
            Share.objects.filter(assignment_id=assignment.pk, status=ShareStatus.AGREED)
        )
        gap = (
            Share.objects.with_effective()
            .filter(assignment_id=assignment.pk, municipality_id=OuterRef("municipality_id"))
            .filter(Q(status=ShareStatus.AGREED) | ~any_agreed)
            .values("gap")[:1]
        )
        locations = locations.annotate(
            share_gap=Subquery(gap, output_field=IntegerField()),
            share_basis=Case(
                When(any_agreed, then=Value(ShareStatus.AGREED.value)),
                default=Value(ShareStatus.INDICATIVE.value),
            ),
        )
    else:
        locations = locations.annotate(
            share_gap=Value(None, output_field=IntegerField()),
            share_basis=Value(None, output_field=CharField()),
        )
    preferred = criteria.preferred_municipality
    locations = locations.annotate(
        preferred=Case(
            When(municipality__code=preferred or "", then=Value(True)), default=Value(False)
        )
    ).order_by(
        F("preferred").desc(),
        F("report_free").desc(),
        F("share_gap").desc(nulls_last=True),
        "code",
    )[:MAX_MATCHES]
    stale_before = on - datetime.timedelta(days=settings.STALE_REPORT_DAYS)
    return [
        Match(
            location=location,
            free=location.report_free,
            capacity=location.report_capacity,
            occupied=location.report_occupied,
            reserved=location.report_reserved,
            last_report=location.report_date,
            stale=location.report_date < stale_before,
            preferred=location.preferred,
            share_gap=location.share_gap,
            share_basis=location.share_basis,
        )
        for location in locations
    ]


# Requests -------------------------------------------------------------------------------------


@transaction.atomic
def placement_request_create(*, region: SafetyRegion, user, **fields) -> PlacementRequest:
    """Record a request the phone team took (fields from REQUEST_FIELDS)."""
    unknown = set(fields) - set(REQUEST_FIELDS)
    if unknown:
        raise TypeError(f"unknown request fields: {', '.join(sorted(unknown))}")
    request = PlacementRequest(region=region, created_by=_user(user), **fields)
    request.full_clean()
    request.save()
    return request


# Placing --------------------------------------------------------------------------------------


def _user(user):
    return user if user is not None and user.is_authenticated else None


def _latest_report(location: Location, on: datetime.date) -> CapacityReport | None:
    return CapacityReport.objects.filter(location=location, date__lte=on).order_by("-date").first()


@transaction.atomic
def placement_create(
    *,
    location: Location,
    people: int,
    target_group: str,
    category: str = Category.REGULAR,
    request: PlacementRequest | None = None,
    user,
) -> Placement:
    """Place `people` into `location` and raise its occupied count for today at once.

    Raises NoRoomError when the location's latest report leaves fewer free places, and
    ValidationError (Dutch messages) for impossible input. The location row stays locked
    until the transaction ends, so concurrent placements into it run one after the other.
    """
    location = (
        Location.objects.select_for_update(of=("self",))
        .select_related("municipality")
        .get(pk=location.pk)
    )
    today = timezone.localdate()
    placement = Placement(
        request=request,
        location=location,
        people=people,
        target_group=target_group,
        category=category,
        placed_at=timezone.now(),
        placed_by=_user(user),
    )
    placement.full_clean(exclude=["report"])
    if (
        location_effective_status(location, today) != EffectiveStatus.OPERATIONAL
        or location.status == LocationStatus.CLOSED
    ):
        raise ValidationError(
            {
                "location": _("%(name)s is niet operationeel; plaatsen kan daar niet.")
                % {"name": location.name}
            }
        )
    latest = _latest_report(location, today)
    free = 0 if latest is None else latest.capacity - latest.occupied - latest.reserved
    if people > free:
        raise NoRoomError(location=location, free=free)
    placement.report = report_submit(
        location=location,
        date=today,
        capacity=latest.capacity,
        occupied=latest.occupied + people,
        reserved=latest.reserved,
        source=ReportSource.PLACEMENT,
        user=user,
    )
    placement.save()
    return placement


@transaction.atomic
def placement_end(*, placement: Placement, status: str, user) -> Placement:
    """Cancel a placement or record the departure: today's report of its location gets
    `people` fewer occupied places (never below 0). A placement ends only once."""
    if status not in (PlacementStatus.CANCELLED, PlacementStatus.DEPARTED):
        raise ValueError(f"a placement ends as cancelled or departed, not {status!r}")
    # Same lock order as placement_create: the location first, then the placement.
    location = Location.objects.select_for_update().get(pk=placement.location_id)
    current = Placement.objects.select_for_update().get(pk=placement.pk)
    if current.status != PlacementStatus.PLACED:
        raise PlacementEndedError(
            _("Deze plaatsing is al %(value)s; er verandert niets.")
            % {"value": current.get_status_display().lower()}
        )
    today = timezone.localdate()
    latest = _latest_report(location, today)
    # After the contract end no report counts (and none is accepted): the placement ends
    # without a count to lower.
    ended = location.contract_end is not None and location.contract_end < today
    if latest is not None and not ended:
        report_submit(
            location=location,
            date=today,
            capacity=latest.capacity,
            occupied=max(latest.occupied - current.people, 0),
            reserved=latest.reserved,
            source=ReportSource.PLACEMENT,
            user=user,
        )
    current.status = status
    current.ended_at = timezone.now()
    current.ended_by = _user(user)
    current.full_clean()
    current.save()
    return current
