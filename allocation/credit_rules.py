"""What a credit (`Credit`) counts for on a date: the rule, shared by the worker that writes
``Share.credited`` (`services.credited`) and the pages that list the credits."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from capacity.lifecycle import UPCOMING, EffectiveStatus
from capacity.models import Location
from capacity.selectors import locations_as_of

from .choices import CreditKind
from .models import Assignment, Credit

# A location winding down still has its places (it takes no one new, but nobody is sent away).
HOLDS_PLACES = (EffectiveStatus.OPERATIONAL, EffectiveStatus.WINDING_DOWN)


def credit_value(
    *,
    kind: str,
    places: int,
    due_on: datetime.date | None,
    on: datetime.date,
    location_state: str | None = None,
    location_capacity: int | None = None,
    location_counts: bool = False,
) -> int:
    """The places a credit counts for on `on`.

    `location_state` is the credited location's state on `on` by the lifecycle rule (None:
    no location), `location_capacity` its reported capacity then, `location_counts` whether
    its places count toward the task anyway (then they are in ``realised`` once open).
    """
    pending = kind == CreditKind.PLANNED and due_on is not None and on <= due_on
    if location_state is None:
        return places if kind == CreditKind.DELIVERED or pending else 0
    if location_state in HOLDS_PLACES:
        if location_counts and location_state == EffectiveStatus.OPERATIONAL:
            return 0
        return places if location_capacity is None else min(places, location_capacity)
    if location_state in UPCOMING and pending:
        return places
    return 0


def credits_valued(*, assignments: Iterable[Assignment], on: datetime.date) -> list[Credit]:
    """The credits of `assignments`, each with ``counted``: its places on `on` by
    :func:`credit_value`. Two queries (the credits, their locations' state on `on`)."""
    by_id = {assignment.pk: assignment for assignment in assignments}
    credits = list(
        Credit.objects.filter(assignment_id__in=by_id).select_related("municipality", "location")
    )
    location_ids = {credit.location_id for credit in credits if credit.location_id}
    states = {}
    if location_ids:
        rows = locations_as_of(on=on, queryset=Location.objects.filter(pk__in=location_ids))
        states = {
            row["pk"]: row
            for row in rows.values(
                "pk", "effective_status", "report_capacity", "type", "target_group"
            )
        }
    for credit in credits:
        assignment = by_id[credit.assignment_id]
        state = states.get(credit.location_id)
        counts = bool(
            state
            and not assignment.counts_housed
            and state["target_group"] == assignment.target_group
            and state["type"] in assignment.eligible_location_types
        )
        credit.counted = credit_value(
            kind=credit.kind,
            places=credit.places,
            due_on=credit.due_on,
            on=on,
            location_state=state["effective_status"] if state else None,
            location_capacity=state["report_capacity"] if state else None,
            location_counts=counts,
        )
    return credits
