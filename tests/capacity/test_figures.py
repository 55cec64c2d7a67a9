"""The figure set (`capacity.figures`): one name per number, the rate and its rounding, the
level, and the sums of larger areas."""

import datetime
from decimal import Decimal

from capacity.figures import HOUSED, PLACES, FigureSet, level_of

THRESHOLDS = (Decimal("0.92"), Decimal("0.95"))


def test_free_is_what_is_neither_occupied_nor_reserved_and_never_negative():
    assert FigureSet("asylum", operational=100, occupied=87, reserved=5).free == 8
    # A report may say more people than places (an overfull location): nothing is free.
    assert FigureSet("asylum", operational=100, occupied=104, reserved=0).free == 0


def test_the_rate_has_four_decimals_and_is_empty_without_places():
    assert FigureSet("asylum", operational=3, occupied=2).rate == Decimal("0.6667")
    assert FigureSet("asylum", operational=0, occupied=0).rate is None


def test_the_rate_rounded_comes_from_the_exact_fraction_not_from_the_four_decimals():
    # 2499 / 20000 = 0.12495: four decimals round it to 0.1250, which would make 0.13.
    figures = FigureSet("asylum", operational=20_000, occupied=2_499)
    assert figures.rate == Decimal("0.1250")
    assert figures.rate_rounded(2) == Decimal("0.12")
    assert FigureSet("asylum", operational=8, occupied=1).rate_rounded(2) == Decimal("0.13")


def test_without_a_task_the_places_are_what_is_realised_and_there_is_no_gap():
    figures = FigureSet("asylum", operational=120, occupied=100)
    assert (figures.realisation, figures.realised) == (PLACES, 120)
    assert figures.required is None and figures.gap is None


def test_the_gap_is_the_task_minus_what_is_realised():
    assert FigureSet("asylum", operational=120, required=200, realised=80).gap == 120
    assert FigureSet("asylum", operational=120, required=50, realised=80).gap == -30
    # Permit holders count persons housed: no task, no realisation at all.
    housed = FigureSet("permit_holders", realisation=HOUSED, realised=None, required=10)
    assert housed.gap is None


def test_measured_sets_the_level_from_the_thresholds():
    def level(occupied):
        return FigureSet.measured("asylum", THRESHOLDS, operational=100, occupied=occupied).level

    assert [level(91), level(92), level(94), level(95)] == [
        "ok",
        "warning",
        "warning",
        "tipping_point",
    ]
    assert FigureSet.measured("asylum", THRESHOLDS).level == "ok"  # no places: nothing to fill
    assert level_of(None, THRESHOLDS) == "ok"


def test_summed_adds_the_parts_up_and_measures_the_whole():
    day = datetime.date(2026, 1, 5)
    parts = [
        FigureSet(
            "asylum",
            operational=100,
            occupied=90,
            reserved=2,
            locations=2,
            last_report_date=day,
            required=120,
            realised=100,
        ),
        FigureSet(
            "asylum",
            operational=50,
            occupied=50,
            locations=1,
            last_report_date=day - datetime.timedelta(days=3),
        ),
    ]
    whole = FigureSet.summed("asylum", parts, THRESHOLDS, key="VR05")
    assert (whole.operational, whole.occupied, whole.reserved, whole.locations) == (150, 140, 2, 3)
    assert whole.free == 8
    assert whole.last_report_date == day
    # A part without a task adds its places to what is realised, not to the task.
    assert (whole.required, whole.realised, whole.gap) == (120, 150, -30)
    assert whole.rate == Decimal("0.9333") and whole.level == "warning"
    assert whole.key == "VR05"


def test_summed_keeps_no_task_as_none_and_adds_permit_holders_as_housed():
    assert FigureSet.summed("asylum", [FigureSet("asylum"), FigureSet("asylum")]).required is None
    parts = [
        FigureSet("permit_holders", realisation=HOUSED, required=10, realised=4, linked=2),
        FigureSet("permit_holders", realisation=HOUSED, required=6, realised=None, linked=None),
    ]
    whole = FigureSet.summed("permit_holders", parts)
    assert whole.counts_housed
    assert (whole.required, whole.realised, whole.linked, whole.gap) == (16, 4, 2, 12)
    assert FigureSet.summed("asylum", []).rate is None
    assert FigureSet.summed("asylum", []).level == "ok"


def test_progress_is_capped_at_the_task_for_the_bar_but_not_in_percent():
    figures = FigureSet("asylum", operational=150, required=120, realised=150)
    assert figures.progress_value == 120
    assert figures.progress_percent == Decimal("125.0")
    assert FigureSet("asylum", operational=10, required=0).progress_percent is None
