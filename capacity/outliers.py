"""Unusual figures: a report is saved but flagged for follow-up when its counts stand out
against the location's own earlier reports."""

import statistics
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

# Modified z-score (Iglewicz and Hoaglin): 0.6745 * (x - median) / MAD. Above 3.5 a figure
# is an outlier against the location's own history. With fewer than 4 earlier reports there
# is no history to judge by, so nothing is flagged.
OUTLIER_Z = Decimal("3.5")
OUTLIER_MIN_HISTORY = 4


def outlier_reason(*, capacity: int, occupied: int, history: Sequence[tuple[int, int]]) -> str:
    """Why these counts stand out against a location's earlier (capacity, occupied) pairs,
    or "" when they do not.

    Modified z-score 0.6745 * (x - median) / MAD above 3.5 is an outlier. When more than
    half of the history is the same figure the MAD is 0; then the mean absolute deviation
    stands in (z = (x - median) / (1.253314 * MeanAD)); when every earlier figure is equal
    a change of more than 10% of that figure (and at least 2) counts as unusual.
    """
    if len(history) < OUTLIER_MIN_HISTORY:
        return ""
    reasons = []
    for label, value, series in (
        (_("Capaciteit"), capacity, [pair[0] for pair in history]),
        (_("Bezet"), occupied, [pair[1] for pair in history]),
    ):
        verdict = _verdict(value, series)
        if verdict is None:
            continue
        median = Decimal(str(statistics.median(series)))
        if verdict == SCORE:
            shown = _score(value, series, median).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            reasons.append(
                _(
                    "%(label)s (%(value)s) wijkt sterk af van de eerdere meldingen "
                    "(mediaan %(median)s, gemodificeerde z-score %(score)s)."
                )
                % {
                    "label": label,
                    "value": value,
                    "median": _number(median),
                    "score": str(shown).replace(".", ","),
                }
            )
        else:
            reasons.append(
                _(
                    "%(label)s (%(value)s) wijkt af van de eerdere meldingen, die "
                    "allemaal %(median)s waren."
                )
                % {"label": label, "value": value, "median": _number(median)}
            )
    return " ".join(reasons)


SCORE, CONSTANT = "score", "constant"


def _doubled_median(values: Sequence[int]) -> int:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return 2 * ordered[middle]
    return ordered[middle - 1] + ordered[middle]


def _verdict(value: int, series: Sequence[int]) -> str | None:
    """Whether `value` stands out (SCORE: by its z-score; CONSTANT: against a history of one
    figure), in exact integer arithmetic: an import judges 130,000 figures, and doubled
    medians of whole numbers are whole, so nothing needs Decimal until a figure stands out.

    With m the median, MAD the median and S the sum of the |x - m|: 0.6745 * |v - m| / MAD >
    3.5, or (MAD 0) |v - m| / (1.253314 * S / n) > 3.5, or (S 0) |v - m| > max(2, m / 10).
    """
    median2 = _doubled_median(series)  # 2m
    deviation2 = abs(2 * value - median2)  # 2|v - m|
    if deviation2 == 0:
        return None
    spread = [abs(2 * x - median2) for x in series]  # 2|x - m|
    mad4 = _doubled_median(spread)  # 4 MAD
    if mad4 > 0:  # 0.6745 * (d2 / 2) / (mad4 / 4) > 3.5, i.e. 1.349 d2 > 3.5 mad4
        return SCORE if 1349 * deviation2 > 3500 * mad4 else None
    total2 = sum(spread)  # 2S
    if total2 > 0:  # (d2 / 2) / (1.253314 * (total2 / 2) / n) > 3.5, i.e. d2 n > 4.386599 S2
        return SCORE if 2_000_000 * deviation2 * len(series) > 8_773_198 * total2 else None
    # |v - m| > max(2, m / 10), i.e. d2 / 2 > max(2, m2 / 20)
    return CONSTANT if 10 * deviation2 > max(40, median2) else None


def _score(value: int, series: Sequence[int], median: Decimal) -> Decimal:
    deviation = abs(Decimal(value) - median)
    mad = Decimal(str(statistics.median([abs(Decimal(x) - median) for x in series])))
    if mad > 0:
        return Decimal("0.6745") * deviation / mad
    mean_ad = sum(abs(Decimal(x) - median) for x in series) / len(series)
    return deviation / (Decimal("1.253314") * mean_ad)


def _number(value: Decimal) -> str:
    return str(value.normalize() if value != value.to_integral() else int(value)).replace(".", ",")
