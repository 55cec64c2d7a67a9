"""Plausibility from the first report (issue 14): a jump of more than half and more than 20
places against the previous report or the registered capacity is flagged, on every path; the
modified z-score stays for locations with enough history. And no report after the contract
end."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from capacity.choices import ReportSource
from capacity.models import CapacityReport
from capacity.outliers import outlier_reason
from capacity.plausibility import PREVIOUS, REGISTERED, Jump, Previous, is_jump, jumps, question
from capacity.reporting import (
    ReportEntry,
    ReportsHeld,
    ReportsRefused,
    reports_check,
    reports_record,
)
from capacity.services import WeeklyRow, report_submit, weekly_counts_submit
from tests.factories import MunicipalityFactory, UserFactory

from .factories import CapacityReportFactory, LocationFactory

EARLIER = datetime.date(2023, 3, 6)
DAY = datetime.date(2023, 3, 13)


@pytest.fixture
def user(db):
    return UserFactory(role="coordinator")


@pytest.fixture
def enschede(db):
    return MunicipalityFactory(code="GM0153", name="Enschede")


@pytest.fixture
def location(enschede):
    location = LocationFactory(code="CNO-ENS-01", name="CNO Enschede", municipality=enschede)
    CapacityReportFactory(location=location, date=EARLIER, capacity=59, occupied=56)
    return location


def submit(location, user, day=DAY, **counts):
    counts = {"capacity": 59, "occupied": 56, **counts}
    return report_submit(location=location, date=day, source=ReportSource.API, user=user, **counts)


# The rule itself (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "implausible"),
    [
        (59, 5900, True),  # the typo of the issue
        (59, 59, False),
        (8, 16, False),  # doubled, but only 8 places: a small location filling up
        (40, 61, True),  # 21 places and more than half of 40
        (40, 60, False),  # 20 places is not more than 20
        (100, 149, False),  # 49 places, but not more than half of 100
        (100, 151, True),
        (60, 20, True),  # down counts as well
        (0, 21, True),  # from an empty location
        (0, 20, False),
    ],
)
def test_a_jump_is_more_than_half_and_more_than_20_places(old, new, implausible):
    assert is_jump(old, new) is implausible


def test_capacity_and_occupied_are_judged_against_the_previous_report():
    previous = Previous(EARLIER, capacity=59, occupied=56, flagged=False)
    found = jumps(capacity=5900, occupied=5, previous=previous, registered=None)
    assert found == [
        Jump("capacity", 59, 5900, PREVIOUS, EARLIER),
        Jump("occupied", 56, 5, PREVIOUS, EARLIER),
    ]
    assert question(found[0], "CNO Enschede") == (
        "Capaciteit CNO Enschede: eerder 59, nu 5900. Klopt dit?"
    )


def test_a_first_report_is_judged_against_the_registered_capacity():
    found = jumps(capacity=5900, occupied=10, previous=None, registered=60)
    assert found == [Jump("capacity", 60, 5900, REGISTERED)]
    assert question(found[0], "AZC X") == (
        "Capaciteit AZC X: geregistreerd 60, nu 5900. Klopt dit?"
    )
    assert jumps(capacity=55, occupied=10, previous=None, registered=60) == []
    assert jumps(capacity=5900, occupied=10, previous=None, registered=None) == []


def test_a_capacity_accepted_before_is_not_questioned_against_the_registered_one_again():
    accepted = Previous(EARLIER, capacity=20, occupied=10, flagged=False)
    assert jumps(capacity=20, occupied=10, previous=accepted, registered=100) == []
    # Still flagged (nobody checked it yet): asked again.
    flagged = Previous(EARLIER, capacity=20, occupied=10, flagged=True)
    assert jumps(capacity=20, occupied=10, previous=flagged, registered=100) == [
        Jump("capacity", 100, 20, REGISTERED)
    ]


# Through the service ----------------------------------------------------------------------


def test_a_59_to_5900_report_is_saved_flagged_with_the_reason(location, user):
    report = submit(location, user, capacity=5900)
    report.refresh_from_db()
    assert report.flagged is True
    assert report.flag_reason == (
        "Capaciteit (5900) wijkt sterk af van de vorige melding (59 op 06-03-2023)."
    )
    assert report.history.get().flag_reason == report.flag_reason


def test_the_first_report_of_a_location_is_judged_against_its_planned_capacity(enschede, user):
    azc = LocationFactory(name="AZC X", municipality=enschede, planned_capacity=150)
    report = submit(azc, user, capacity=1500, occupied=10)
    assert report.flagged is True
    assert "geregistreerde capaciteit (150)" in report.flag_reason
    near = LocationFactory(name="AZC Y", municipality=enschede, planned_capacity=150)
    assert submit(near, user, capacity=160, occupied=10).flagged is False


def test_the_z_score_and_the_jump_both_give_their_reason(location, user):
    for weeks in range(2, 6):
        CapacityReportFactory(
            location=location,
            date=EARLIER - datetime.timedelta(weeks=weeks),
            capacity=59,
            occupied=56,
        )
    report = submit(location, user, capacity=5900)
    assert "wijkt sterk af van de vorige melding" in report.flag_reason
    assert "wijkt af van de eerdere meldingen" in report.flag_reason  # the z-score check


def test_a_plausible_report_is_not_flagged_and_a_correction_drops_the_flag(location, user):
    assert submit(location, user, capacity=5900).flagged is True
    corrected = submit(location, user, capacity=60, occupied=55)
    assert (corrected.flagged, corrected.flag_reason) == (False, "")


def test_a_batch_judges_each_entry_against_the_one_before_it(location, user):
    """A history import: the file's own earlier rows are the previous reports."""
    weeks = [DAY + datetime.timedelta(weeks=n) for n in range(3)]
    result = reports_record(
        entries=[
            ReportEntry(location.pk, weeks[0], 59, 50, key="a"),
            ReportEntry(location.pk, weeks[1], 590, 50, key="b"),  # typo
            ReportEntry(location.pk, weeks[2], 590, 50, key="c"),  # same as the row before
        ],
        source=ReportSource.IMPORT,
        user=user,
    )
    # "c" is judged against "b", not against the 59 in the database: no jump.
    assert list(result.flagged) == ["b"]
    assert result.flagged["b"] == (
        "Capaciteit (590) wijkt sterk af van de vorige melding (59 op 13-03-2023)."
    )
    assert CapacityReport.objects.get(location=location, date=weeks[2]).flagged is False


def test_the_grid_holds_an_implausible_row_and_saves_nothing(location, user):
    other = LocationFactory(name="Tweede", municipality=location.municipality)
    rows = [WeeklyRow(location, 5900, 56), WeeklyRow(other, 20, 10)]
    with pytest.raises(ReportsHeld) as held:
        weekly_counts_submit(
            municipality=location.municipality,
            date=DAY,
            rows=rows,
            user=user,
            hold_implausible=True,
        )
    assert held.value.questions == {
        "CNO-ENS-01": ["Capaciteit CNO Enschede: eerder 59, nu 5900. Klopt dit?"]
    }
    assert not CapacityReport.objects.filter(date=DAY).exists()
    saved = weekly_counts_submit(municipality=location.municipality, date=DAY, rows=rows, user=user)
    assert [report.flagged for report in saved] == [True, False]


def test_an_unchanged_report_is_neither_held_nor_written_again(location, user):
    report = submit(location, user, capacity=5900)
    result = reports_record(
        entries=[ReportEntry(location.pk, DAY, 5900, 56)],
        source=ReportSource.FORM,
        user=user,
        hold_implausible=True,
    )
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert result.reports[0].version == report.version
    assert CapacityReport.history.filter(id=report.pk).count() == 1


# Contract end -------------------------------------------------------------------------------


ENDED = (
    "Het contract van CNO Enschede is op 31-07-2023 geëindigd; een melding voor 07-08-2023 "
    "telt niet mee. Verleng de einddatum van het contract op de locatiepagina als de locatie "
    "nog open is."
)


def test_a_report_after_the_contract_end_is_refused_naming_the_end(location, user):
    location.contract_end = datetime.date(2023, 7, 31)
    location.save()
    with pytest.raises(ValidationError) as refused:
        submit(location, user, day=datetime.date(2023, 8, 7))
    assert refused.value.message_dict == {"date": [ENDED]}
    assert not CapacityReport.objects.filter(date__gt=location.contract_end).exists()
    # On the last day of the contract a report still counts.
    assert submit(location, user, day=datetime.date(2023, 7, 31)).pk


def test_a_batch_with_one_report_after_the_contract_end_saves_nothing(location, user):
    location.contract_end = datetime.date(2023, 7, 31)
    location.save()
    entries = [
        ReportEntry(location.pk, DAY, 59, 50, key=2),
        ReportEntry(location.pk, datetime.date(2023, 8, 7), 59, 50, key=3),
    ]
    assert reports_check(entries=entries).errors == {3: {"date": [ENDED]}}
    with pytest.raises(ReportsRefused) as refused:
        reports_record(entries=entries, source=ReportSource.IMPORT, user=user)
    assert refused.value.row_errors == {3: {"date": [ENDED]}}
    assert not CapacityReport.objects.filter(date=DAY).exists()


def test_the_checks_cost_the_same_queries_for_one_location_or_many(
    enschede, user, django_assert_max_num_queries
):
    locations = [LocationFactory(municipality=enschede) for _ in range(30)]
    for location in locations:
        for weeks in range(1, 15):
            CapacityReportFactory(location=location, date=DAY - datetime.timedelta(weeks=weeks))
    entries = [ReportEntry(location.pk, DAY, 60, 50) for location in locations]
    # locations, the reports on the date, the history before it
    with django_assert_max_num_queries(3):
        check = reports_check(entries=entries)
    assert not check.errors


@pytest.mark.parametrize(
    ("history_pairs", "occupied", "flagged"),
    [
        # median 53, MAD 2: 0.6745 * 11 / 2 = 3.71 > 3.5, 0.6745 * 10 / 2 = 3.37
        ([(60, 50), (60, 52), (60, 54), (60, 56)], 64, True),
        ([(60, 50), (60, 52), (60, 54), (60, 56)], 63, False),
        # MAD 0, mean deviation 0.75 (1.253314 * 0.75 = 0.94): 4 / 0.94 = 4.26, 3 / 0.94 = 3.19
        ([(60, 50), (60, 50), (60, 50), (60, 53)], 54, True),
        ([(60, 50), (60, 50), (60, 50), (60, 53)], 53, False),
        # every earlier figure 50: more than 10% (5) and at least 2 places
        ([(60, 50)] * 4, 56, True),
        ([(60, 50)] * 4, 55, False),
    ],
)
def test_the_z_score_is_exact_at_its_threshold(history_pairs, occupied, flagged):
    """The z-score is decided in whole numbers (fast enough for a 130,000-row import); at
    the threshold it agrees with the formula in decimals."""
    reason = outlier_reason(capacity=60, occupied=occupied, history=history_pairs)
    assert bool(reason) is flagged
