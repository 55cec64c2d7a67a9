"""Discretion about locations yet to open: who may see their name, place and coordinates.

The minutes ask to be "uiterst zorgvuldig" in naming locations (Presentatie BAO
31-08-2022): a planned location
or one in preparation may still fall through, and naming it early stirs up a municipality
before its council has decided. So such a location is named (code, name, place, address,
coordinates, its reports) only to

- the coordinators of its safety region, and
- the project leaders of its own municipality;

everybody else (other municipalities' project leaders, secretaries, provincial readers) sees
it only as a number per municipality (:func:`undisclosed_counts`). The map, the dashboard, the
location pages, exports and the API all go through this module.

"Yet to open" is judged by the lifecycle rule *today*, not on the date a page is shown for:
what matters is whether the location is public now. A location that opened since is public,
also on the map of a date on which it was still being prepared.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from municipalities.models import Municipality, Role
from municipalities.roles import has_role, membership_of

from .lifecycle import UPCOMING, location_effective_status
from .models import Location

HIDDEN = "Deze locatie bestaat niet of is (nog) niet openbaar."


def _upcoming_q(today: datetime.date, prefix: str = "") -> Q:
    """Locations that are planned or in preparation on `today` by the lifecycle rule."""
    not_ended = Q(**{f"{prefix}contract_end__isnull": True}) | Q(
        **{f"{prefix}contract_end__gte": today}
    )
    before_opening = Q(**{f"{prefix}opened_on__gt": today})
    upcoming_status = Q(**{f"{prefix}status__in": [value.value for value in UPCOMING]})
    return not_ended & (before_opening | upcoming_status)


def _named_q(user, prefix: str = "") -> Q | None:
    """The upcoming locations `user` may name, as a filter; None: none of them."""
    if user.is_superuser:
        return Q()
    membership = membership_of(user)
    if membership is None:
        return None
    allowed = None
    if has_role(user, Role.COORDINATOR):
        allowed = Q(**{f"{prefix}municipality__safety_region_id": membership.safety_region_id})
    if has_role(user, Role.PROJECT_LEADER) and membership.municipality_id is not None:
        own = Q(**{f"{prefix}municipality_id": membership.municipality_id})
        allowed = own if allowed is None else allowed | own
    return allowed


def may_name_in(user, municipality: Municipality) -> bool:
    """The predicate: may `user` see the upcoming locations of `municipality` by name?"""
    if user.is_superuser:
        return True
    membership = membership_of(user)
    if membership is None or municipality is None:
        return False
    if has_role(user, Role.COORDINATOR):
        if municipality.safety_region_id == membership.safety_region_id:
            return True
    return has_role(user, Role.PROJECT_LEADER) and municipality.pk == membership.municipality_id


def is_undisclosed(location: Location, *, today: datetime.date | None = None) -> bool:
    """Planned or in preparation today."""
    today = today or timezone.localdate()
    return location_effective_status(location, today) in UPCOMING


def may_name(user, location: Location, *, today: datetime.date | None = None) -> bool:
    """May `user` see this location's name, place and coordinates?"""
    return not is_undisclosed(location, today=today) or may_name_in(user, location.municipality)


def check_named(user, location: Location, *, today: datetime.date | None = None) -> None:
    """404, not 403, for a location the user may not name: a 403 would tell them it exists."""
    if not may_name(user, location, today=today):
        raise Http404(HIDDEN)


def audience(user, *, region_code: str) -> str:
    """Which of `region_code`'s locations yet to open `user` may name, as a short key for
    caches and ETags: all of them, one municipality's, or none."""
    if user.is_superuser:
        return "all"
    membership = membership_of(user)
    if membership is None:
        return "none"
    region = membership.safety_region
    if has_role(user, Role.COORDINATOR) and region is not None and region.code == region_code:
        return "region"
    if has_role(user, Role.PROJECT_LEADER) and membership.municipality_id is not None:
        return f"m{membership.municipality_id}"
    return "none"


def named_only(
    user, queryset: QuerySet, *, today: datetime.date | None = None, prefix: str = ""
) -> QuerySet:
    """`queryset` (of locations, or of rows that reach a location through `prefix`, e.g.
    "location__" for capacity reports) without the upcoming locations `user` may not name."""
    today = today or timezone.localdate()
    allowed = _named_q(user, prefix)
    public = ~_upcoming_q(today, prefix)
    return queryset.filter(public if allowed is None else public | allowed)


def undisclosed_counts(user, *, region_code: str, today: datetime.date | None = None) -> list[dict]:
    """The upcoming locations of the region `user` may not name, as a number per municipality:
    ``[{"municipality": "GM0164", "name": "Hengelo", "locations": 2}, ...]`` (one query)."""
    today = today or timezone.localdate()
    hidden = Location.objects.in_region(region_code).filter(_upcoming_q(today))
    allowed = _named_q(user)
    if allowed is not None:
        hidden = hidden.exclude(allowed)
    rows = (
        hidden.values(area_code=F("municipality__code"), area_name=F("municipality__name"))
        .annotate(locations=Count("pk"))
        .order_by("area_name")
    )
    return [
        {"municipality": row["area_code"], "name": row["area_name"], "locations": row["locations"]}
        for row in rows
    ]
