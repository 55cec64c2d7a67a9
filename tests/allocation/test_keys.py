import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from allocation.keys import weights_for
from municipalities.models import KeyFigure, Municipality

REFERENCE = datetime.date(2022, 1, 1)


def _set_figures(date: datetime.date, **per_code) -> None:
    for code, values in per_code.items():
        KeyFigure.objects.update_or_create(
            municipality=Municipality.objects.get(code=code), date=date, defaults=values
        )


def test_population_key_uses_the_figures_valid_on_the_reference_date(
    region, django_assert_num_queries
):
    _set_figures(datetime.date(2023, 1, 1), GM0153={"population": 161_000})
    with django_assert_num_queries(1):
        weights = weights_for(key="population", region_code="VR05", reference_date=REFERENCE)
    assert len(weights) == 14
    assert weights["GM0153"] == 160_640
    assert sum(weights.values()) == 633_917
    latest = weights_for(key="population", region_code="VR05")
    assert latest["GM0153"] == 161_000


def test_population_before_any_figure_is_refused_with_the_date(region):
    with pytest.raises(ValidationError) as raised:
        weights_for(key="population", region_code="VR05", reference_date=datetime.date(2021, 6, 1))
    assert raised.value.messages == [
        "Voor gemeente Almelo ontbreekt het inwonertal op peildatum 01-06-2021."
    ]


def test_population_ses_multiplies_by_the_factor_exactly(region):
    factors = {m.code: Decimal("1.0123") for m in Municipality.objects.in_region("VR05")}
    for code, factor in factors.items():
        _set_figures(datetime.date(2022, 6, 1), **{code: {"ses_woa_factor": factor}})
    weights = weights_for(key="population_ses", region_code="VR05")
    assert weights["GM0153"] == Fraction(160_640) * Fraction("1.0123")


def test_population_ses_names_the_municipality_without_a_factor(region):
    _set_figures(datetime.date(2022, 1, 1), GM0153={"ses_woa_factor": Decimal("0.98")})
    with pytest.raises(ValidationError) as raised:
        weights_for(key="population_ses", region_code="VR05", reference_date=REFERENCE)
    assert raised.value.messages == [
        "Voor gemeente Almelo ontbreekt de SES-WOA-factor op peildatum 01-01-2022."
    ]


def test_population_area_mix_weights_both_shares(region):
    areas = {m.code: Decimal(100) for m in Municipality.objects.in_region("VR05")}
    areas["GM0153"] = Decimal("142.72")
    for code, area in areas.items():
        _set_figures(REFERENCE, **{code: {"land_area_km2": area}})
    weights = weights_for(
        key="population_area",
        region_code="VR05",
        reference_date=REFERENCE,
        area_weight=Fraction(1, 4),
    )
    area_sum = Fraction(100 * 13) + Fraction("142.72")
    expected = (
        Fraction(3, 4) * Fraction(160_640, 633_917) + Fraction(1, 4) * Fraction("142.72") / area_sum
    )
    assert weights["GM0153"] == expected
    assert sum(weights.values()) == 1


def test_population_area_without_area_is_refused(region):
    with pytest.raises(ValidationError, match="ontbreekt de landoppervlakte"):
        weights_for(key="population_area", region_code="VR05", reference_date=REFERENCE)


def test_equal_key_gives_everyone_weight_one(region):
    assert set(weights_for(key="equal", region_code="VR05").values()) == {1}


def test_custom_key_takes_given_weights_and_zero_for_the_others(region):
    weights = weights_for(
        key="custom", region_code="VR05", custom={"GM0153": Decimal("193"), "GM0141": 88}
    )
    assert weights["GM0153"] == 193
    assert weights["GM0141"] == 88
    assert weights["GM0189"] == 0


def test_custom_key_refuses_codes_outside_the_region(region):
    with pytest.raises(ValidationError) as raised:
        weights_for(key="custom", region_code="VR05", custom={"GM0363": 1})
    assert raised.value.message_dict == {"weights": ["Onbekende gemeente in de gewichten: GM0363."]}


def test_a_region_without_municipalities_is_refused(region):
    with pytest.raises(ValidationError, match="VR04 heeft geen gemeenten"):
        weights_for(key="population", region_code="VR04")
