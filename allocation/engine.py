"""Divide a regional task of whole places over municipalities, exactly.

The fourteen municipalities of Twente share regional tasks such as asylum or crisis reception
places. This module turns a total number of places and a weight per municipality (usually the
population) into whole shares that add up *exactly* to the total. It is pure Python on purpose
(no Django), so the rules can be tested in isolation and reused by views, exports and tasks.

All arithmetic is exact: weights are converted to :class:`fractions.Fraction` and quotas,
remainders and divisor quotients are compared as fractions. Floats never enter the calculation,
because a rounding error in a remainder comparison can move a place to another municipality.
Callers convert :attr:`Share.quota` to a float or Decimal only for display.

Rules
=====

Participants
    Every key of ``weights`` appears in the result, sorted by key. Keys in ``exclude`` take no
    part: they get weight 0, quota 0, credit 0 and share 0. A participant with weight 0 gets its
    minimum (usually 0) and never more, because there is no proportion to give it more by.

Bounds
    ``minimum``/``maximum`` apply to every participant; ``minimums``/``maximums`` override them
    per key. Bounds apply to the *final* share, credits included.

Credits
    A credit is effort already delivered (for example places already realised). It counts toward
    the municipality's share: ``share`` is the municipality's part of the total *including* the
    credit, so the shares still add up to the total and ``share - credit`` (:attr:`Share.remaining`)
    is what the municipality still has to deliver. A share is never below the credit: a
    municipality that already delivered more than its proportional part keeps its credit as its
    share and gets nothing more; the other municipalities divide the rest in proportion to their
    weights. Technically the credit is just an extra lower bound, ``max(minimum, credit)``, so it
    follows exactly the same rules as a minimum.

Quotas (the exact, fractional part)
    Bounds are handled by "bounded apportionment": every participant gets ``clamp(λ·weight,
    lower, upper)`` for the single factor ``λ`` that makes these quotas add up to the total. It is
    found by iterative fixing: divide the open amount over the free participants in proportion to
    their weights; if some of them fall outside their bounds, fix them at the bound and divide
    again. When bounds are violated on both sides in one round only the side with the larger total
    violation is fixed (Bitran and Hax), because fixing both at once can pin a municipality that the
    final factor would have left free. Without bounds or credits the quota is simply
    ``weight * total / sum(weights)``.

Whole places
    ``largest_remainder`` (Hamilton, the default): everybody gets the floor of their quota and the
    places still open go, one each, to the largest fractional remainders. Every share is therefore
    the floor or the ceiling of its quota, and the bounds hold automatically because they are whole
    numbers.

    ``dhondt`` (divisors 1, 2, 3, ...) and ``sainte_lague`` (divisors 1, 3, 5, ...): everybody
    starts at its lower bound and the places are handed out one by one to the participant with
    the highest ``weight / divisor(places so far)``; participants at their maximum are skipped.
    This is the standard divisor method with restrictions; it may deviate from the quota by more
    than one place (D'Hondt favours large municipalities), which is inherent to these methods.
    The work is proportional to the total, which is fine for numbers of places.

Tie-breaking
    Equal remainders (or equal divisor quotients) are decided in favour of the larger weight and
    then of the lexicographically smaller key. Inputs are sorted internally, so the result never
    depends on the order of the mappings.

Errors
    Impossible or inconsistent input raises :class:`AllocationError` (a ``ValueError``): a
    ``code`` from :data:`ERROR_CODES` and the numbers and keys involved as ``params``. The engine
    has no words for the user; callers look the code up (``allocation.errors``) and write the
    message in the user's language. Values of the wrong type (floats, strings) are caller bugs
    and raise ``TypeError``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

__all__ = ["ERROR_CODES", "METHODS", "AllocationError", "Share", "allocate"]

METHODS: tuple[str, ...] = ("largest_remainder", "dhondt", "sainte_lague")

Weight = int | Fraction | Decimal


# Every code an AllocationError can carry, with the params it passes along. Keys are the
# municipality codes as given in ``weights``.
ERROR_CODES: dict[str, tuple[str, ...]] = {
    "total_negative": ("total",),
    "unknown_method": ("method", "methods"),
    "minimum_negative": ("value",),
    "maximum_negative": ("value",),
    "minimum_above_maximum": ("minimum", "maximum"),
    "key_minimum_negative": ("key", "value"),
    "key_maximum_negative": ("key", "value"),
    "key_credit_negative": ("key", "value"),
    "unknown_in_minimums": ("keys",),
    "unknown_in_maximums": ("keys",),
    "unknown_in_credits": ("keys",),
    "unknown_in_exclude": ("keys",),
    "weight_not_finite": ("key", "weight"),
    "weight_negative": ("key", "weight"),
    "excluded_has_minimum": ("key", "minimum"),
    "excluded_has_credit": ("key", "credit"),
    "key_minimum_above_maximum": ("key", "minimum", "maximum"),
    "key_credit_above_maximum": ("key", "credit", "maximum"),
    "minimums_above_total": ("sum", "total"),
    "credits_above_total": ("sum", "total"),
    "lower_bounds_above_total": ("sum", "total"),
    "no_receivers": ("open",),
    "maximums_below_total": ("sum", "total"),
    "maximums_below_total_weight_zero": ("sum", "total"),
}


class AllocationError(ValueError):
    """The requested allocation is impossible or its input is inconsistent.

    ``code`` names the case (a key of :data:`ERROR_CODES`), ``params`` the numbers and keys
    involved, so a caller can word the message without parsing text.
    """

    def __init__(self, code: str, **params: object) -> None:
        # A code without its declared params would leave a caller's message with a hole.
        if code not in ERROR_CODES or set(params) != set(ERROR_CODES[code]):
            raise ValueError(f"Undeclared allocation error {code} with {sorted(params)}")
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        details = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        return f"{self.code} ({details})"

    def __reduce__(self):
        # Keyword params do not survive BaseException's default pickling (say into Celery).
        return _allocation_error, (self.code, self.params)


def _allocation_error(code: str, params: dict[str, object]) -> AllocationError:
    return AllocationError(code, **params)


@dataclass(frozen=True)
class Share:
    """The part of the total that one municipality takes on.

    ``weight`` is the weight actually used (0 when excluded), ``quota`` the exact fractional
    entitlement after bounds and credits (the quotas add up to the total), ``credit`` the effort
    already delivered and ``share`` the whole number of places *including* that credit.
    """

    key: str
    weight: Fraction
    quota: Fraction
    credit: int
    share: int

    @property
    def remaining(self) -> int:
        """Places still to be delivered: the share minus what was already delivered."""
        return self.share - self.credit


def allocate(
    total: int,
    weights: Mapping[str, Weight],
    *,
    method: str = "largest_remainder",
    minimum: int = 0,
    maximum: int | None = None,
    minimums: Mapping[str, int] | None = None,
    maximums: Mapping[str, int] | None = None,
    credits: Mapping[str, int] | None = None,
    exclude: Iterable[str] = (),
) -> list[Share]:
    """Divide ``total`` whole places over the keys of ``weights``; see the module docstring.

    :param total: number of places to divide, at least 0.
    :param weights: weight per municipality code (int, Fraction or Decimal, at least 0).
    :param method: one of :data:`METHODS`.
    :param minimum: lower bound for every participant's share.
    :param maximum: upper bound for every participant's share, ``None`` for no bound.
    :param minimums: per-key lower bounds, overriding ``minimum``.
    :param maximums: per-key upper bounds, overriding ``maximum``.
    :param credits: per-key effort already delivered; counts toward the share.
    :param exclude: keys that take no part and get 0.
    :returns: one :class:`Share` per key of ``weights``, sorted by key; the shares add up to
        ``total``.
    :raises AllocationError: if the input is inconsistent or the bounds cannot be met.
    """
    _check_whole("total", total)
    if total < 0:
        raise AllocationError("total_negative", total=total)
    if method not in METHODS:
        raise AllocationError("unknown_method", method=method, methods=METHODS)
    _check_bound("minimum", minimum, "minimum_negative")
    if maximum is not None:
        _check_bound("maximum", maximum, "maximum_negative")
        if minimum > maximum:
            raise AllocationError("minimum_above_maximum", minimum=minimum, maximum=maximum)

    keys = sorted(weights)
    minimums = _checked_per_key("minimum", minimums, keys)
    maximums = _checked_per_key("maximum", maximums, keys)
    credits = _checked_per_key("credit", credits, keys)
    excluded = _checked_exclude(exclude, keys)

    # Excluded weights are validated too: a bad value is a caller bug even when it is unused.
    converted = {key: _to_fraction(key, weights[key]) for key in keys}
    participants = [key for key in keys if key not in excluded]
    used = {key: converted[key] for key in participants}
    _check_excluded_have_nothing(excluded, minimums, credits)

    lower = {key: max(minimums.get(key, minimum), credits.get(key, 0)) for key in participants}
    upper = {key: maximums.get(key, maximum) for key in participants}
    _check_bounds_per_key(participants, minimums, credits, lower, upper, minimum)
    _check_feasible(total, used, lower, upper, minimums, credits, minimum)

    quotas = _bounded_quotas(total, used, lower, upper)
    if method == "largest_remainder":
        shares = _largest_remainder(total, quotas, used)
    else:
        divisor = _dhondt_divisor if method == "dhondt" else _sainte_lague_divisor
        shares = _highest_averages(total, used, lower, upper, divisor)

    return [
        Share(
            key=key,
            weight=used.get(key, Fraction(0)),
            quota=quotas.get(key, Fraction(0)),
            credit=credits.get(key, 0),
            share=shares.get(key, 0),
        )
        for key in keys
    ]


# --- input validation -------------------------------------------------------------------------


def _check_whole(name: str, value: object) -> None:
    # bool is an int subclass, but True places is always a caller mistake.
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"The {name} must be a whole number (int), got {value!r}")


def _check_bound(name: str, value: object, code: str, **where: str) -> None:
    _check_whole(name, value)
    if value < 0:  # type: ignore[operator]
        raise AllocationError(code, value=value, **where)


def _checked_per_key(
    bound: str, values: Mapping[str, int] | None, keys: list[str]
) -> dict[str, int]:
    """``bound`` is "minimum", "maximum" or "credit"; ``values`` its per-key numbers."""
    if values is None:
        return {}
    _check_known(f"{bound}s", values, keys)
    for key in sorted(values):
        _check_bound(f"{bound} for {key}", values[key], f"key_{bound}_negative", key=key)
    return dict(values)


def _checked_exclude(exclude: Iterable[str], keys: list[str]) -> set[str]:
    # A bare string is iterable too; iterating it would exclude single characters.
    if isinstance(exclude, str):
        raise TypeError("exclude must be a collection of keys, not a single string")
    excluded = set(exclude)
    _check_known("exclude", excluded, keys)
    return excluded


def _check_known(name: str, given: Iterable[str], keys: list[str]) -> None:
    unknown = sorted(set(given) - set(keys))
    if unknown:
        raise AllocationError(f"unknown_in_{name}", keys=tuple(unknown))


def _to_fraction(key: str, weight: object) -> Fraction:
    # Floats are refused rather than converted: their binary value is rarely what was meant.
    if isinstance(weight, bool) or not isinstance(weight, int | Fraction | Decimal):
        raise TypeError(f"The weight of {key} must be an int, Fraction or Decimal, got {weight!r}")
    if isinstance(weight, Decimal) and not weight.is_finite():
        raise AllocationError("weight_not_finite", key=key, weight=weight)
    value = Fraction(weight)
    if value < 0:
        raise AllocationError("weight_negative", key=key, weight=weight)
    return value


def _check_excluded_have_nothing(
    excluded: set[str], minimums: Mapping[str, int], credits: Mapping[str, int]
) -> None:
    # An excluded municipality gets 0, so a positive minimum or credit contradicts the exclusion.
    for key in sorted(excluded):
        if minimums.get(key, 0) > 0:
            raise AllocationError("excluded_has_minimum", key=key, minimum=minimums[key])
        if credits.get(key, 0) > 0:
            raise AllocationError("excluded_has_credit", key=key, credit=credits[key])


def _check_bounds_per_key(
    participants: list[str],
    minimums: Mapping[str, int],
    credits: Mapping[str, int],
    lower: Mapping[str, int],
    upper: Mapping[str, int | None],
    minimum: int,
) -> None:
    for key in participants:
        high = upper[key]
        if high is None or lower[key] <= high:
            continue
        low = minimums.get(key, minimum)
        if low > high:
            raise AllocationError("key_minimum_above_maximum", key=key, minimum=low, maximum=high)
        raise AllocationError(
            "key_credit_above_maximum", key=key, credit=credits[key], maximum=high
        )


def _check_feasible(
    total: int,
    weights: Mapping[str, Fraction],
    lower: Mapping[str, int],
    upper: Mapping[str, int | None],
    minimums: Mapping[str, int],
    credits: Mapping[str, int],
    minimum: int,
) -> None:
    # Report the most specific cause first, so the message points at what the user entered.
    minimum_sum = sum(minimums.get(key, minimum) for key in lower)
    if minimum_sum > total:
        raise AllocationError("minimums_above_total", sum=minimum_sum, total=total)
    credit_sum = sum(credits.values())
    if credit_sum > total:
        raise AllocationError("credits_above_total", sum=credit_sum, total=total)
    lower_sum = sum(lower.values())
    if lower_sum > total:
        raise AllocationError("lower_bounds_above_total", sum=lower_sum, total=total)
    open_places = total - lower_sum
    receivers = [key for key in lower if weights[key] > 0]
    if open_places and not receivers:
        raise AllocationError("no_receivers", open=open_places)
    if any(upper[key] is None for key in receivers):
        return
    # A municipality with weight 0 never gets more than its minimum, so that is its capacity.
    capacity = sum(_capacity(key, weights, lower, upper) for key in lower)
    if capacity < total:
        # Name the weight-0 rule when it is what lowers the capacity.
        weight_zero = len(receivers) < len(lower)
        code = "maximums_below_total_weight_zero" if weight_zero else "maximums_below_total"
        raise AllocationError(code, sum=capacity, total=total)


def _capacity(
    key: str,
    weights: Mapping[str, Fraction],
    lower: Mapping[str, int],
    upper: Mapping[str, int | None],
) -> int:
    high = upper[key]
    if weights[key] == 0 or high is None:
        return lower[key]
    return high


# --- exact quotas -------------------------------------------------------------------------------


def _bounded_quotas(
    total: int,
    weights: Mapping[str, Fraction],
    lower: Mapping[str, int],
    upper: Mapping[str, int | None],
) -> dict[str, Fraction]:
    """Return ``clamp(λ·weight, lower, upper)`` per key, with λ chosen so they add up to total."""
    # Weight 0 offers no proportion to divide by; such a municipality stays at its lower bound.
    quotas = {key: Fraction(lower[key]) for key in weights if weights[key] == 0}
    free = sorted(key for key in weights if weights[key] > 0)
    while free:
        open_amount = total - sum(quotas.values())
        factor = Fraction(open_amount) / sum(weights[key] for key in free)
        proposal = {key: weights[key] * factor for key in free}
        over = [key for key in free if _above(proposal[key], upper[key])]
        under = [key for key in free if proposal[key] < lower[key]]
        if not over and not under:
            quotas.update(proposal)
            break
        excess = sum(proposal[key] - upper[key] for key in over)  # type: ignore[operator]
        shortage = sum(lower[key] - proposal[key] for key in under)
        # Only the side with the larger violation is certain to sit at its bound in the final
        # solution: the final factor moves away from it. On a tie the current factor is final.
        fixed: list[str] = []
        if excess >= shortage:
            fixed += over
            quotas.update({key: Fraction(upper[key]) for key in over})  # type: ignore[arg-type]
        if shortage >= excess:
            fixed += under
            quotas.update({key: Fraction(lower[key]) for key in under})
        free = [key for key in free if key not in fixed]
    # Feasibility was checked up front, so the fixing always ends on the exact total.
    assert sum(quotas.values()) == total, "bounded quotas must add up to the total"
    return quotas


def _above(value: Fraction, bound: int | None) -> bool:
    return bound is not None and value > bound


# --- whole places ------------------------------------------------------------------------------


def _largest_remainder(
    total: int, quotas: Mapping[str, Fraction], weights: Mapping[str, Fraction]
) -> dict[str, int]:
    shares = {key: math.floor(quota) for key, quota in quotas.items()}
    open_places = total - sum(shares.values())
    # The remainders add up to open_places and are each below 1, so at least open_places keys
    # have a positive remainder: nobody gets two extra places and nobody exceeds its ceiling.
    ranked = sorted(quotas, key=lambda key: (shares[key] - quotas[key], -weights[key], key))
    for key in ranked[:open_places]:
        shares[key] += 1
    return shares


def _dhondt_divisor(places: int) -> int:
    return places + 1


def _sainte_lague_divisor(places: int) -> int:
    return 2 * places + 1


def _highest_averages(
    total: int,
    weights: Mapping[str, Fraction],
    lower: Mapping[str, int],
    upper: Mapping[str, int | None],
    divisor: Callable[[int], int],
) -> dict[str, int]:
    shares = dict(lower)
    open_places = total - sum(shares.values())
    # Heap entries sort by highest quotient, then larger weight, then smaller key: the documented
    # tie-breaking. Quotients are Fractions, so equal quotients really compare equal.
    heap = [
        _entry(key, weights[key], shares[key], divisor)
        for key in sorted(weights)
        if weights[key] > 0 and not _at_cap(shares[key], upper[key])
    ]
    heapq.heapify(heap)
    for _ in range(open_places):
        _, _, key = heapq.heappop(heap)
        shares[key] += 1
        if not _at_cap(shares[key], upper[key]):
            heapq.heappush(heap, _entry(key, weights[key], shares[key], divisor))
    return shares


def _entry(
    key: str, weight: Fraction, places: int, divisor: Callable[[int], int]
) -> tuple[Fraction, Fraction, str]:
    return (-weight / divisor(places), -weight, key)


def _at_cap(places: int, bound: int | None) -> bool:
    return bound is not None and places >= bound
