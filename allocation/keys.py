"""Distribution keys: the weight per municipality that the engine divides a total by.

- ``population``: inhabitants on the reference date;
- ``population_ses``: inhabitants × the CBS SES-WOA correction factor (Spreidingswet);
- ``population_area``: the mix ``(1−a)·population/Σpopulation + a·area/Σarea`` of the interim
  national key, with ``a`` = ``area_weight`` (default ½: both count equally);
- ``equal``: every municipality weight 1;
- ``custom``: weights given by CBS code (e.g. official indicative numbers); a municipality
  without a weight gets 0.

Figures are "valid on" the reference date: the newest dated figure on or before it; no
reference date means the latest known figure. Weights are exact (int or Fraction).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from municipalities.models import Municipality

from .choices import Key

Weight = int | Fraction


def region_municipalities(
    *, region_code: str, reference_date: datetime.date | None = None
) -> list[Municipality]:
    """The region's municipalities with their key figures on the date, sorted by code; 1 query."""
    return list(
        Municipality.objects.in_region(region_code)
        .with_key_figures(reference_date)
        .order_by("code")
    )


def weights_for(
    *,
    key: str,
    region_code: str,
    reference_date: datetime.date | None = None,
    custom: Mapping[str, Decimal | int] | None = None,
    area_weight: Fraction | Decimal = Fraction(1, 2),
) -> dict[str, Weight]:
    """The weight per CBS code of the region's municipalities under ``key`` (one query)."""
    municipalities = region_municipalities(region_code=region_code, reference_date=reference_date)
    if not municipalities:
        raise ValidationError(
            _("Veiligheidsregio %(region_code)s heeft geen gemeenten.")
            % {"region_code": region_code}
        )
    return weights_from(
        municipalities,
        key=key,
        reference_date=reference_date,
        custom=custom,
        area_weight=area_weight,
    )


def weights_from(
    municipalities: Iterable[Municipality],
    *,
    key: str,
    reference_date: datetime.date | None = None,
    custom: Mapping[str, Decimal | int] | None = None,
    area_weight: Fraction | Decimal = Fraction(1, 2),
) -> dict[str, Weight]:
    """Weights from municipalities annotated by ``with_key_figures`` (no queries).

    ``area_weight`` is the part of the mix that land area gets (0 to 1); population gets the
    rest. Missing figures raise a ValidationError naming the municipality and the date.
    """
    municipalities = list(municipalities)
    if key == Key.EQUAL:
        return {m.code: 1 for m in municipalities}
    if key == Key.CUSTOM:
        return _custom(municipalities, custom or {})
    if key == Key.POPULATION:
        return {m.code: _figure(m, "population", reference_date) for m in municipalities}
    if key == Key.POPULATION_SES:
        return {
            m.code: _figure(m, "population", reference_date)
            * Fraction(_figure(m, "ses_woa_factor", reference_date))
            for m in municipalities
        }
    if key == Key.POPULATION_AREA:
        return _population_area_mix(municipalities, reference_date, Fraction(area_weight))
    raise ValidationError(_("Onbekende verdeelsleutel %(key)s.") % {"key": repr(key)})


_FIGURE_NAMES = {
    "population": _("het inwonertal"),
    "ses_woa_factor": _("de SES-WOA-factor"),
    "land_area_km2": _("de landoppervlakte"),
}


def _figure(municipality: Municipality, field: str, on: datetime.date | None):
    value = getattr(municipality, field)
    if value is None:
        when = (
            _("peildatum %(date)s") % {"date": format(on, "%d-%m-%Y")}
            if on
            else _("de laatst bekende peildatum")
        )
        raise ValidationError(
            _("Voor gemeente %(name)s ontbreekt %(figure)s op %(when)s.")
            % {"name": municipality.name, "figure": _FIGURE_NAMES[field], "when": when}
        )
    return value


def _population_area_mix(
    municipalities: list[Municipality], on: datetime.date | None, area_weight: Fraction
) -> dict[str, Weight]:
    if not 0 <= area_weight <= 1:
        raise ValidationError(
            _("Het aandeel landoppervlakte moet tussen 0 en 1 liggen, niet %(value)s.")
            % {"value": format(float(area_weight), "g")}
        )
    population = {m.code: Fraction(_figure(m, "population", on)) for m in municipalities}
    area = {m.code: Fraction(_figure(m, "land_area_km2", on)) for m in municipalities}
    population_sum, area_sum = sum(population.values()), sum(area.values())
    if not population_sum or not area_sum:
        raise ValidationError(_("Inwonertal en landoppervlakte van de regio mogen niet 0 zijn."))
    return {
        code: (1 - area_weight) * population[code] / population_sum
        + area_weight * area[code] / area_sum
        for code in population
    }


def _custom(
    municipalities: list[Municipality], custom: Mapping[str, Decimal | int]
) -> dict[str, Weight]:
    codes = {m.code for m in municipalities}
    unknown = sorted(set(custom) - codes)
    if unknown:
        raise ValidationError(
            {
                "weights": _("Onbekende gemeente in de gewichten: %(list)s.")
                % {"list": ", ".join(unknown)}
            }
        )
    weights: dict[str, Weight] = {}
    for code in sorted(codes):
        value = Fraction(Decimal(str(custom.get(code, 0))))
        if value < 0:
            raise ValidationError(
                {"weights": _("Het gewicht van %(code)s mag niet negatief zijn.") % {"code": code}}
            )
        weights[code] = value.numerator if value.denominator == 1 else value
    return weights
