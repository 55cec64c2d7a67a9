"""The one lifecycle rule (capacity/lifecycle.py): Python and SQL tell the same state."""

import datetime
import itertools

import pytest

from capacity.choices import LocationStatus
from capacity.lifecycle import (
    EffectiveStatus,
    effective_status,
    effective_status_text,
)
from capacity.models import Location
from tests.capacity.factories import LocationFactory

ON = datetime.date(2023, 7, 31)
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "opened_on", "contract_end", "expected"),
    [
        # After the contract end: gone, whatever the stored status says.
        ("operational", None, ON - DAY, "contract_ended"),
        ("winding_down", None, ON - DAY, "contract_ended"),
        ("planned", ON + DAY, ON - DAY, "contract_ended"),
        ("closed", None, ON - DAY, "closed"),
        # The contract end itself is the last day that counts.
        ("operational", None, ON, "operational"),
        # Before the opening date.
        ("operational", ON + DAY, None, "preparing"),
        ("winding_down", ON + DAY, None, "preparing"),
        ("planned", ON + DAY, None, "planned"),
        ("preparing", ON + DAY, None, "preparing"),
        # A closed location was running until its closing day.
        ("closed", ON - DAY * 30, ON, "operational"),
        ("closed", None, ON + DAY, "operational"),
        # Otherwise the stored status; a planned one past its date waits to be opened.
        ("operational", ON, None, "operational"),
        ("planned", ON - DAY, None, "planned"),
        ("preparing", ON - DAY, None, "preparing"),
        ("winding_down", None, None, "winding_down"),
    ],
)
def test_the_state_on_a_date(status, opened_on, contract_end, expected):
    assert (
        effective_status(status=status, opened_on=opened_on, contract_end=contract_end, on=ON)
        == expected
    )


DATES = (None, ON - DAY, ON, ON + DAY)


def _combinations():
    for status, opened_on, contract_end in itertools.product(LocationStatus.values, DATES, DATES):
        if opened_on and contract_end and contract_end < opened_on:
            continue  # the model refuses it
        if status == LocationStatus.CLOSED and contract_end is None:
            continue
        yield status, opened_on, contract_end


@pytest.mark.django_db
def test_the_sql_rule_agrees_with_the_python_rule_for_every_combination():
    expected = {}
    for number, (status, opened_on, contract_end) in enumerate(_combinations()):
        location = LocationFactory(
            code=f"L-{number}", status=status, opened_on=opened_on, contract_end=contract_end
        )
        expected[location.code] = effective_status(
            status=status, opened_on=opened_on, contract_end=contract_end, on=ON
        )
    annotated = dict(
        Location.objects.with_effective_status(ON).values_list("code", "effective_status")
    )
    assert annotated == expected
    operational = set(Location.objects.operational_on(ON).values_list("code", flat=True))
    assert operational == {code for code, state in expected.items() if state == "operational"}
    reporting = set(Location.objects.reporting_on(ON).values_list("code", flat=True))
    assert reporting == {
        code
        for code, state in expected.items()
        if state in ("preparing", "operational", "winding_down")
    }


def test_every_state_is_a_status_value_or_contract_ended():
    assert set(EffectiveStatus.values) == {*LocationStatus.values, "contract_ended"}


def test_the_state_in_words_names_the_date():
    ended = Location(status="operational", contract_end=datetime.date(2023, 7, 31))
    closed = Location(status="closed", contract_end=datetime.date(2023, 7, 31))
    opening = Location(status="planned", opened_on=datetime.date(2024, 3, 1))
    later = datetime.date(2023, 8, 1)

    assert effective_status_text(ended, later) == "Contract verlopen op 31-07-2023"
    assert effective_status_text(closed, later) == "Gesloten op 31-07-2023"
    assert effective_status_text(opening, later) == "Gepland, opent op 01-03-2024"
    assert effective_status_text(ended, ON) == "Operationeel"


def test_the_state_in_words_in_english():
    from django.utils import translation

    ended = Location(status="operational", contract_end=datetime.date(2023, 7, 31))
    with translation.override("en"):
        text = effective_status_text(ended, datetime.date(2023, 8, 1))
    assert text == "Contract ended on 31-07-2023"
