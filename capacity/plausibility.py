"""Implausible figures: a report that jumps away from what the location reported before, or
from the capacity it is registered with, from its very first report on.

The modified z-score of `outliers.py` needs four earlier reports; a typo of 59 -> 5900 in a
location's second report, or in its first against its registered capacity, is caught here.
Pure functions over plain values: the service (`capacity.reporting`) fetches the previous
report and the registered capacity in bulk and passes them in. Forms hold an implausible
report until the user confirms it (`question`); every path saves it flagged (`reason`).
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

# A change is implausible when it is more than half of the earlier figure AND more than this
# many places: 8 -> 16 is a small location filling up, 60 -> 5900 a typo.
JUMP_PLACES = 20

PREVIOUS = "previous"  # against the location's previous report (latest earlier date)
REGISTERED = "registered"  # against the location's registered (planned) capacity

LABELS = {"capacity": _("Capaciteit"), "occupied": _("Bezet")}


class Previous(NamedTuple):
    """The location's latest report before the one being judged."""

    date: datetime.date
    capacity: int
    occupied: int
    flagged: bool


@dataclass(frozen=True, slots=True)
class Jump:
    """One implausible figure: `figure` ("capacity" or "occupied") went from `old` to `new`,
    measured against the previous report (`since` its date) or the registered capacity."""

    figure: str
    old: int
    new: int
    basis: str
    since: datetime.date | None = None


def is_jump(old: int, new: int) -> bool:
    """More than half of `old` and more than JUMP_PLACES places apart."""
    change = abs(new - old)
    return change > JUMP_PLACES and 2 * change > old


def jumps(
    *, capacity: int, occupied: int, previous: Previous | None, registered: int | None
) -> list[Jump]:
    """The implausible figures of a report (empty: plausible).

    Against the previous report both capacity and occupied count. Against the registered
    capacity only capacity does, and not when the previous report had the same capacity
    and was not flagged: that capacity was accepted before (nobody flagged it, or a
    coordinator checked it), so a location that really runs with fewer places than planned
    is not questioned every week.
    """
    found = []
    if previous is not None:
        for figure, old, new in (
            ("capacity", previous.capacity, capacity),
            ("occupied", previous.occupied, occupied),
        ):
            if is_jump(old, new):
                found.append(Jump(figure, old, new, PREVIOUS, previous.date))
    accepted_before = (
        previous is not None and previous.capacity == capacity and not previous.flagged
    )
    if registered is not None and not accepted_before and is_jump(registered, capacity):
        found.append(Jump("capacity", registered, capacity, REGISTERED))
    return found


def reason(jump: Jump) -> str:
    """Why the report was flagged, as the coordinator's follow-up list shows it."""
    label = LABELS[jump.figure]
    if jump.basis == PREVIOUS:
        return _(
            "%(label)s (%(new)s) wijkt sterk af van de vorige melding (%(old)s op %(since)s)."
        ) % {
            "label": label,
            "new": jump.new,
            "old": jump.old,
            "since": format(jump.since, "%d-%m-%Y"),
        }
    return _("%(label)s (%(new)s) wijkt sterk af van de geregistreerde capaciteit (%(old)s).") % {
        "label": label,
        "new": jump.new,
        "old": jump.old,
    }


def question(jump: Jump, location_name: str) -> str:
    """What a form asks before it saves the report."""
    earlier = _("eerder") if jump.basis == PREVIOUS else _("geregistreerd")
    return _("%(figure)s %(location_name)s: %(earlier)s %(old)s, nu %(new)s. Klopt dit?") % {
        "figure": LABELS[jump.figure],
        "location_name": location_name,
        "earlier": earlier,
        "old": jump.old,
        "new": jump.new,
    }
