"""Every AllocationError code has a template that keeps its numbers, in Dutch and in English."""

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from allocation import engine
from allocation.engine import ERROR_CODES, AllocationError, allocate
from allocation.errors import MESSAGES, allocation_message

WEIGHTS = {"GM0153": 160_640, "GM0164": 81_476, "GM0141": 73_155}
NAMES = {"GM0153": "Enschede", "GM0164": "Hengelo", "GM0141": "Almelo"}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

# (input of the engine, code, Dutch message, English message)
CASES = [
    (
        {"total": -1},
        "total_negative",
        "Het totaal mag niet negatief zijn (nu -1).",
        "The total must not be negative (now -1).",
    ),
    (
        {"method": "webster"},
        "unknown_method",
        "Onbekende verdeelmethode 'webster'; kies uit grootste overschot (largest_remainder), "
        "D'Hondt (dhondt) of Sainte-Laguë (sainte_lague).",
        "Unknown distribution method 'webster'; choose largest remainder (largest_remainder), "
        "D'Hondt (dhondt) or Sainte-Laguë (sainte_lague).",
    ),
    (
        {"weights": {"GM0153": -1}},
        "weight_negative",
        "Het gewicht van Enschede (GM0153) mag niet negatief zijn (nu -1).",
        "The weight of Enschede (GM0153) must not be negative (now -1).",
    ),
    (
        {"weights": {"GM0153": Decimal("NaN")}},
        "weight_not_finite",
        "Het gewicht van Enschede (GM0153) moet een eindig getal zijn (nu NaN).",
        "The weight of Enschede (GM0153) must be a finite number (now NaN).",
    ),
    (
        {"minimum": -1},
        "minimum_negative",
        "Het minimum mag niet negatief zijn (nu -1).",
        "The minimum must not be negative (now -1).",
    ),
    (
        {"maximum": -2},
        "maximum_negative",
        "Het maximum mag niet negatief zijn (nu -2).",
        "The maximum must not be negative (now -2).",
    ),
    (
        {"minimum": 5, "maximum": 4},
        "minimum_above_maximum",
        "Het minimum van 5 is hoger dan het maximum van 4.",
        "The minimum of 5 is above the maximum of 4.",
    ),
    (
        {"minimums": {"GM0153": -2}},
        "key_minimum_negative",
        "Het minimum voor Enschede (GM0153) mag niet negatief zijn (nu -2).",
        "The minimum for Enschede (GM0153) must not be negative (now -2).",
    ),
    (
        {"maximums": {"GM0153": -3}},
        "key_maximum_negative",
        "Het maximum voor Enschede (GM0153) mag niet negatief zijn (nu -3).",
        "The maximum for Enschede (GM0153) must not be negative (now -3).",
    ),
    (
        {"credits": {"GM0153": -5}},
        "key_credit_negative",
        "De eerdere inzet voor Enschede (GM0153) mag niet negatief zijn (nu -5).",
        "The earlier effort for Enschede (GM0153) must not be negative (now -5).",
    ),
    (
        {"minimums": {"GM9999": 1, "GM9998": 2}},
        "unknown_in_minimums",
        "Onbekende gemeente bij de minima: GM9998, GM9999.",
        "Unknown municipality in the minimums: GM9998, GM9999.",
    ),
    (
        {"maximums": {"GM9999": 1}},
        "unknown_in_maximums",
        "Onbekende gemeente bij de maxima: GM9999.",
        "Unknown municipality in the maximums: GM9999.",
    ),
    (
        {"credits": {"GM9999": 1}},
        "unknown_in_credits",
        "Onbekende gemeente bij de eerdere inzet: GM9999.",
        "Unknown municipality in the earlier effort: GM9999.",
    ),
    (
        {"exclude": ["GM9999"]},
        "unknown_in_exclude",
        "Onbekende gemeente bij de uitgesloten gemeenten: GM9999.",
        "Unknown municipality among the excluded municipalities: GM9999.",
    ),
    (
        {"exclude": ["GM0153"], "minimums": {"GM0153": 5}},
        "excluded_has_minimum",
        "Enschede (GM0153) is uitgesloten maar heeft een minimum van 5.",
        "Enschede (GM0153) is excluded but has a minimum of 5.",
    ),
    (
        {"exclude": ["GM0153"], "credits": {"GM0153": 5}},
        "excluded_has_credit",
        "Enschede (GM0153) is uitgesloten maar heeft eerdere inzet van 5.",
        "Enschede (GM0153) is excluded but has an earlier effort of 5.",
    ),
    (
        {"minimums": {"GM0153": 20}, "maximums": {"GM0153": 10}},
        "key_minimum_above_maximum",
        "Het minimum van 20 voor Enschede (GM0153) is hoger dan het maximum van 10.",
        "The minimum of 20 for Enschede (GM0153) is above its maximum of 10.",
    ),
    (
        {"credits": {"GM0153": 30}, "maximums": {"GM0153": 20}},
        "key_credit_above_maximum",
        "De eerdere inzet van 30 voor Enschede (GM0153) is hoger dan het maximum van 20.",
        "The earlier effort of 30 for Enschede (GM0153) is above its maximum of 20.",
    ),
    (
        {"minimum": 80},
        "minimums_above_total",
        "De minima tellen op tot 240, meer dan het totaal van 225.",
        "The minimums add up to 240, more than the total of 225.",
    ),
    (
        {"credits": {"GM0153": 226}},
        "credits_above_total",
        "De eerdere inzet telt op tot 226, meer dan het totaal van 225.",
        "The earlier effort adds up to 226, more than the total of 225.",
    ),
    (
        {"minimum": 50, "credits": {"GM0153": 150}},
        "lower_bounds_above_total",
        "Minima en eerdere inzet samen vragen 250 plaatsen, meer dan het totaal van 225.",
        "Minimums and earlier effort together require 250 places, more than the total of 225.",
    ),
    (
        {"weights": {"GM0153": 0, "GM0164": 0}, "minimum": 1},
        "no_receivers",
        "Geen enkele gemeente heeft een gewicht groter dan 0 om de 223 plaatsen boven de "
        "minima te krijgen.",
        "No municipality has a weight above 0 to receive the 223 places above the minimums.",
    ),
    (
        {"maximum": 70},
        "maximums_below_total",
        "De maxima tellen op tot 210, minder dan het totaal van 225.",
        "The maximums add up to 210, less than the total of 225.",
    ),
    (
        {"weights": {"GM0153": 0, "GM0164": 5}, "minimum": 1, "maximum": 100},
        "maximums_below_total_weight_zero",
        "De maxima tellen op tot 101, minder dan het totaal van 225 (een gemeente met "
        "gewicht 0 telt mee met haar minimum).",
        "The maximums add up to 101, less than the total of 225 (a municipality with "
        "weight 0 counts at its minimum).",
    ),
]


@pytest.mark.parametrize(("kwargs", "code", "dutch", "english"), CASES)
def test_every_engine_error_has_a_message_that_keeps_its_numbers(kwargs, code, dutch, english):
    with pytest.raises(AllocationError) as raised:
        allocate(**{"total": 225, "weights": WEIGHTS, **kwargs})
    error = raised.value
    assert error.code == code
    # The template asks only for what the engine passes along with this code.
    assert set(PLACEHOLDER.findall(str(MESSAGES[code]))) <= set(error.params)
    assert allocation_message(error, NAMES) == dutch
    with translation.override("en"):
        assert allocation_message(error, NAMES) == english


def test_every_code_has_a_template_and_a_case_above():
    assert set(MESSAGES) == set(ERROR_CODES)
    assert {code for _kwargs, code, _dutch, _english in CASES} == set(ERROR_CODES)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_template_uses_the_declared_params_in_both_languages(code):
    declared = set(ERROR_CODES[code])
    dutch = set(PLACEHOLDER.findall(str(MESSAGES[code])))
    with translation.override("en"):
        english = str(MESSAGES[code])
    # Placeholders with another spelling (say %(total)d) would slip past the pattern.
    assert english.count("%(") == len(PLACEHOLDER.findall(english))
    assert dutch <= declared
    assert set(PLACEHOLDER.findall(english)) == dutch
    assert english != str(MESSAGES[code]), "no English translation"


def test_codes_stay_codes_without_names():
    error = AllocationError("key_minimum_above_maximum", key="GM0153", minimum=20, maximum=10)
    assert (
        allocation_message(error)
        == "Het minimum van 20 voor GM0153 is hoger dan het maximum van 10."
    )


def test_the_engine_and_its_errors_need_no_django():
    root = Path(engine.__file__).parents[1]
    check = (
        "import sys; from allocation.engine import allocate, AllocationError\n"
        "try:\n    allocate(1, {'A': 1}, minimum=2)\n"
        "except AllocationError as error:\n    print(error.code)\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'django'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=root,
        env={"PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split("\n")[:2] == ["minimums_above_total", "[]"]
