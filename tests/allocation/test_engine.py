"""Tests for the pure-Python allocation engine (no database, no Django needed)."""

from __future__ import annotations

import math
import pickle
from collections.abc import Mapping
from dataclasses import FrozenInstanceError
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation.engine import METHODS, AllocationError, Share, allocate

# Population of the fourteen Twente municipalities (633,917 in total).
POPULATIONS: dict[str, int] = {
    "GM0141": 73155,  # Almelo
    "GM0147": 24007,  # Borne
    "GM1774": 26594,  # Dinkelland
    "GM0153": 160640,  # Enschede
    "GM0158": 24268,  # Haaksbergen
    "GM0163": 35940,  # Hellendoorn
    "GM0164": 81476,  # Hengelo
    "GM1735": 35056,  # Hof van Twente
    "GM0168": 23084,  # Losser
    "GM0173": 31741,  # Oldenzaal
    "GM1742": 38231,  # Rijssen-Holten
    "GM0183": 21364,  # Tubbergen
    "GM1700": 33718,  # Twenterand
    "GM0189": 24643,  # Wierden
}
ENSCHEDE, HENGELO, ALMELO = "GM0153", "GM0164", "GM0141"

# 1,944 asylum places by population, largest remainder. The floors add up to 1,937; the seven
# open places go to the largest remainders: Hengelo .858, Losser .790, Enschede .626,
# Borne .621, Wierden .571, Dinkelland .554 and Tubbergen .516 (Hof van Twente, .504, misses).
EXPECTED_1944: dict[str, int] = {
    "GM0141": 224,
    "GM0147": 74,
    "GM0153": 493,
    "GM0158": 74,
    "GM0163": 110,
    "GM0164": 250,
    "GM0168": 71,
    "GM0173": 97,
    "GM0183": 66,
    "GM0189": 76,
    "GM1700": 103,
    "GM1735": 107,
    "GM1742": 117,
    "GM1774": 82,
}

# 225 crisis places with a floor of 10: the six smallest fall below 10 and are fixed there, the
# other 165 places are divided over the eight others (Almelo 24.64 rounds up to 25).
EXPECTED_225_FLOOR_10: dict[str, int] = {
    "GM0141": 25,
    "GM0147": 10,
    "GM0153": 54,
    "GM0158": 10,
    "GM0163": 12,
    "GM0164": 27,
    "GM0168": 10,
    "GM0173": 11,
    "GM0183": 10,
    "GM0189": 10,
    "GM1700": 11,
    "GM1735": 12,
    "GM1742": 13,
    "GM1774": 10,
}


def shares_of(result: list[Share]) -> dict[str, int]:
    return {item.key: item.share for item in result}


def by_key(result: list[Share]) -> dict[str, Share]:
    return {item.key: item for item in result}


# --- the seeds' cases ---------------------------------------------------------------------------


def test_twente_population_adds_up() -> None:
    assert sum(POPULATIONS.values()) == 633917


def test_1944_asylum_places_by_population() -> None:
    result = allocate(1944, POPULATIONS)

    assert shares_of(result) == EXPECTED_1944
    assert sum(item.share for item in result) == 1944
    for item in result:
        assert item.quota == Fraction(1944 * POPULATIONS[item.key], 633917)
        assert math.floor(item.quota) <= item.share <= math.ceil(item.quota)
        assert item.weight == POPULATIONS[item.key]
        assert item.credit == 0
    assert by_key(result)[ENSCHEDE].quota == Fraction(160640 * 1944, 633917)  # 492.63


def test_1944_matches_an_independent_integer_hamilton() -> None:
    # Integer floor division and remainders: a second arithmetic path, no Fractions involved.
    total, population = 1944, sum(POPULATIONS.values())
    floors = {key: total * pop // population for key, pop in POPULATIONS.items()}
    remainders = {key: total * pop % population for key, pop in POPULATIONS.items()}
    open_places = total - sum(floors.values())
    assert open_places == 7
    winners = sorted(POPULATIONS, key=lambda key: -remainders[key])[:open_places]
    expected = {key: floors[key] + (key in winners) for key in POPULATIONS}

    assert expected == EXPECTED_1944
    assert shares_of(allocate(total, POPULATIONS)) == expected


def test_225_crisis_places_with_floor_of_10_literal() -> None:
    result = allocate(225, POPULATIONS, minimum=10)

    assert shares_of(result) == EXPECTED_225_FLOOR_10
    quotas = {item.key: item.quota for item in result}
    assert sum(quotas.values()) == 225
    for small in ("GM0147", "GM0158", "GM0168", "GM0183", "GM0189", "GM1774"):
        assert quotas[small] == 10
    # The eight others share the 165 places above the six floors in proportion to population.
    assert quotas[ENSCHEDE] == Fraction(165 * 160640, 633917 - 143960)


@pytest.mark.parametrize("method", METHODS)
def test_225_crisis_places_with_floor_of_10_meets_the_seed_ranges(method: str) -> None:
    result = shares_of(allocate(225, POPULATIONS, minimum=10, method=method))

    assert sum(result.values()) == 225
    assert all(share >= 10 for share in result.values())
    assert 50 <= result[ENSCHEDE] <= 60
    assert 25 <= result[HENGELO] <= 30
    assert 25 <= result[ALMELO] <= 30
    for key, share in result.items():
        if key not in (ENSCHEDE, HENGELO, ALMELO):
            assert 10 <= share <= 15, key


# --- methods on textbook examples ---------------------------------------------------------------

# The common textbook election: 230,000 votes, 8 seats.
VOTES = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


def test_dhondt_textbook_example() -> None:
    assert shares_of(allocate(8, VOTES, method="dhondt")) == {"A": 4, "B": 3, "C": 1, "D": 0}


def test_sainte_lague_textbook_example() -> None:
    expected = {"A": 3, "B": 3, "C": 1, "D": 1}
    assert shares_of(allocate(8, VOTES, method="sainte_lague")) == expected


def test_largest_remainder_textbook_example() -> None:
    # Quotas 3.48, 2.78, 1.04, 0.70: floors give 6 seats, B and D have the largest remainders.
    assert shares_of(allocate(8, VOTES)) == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_largest_remainder_shows_the_alabama_paradox() -> None:
    # The classic demonstration: C loses a seat when the house grows from 10 to 11.
    weights = {"A": 6, "B": 6, "C": 2}
    assert shares_of(allocate(10, weights)) == {"A": 4, "B": 4, "C": 2}
    assert shares_of(allocate(11, weights)) == {"A": 5, "B": 5, "C": 1}


@pytest.mark.parametrize("method", ["dhondt", "sainte_lague"])
def test_divisor_methods_do_not_show_the_alabama_paradox(method: str) -> None:
    weights = {"A": 6, "B": 6, "C": 2}
    ten = shares_of(allocate(10, weights, method=method))
    eleven = shares_of(allocate(11, weights, method=method))
    assert all(eleven[key] >= ten[key] for key in weights)


# --- tie-breaking ------------------------------------------------------------------------------


def test_equal_remainders_go_to_the_larger_weight() -> None:
    # Quotas 0.5 and 1.5: both remainders are exactly one half.
    assert shares_of(allocate(2, {"A": 1, "B": 3})) == {"A": 0, "B": 2}


def test_equal_remainders_and_weights_go_to_the_smaller_key() -> None:
    assert shares_of(allocate(1, {"GM0200": 5, "GM0100": 5})) == {"GM0100": 1, "GM0200": 0}
    assert shares_of(allocate(2, {"C": 1, "B": 1, "A": 1})) == {"A": 1, "B": 1, "C": 0}


def test_equal_divisor_quotients_go_to_the_larger_weight() -> None:
    # Second seat: A 2/2 == B 1/1.
    assert shares_of(allocate(2, {"A": 2, "B": 1}, method="dhondt")) == {"A": 2, "B": 0}
    # Second seat under Sainte-Laguë: A 3/3 == B 1/1.
    assert shares_of(allocate(2, {"A": 3, "B": 1}, method="sainte_lague")) == {"A": 2, "B": 0}


@pytest.mark.parametrize("method", ["dhondt", "sainte_lague"])
def test_equal_divisor_quotients_and_weights_go_to_the_smaller_key(method: str) -> None:
    assert shares_of(allocate(1, {"B": 7, "A": 7}, method=method)) == {"A": 1, "B": 0}


def test_exact_arithmetic_separates_quotients_that_floats_would_tie() -> None:
    # Second seat: A 2e17 / 2 < B 1e17 + 1, but as floats both are 1e17 and the tie-break would
    # wrongly give the seat to the larger weight A.
    weights = {"A": 2 * 10**17, "B": 10**17 + 1}
    assert float(weights["A"]) / 2 == float(weights["B"])
    assert shares_of(allocate(2, weights, method="dhondt")) == {"A": 1, "B": 1}


# --- credits -----------------------------------------------------------------------------------


def test_credit_below_quota_counts_toward_the_share() -> None:
    result = by_key(allocate(10, {"A": 1, "B": 1}, credits={"A": 3}))
    assert (result["A"].share, result["A"].credit, result["A"].remaining) == (5, 3, 2)
    assert (result["B"].share, result["B"].credit, result["B"].remaining) == (5, 0, 5)


def test_credit_above_quota_keeps_the_credit_and_others_divide_the_rest() -> None:
    result = by_key(allocate(10, {"A": 1, "B": 1, "C": 2}, credits={"A": 6}))
    assert result["A"].share == 6
    assert result["A"].remaining == 0
    assert result["A"].quota == 6
    # B and C divide the remaining 4 places 1 : 2.
    assert result["B"].quota == Fraction(4, 3)
    assert result["C"].quota == Fraction(8, 3)
    assert (result["B"].share, result["C"].share) == (1, 3)


def test_credit_equal_to_total_takes_everything() -> None:
    assert shares_of(allocate(10, {"A": 1, "B": 9}, credits={"B": 0, "A": 10})) == {
        "A": 10,
        "B": 0,
    }


@pytest.mark.parametrize("method", METHODS)
def test_credits_on_twente_add_up_and_are_respected(method: str) -> None:
    credits = {ENSCHEDE: 300, "GM0183": 80, "GM0147": 10}
    result = allocate(1944, POPULATIONS, method=method, credits=credits)
    assert sum(item.share for item in result) == 1944
    for item in result:
        assert item.credit == credits.get(item.key, 0)
        assert item.share >= item.credit
    # Tubbergen delivered more than its 65.5 places: it gets nothing more.
    assert by_key(result)["GM0183"].share == 80


def test_credit_and_minimum_both_act_as_lower_bound() -> None:
    result = shares_of(allocate(10, {"A": 1, "B": 1, "C": 8}, minimum=2, credits={"A": 3}))
    assert result == {"A": 3, "B": 2, "C": 5}


# --- exclusions and zero weights ---------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_excluded_municipalities_are_listed_with_zero(method: str) -> None:
    result = by_key(allocate(1944, POPULATIONS, method=method, exclude=[ENSCHEDE, HENGELO]))
    assert len(result) == 14
    for key in (ENSCHEDE, HENGELO):
        assert result[key].share == 0
        assert result[key].weight == 0
        assert result[key].quota == 0
    assert sum(item.share for item in result.values()) == 1944
    rest = 633917 - 160640 - 81476
    assert result[ALMELO].quota == Fraction(1944 * 73155, rest)


def test_global_minimum_does_not_apply_to_excluded() -> None:
    result = shares_of(allocate(10, {"A": 1, "B": 1, "C": 1}, minimum=2, exclude={"C"}))
    assert result == {"A": 5, "B": 5, "C": 0}


def test_zero_weight_gets_nothing() -> None:
    assert shares_of(allocate(5, {"A": 0, "B": 3})) == {"A": 0, "B": 5}


@pytest.mark.parametrize("method", METHODS)
def test_zero_weight_gets_exactly_its_minimum(method: str) -> None:
    weights = {"A": 0, "B": 3, "C": 1}
    result = shares_of(allocate(12, weights, method=method, minimum=2))
    assert result["A"] == 2
    assert sum(result.values()) == 12


def test_minimums_alone_can_absorb_the_total_without_weights() -> None:
    assert shares_of(allocate(4, {"A": 0, "B": 0}, minimum=2)) == {"A": 2, "B": 2}


def test_empty_and_zero_totals() -> None:
    assert allocate(0, {}) == []
    assert shares_of(allocate(0, POPULATIONS)) == dict.fromkeys(POPULATIONS, 0)
    assert shares_of(allocate(0, {"A": 0})) == {"A": 0}


# --- bounds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_per_municipality_maximum_caps_and_others_absorb(method: str) -> None:
    result = shares_of(allocate(1944, POPULATIONS, method=method, maximums={ENSCHEDE: 400}))
    assert result[ENSCHEDE] == 400
    assert sum(result.values()) == 1944
    unbounded = shares_of(allocate(1944, POPULATIONS, method=method))
    assert all(result[key] >= unbounded[key] for key in POPULATIONS if key != ENSCHEDE)


def test_per_municipality_bounds_override_global_bounds() -> None:
    weights = {"A": 10, "B": 1, "C": 1}
    result = shares_of(
        allocate(12, weights, minimum=1, maximum=5, minimums={"B": 4}, maximums={"A": 8})
    )
    assert result == {"A": 7, "B": 4, "C": 1}


def test_global_maximum_applies_to_everyone() -> None:
    result = shares_of(allocate(10, {"A": 8, "B": 1, "C": 1}, maximum=4))
    assert result == {"A": 4, "B": 3, "C": 3}


def test_bounded_quotas_fix_only_the_side_that_is_certain() -> None:
    # Naively fixing A at its minimum and C at its maximum in the same round gives A 2, B 4. The
    # excess on C (4) outweighs the shortage on A (1), so only C is fixed: A and B get 3 each.
    result = by_key(allocate(10, {"A": 1, "B": 1, "C": 8}, minimums={"A": 2}, maximums={"C": 4}))
    assert {key: item.quota for key, item in result.items()} == {"A": 3, "B": 3, "C": 4}
    assert shares_of(list(result.values())) == {"A": 3, "B": 3, "C": 4}


def test_bounds_can_pin_every_municipality() -> None:
    result = shares_of(allocate(6, {"A": 1, "B": 5}, minimums={"A": 4}, maximums={"B": 2}))
    assert result == {"A": 4, "B": 2}


# --- shape of the result -----------------------------------------------------------------------


def test_result_is_sorted_by_key_and_independent_of_input_order() -> None:
    reversed_input = dict(reversed(list(POPULATIONS.items())))
    result = allocate(1944, reversed_input)
    assert [item.key for item in result] == sorted(POPULATIONS)
    assert result == allocate(1944, POPULATIONS)


def test_decimal_and_fraction_weights_are_exact() -> None:
    decimals = {"A": Decimal("0.1"), "B": Decimal("0.2"), "C": Decimal("0.7")}
    fractions = {"A": Fraction(1, 10), "B": Fraction(1, 5), "C": Fraction(7, 10)}
    integers = {"A": 1, "B": 2, "C": 7}
    expected = {"A": 1, "B": 2, "C": 7}
    for weights in (decimals, fractions, integers):
        result = allocate(10, weights)
        assert shares_of(result) == expected
        assert [item.quota for item in result] == [1, 2, 7]
    assert by_key(allocate(10, decimals))["A"].weight == Fraction(1, 10)


def test_share_is_immutable() -> None:
    item = allocate(1, {"A": 1})[0]
    with pytest.raises(FrozenInstanceError):
        item.share = 2  # type: ignore[misc]


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "code", "params"),
    [
        ({"total": -1}, "total_negative", {"total": -1}),
        ({"method": "webster"}, "unknown_method", {"method": "webster", "methods": METHODS}),
        ({"weights": {"A": -1, "B": 2}}, "weight_negative", {"key": "A", "weight": -1}),
        ({"minimum": -1}, "minimum_negative", {"value": -1}),
        ({"maximum": -1}, "maximum_negative", {"value": -1}),
        ({"minimum": 5, "maximum": 4}, "minimum_above_maximum", {"minimum": 5, "maximum": 4}),
        ({"minimums": {"GM9999": 1}}, "unknown_in_minimums", {"keys": ("GM9999",)}),
        (
            {"maximums": {"X": 1, "GM9999": 1}},
            "unknown_in_maximums",
            {"keys": ("GM9999", "X")},
        ),
        ({"credits": {"GM9999": 1}}, "unknown_in_credits", {"keys": ("GM9999",)}),
        ({"exclude": ["GM9999"]}, "unknown_in_exclude", {"keys": ("GM9999",)}),
        ({"minimums": {"GM0153": -2}}, "key_minimum_negative", {"key": "GM0153", "value": -2}),
        ({"maximums": {"GM0153": -2}}, "key_maximum_negative", {"key": "GM0153", "value": -2}),
        ({"credits": {"GM0153": -5}}, "key_credit_negative", {"key": "GM0153", "value": -5}),
        (
            {"minimums": {"GM0153": 20}, "maximums": {"GM0153": 10}},
            "key_minimum_above_maximum",
            {"key": "GM0153", "minimum": 20, "maximum": 10},
        ),
        (
            {"minimum": 3, "maximums": {"GM0153": 2}},
            "key_minimum_above_maximum",
            {"key": "GM0153", "minimum": 3, "maximum": 2},
        ),
        (
            {"credits": {"GM0153": 30}, "maximums": {"GM0153": 20}},
            "key_credit_above_maximum",
            {"key": "GM0153", "credit": 30, "maximum": 20},
        ),
        ({"minimum": 17}, "minimums_above_total", {"sum": 238, "total": 225}),
        ({"credits": {"GM0153": 226}}, "credits_above_total", {"sum": 226, "total": 225}),
        (
            {"credits": {"GM0153": 100, "GM0164": 126}},
            "credits_above_total",
            {"sum": 226, "total": 225},
        ),
        (
            {"minimum": 10, "credits": {"GM0153": 100}},
            "lower_bounds_above_total",
            {"sum": 230, "total": 225},
        ),
        ({"maximum": 16}, "maximums_below_total", {"sum": 224, "total": 225}),
        ({"weights": {"A": 0, "B": 0}, "minimum": 1}, "no_receivers", {"open": 223}),
        (
            {"weights": {"A": 0, "B": 5}, "minimum": 1, "maximum": 100},
            "maximums_below_total_weight_zero",
            {"sum": 101, "total": 225},
        ),
        (
            {"exclude": ["GM0153"], "minimums": {"GM0153": 5}},
            "excluded_has_minimum",
            {"key": "GM0153", "minimum": 5},
        ),
        (
            {"exclude": ["GM0153"], "credits": {"GM0153": 5}},
            "excluded_has_credit",
            {"key": "GM0153", "credit": 5},
        ),
        ({"exclude": list(POPULATIONS)}, "no_receivers", {"open": 225}),
        ({"weights": {}}, "no_receivers", {"open": 225}),
    ],
)
def test_impossible_or_inconsistent_input_raises(
    kwargs: dict[str, object], code: str, params: dict[str, object]
) -> None:
    arguments: dict[str, object] = {"total": 225, "weights": POPULATIONS, **kwargs}
    with pytest.raises(AllocationError) as raised:
        allocate(**arguments)  # type: ignore[arg-type]
    assert (raised.value.code, raised.value.params) == (code, params)


def test_a_weight_that_is_not_finite_raises() -> None:
    with pytest.raises(AllocationError) as raised:
        allocate(225, {"A": Decimal("NaN")})
    assert raised.value.code == "weight_not_finite"
    assert raised.value.params["key"] == "A" and raised.value.params["weight"].is_nan()


def test_allocation_error_is_a_value_error_that_names_its_code_and_numbers() -> None:
    with pytest.raises(ValueError, match=r"^minimums_above_total \(sum=2, total=1\)$"):
        allocate(1, {"A": 1, "B": 1}, minimum=1)


def test_an_allocation_error_survives_pickling() -> None:
    error = AllocationError("credits_above_total", sum=11, total=10)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.params, str(copy)) == (error.code, error.params, str(error))


def test_an_undeclared_code_or_param_is_refused() -> None:
    with pytest.raises(ValueError, match="Undeclared"):
        AllocationError("something_new", total=1)
    with pytest.raises(ValueError, match="Undeclared"):
        AllocationError("credits_above_total", sum=11)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"total": 2.5}, "total must be a whole number"),
        ({"total": True}, "total must be a whole number"),
        ({"weights": {"A": 1.5}}, "weight of A must be an int, Fraction or Decimal"),
        ({"weights": {"A": "3"}}, "weight of A must be an int, Fraction or Decimal"),
        ({"minimum": 1.0}, "minimum must be a whole number"),
        ({"credits": {"A": Decimal(2)}}, "credit for A must be a whole number"),
        ({"exclude": "A"}, "not a single string"),
    ],
)
def test_wrong_types_raise_type_error(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"total": 3, "weights": {"A": 1}, **kwargs}
    with pytest.raises(TypeError, match=message):
        allocate(**arguments)  # type: ignore[arg-type]


# --- properties --------------------------------------------------------------------------------

KEYS = ["GM0141", "GM0147", "GM0153", "GM0164", "GM0183", "GM1700", "GM1774"]
FAST = settings(max_examples=200, deadline=None)


def _lower(problem: Mapping[str, object], key: str) -> int:
    minimums: Mapping[str, int] = problem["minimums"]  # type: ignore[assignment]
    credits: Mapping[str, int] = problem["credits"]  # type: ignore[assignment]
    return max(minimums.get(key, problem["minimum"]), credits.get(key, 0))  # type: ignore[arg-type]


def _upper(problem: Mapping[str, object], key: str) -> int | None:
    maximums: Mapping[str, int] = problem["maximums"]  # type: ignore[assignment]
    return maximums.get(key, problem["maximum"])  # type: ignore[arg-type,return-value]


@st.composite
def feasible_problems(draw: st.DrawFn, bounded: bool = True) -> dict[str, object]:
    """Random but always solvable problems: bounds first, then a total that fits them."""
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6, unique=True))
    weights = {key: draw(st.integers(0, 40)) for key in keys}
    exclude = draw(st.lists(st.sampled_from(keys), unique=True, max_size=2))
    participants = [key for key in keys if key not in exclude]
    problem: dict[str, object] = {
        "weights": weights,
        "exclude": exclude,
        "method": draw(st.sampled_from(METHODS)),
        "minimum": 0,
        "maximum": None,
        "minimums": {},
        "maximums": {},
        "credits": {},
    }
    if bounded:
        minimum = draw(st.integers(0, 4))
        maximum = draw(st.none() | st.integers(minimum, minimum + 20))
        minimums, maximums, credits = {}, {}, {}
        for key in participants:
            low = draw(st.none() | st.integers(0, 6))
            high_floor = minimum if low is None else low
            high = draw(st.none() | st.integers(high_floor, high_floor + 15))
            if low is not None:
                minimums[key] = low
            if high is not None:
                maximums[key] = high
            cap = high if high is not None else maximum
            credit = draw(st.integers(0, 8 if cap is None else cap))
            if credit:
                credits[key] = credit
        # A per-key maximum must stay above the global minimum it does not override.
        if maximum is not None or maximums:
            for key in participants:
                cap = maximums.get(key, maximum)
                if cap is not None and minimums.get(key, minimum) > cap:
                    minimums[key] = cap
        problem.update(
            minimum=minimum,
            maximum=maximum,
            minimums=minimums,
            maximums=maximums,
            credits=credits,
        )
    lower_sum = sum(_lower(problem, key) for key in participants)
    receivers = [key for key in participants if weights[key] > 0]
    room = 60
    if receivers and all(_upper(problem, key) is not None for key in receivers):
        capacity = sum(
            _upper(problem, key) if weights[key] > 0 else _lower(problem, key)  # type: ignore[misc]
            for key in participants
        )
        room = min(room, capacity - lower_sum)
    elif not receivers:
        room = 0
    problem["total"] = lower_sum + draw(st.integers(0, max(room, 0)))
    return problem


def _run(problem: Mapping[str, object], **overrides: object) -> list[Share]:
    arguments = {**problem, **overrides}
    return allocate(**arguments)  # type: ignore[arg-type]


@FAST
@given(feasible_problems())
def test_property_shares_add_up_and_respect_every_bound(problem: dict[str, object]) -> None:
    result = _run(problem)
    weights: Mapping[str, int] = problem["weights"]  # type: ignore[assignment]
    assert [item.key for item in result] == sorted(weights)
    assert sum(item.share for item in result) == problem["total"]
    assert sum(item.quota for item in result) == problem["total"]
    for item in result:
        if item.key in problem["exclude"]:  # type: ignore[operator]
            assert (item.share, item.weight, item.quota, item.credit) == (0, 0, 0, 0)
            continue
        low, high = _lower(problem, item.key), _upper(problem, item.key)
        assert low <= item.share and low <= item.quota
        assert high is None or (item.share <= high and item.quota <= high)
        assert item.share >= item.credit
        if weights[item.key] == 0:
            assert item.share == low


@FAST
@given(feasible_problems())
def test_property_quotas_are_one_clamped_proportion(problem: dict[str, object]) -> None:
    """Every quota is clamp(λ·weight, lower, upper) for one common λ."""
    result = _run(problem)
    free, floor_lambda, ceiling_lambda = set(), [], []
    for item in result:
        if item.weight == 0:
            continue
        low, high = _lower(problem, item.key), _upper(problem, item.key)
        if low == high:
            continue  # pinned: any λ is consistent with it
        if item.quota == low:
            ceiling_lambda.append(low / item.weight)
        elif item.quota == high:
            floor_lambda.append(high / item.weight)  # type: ignore[operator]
        else:
            free.add(item.quota / item.weight)
    assert len(free) <= 1
    assert max([*floor_lambda, *free], default=0) <= min([*ceiling_lambda, *free], default=math.inf)


@FAST
@given(feasible_problems())
def test_property_largest_remainder_stays_within_one_of_the_quota(
    problem: dict[str, object],
) -> None:
    for item in _run(problem, method="largest_remainder"):
        assert math.floor(item.quota) <= item.share <= math.ceil(item.quota)


@FAST
@given(feasible_problems(bounded=False))
def test_property_unbounded_largest_remainder_satisfies_the_quota_rule(
    problem: dict[str, object],
) -> None:
    result = _run(problem, method="largest_remainder")
    total_weight = sum(item.weight for item in result)
    for item in result:
        exact = item.weight * problem["total"] / total_weight if total_weight else Fraction(0)
        assert item.quota == exact
        assert math.floor(exact) <= item.share <= math.ceil(exact)


@FAST
@given(feasible_problems(), st.randoms(use_true_random=False))
def test_property_result_does_not_depend_on_input_order(problem: dict[str, object], rnd) -> None:
    items = list(problem["weights"].items())  # type: ignore[attr-defined]
    rnd.shuffle(items)
    exclude = list(problem["exclude"])  # type: ignore[call-overload]
    rnd.shuffle(exclude)
    credits = list(problem["credits"].items())  # type: ignore[attr-defined]
    rnd.shuffle(credits)
    shuffled = _run(problem, weights=dict(items), exclude=exclude, credits=dict(credits))
    assert shuffled == _run(problem)


@FAST
@given(feasible_problems(), st.sampled_from(["dhondt", "sainte_lague"]))
def test_property_divisor_methods_give_every_place_to_a_highest_quotient(
    problem: dict[str, object], method: str
) -> None:
    """No place could move to another municipality with a strictly higher quotient."""
    divisor = (lambda places: places + 1) if method == "dhondt" else (lambda p: 2 * p + 1)
    result = [item for item in _run(problem, method=method) if item.weight > 0]
    given_quotients = [
        item.weight / divisor(item.share - 1)
        for item in result
        if item.share > _lower(problem, item.key)
    ]
    open_quotients = [
        item.weight / divisor(item.share)
        for item in result
        if (high := _upper(problem, item.key)) is None or item.share < high
    ]
    assert min(given_quotients, default=math.inf) >= max(open_quotients, default=0)


@FAST
@given(feasible_problems(), st.sampled_from(["dhondt", "sainte_lague"]))
def test_property_divisor_methods_are_house_monotone(
    problem: dict[str, object], method: str
) -> None:
    smaller = _run(problem, method=method)
    try:
        larger = _run(problem, method=method, total=problem["total"] + 1)  # type: ignore[operator]
    except AllocationError:
        return  # the bounds leave no room for one more place
    assert all(big.share >= small.share for big, small in zip(larger, smaller, strict=True))


@FAST
@given(
    st.dictionaries(st.sampled_from(KEYS), st.integers(0, 20), max_size=5),
    st.integers(0, 40),
    st.integers(0, 6),
    st.none() | st.integers(0, 12),
    st.dictionaries(st.sampled_from(KEYS), st.integers(0, 15), max_size=3),
    st.dictionaries(st.sampled_from(KEYS), st.integers(0, 15), max_size=3),
)
def test_property_raises_exactly_when_the_constraints_cannot_be_met(
    weights: dict[str, int],
    total: int,
    minimum: int,
    maximum: int | None,
    maximums: dict[str, int],
    credits: dict[str, int],
) -> None:
    maximums = {key: value for key, value in maximums.items() if key in weights}
    credits = {key: value for key, value in credits.items() if key in weights}
    lows = {key: max(minimum, credits.get(key, 0)) for key in weights}
    highs = {key: maximums.get(key, maximum) for key in weights}
    capacity = 0.0
    for key in weights:
        high = highs[key]
        capacity += lows[key] if weights[key] == 0 else math.inf if high is None else high
    feasible = (
        all(highs[key] is None or lows[key] <= highs[key] for key in weights)  # type: ignore[operator]
        and (maximum is None or minimum <= maximum)
        and sum(lows.values()) <= total <= capacity
    )
    arguments = {"minimum": minimum, "maximum": maximum, "maximums": maximums, "credits": credits}
    if feasible:
        assert sum(item.share for item in allocate(total, weights, **arguments)) == total
    else:
        with pytest.raises(AllocationError):
            allocate(total, weights, **arguments)
