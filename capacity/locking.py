"""Optimistic locking of locations and capacity reports, and the row locks writers take.

Every change raises a row's `version`. An edit sends the version it showed; when someone else
saved the row in the meantime the edit is refused (StaleVersionError) instead of silently
overwriting the other change. The check and the bump are one conditional UPDATE, never a read
followed by a write, so two editors sending the same version cannot both win.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from municipalities.errors import ConflictError

from .models import CapacityReport, Location


class StaleVersionError(ValidationError, ConflictError):
    """Someone else saved the row after the editor read it: the version the editor sent is
    no longer the row's. Nothing was saved; pages show the message, the API answers 409."""


LOCATION_CHANGED = _(
    "Iemand anders heeft deze locatie intussen gewijzigd. Laad de pagina opnieuw en voer uw "
    "wijziging nog eens in."
)
REPORT_CHANGED = _(
    "Iemand anders heeft deze melding intussen gewijzigd. Haal de melding opnieuw op en voer "
    "uw wijziging nog eens in."
)


def version_claim(model, *, pk: int, expected: int | None) -> bool:
    """Raise the row's version in one conditional UPDATE (... WHERE pk = %s AND version = %s).

    False when the row is no longer at `expected` (someone else saved it since) or is gone.
    Check and bump are one statement, so of two editors who send the same version exactly
    one gets the row; the UPDATE also locks it until the transaction ends, so the change
    that follows cannot interleave with another writer. `expected` None bumps unchecked.
    """
    rows = model.objects.filter(pk=pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    return rows.update(version=F("version") + 1) == 1


def lock_locations(location_ids: Iterable[int]) -> None:
    # In primary key order, so two writers locking several locations cannot deadlock.
    ids = sorted(set(location_ids))
    list(Location.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


class SeenReport(NamedTuple):
    """The report an edit page showed for a location: its id and version."""

    id: int
    version: int


def changed_since_seen(
    locations: Sequence[Location], date: datetime.date, seen: Mapping[int, SeenReport | None]
) -> list[Location]:
    """The locations whose latest report on or before `date` is no longer the one `seen`
    holds for them (None: the page showed none). One query; it locks those reports, so
    they cannot change between this check and the write that follows."""
    latest = CapacityReport.objects.filter(location=OuterRef("pk"), date__lte=date).order_by(
        "-date"
    )
    latest_ids = (
        Location.objects.filter(pk__in=[location.pk for location in locations])
        .annotate(report_id=Subquery(latest.values("pk")[:1]))
        .values("report_id")
    )
    current = {
        location_id: SeenReport(pk, version)
        for location_id, pk, version in CapacityReport.objects.select_for_update()
        .filter(pk__in=latest_ids)
        .values_list("location_id", "pk", "version")
    }
    return [location for location in locations if current.get(location.pk) != seen.get(location.pk)]


def changed_message(locations: Sequence[Location]) -> str:
    names = ", ".join(location.name for location in locations)
    return _(
        "Iemand anders heeft intussen de cijfers van %(names)s "
        "gewijzigd. Er is niets opgeslagen: laad de pagina opnieuw en "
        "voer uw telling nog eens in."
    ) % {"names": names}
