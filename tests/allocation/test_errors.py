"""Every AllocationError the engine raises has a Dutch message that keeps its numbers."""

from decimal import Decimal

import pytest

from allocation.engine import AllocationError, allocate
from allocation.errors import FALLBACK, translate

WEIGHTS = {"GM0153": 160_640, "GM0164": 81_476, "GM0141": 73_155}
NAMES = {"GM0153": "Enschede", "GM0164": "Hengelo", "GM0141": "Almelo"}


@pytest.mark.parametrize(
    ("kwargs", "dutch"),
    [
        ({"total": -1}, "Het totaal mag niet negatief zijn (nu -1)."),
        (
            {"method": "webster"},
            "Onbekende verdeelmethode 'webster'; kies uit grootste overschot (largest_remainder), "
            "D'Hondt (dhondt) of Sainte-Laguë (sainte_lague).",
        ),
        (
            {"weights": {"GM0153": -1}},
            "Het gewicht van Enschede (GM0153) mag niet negatief zijn (nu -1).",
        ),
        (
            {"weights": {"GM0153": Decimal("NaN")}},
            "Het gewicht van Enschede (GM0153) moet een eindig getal zijn (nu NaN).",
        ),
        ({"minimum": -1}, "Het minimum mag niet negatief zijn (nu -1)."),
        ({"maximum": -2}, "Het maximum mag niet negatief zijn (nu -2)."),
        ({"minimum": 5, "maximum": 4}, "Het minimum van 5 is hoger dan het maximum van 4."),
        (
            {"minimums": {"GM0153": -2}},
            "Het minimum voor Enschede (GM0153) mag niet negatief zijn (nu -2).",
        ),
        (
            {"maximums": {"GM0153": -3}},
            "Het maximum voor Enschede (GM0153) mag niet negatief zijn (nu -3).",
        ),
        (
            {"credits": {"GM0153": -5}},
            "De eerdere inzet voor Enschede (GM0153) mag niet negatief zijn (nu -5).",
        ),
        ({"minimums": {"GM9999": 1}}, "Onbekende gemeente bij de minima: GM9999."),
        ({"maximums": {"GM9999": 1}}, "Onbekende gemeente bij de maxima: GM9999."),
        ({"credits": {"GM9999": 1}}, "Onbekende gemeente bij de eerdere inzet: GM9999."),
        ({"exclude": ["GM9999"]}, "Onbekende gemeente bij de uitgesloten gemeenten: GM9999."),
        (
            {"exclude": ["GM0153"], "minimums": {"GM0153": 5}},
            "Enschede (GM0153) is uitgesloten maar heeft een minimum van 5.",
        ),
        (
            {"exclude": ["GM0153"], "credits": {"GM0153": 5}},
            "Enschede (GM0153) is uitgesloten maar heeft eerdere inzet van 5.",
        ),
        (
            {"minimums": {"GM0153": 20}, "maximums": {"GM0153": 10}},
            "Het minimum van 20 voor Enschede (GM0153) is hoger dan het maximum van 10.",
        ),
        (
            {"credits": {"GM0153": 30}, "maximums": {"GM0153": 20}},
            "De eerdere inzet van 30 voor Enschede (GM0153) is hoger dan het maximum van 20.",
        ),
        ({"minimum": 80}, "De minima tellen op tot 240, meer dan het totaal van 225."),
        (
            {"credits": {"GM0153": 226}},
            "De eerdere inzet telt op tot 226, meer dan het totaal van 225.",
        ),
        (
            {"minimum": 50, "credits": {"GM0153": 150}},
            "Minima en eerdere inzet samen vragen 250 plaatsen, meer dan het totaal van 225.",
        ),
        (
            {"weights": {"GM0153": 0, "GM0164": 0}, "minimum": 1},
            "Geen enkele gemeente heeft een gewicht groter dan 0 om de 223 plaatsen boven de "
            "minima te krijgen.",
        ),
        ({"maximum": 70}, "De maxima tellen op tot 210, minder dan het totaal van 225."),
        (
            {"weights": {"GM0153": 0, "GM0164": 5}, "minimum": 1, "maximum": 100},
            "De maxima tellen op tot 101, minder dan het totaal van 225 (een gemeente met "
            "gewicht 0 telt mee met haar minimum).",
        ),
    ],
)
def test_every_engine_error_has_a_dutch_message(kwargs, dutch):
    arguments = {"total": 225, "weights": WEIGHTS, **kwargs}
    with pytest.raises(AllocationError) as raised:
        allocate(**arguments)
    assert translate(raised.value, NAMES) == dutch


def test_codes_stay_codes_without_names():
    error = AllocationError("The minimum of 20 for GM0153 is above its maximum of 10")
    assert translate(error) == "Het minimum van 20 voor GM0153 is hoger dan het maximum van 10."


def test_an_unknown_engine_message_is_shown_with_a_dutch_lead_in():
    error = AllocationError("Something new happened with 7 places")
    assert translate(error) == FALLBACK.format(message="Something new happened with 7 places")
