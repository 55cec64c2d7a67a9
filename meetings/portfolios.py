"""Portfolios of a table (TRA 24 January 2024: "werken met portefeuilles"): who may hold one,
and what each one decided and still has open.

The rules: a portfolio is held by one or two municipalities, all of the body's own safety
region (or, for a provincial body, of its province); it has at most two spearheads
(`Spearhead.clean`). A decision or action belongs to a portfolio when it names it, or when
its agenda item does and it names none itself.

Reads come in a fixed number of queries: `portfolios_read_by` prefetches the holders,
spearheads and linked agenda items; `with_outcome` adds the decisions and open actions of a
whole page of portfolios in one more query.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality

from .models import (
    MAX_HOLDERS,
    AgendaItem,
    Body,
    Entry,
    EntryKind,
    Portfolio,
    Spearhead,
)


def holders_allowed(body: Body | None):
    """The municipalities that may hold a portfolio of `body`."""
    if body is None:
        return Municipality.objects.none()
    if body.safety_region_id is not None:
        return Municipality.objects.filter(safety_region_id=body.safety_region_id)
    return Municipality.objects.filter(safety_region__province_id=body.province_id)


def check_holders(body: Body | None, holders: Iterable[Municipality]) -> None:
    """ValidationError unless `holders` are one or two municipalities of `body`'s area."""
    holders = list(holders)
    if not 1 <= len(holders) <= MAX_HOLDERS:
        raise ValidationError(
            _("Een portefeuille heeft een of %(MAX_HOLDERS)s gemeenten als portefeuillehouder.")
            % {"MAX_HOLDERS": MAX_HOLDERS}
        )
    if body is None:
        return
    allowed = set(holders_allowed(body).values_list("pk", flat=True))
    outside = [holder.name for holder in holders if holder.pk not in allowed]
    if outside:
        raise ValidationError(
            _(
                "Alleen gemeenten van de regio van het overlegorgaan houden een portefeuille: "
                "%(list)s."
            )
            % {"list": ", ".join(outside)}
        )


def portfolio_create(*, body: Body, theme: str, holders, title: str = "") -> Portfolio:
    """A new portfolio, checked like the admin checks it."""
    portfolio = Portfolio(body=body, theme=theme, title=title)
    portfolio.full_clean()
    check_holders(body, holders)
    portfolio.save()
    portfolio.holders.set(holders)
    return portfolio


def spearhead_add(*, portfolio: Portfolio, goal: str, target_date=None, status=None) -> Spearhead:
    """A spearhead for `portfolio`; refused beyond the second (Spearhead.clean)."""
    spearhead = Spearhead(portfolio=portfolio, goal=goal, target_date=target_date)
    if status:
        spearhead.status = status
    spearhead.position = portfolio.spearheads.count() + 1
    spearhead.full_clean()
    spearhead.save()
    return spearhead


def portfolios_read_by(*, user):
    """The portfolios of the bodies `user` reads, with their holders, spearheads and linked
    agenda items (with their meetings): one query per relation."""
    items = AgendaItem.objects.select_related("meeting__body").order_by(
        "-meeting__date", "position", "pk"
    )
    return (
        Portfolio.objects.visible_to(user)
        .select_related("body")
        .prefetch_related(
            Prefetch("holders", queryset=Municipality.objects.order_by("name")),
            Prefetch("spearheads", queryset=Spearhead.objects.order_by("position", "pk")),
            Prefetch("agenda_items", queryset=items),
        )
        .order_by("body__code", "theme", "title", "pk")
    )


def outcome_entries(portfolio_ids: list[int]):
    """The decisions and open actions (each once: a carried action at its latest meeting) of
    the portfolios `portfolio_ids`, by the entry's own portfolio or else its item's."""
    own = Q(portfolio_id__in=portfolio_ids)
    by_item = Q(portfolio__isnull=True, item__portfolio_id__in=portfolio_ids)
    decisions = Q(kind=EntryKind.DECISION)
    open_actions = Q(kind=EntryKind.ACTION, status="open")
    return (
        Entry.objects.filter(own | by_item)
        .filter(decisions | open_actions)
        .current()
        .with_context()
        .select_related("item")
        .order_by(F("due_date").asc(nulls_last=True), "item__meeting__date", "position", "pk")
    )


def with_outcome(portfolios: Iterable[Portfolio]) -> list[Portfolio]:
    """`portfolios` with `decisions` and `open_actions` lists set on each (one query)."""
    portfolios = list(portfolios)
    by_id = {portfolio.pk: portfolio for portfolio in portfolios}
    for portfolio in portfolios:
        portfolio.decisions, portfolio.open_actions = [], []
    if not by_id:
        return portfolios
    for entry in outcome_entries(list(by_id)):
        owner = by_id[entry.portfolio_id or entry.item.portfolio_id]
        if entry.kind == EntryKind.DECISION:
            owner.decisions.append(entry)
        else:
            owner.open_actions.append(entry)
    for portfolio in portfolios:
        portfolio.decisions.sort(key=lambda e: (e.item.meeting.date, e.item.position, e.position))
    return portfolios


def portfolio_for(user, pk) -> Portfolio:
    """One portfolio `user` reads, with its outcome; 404 for one out of reach (as if it did
    not exist) and for an unknown or malformed id."""
    try:
        portfolio = portfolios_read_by(user=user).get(pk=pk)
    except (Portfolio.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404(_("Niet gevonden.")) from None
    return with_outcome([portfolio])[0]
