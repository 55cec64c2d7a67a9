"""A cache for reads that follow from the reports, the locations and the thresholds alone
(the map's points, the outlook, the trend, the places per location type, the thresholds) and
the placements of the last days, so that the dashboard and the overview do not repeat them on
every request.

Entries are keyed by what they are, the region, the date and a *version*: a token per region,
replaced whenever the worker recomputes one of the region's municipalities (every accepted
report goes through that recompute) and whenever a placement at one of its locations is
saved or deleted, and a global token, replaced whenever a location or a
threshold is saved or deleted (a move between regions, a new name, new coordinates). Writes
that bypass `save()` (a queryset's `update()`) must call `everything_changed()`. Replacing a token
makes the old entries unreachable; they expire on their own. So an entry is never older than
the snapshots the same page reads, and the version is also the ETag of an endpoint that
serves such an entry: a client's copy is valid while the version is.

A token is replaced at once, inside the writer's transaction, so that the writer's own next
read sees its change; a read by someone else between that and the commit could store the old
figures under the new token, so the recompute replaces the region's token again after its
commit (`capacity.services.occupancy_recompute`). A location's or threshold's save has no
such second step: what a read stored during that transaction lasts until TIMEOUT at most.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

PREFIX = "figures"
GLOBAL = f"{PREFIX}:version:all"
# An entry outlives a missed invalidation by at most this long (seconds).
TIMEOUT = 15 * 60
VERSION_TIMEOUT = None  # versions stay until replaced


def _region_key(region_code: str) -> str:
    return f"{PREFIX}:version:{region_code}"


def _replace(keys: list[str]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=VERSION_TIMEOUT)


def _invalidate(keys: list[str]) -> None:
    _replace(keys)


def regions_changed(region_codes: Iterable[str]) -> None:
    """The figures of these regions changed (the worker recomputed them)."""
    keys = sorted({_region_key(code) for code in region_codes})
    if keys:
        _invalidate(keys)


def locations_changed(location_ids: Iterable[int]) -> None:
    """Something the cached reads count of these locations changed (one query)."""
    from .models import Location

    regions_changed(
        code
        for code in Location.objects.filter(pk__in=list(location_ids)).values_list(
            "municipality__safety_region__code", flat=True
        )
        if code
    )


def everything_changed() -> None:
    """Locations changed (or the cache must start afresh, as in each test)."""
    _invalidate([GLOBAL])


def reset() -> None:
    """Start afresh outside any transaction (each test's database starts empty)."""
    _replace([GLOBAL])


def version(region_code: str) -> str:
    """The current version of `region_code`'s cached reads (one cache round trip)."""
    keys = [GLOBAL, _region_key(region_code)]
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        # Another process may set it at the same moment: add, then read what won.
        for key, token in missing.items():
            cache.add(key, token, timeout=VERSION_TIMEOUT)
        found = cache.get_many(keys)
    return hashlib.sha256("|".join(found.get(key, "") for key in keys).encode()).hexdigest()[:32]


def cached(kind: str, region_code: str, key: str, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave before for (kind, region, key) at the current version."""
    entry = f"{PREFIX}:{kind}:{region_code}:{key}:{version(region_code)}"
    value = cache.get(entry)
    if value is None:
        value = compute()
        cache.set(entry, value, timeout=TIMEOUT)
    return value
