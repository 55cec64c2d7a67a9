"""Dividing a total over a region's municipalities: the preview and the stored shares."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import SafetyRegion

from ..choices import Key, Method
from ..engine import AllocationError, allocate
from ..errors import DistributionError
from ..keys import region_municipalities, weights_from
from ..models import Assignment, Share


@dataclass(frozen=True)
class Options:
    """How a total is divided: key, rounding method and bounds (see ``allocation.engine``)."""

    key: str = Key.POPULATION
    reference_date: datetime.date | None = None
    method: str = Method.LARGEST_REMAINDER
    minimum: int = 0
    maximum: int | None = None
    minimums: Mapping[str, int] = field(default_factory=dict)
    maximums: Mapping[str, int] = field(default_factory=dict)
    credits: Mapping[str, int] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    weights: Mapping[str, Decimal] = field(default_factory=dict)
    area_weight: Decimal = Decimal("0.5")

    @classmethod
    def of(cls, assignment: Assignment) -> Options:
        return cls(
            key=assignment.key,
            reference_date=assignment.reference_date,
            method=assignment.method,
            minimum=assignment.minimum,
            maximum=assignment.maximum,
            minimums=assignment.minimums,
            maximums=assignment.maximums,
            credits=assignment.credits,
            exclude=tuple(assignment.exclude),
            weights={code: Decimal(str(w)) for code, w in assignment.weights.items()},
            area_weight=Decimal(assignment.area_weight),
        )


@dataclass(frozen=True)
class PreviewShare:
    municipality_id: int
    code: str
    name: str
    weight: Fraction
    quota: Fraction
    credit: int
    share: int

    @property
    def remaining(self) -> int:
        """Places still to deliver: the share minus the effort already delivered."""
        return self.share - self.credit


@dataclass(frozen=True)
class Preview:
    total: int
    region_code: str
    options: Options
    shares: list[PreviewShare]

    @property
    def method(self) -> str:
        return self.options.method


def display_decimal(value: Fraction | int, places: int) -> Decimal:
    """An exact fraction rounded half up to ``places`` decimals, for storage and display."""
    value = Fraction(value)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def assignment_preview(*, total: int, region_code: str, options: Options | None = None) -> Preview:
    """Run the engine on the region's key figures without saving anything.

    :raises ValidationError: with a Dutch message for impossible requests (bounds that cannot
        be met, missing key figures, unknown municipality codes: the latter keyed by field).
    """
    options = options or Options()
    return Preview(
        total=total,
        region_code=region_code,
        options=options,
        shares=_distribute(total=total, region_code=region_code, options=options),
    )


def _distribute(*, total: int, region_code: str, options: Options) -> list[PreviewShare]:
    if options.method not in Method.values:
        raise ValidationError({"method": f"Onbekende verdeelmethode {options.method!r}."})
    if options.key not in Key.values:
        raise ValidationError(
            {"key": _("Onbekende verdeelsleutel %(key)s.") % {"key": repr(options.key)}}
        )
    municipalities = region_municipalities(
        region_code=region_code, reference_date=options.reference_date
    )
    if not municipalities:
        if SafetyRegion.objects.filter(code=region_code).exists():
            raise ValidationError(
                {
                    "region": _("Veiligheidsregio %(region_code)s heeft geen gemeenten.")
                    % {"region_code": region_code}
                }
            )
        raise ValidationError(
            {
                "region": _("Onbekende veiligheidsregio %(region_code)s.")
                % {"region_code": repr(region_code)}
            }
        )
    names = {m.code: m.name for m in municipalities}
    _check_codes(options, names)
    if options.key != Key.CUSTOM and options.weights:
        raise ValidationError(
            {
                "weights": _(
                    "Eigen gewichten horen alleen bij de sleutel 'eigen gewichten' (custom)."
                )
            }
        )
    weights = weights_from(
        municipalities,
        key=options.key,
        reference_date=options.reference_date,
        custom=options.weights,
        area_weight=options.area_weight,
    )
    try:
        result = allocate(
            total,
            weights,
            method=options.method,
            minimum=options.minimum,
            maximum=options.maximum,
            minimums=options.minimums,
            maximums=options.maximums,
            credits=options.credits,
            exclude=options.exclude,
        )
    except AllocationError as exc:
        raise DistributionError(exc, names) from exc
    ids = {m.code: m.pk for m in municipalities}
    return [
        PreviewShare(
            municipality_id=ids[item.key],
            code=item.key,
            name=names[item.key],
            weight=item.weight,
            quota=item.quota,
            credit=item.credit,
            share=item.share,
        )
        for item in result
    ]


_CODE_FIELDS = {
    "minimums": _("de minima"),
    "maximums": _("de maxima"),
    "credits": _("de eerdere inzet"),
    "exclude": _("de uitgesloten gemeenten"),
    "weights": _("de gewichten"),
}


def _check_codes(options: Options, names: Mapping[str, str]) -> None:
    """Unknown CBS codes are refused per field, before the engine sees them."""
    errors = {}
    for name, label in _CODE_FIELDS.items():
        unknown = sorted(set(getattr(options, name)) - set(names))
        if unknown:
            errors[name] = _(
                "Onbekende gemeente in %(label)s: %(list)s (niet in deze veiligheidsregio)."
            ) % {"label": label, "list": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def shares_compute(*, assignment: Assignment) -> int:
    """(Re)compute the computed shares of an assignment in bulk; agreed shares stay.

    Idempotent: rows whose figures did not change are not written, and ``computed_at`` only
    moves when something changed. Returns the number of shares created, changed or removed.

    :raises ValidationError: when the distribution is impossible (nothing is written then).
    """
    rows = _distribute(
        total=assignment.total,
        region_code=assignment.region.code,
        options=Options.of(assignment),
    )
    existing = {share.municipality_id: share for share in assignment.shares.all()}
    created, updated = [], []
    for row in rows:
        values = {
            "weight": display_decimal(row.weight, 6),
            "quota": display_decimal(row.quota, 4),
            "credit": row.credit,
            "computed_share": row.share,
        }
        share = existing.pop(row.municipality_id, None)
        if share is None:
            created.append(
                Share(assignment=assignment, municipality_id=row.municipality_id, **values)
            )
            continue
        if any(getattr(share, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(share, name, value)
            # An agreement without a reason only confirmed the old computed share.
            if share.agreed_share is not None and not share.agreed_reason.strip():
                share.agreed_share = None
            updated.append(share)
    Share.objects.bulk_create(created)
    Share.objects.bulk_update(
        updated, ["weight", "quota", "credit", "computed_share", "agreed_share"]
    )
    # A municipality that left the region no longer shares in the task.
    gone = [share.pk for share in existing.values()]
    if gone:
        Share.objects.filter(pk__in=gone).delete()
    if created or updated or gone or assignment.computed_at is None:
        assignment.computed_at = timezone.now()
        assignment.compute_error = ""
        assignment.save(update_fields=["computed_at", "compute_error"])
    return len(created) + len(updated) + len(gone)
