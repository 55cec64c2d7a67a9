import datetime
from decimal import Decimal

import pytest

from capacity.choices import LocationType
from imports.cells import (
    CellError,
    parse_choice,
    parse_count,
    parse_date,
    parse_decimal,
)

NEGATIVE = "Een aantal kan niet negatief zijn."


@pytest.mark.parametrize(
    "value",
    [
        "2024-01-31",
        "31-01-2024",
        "31-1-2024",
        " 31-01-2024 ",
        "2024-01-31 00:00:00",
        datetime.datetime(2024, 1, 31),
        datetime.date(2024, 1, 31),
    ],
)
def test_it_reads_iso_dutch_and_spreadsheet_dates(value):
    assert parse_date(value) == datetime.date(2024, 1, 31)


def test_it_calls_an_impossible_date_impossible():
    with pytest.raises(CellError, match="De datum 31-02-2024 bestaat niet."):
        parse_date("31-02-2024")


@pytest.mark.parametrize("value", ["31/01/2024", "januari", "2024-1", ""])
def test_it_refuses_what_is_not_a_date(value):
    with pytest.raises(CellError):
        parse_date(value)


@pytest.mark.parametrize("value", ["60", "60.0", 60, 60.0, Decimal("60"), " 60 "])
def test_it_reads_whole_numbers_also_as_written_by_a_spreadsheet(value):
    assert parse_count(value, negative_message=NEGATIVE) == 60


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("6,5", "geen heel getal"),
        ("6.5", "geen heel getal"),
        (6.5, "geen heel getal"),
        ("1.000", "geen heel getal"),
        ("zestig", "geen getal"),
        ("-1", NEGATIVE),
        (-3, NEGATIVE),
        ("", "Vul een aantal in"),
        (True, "geen getal"),
        (float("nan"), "geen heel getal"),
    ],
)
def test_it_refuses_fractions_text_and_negative_numbers(value, reason):
    with pytest.raises(CellError, match=reason):
        parse_count(value, negative_message=NEGATIVE)


def test_it_reads_coordinates_with_a_point_or_a_dutch_comma():
    assert parse_decimal("52.2215") == Decimal("52.2215")
    assert parse_decimal("52,2215") == Decimal("52.2215")
    assert parse_decimal(52.5) == Decimal("52.5")
    assert parse_decimal("") is None
    with pytest.raises(CellError):
        parse_decimal("noord")


def test_it_reads_a_vocabulary_value_or_its_dutch_label():
    assert parse_choice("cno", LocationType) == "cno"
    assert parse_choice("Crisisnoodopvang (CNO)", LocationType) == "cno"
    with pytest.raises(CellError, match="kies uit: azc"):
        parse_choice("tent", LocationType)
