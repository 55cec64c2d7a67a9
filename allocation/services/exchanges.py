"""Exchanges between shares (uitruil / saldering); see :class:`allocation.models.Exchange`."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality

from ..choices import ExchangeStatus
from ..models import Assignment, Exchange, Share
from .recompute import carry_over_recompute


def _effective(assignment_id: int, municipality_id: int) -> int | None:
    share = (
        Share.objects.with_effective()
        .filter(assignment_id=assignment_id, municipality_id=municipality_id)
        .values_list("effective_share", flat=True)
        .first()
    )
    return share


def _lock(*assignments: Assignment) -> None:
    # Lock in primary-key order, so two exchanges between the same tasks cannot deadlock.
    ids = sorted({a.pk for a in assignments})
    list(Assignment.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def exchange_create(
    *,
    from_municipality: Municipality,
    from_assignment: Assignment,
    to_municipality: Municipality,
    to_assignment: Assignment | None = None,
    places: int,
    reason: str,
    date: datetime.date,
    ratio_from: int = 1,
    ratio_to: int = 1,
    user=None,
) -> Exchange:
    """Record an agreed exchange (see :class:`~allocation.models.Exchange`).

    The regional total under the line is kept by construction: the places leave one share and
    arrive in another. Refused when the giving side would end up with a negative effective
    share or either municipality has no share in its task.
    """
    to_assignment = to_assignment or from_assignment
    _lock(from_assignment, to_assignment)
    to_places, remainder = divmod(places * ratio_to, ratio_from) if ratio_from > 0 else (0, 0)
    if remainder:
        raise ValidationError(
            {
                "places": _(
                    "Bij de verhouding %(ratio)s geven %(places)s plaatsen geen heel aantal "
                    "plaatsen aan de andere kant; kies een aantal dat wel uitkomt."
                )
                % {"ratio": f"{ratio_from}:{ratio_to}", "places": places}
            }
        )
    exchange = Exchange(
        region_id=from_assignment.region_id,
        from_municipality=from_municipality,
        from_assignment=from_assignment,
        to_municipality=to_municipality,
        to_assignment=to_assignment,
        places=places,
        ratio_from=ratio_from,
        ratio_to=ratio_to,
        to_places=to_places,
        reason=(reason or "").strip(),
        date=date,
        status=ExchangeStatus.AGREED,
        created_by=user,
    )
    exchange.full_clean()
    available = _effective(from_assignment.pk, from_municipality.pk)
    if available is None:
        raise ValidationError(
            {
                "from_municipality": _(
                    "%(from_municipality)s heeft geen aandeel in deze taakstelling."
                )
                % {"from_municipality": from_municipality}
            }
        )
    if _effective(to_assignment.pk, to_municipality.pk) is None:
        raise ValidationError(
            {
                "to_municipality": _(
                    "%(to_municipality)s heeft geen aandeel in '%(to_assignment)s'."
                )
                % {"to_municipality": to_municipality, "to_assignment": to_assignment}
            }
        )
    if places > available:
        raise ValidationError(
            {
                "places": (
                    _(
                        "%(from_municipality)s heeft in '%(from_assignment)s' nog "
                        "%(available)s plaatsen als effectief aandeel; %(places)s "
                        "doorgeven zou het negatief maken."
                    )
                    % {
                        "from_municipality": from_municipality,
                        "from_assignment": from_assignment,
                        "available": available,
                        "places": places,
                    }
                )
            }
        )
    exchange.save()
    # The effective shares moved: so do the arrears the following tasks take over.
    carry_over_recompute(assignment_ids={from_assignment.pk, to_assignment.pk})
    return exchange


@transaction.atomic
def exchange_withdraw(*, exchange: Exchange, user=None) -> Exchange:
    """Withdraw an agreed exchange; refused if the receiver has passed the places on."""
    exchange = Exchange.objects.select_for_update().get(pk=exchange.pk)
    if exchange.status == ExchangeStatus.WITHDRAWN:
        raise ValidationError(_("Deze uitruil is al ingetrokken."))
    _lock(exchange.from_assignment, exchange.to_assignment)
    remaining = _effective(exchange.to_assignment_id, exchange.to_municipality_id) or 0
    if remaining < exchange.to_places:
        raise ValidationError(
            _(
                "Intrekken kan niet: %(to_municipality)s houdt dan %(value)s "
                "plaatsen over. Trek eerst de uitruil in waarmee die plaatsen "
                "zijn doorgegeven."
            )
            % {"to_municipality": exchange.to_municipality, "value": remaining - exchange.to_places}
        )
    exchange.status = ExchangeStatus.WITHDRAWN
    exchange.save(update_fields=["status", "updated_at"])
    carry_over_recompute(assignment_ids={exchange.from_assignment_id, exchange.to_assignment_id})
    return exchange
