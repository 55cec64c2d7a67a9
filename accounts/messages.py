"""The Dutch texts for refusals: one table next to the pages that show them."""

from django.utils.translation import gettext_lazy as _

REFUSALS = {
    "no_role": _("Uw organisatie-account geeft (nog) geen rol in deze applicatie."),
    "no_municipality": (
        _("Uw organisatie-account noemt u projectleider, maar niet van welke gemeente.")
    ),
    "several_municipalities": (
        _(
            "Uw organisatie-account noemt meer dan één gemeente ({codes}); een account hoort bij "
            "één gemeente."
        )
    ),
    "several_regions": _("Uw organisatie-account noemt meer dan één veiligheidsregio ({codes})."),
    "unknown_municipality": _("De gemeente {code} uit uw organisatie-account is hier onbekend."),
    "unknown_region": _("De veiligheidsregio {code} uit uw organisatie-account is hier onbekend."),
    "region_mismatch": (
        _(
            "De gemeente {municipality} uit uw organisatie-account hoort niet bij veiligheidsregio "
            "{region}."
        )
    ),
}


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def refusal_text(code: str, params: dict | None = None) -> str:
    text = REFUSALS.get(code, REFUSALS["no_role"])
    values = {k: ", ".join(v) if isinstance(v, list) else v for k, v in (params or {}).items()}
    return text.format_map(_Params(values))
