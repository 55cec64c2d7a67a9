"""A province's task split over its safety regions; each region's part becomes its task."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from municipalities.models import Province, SafetyRegion
from municipalities.selectors import regions_with_totals

from ..choices import AssignmentStatus, Issuer, Key
from ..engine import AllocationError, allocate
from ..errors import DistributionError
from ..models import Assignment, ProvincialPart, ProvincialTask
from .assignments import assignment_adopt, assignment_create, assignment_update
from .distribution import display_decimal

# Who issues a task to a province: the province itself (PRT) or the Rijk.
PROVINCIAL_ISSUERS = (Issuer.PROVINCE, Issuer.RIJK)


def _region_weights(task: ProvincialTask) -> dict[str, Decimal | int]:
    regions = regions_with_totals(on=task.reference_date, province_code=task.province.code)
    if task.key == Key.CUSTOM:
        known = {region.code for region in regions}
        unknown = sorted(set(task.weights) - known)
        if unknown:
            raise ValidationError(
                {
                    "weights": _("Geen veiligheidsregio van %(province)s: %(code)s.")
                    % {"province": task.province, "code": ", ".join(unknown)}
                }
            )
        return {region.code: Decimal(str(task.weights.get(region.code, 0))) for region in regions}
    if task.key != Key.POPULATION:
        raise ValidationError(
            {
                "key": "Een provinciale taakstelling wordt verdeeld naar inwonertal of "
                "eigen gewichten."
            }
        )
    return {region.code: region.population or 0 for region in regions}


@transaction.atomic
def provincial_task_create(
    *,
    code: str,
    title: str,
    target_group: str,
    issuer: str,
    province: Province,
    total: int,
    location_types: list[str] | tuple[str, ...] = (),
    realise_by: datetime.date | None = None,
    available_from: datetime.date | None = None,
    available_until: datetime.date | None = None,
    key: str = Key.POPULATION,
    weights: Mapping[str, Decimal | int | str] | None = None,
    reference_date: datetime.date | None = None,
    notes: str = "",
    source: str = "",
) -> ProvincialTask:
    """A draft provincial task; :func:`provincial_task_split` divides it."""
    if issuer not in PROVINCIAL_ISSUERS:
        raise ValidationError(
            {"issuer": "Een provinciale taakstelling komt van de provincie of het Rijk."}
        )
    task = ProvincialTask(
        code=code,
        title=title,
        target_group=target_group,
        issuer=issuer,
        province=province,
        total=total,
        location_types=list(location_types),
        realise_by=realise_by,
        available_from=available_from,
        available_until=available_until,
        key=key,
        weights={region: str(Decimal(str(w)).normalize()) for region, w in (weights or {}).items()},
        reference_date=reference_date,
        notes=notes,
        source=source,
    )
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def provincial_task_split(
    *,
    task: ProvincialTask,
    agreed: Mapping[str, tuple[int, str]] | None = None,
    assignments: Mapping[str, Assignment] | None = None,
    adopt: bool = False,
) -> list[ProvincialPart]:
    """Divide the task over the province's regions with the engine (population of their
    municipalities, or the task's weights per region) and make each region's part its task.

    ``agreed``: region code -> (part, reason) where the table set another figure than the
    split (the documents' pair may not add up to the total; the page shows the difference).
    ``assignments``: region code -> the region's existing task to take as its part (its
    total follows the part); a region without one gets a new draft task
    ``<code>-<region code>``, unless it has no municipalities in the system.

    :raises ValidationError: when the split is impossible (nothing is written then).
    """
    agreed = agreed or {}
    assignments = assignments or {}
    weights = _region_weights(task)
    regions = {region.code: region for region in SafetyRegion.objects.filter(code__in=weights)}
    try:
        split = allocate(task.total, weights)
    except AllocationError as error:
        names = {code: region.name for code, region in regions.items()}
        raise DistributionError(error, names) from error
    for code, (_places, reason) in agreed.items():
        if code not in regions:
            raise ValidationError(
                _("Geen veiligheidsregio van %(province)s: %(code)s.")
                % {"province": task.province, "code": code}
            )
        if not reason.strip():
            raise ValidationError(
                _("Geef een reden voor het afgesproken deel van %(code)s.") % {"code": code}
            )
    existing = {part.region.code: part for part in task.parts.select_related("region")}
    with_municipalities = set(
        SafetyRegion.objects.filter(code__in=weights, municipalities__isnull=False).values_list(
            "code", flat=True
        )
    )
    parts = []
    for row in split:
        part = existing.get(row.key) or ProvincialPart(task=task, region=regions[row.key])
        part.weight = display_decimal(row.weight, 6)
        part.computed_part = row.share
        part.agreed_part, part.agreed_reason = agreed.get(row.key, (None, ""))
        part.assignment = _regional_task(
            task, part, assignments.get(row.key), row.key in with_municipalities, adopt=adopt
        )
        part.save()
        parts.append(part)
    return parts


def _regional_task(
    task: ProvincialTask,
    part: ProvincialPart,
    given: Assignment | None,
    has_municipalities: bool,
    *,
    adopt: bool,
) -> Assignment | None:
    assignment = given or part.assignment
    if assignment is not None:
        if assignment.region_id != part.region_id or assignment.target_group != task.target_group:
            raise ValidationError(
                _("De taakstelling %(code)s hoort niet bij %(region)s en %(group)s.")
                % {
                    "code": assignment.code,
                    "region": part.region,
                    "group": task.get_target_group_display(),
                }
            )
        if assignment.total != part.part:
            assignment = assignment_update(assignment=assignment, total=part.part)
        return assignment
    if not has_municipalities:
        # The region's municipalities are not in the system: no shares to divide its part over.
        return None
    assignment = assignment_create(
        code=f"{task.code}-{part.region.code.lower()}",
        title=f"{task.title} — {part.region.name}",
        target_group=task.target_group,
        issuer=task.issuer,
        region=part.region,
        total=part.part,
        location_types=task.location_types,
        realise_by=task.realise_by,
        available_from=task.available_from,
        available_until=task.available_until,
        reference_date=task.reference_date,
        source=f"Deel van {task.title} ({task.code}).",
    )
    if adopt and assignment.status == AssignmentStatus.DRAFT:
        assignment = assignment_adopt(assignment=assignment)
    return assignment
