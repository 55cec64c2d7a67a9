"""Follow-up work after the occupancy aggregates of some municipalities were recomputed.

Capacity must not know who depends on its figures, so apps that derive figures from them
(allocation's realisation of assignments) register a function here from their
`AppConfig.ready()`; the recompute task calls every registered function after it rebuilt the
occupancy snapshots:

    from capacity.recompute import register_followup
    register_followup(realisation_recompute_for)   # func(municipality_ids, from_date)

`from_date` is a `datetime.date`, or None when everything from the first report on changed.
Followups must be idempotent: a task that fails is retried and runs them again.
"""

import datetime
from collections.abc import Callable, Iterable

Followup = Callable[[list[int], datetime.date | None], None]

_followups: list[Followup] = []


def register_followup(func: Followup) -> Followup:
    """Register `func` to run after every occupancy recompute (usable as a decorator).

    Registering the same function twice has no effect, so a repeated `ready()` is harmless.
    """
    if func not in _followups:
        _followups.append(func)
    return func


def unregister_followup(func: Followup) -> None:
    if func in _followups:
        _followups.remove(func)


def registered_followups() -> tuple[Followup, ...]:
    return tuple(_followups)


def run_followups(municipality_ids: Iterable[int], from_date: datetime.date | None) -> None:
    ids = sorted(set(municipality_ids))
    for func in tuple(_followups):
        func(ids, from_date)
