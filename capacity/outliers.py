"""Unusual figures: a report is saved but flagged for follow-up when its counts stand out
against the location's own earlier reports."""

import statistics
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

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
        ("Capaciteit", capacity, [pair[0] for pair in history]),
        ("Bezet", occupied, [pair[1] for pair in history]),
    ):
        median = Decimal(str(statistics.median(series)))
        deviation = abs(Decimal(value) - median)
        if deviation == 0:
            continue
        mad = Decimal(str(statistics.median([abs(Decimal(x) - median) for x in series])))
        mean_ad = sum(abs(Decimal(x) - median) for x in series) / len(series)
        if mad > 0:
            score = Decimal("0.6745") * deviation / mad
        elif mean_ad > 0:
            score = deviation / (Decimal("1.253314") * mean_ad)
        else:
            score = None
        if score is not None and score > OUTLIER_Z:
            shown = score.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            reasons.append(
                f"{label} ({value}) wijkt sterk af van de eerdere meldingen (mediaan "
                f"{_number(median)}, gemodificeerde z-score {str(shown).replace('.', ',')})."
            )
        elif score is None and deviation > max(Decimal(2), median / 10):
            reasons.append(
                f"{label} ({value}) wijkt af van de eerdere meldingen, die allemaal "
                f"{_number(median)} waren."
            )
    return " ".join(reasons)


def _number(value: Decimal) -> str:
    return str(value.normalize() if value != value.to_integral() else int(value)).replace(".", ",")
