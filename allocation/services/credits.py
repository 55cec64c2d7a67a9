"""Recording credited effort (`Credit`); the share's ``credited`` and gap follow at once."""

from __future__ import annotations

import datetime

from django.db import transaction

from municipalities.models import Municipality

from ..choices import CreditKind
from ..models import Assignment, Credit
from .recompute import realisation_recompute


@transaction.atomic
def credit_create(
    *,
    assignment: Assignment,
    municipality: Municipality,
    places: int,
    reason: str,
    kind: str = CreditKind.DELIVERED,
    due_on: datetime.date | None = None,
    location=None,
    user=None,
) -> Credit:
    """Credit effort against `municipality`'s share of `assignment`; its ``credited`` (and so
    the gap) follows at once.

    :raises ValidationError: per field (a planned credit without due date, no reason, a
        location or municipality outside the task's region).
    """
    credit = Credit(
        assignment=assignment,
        municipality=municipality,
        kind=kind,
        places=places,
        due_on=due_on,
        location=location,
        reason=(reason or "").strip(),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    credit.full_clean()
    credit.save()
    _recompute(assignment)
    return credit


@transaction.atomic
def credit_remove(*, credit: Credit) -> None:
    assignment = credit.assignment
    credit.delete()
    _recompute(assignment)


def _recompute(assignment: Assignment) -> None:
    # The realisation recompute writes `credited` too (and the carry-over after it).
    realisation_recompute(assignment_ids=[assignment.pk])
