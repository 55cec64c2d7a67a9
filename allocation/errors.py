"""The user's words for the engine's :class:`~allocation.engine.AllocationError`.

The engine (pure Python, no Django) raises a code with the numbers and keys involved; this
table holds one translatable template per code, so a message can be reworded or translated
without touching the engine. CBS codes become "Name (GM0153)" when the caller knows the names.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from municipalities.errors import BadRequestError

from .engine import AllocationError

MESSAGES = {
    "total_negative": _("Het totaal mag niet negatief zijn (nu %(total)s)."),
    "unknown_method": _(
        "Onbekende verdeelmethode '%(method)s'; kies uit grootste overschot "
        "(largest_remainder), D'Hondt (dhondt) of Sainte-Laguë (sainte_lague)."
    ),
    "minimum_negative": _("Het minimum mag niet negatief zijn (nu %(value)s)."),
    "maximum_negative": _("Het maximum mag niet negatief zijn (nu %(value)s)."),
    "minimum_above_maximum": _(
        "Het minimum van %(minimum)s is hoger dan het maximum van %(maximum)s."
    ),
    "key_minimum_negative": _("Het minimum voor %(key)s mag niet negatief zijn (nu %(value)s)."),
    "key_maximum_negative": _("Het maximum voor %(key)s mag niet negatief zijn (nu %(value)s)."),
    "key_credit_negative": _(
        "De eerdere inzet voor %(key)s mag niet negatief zijn (nu %(value)s)."
    ),
    "unknown_in_minimums": _("Onbekende gemeente bij de minima: %(keys)s."),
    "unknown_in_maximums": _("Onbekende gemeente bij de maxima: %(keys)s."),
    "unknown_in_credits": _("Onbekende gemeente bij de eerdere inzet: %(keys)s."),
    "unknown_in_exclude": _("Onbekende gemeente bij de uitgesloten gemeenten: %(keys)s."),
    "weight_not_finite": _("Het gewicht van %(key)s moet een eindig getal zijn (nu %(weight)s)."),
    "weight_negative": _("Het gewicht van %(key)s mag niet negatief zijn (nu %(weight)s)."),
    "excluded_has_minimum": _("%(key)s is uitgesloten maar heeft een minimum van %(minimum)s."),
    "excluded_has_credit": _("%(key)s is uitgesloten maar heeft eerdere inzet van %(credit)s."),
    "key_minimum_above_maximum": _(
        "Het minimum van %(minimum)s voor %(key)s is hoger dan het maximum van %(maximum)s."
    ),
    "key_credit_above_maximum": _(
        "De eerdere inzet van %(credit)s voor %(key)s is hoger dan het maximum van %(maximum)s."
    ),
    "minimums_above_total": _(
        "De minima tellen op tot %(sum)s, meer dan het totaal van %(total)s."
    ),
    "credits_above_total": _(
        "De eerdere inzet telt op tot %(sum)s, meer dan het totaal van %(total)s."
    ),
    "lower_bounds_above_total": _(
        "Minima en eerdere inzet samen vragen %(sum)s plaatsen, meer dan het totaal van %(total)s."
    ),
    "no_receivers": _(
        "Geen enkele gemeente heeft een gewicht groter dan 0 om de %(open)s plaatsen boven de "
        "minima te krijgen."
    ),
    "maximums_below_total": _(
        "De maxima tellen op tot %(sum)s, minder dan het totaal van %(total)s."
    ),
    "maximums_below_total_weight_zero": _(
        "De maxima tellen op tot %(sum)s, minder dan het totaal van %(total)s (een gemeente met "
        "gewicht 0 telt mee met haar minimum)."
    ),
}


def allocation_message(error: AllocationError, names: Mapping[str, str] | None = None) -> str:
    """The message for an engine error in the active language; ``names`` maps CBS codes to
    municipality names."""
    # Every engine code has a template (a test guards it), so a miss is a bug to surface.
    return str(MESSAGES[error.code]) % _shown(error.params, names or {})


def _shown(params: Mapping[str, object], names: Mapping[str, str]) -> dict[str, str]:
    def name(code: str) -> str:
        return f"{names[code]} ({code})" if code in names else code

    shown = {}
    for param, value in params.items():
        if param == "key":
            shown[param] = name(value)  # type: ignore[arg-type]
        elif isinstance(value, tuple | list):
            shown[param] = ", ".join(str(item) for item in value)
        else:
            shown[param] = str(value)
    return shown


class DistributionError(ValidationError, BadRequestError):
    """An impossible distribution: pages show the message, the API answers 400 with the
    engine's code (say ``minimums_above_total``) as the problem's ``code``."""

    def __init__(self, error: AllocationError, names: Mapping[str, str] | None = None) -> None:
        super().__init__(allocation_message(error, names), code=error.code)
