import datetime

import pytest
from django.core.exceptions import ValidationError

from capacity import recompute
from capacity.choices import ReportSource, TargetGroup
from capacity.models import CapacityReport, OccupancySnapshot
from capacity.selectors import realised_places
from capacity.services import (
    WeeklyCountsError,
    WeeklyRow,
    location_create,
    location_update,
    outlier_reason,
    report_confirm_unchanged,
    report_flag_clear,
    report_submit,
    weekly_counts_submit,
)
from tests.factories import MunicipalityFactory, UserFactory

from .factories import CapacityReportFactory, LocationFactory

DAY = datetime.date(2023, 3, 6)


@pytest.fixture
def user(db):
    return UserFactory(role="coordinator")


@pytest.fixture
def location(db):
    return LocationFactory(municipality=MunicipalityFactory(code="GM0153", name="Enschede"))


def submit(location, user, day=DAY, **counts):
    counts = {"capacity": 60, "occupied": 57, **counts}
    return report_submit(location=location, date=day, source=ReportSource.FORM, user=user, **counts)


def test_a_report_is_saved_with_who_and_where_from(location, user):
    report = submit(location, user, reserved=2)
    report.refresh_from_db()
    assert (report.capacity, report.occupied, report.reserved, report.free) == (60, 57, 2, 1)
    assert report.reported_by == user and report.source == ReportSource.FORM
    assert report.created_now is True


def test_a_second_report_the_same_day_updates_the_first(location, user):
    first = submit(location, user)
    second = submit(location, user, occupied=40)
    assert second.pk == first.pk and second.created_now is False
    assert CapacityReport.objects.get(location=location, date=DAY).occupied == 40
    assert CapacityReport.objects.count() == 1


def test_an_impossible_report_saves_nothing(location, user):
    with pytest.raises(ValidationError) as caught:
        submit(location, user, capacity=60, occupied=65)
    assert caught.value.message_dict["occupied"] == [
        "Bezet (65) kan niet hoger zijn dan de capaciteit (60)."
    ]
    assert not CapacityReport.objects.exists()


def test_an_impossible_update_keeps_the_earlier_figures(location, user):
    submit(location, user)
    with pytest.raises(ValidationError):
        submit(location, user, occupied=-1)
    assert CapacityReport.objects.get().occupied == 57


def test_the_recompute_is_enqueued_after_commit(location, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(location, user)
    assert len(callbacks) == 1
    assert not OccupancySnapshot.objects.exists()  # nothing before the commit
    callbacks[0]()
    assert realised_places(on=DAY) == {("GM0153", TargetGroup.ASYLUM): 60}


CALLS = []


def followup(ids, from_date):
    CALLS.append((ids, from_date))


def test_the_followups_run_after_the_recompute(
    location, user, monkeypatch, django_capture_on_commit_callbacks
):
    CALLS.clear()
    monkeypatch.setattr(recompute, "FOLLOWUPS", (f"{__name__}.followup",))
    with django_capture_on_commit_callbacks(execute=True):
        submit(location, user)
    assert CALLS == [([location.municipality_id], DAY)]


def history(location, pairs):
    for weeks, (capacity, occupied) in enumerate(pairs, start=1):
        CapacityReportFactory(
            location=location,
            date=DAY - datetime.timedelta(weeks=weeks),
            capacity=capacity,
            occupied=occupied,
        )


def test_an_unusual_figure_is_saved_and_flagged(location, user):
    history(location, [(60, 55), (60, 57), (60, 56), (60, 58), (60, 54)])
    report = submit(location, user, capacity=60, occupied=5)
    report.refresh_from_db()
    assert report.flagged is True
    assert "Bezet (5) wijkt sterk af" in report.flag_reason
    assert "mediaan 56" in report.flag_reason


def test_a_usual_figure_is_not_flagged(location, user):
    history(location, [(60, 55), (60, 57), (60, 56), (60, 58), (60, 54)])
    assert submit(location, user, occupied=59).flagged is False


def test_the_z_score_flags_nothing_without_four_earlier_reports(location, user):
    # 55 -> 40 stands out against this history but is no jump of more than 20 places (issue
    # 14 added that rule, which flags 55 -> 1 from the second report on: test_plausibility).
    history(location, [(60, 55), (60, 57), (60, 56)])
    assert submit(location, user, occupied=40).flagged is False


def test_a_corrected_figure_loses_its_flag(location, user):
    history(location, [(60, 55), (60, 57), (60, 56), (60, 58)])
    assert submit(location, user, occupied=2).flagged is True
    assert submit(location, user, occupied=56).flagged is False


@pytest.mark.parametrize(
    ("history_pairs", "capacity", "occupied", "flagged"),
    [
        ([(60, 50)] * 4, 60, 50, False),  # identical history, identical figure
        ([(60, 50)] * 4, 60, 52, False),  # small change against a constant history
        ([(60, 50)] * 4, 60, 30, True),  # large change against a constant history
        ([(60, 50)] * 4, 600, 50, True),  # typo in capacity
        ([(60, 50), (60, 50), (60, 50), (60, 40)], 60, 20, True),  # MAD 0, mean deviation
    ],
)
def test_outlier_rule(history_pairs, capacity, occupied, flagged):
    reason = outlier_reason(capacity=capacity, occupied=occupied, history=history_pairs)
    assert bool(reason) is flagged


def test_weekly_counts_save_every_row(location, user):
    other = LocationFactory(municipality=location.municipality)
    reports = weekly_counts_submit(
        municipality=location.municipality,
        date=DAY,
        rows=[WeeklyRow(location, 60, 50), WeeklyRow(other, 20, 20, 0)],
        user=user,
    )
    assert len(reports) == 2
    assert CapacityReport.objects.filter(date=DAY).count() == 2


def test_weekly_counts_with_one_bad_row_save_nothing(location, user):
    other = LocationFactory(municipality=location.municipality)
    with pytest.raises(WeeklyCountsError) as caught:
        weekly_counts_submit(
            municipality=location.municipality,
            date=DAY,
            rows=[WeeklyRow(location, 60, 50), WeeklyRow(other, 20, 25)],
            user=user,
        )
    assert caught.value.row_errors == {
        other.code: {"occupied": ["Bezet (25) kan niet hoger zijn dan de capaciteit (20)."]}
    }
    assert not CapacityReport.objects.exists()


def test_weekly_counts_refuse_another_municipalitys_location(location, user):
    stranger = LocationFactory()
    with pytest.raises(WeeklyCountsError) as caught:
        weekly_counts_submit(
            municipality=location.municipality,
            date=DAY,
            rows=[WeeklyRow(stranger, 10, 5)],
            user=user,
        )
    assert stranger.code in caught.value.row_errors
    assert not CapacityReport.objects.exists()


def test_confirming_unchanged_copies_the_latest_figures(location, user):
    CapacityReportFactory(location=location, date=DAY - datetime.timedelta(days=7), reserved=3)
    report = report_confirm_unchanged(location=location, date=DAY, user=user)
    assert (report.date, report.capacity, report.occupied, report.reserved) == (DAY, 60, 50, 3)
    assert report.reported_by == user


def test_confirming_unchanged_needs_an_earlier_report(location, user):
    with pytest.raises(ValidationError) as caught:
        report_confirm_unchanged(location=location, date=DAY, user=user)
    assert "nog geen eerdere melding" in caught.value.messages[0]


def test_confirming_twice_the_same_day_keeps_one_report(location, user):
    CapacityReportFactory(location=location, date=DAY - datetime.timedelta(days=7))
    report_confirm_unchanged(location=location, date=DAY, user=user)
    report_confirm_unchanged(location=location, date=DAY, user=user)
    assert CapacityReport.objects.filter(location=location).count() == 2


def test_clearing_a_flag_keeps_the_figures(location, user):
    report = CapacityReportFactory(location=location, flagged=True, flag_reason="raar")
    report_flag_clear(report=report, user=user)
    report.refresh_from_db()
    assert report.flagged is False and report.occupied == 50


def test_a_location_is_created_and_validated(user):
    municipality = MunicipalityFactory()
    location = location_create(
        user=user,
        code="AZC-X",
        name="Azc X",
        municipality=municipality,
        place="X",
        type="azc",
        target_group="asylum",
        status="planned",
        planned_capacity=150,
    )
    assert location.version == 1
    assert location.history.get().history_user == user
    with pytest.raises(ValidationError):
        location_create(
            user=user,
            code="AZC-X",
            name="Dubbel",
            municipality=municipality,
            place="X",
            type="azc",
            target_group="asylum",
        )


def test_a_concurrent_edit_is_refused(location, user):
    saved = location_update(location=location, user=user, expected_version=1, name="Nieuw")
    assert saved.version == 2
    with pytest.raises(ValidationError) as caught:
        location_update(location=location, user=user, expected_version=1, name="Ouder")
    assert "intussen gewijzigd" in caught.value.messages[0]
    location.refresh_from_db()
    assert location.name == "Nieuw"


def test_moving_a_location_recomputes_both_municipalities(
    location, user, django_capture_on_commit_callbacks
):
    CapacityReportFactory(location=location, date=DAY)
    other = MunicipalityFactory(code="GM0164", name="Hengelo")
    with django_capture_on_commit_callbacks(execute=True):
        location_update(location=location, user=user, municipality=other)
    assert realised_places(on=DAY) == {("GM0164", TargetGroup.ASYLUM): 60}
