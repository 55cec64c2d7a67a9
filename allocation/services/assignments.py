"""Creating, changing and adopting assignments, and agreeing shares that deviate."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import SafetyRegion

from ..choices import AssignmentStatus, Key, Method, ShareStatus
from ..models import Assignment, Share
from .distribution import shares_compute
from .recompute import assignments_recompute_enqueue, carry_over_recompute

# The distribution parameters an assignment stores; changing one of them recomputes the shares.
DISTRIBUTION_FIELDS = (
    "total",
    "region",
    "reference_date",
    "key",
    "method",
    "minimum",
    "maximum",
    "minimums",
    "maximums",
    "credits",
    "exclude",
    "weights",
    "area_weight",
)
EDITABLE_FIELDS = (
    *DISTRIBUTION_FIELDS,
    "code",
    "title",
    "target_group",
    "issuer",
    "location_types",
    "starts_on",
    "deadline",
    "realise_by",
    "available_from",
    "available_until",
    "parent",
    "follows",
    "notes",
    "source",
)


def _normalised(fields: dict) -> dict:
    """JSON options in their stored form: sorted codes, weights as decimal strings."""
    fields = dict(fields)
    for name in ("minimums", "maximums", "credits"):
        if name in fields:
            fields[name] = dict(sorted((fields[name] or {}).items()))
    if "exclude" in fields:
        fields["exclude"] = sorted(set(fields["exclude"] or ()))
    if "weights" in fields:
        fields["weights"] = {
            code: str(Decimal(str(weight)).normalize())
            for code, weight in sorted((fields["weights"] or {}).items())
        }
    return fields


def _default_start(assignment: Assignment) -> None:
    """A task that follows another starts, unless told otherwise, the day after that one's
    deadline: the half years join up without a gap or an overlap."""
    previous = assignment.follows
    if assignment.starts_on is None and previous is not None and previous.deadline is not None:
        assignment.starts_on = previous.deadline + datetime.timedelta(days=1)


@transaction.atomic
def assignment_create(
    *,
    code: str,
    title: str,
    target_group: str,
    issuer: str,
    region: SafetyRegion,
    total: int,
    location_types: Iterable[str] = (),
    starts_on: datetime.date | None = None,
    deadline: datetime.date | None = None,
    realise_by: datetime.date | None = None,
    available_from: datetime.date | None = None,
    available_until: datetime.date | None = None,
    parent: Assignment | None = None,
    follows: Assignment | None = None,
    reference_date: datetime.date | None = None,
    key: str = Key.POPULATION,
    method: str = Method.LARGEST_REMAINDER,
    minimum: int = 0,
    maximum: int | None = None,
    minimums: Mapping[str, int] | None = None,
    maximums: Mapping[str, int] | None = None,
    credits: Mapping[str, int] | None = None,
    exclude: Iterable[str] = (),
    weights: Mapping[str, Decimal | int | str] | None = None,
    area_weight: Decimal = Decimal("0.5"),
    notes: str = "",
    source: str = "",
    adopt: bool = False,
    user=None,
) -> Assignment:
    """Create a draft assignment with its computed shares (adopted at once with ``adopt``).

    Nothing is saved when the distribution is impossible. The carry-over from the task it
    ``follows`` is set at once; realisation follows after commit. ``deadline`` is the old
    name of ``realise_by``. A ``parent`` makes it a part (sub-task) of that task.
    """
    fields = _normalised(
        {
            "minimums": minimums,
            "maximums": maximums,
            "credits": credits,
            "exclude": exclude,
            "weights": weights,
        }
    )
    assignment = Assignment(
        code=code,
        title=title,
        target_group=target_group,
        issuer=issuer,
        region=region,
        total=total,
        location_types=list(location_types),
        starts_on=starts_on,
        realise_by=realise_by or deadline,
        available_from=available_from,
        available_until=available_until,
        parent=parent,
        follows=follows,
        reference_date=reference_date,
        key=key,
        method=method,
        minimum=minimum,
        maximum=maximum,
        area_weight=area_weight,
        notes=notes,
        source=source,
        **fields,
    )
    _default_start(assignment)
    assignment.full_clean()
    assignment.save()
    shares_compute(assignment=assignment)
    carry_over_recompute(assignment_ids=[assignment.pk])
    if adopt:
        assignment = assignment_adopt(assignment=assignment, user=user)
    assignments_recompute_enqueue(assignment_ids=[assignment.pk])
    return assignment


@transaction.atomic
def assignment_update(*, assignment: Assignment, user=None, **changes) -> Assignment:
    """Change an assignment's fields; a changed distribution parameter recomputes the shares.

    Agreed shares are kept: if they no longer add up to the total the overview says so.
    """
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise TypeError(f"Not editable: {', '.join(unknown)}")
    changes = _normalised(changes)
    if "location_types" in changes:
        changes["location_types"] = list(changes["location_types"] or ())
    changed = [name for name, value in changes.items() if getattr(assignment, name) != value]
    for name in changed:
        setattr(assignment, name, changes[name])
    if not changed:
        return assignment
    if (
        {"deadline", "realise_by", "available_until"} & set(changed)
        and assignment.status == AssignmentStatus.CLOSED
        and (assignment.period_end is None or assignment.period_end >= timezone.localdate())
    ):
        # A deadline moved on or after today reopens the task that the nightly job closed.
        assignment.status = AssignmentStatus.ADOPTED
    if "follows" in changed and "starts_on" not in changes:
        _default_start(assignment)
    assignment.full_clean()
    assignment.save()
    if set(changed) & set(DISTRIBUTION_FIELDS):
        shares_compute(assignment=assignment)
    # Its own carry-over (a new task to follow) and that of the tasks following it (a new
    # share) are known now; realisation follows after commit.
    carry_over_recompute(assignment_ids=[assignment.pk])
    assignments_recompute_enqueue(assignment_ids=[assignment.pk])
    return assignment


@transaction.atomic
def assignment_adopt(*, assignment: Assignment, user=None) -> Assignment:
    """Adopt (vaststellen) a draft assignment; its shares must add up to the total."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == AssignmentStatus.ADOPTED:
        raise ValidationError(
            _("De taakstelling '%(title)s' is al vastgesteld.") % {"title": assignment.title}
        )
    if assignment.status == AssignmentStatus.CLOSED:
        raise ValidationError(
            _("De taakstelling '%(title)s' is afgesloten: de uiterste datum is verstreken.")
            % {"title": assignment.title}
        )
    base_total = (
        Assignment.objects.with_totals().values_list("base_total", flat=True).get(pk=assignment.pk)
    )
    if base_total != assignment.total:
        raise ValidationError(
            _(
                "De aandelen tellen op tot %(base_total)s, de taakstelling is "
                "%(total)s plaatsen: pas eerst de afgesproken aandelen aan."
            )
            % {"base_total": base_total, "total": assignment.total}
        )
    assignment.status = AssignmentStatus.ADOPTED
    assignment.adopted_at = timezone.now()
    assignment.adopted_by = user
    assignment.save(update_fields=["status", "adopted_at", "adopted_by", "updated_at"])
    return assignment


@transaction.atomic
def assignments_close(*, on: datetime.date) -> list[str]:
    """Close the adopted assignments whose period (availability period, else realise-by
    date) ended before `on`; returns their codes.

    Only rows still adopted are touched (and locked first, so two runs at once wait for each
    other): a second run for the same date, or for an earlier one, closes nothing more. Drafts
    are left alone: they were never in force.
    """
    due = Assignment.objects.select_for_update().filter(
        Q(available_until__lt=on) | Q(available_until__isnull=True, realise_by__lt=on),
        status=AssignmentStatus.ADOPTED,
    )
    codes = sorted(due.values_list("code", flat=True))
    Assignment.objects.filter(code__in=codes).update(
        status=AssignmentStatus.CLOSED, updated_at=timezone.now()
    )
    return codes


@transaction.atomic
def shares_agree(
    *,
    assignment: Assignment,
    agreed: Mapping[str, tuple[int | None, str]],
    user=None,
) -> list[Share]:
    """Set or clear agreed shares: CBS code -> (agreed places or None, reason).

    The table is checked as a whole, because moving places between municipalities always
    touches two rows: afterwards the base shares must add up to the total and no effective
    share may be negative. A deviation from the computed share needs a reason; an agreed share
    equal to the computed one without a reason is no agreement and is cleared.

    :raises ValidationError: keyed by CBS code per row, the total under ``__all__``.
    """
    Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    shares = {
        share.municipality.code: share
        for share in assignment.shares.with_effective().select_related("municipality")
    }
    errors: dict[str, list[str]] = defaultdict(list)
    unknown = sorted(set(agreed) - set(shares))
    if unknown:
        errors["__all__"].append(
            _("Geen aandeel in deze taakstelling voor gemeente %(list)s.")
            % {"list": ", ".join(unknown)}
        )
    changed: list[Share] = []
    now = timezone.now()
    for code, (places, reason) in sorted(agreed.items()):
        share = shares.get(code)
        if share is None:
            continue
        reason = (reason or "").strip()
        if places is not None and (
            not isinstance(places, int) or isinstance(places, bool) or places < 0
        ):
            errors[code].append(
                _("%(municipality)s: geef een heel aantal van 0 of meer.")
                % {"municipality": share.municipality}
            )
            continue
        if places == share.computed_share and not reason:
            places = None
        if places is None:
            reason = ""
        elif places != share.computed_share and not reason:
            errors[code].append(
                _(
                    "Geef een reden: het afgesproken aandeel van %(municipality)s "
                    "(%(places)s) wijkt af van het berekende (%(computed_share)s)."
                )
                % {
                    "municipality": share.municipality,
                    "places": places,
                    "computed_share": share.computed_share,
                }
            )
            continue
        # A number agreed for a municipality makes its share an agreed one.
        status = ShareStatus.AGREED if places is not None else share.status
        if (share.agreed_share, share.agreed_reason, share.status) != (places, reason, status):
            share.agreed_share, share.agreed_reason = places, reason
            share.agreed_at, share.agreed_by = (now, user) if places is not None else (None, None)
            share.status = status
            changed.append(share)
    if errors:
        raise ValidationError(dict(errors))
    for share in shares.values():
        effective = share.base_share - share.given + share.taken
        if effective < 0:
            errors[share.municipality.code].append(
                _(
                    "%(municipality)s heeft %(value)s plaatsen per saldo "
                    "doorgegeven; het aandeel kan dan niet lager zijn dan dat."
                )
                % {"municipality": share.municipality, "value": share.given - share.taken}
            )
    base_total = sum(share.base_share for share in shares.values())
    if base_total != assignment.total:
        errors["__all__"].append(
            _(
                "De aandelen tellen op tot %(base_total)s, de taakstelling is "
                "%(total)s plaatsen: verschil %(value)s."
            )
            % {
                "base_total": base_total,
                "total": assignment.total,
                "value": format(base_total - assignment.total, "+d"),
            }
        )
    if errors:
        raise ValidationError(dict(errors))
    for share in changed:
        share.full_clean(exclude=["assignment", "municipality"])
    Share.objects.bulk_update(
        changed, ["agreed_share", "agreed_reason", "agreed_at", "agreed_by", "status"]
    )
    if changed:
        carry_over_recompute(assignment_ids=[assignment.pk])  # the tasks that follow this one
    return list(shares.values())


@transaction.atomic
def shares_set_status(
    *, assignment: Assignment, statuses: Mapping[str, str], user=None
) -> list[Share]:
    """Set how binding shares are: CBS code -> ``indicative``, ``offered`` or ``agreed``.

    A share with an agreed number (``agreed_share``) was agreed and stays so: clear the number
    first. All or nothing.

    :raises ValidationError: keyed by CBS code per row, unknown codes under ``__all__``.
    """
    Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    shares = {
        share.municipality.code: share for share in assignment.shares.select_related("municipality")
    }
    errors: dict[str, list[str]] = defaultdict(list)
    unknown = sorted(set(statuses) - set(shares))
    if unknown:
        errors["__all__"].append(
            _("Geen aandeel in deze taakstelling voor gemeente %(list)s.")
            % {"list": ", ".join(unknown)}
        )
    changed = []
    for code, status in sorted(statuses.items()):
        share = shares.get(code)
        if share is None:
            continue
        if status not in ShareStatus.values:
            errors[code].append(
                _("%(municipality)s: kies indicatief, aangeboden of afgesproken, niet %(status)s.")
                % {"municipality": share.municipality, "status": repr(status)}
            )
        elif share.agreed_share is not None and status != ShareStatus.AGREED:
            errors[code].append(
                _(
                    "%(municipality)s heeft een afgesproken aandeel "
                    "(%(agreed_share)s): wis dat eerst."
                )
                % {"municipality": share.municipality, "agreed_share": share.agreed_share}
            )
        elif share.status != status:
            share.status = status
            changed.append(share)
    if errors:
        raise ValidationError(dict(errors))
    Share.objects.bulk_update(changed, ["status"])
    return list(shares.values())
