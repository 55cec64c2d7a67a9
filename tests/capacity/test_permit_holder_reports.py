"""Permit-holder housing reports: the rules of one report and the services that write them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from capacity.choices import ReportSource
from capacity.housing.services import permit_holder_report_submit, permit_holder_report_update
from capacity.locking import StaleVersionError
from capacity.models import PermitHolderReport
from tests.factories import MunicipalityFactory, UserFactory

from .permit_holder_factories import PermitHolderReportFactory

DAY = datetime.date(2023, 3, 31)


@pytest.fixture
def enschede(db):
    return MunicipalityFactory(code="GM0153", name="Enschede")


def _submit(municipality, **fields):
    values = {"date": DAY, "housed": 25, "linked": 12, "source": ReportSource.FORM, "user": None}
    return permit_holder_report_submit(municipality=municipality, **{**values, **fields})


def test_a_report_records_the_persons_housed_and_linked(enschede):
    user = UserFactory(username="pl")
    report = _submit(enschede, housed_amv=3, user=user)
    report.refresh_from_db()
    assert (report.housed, report.housed_amv, report.linked) == (25, 3, 12)
    assert (report.source, report.reported_by, report.version) == (ReportSource.FORM, user, 1)
    assert report.created_now
    record = report.history.get()
    assert (record.history_user, record.history_change_reason) == (user, "Formulier")


def test_a_second_report_of_the_day_replaces_the_first(enschede):
    _submit(enschede)
    again = _submit(enschede, housed=30, linked=4, source=ReportSource.API)
    assert not again.created_now
    report = PermitHolderReport.objects.get()
    assert (report.housed, report.linked, report.version) == (30, 4, 2)
    assert report.history.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"housed": -1}, "housed"),
        ({"linked": -2}, "linked"),
        ({"housed": 3, "housed_amv": 4}, "housed_amv"),
        ({"date": timezone.localdate() + datetime.timedelta(days=1)}, "date"),
    ],
)
def test_impossible_figures_are_refused_and_nothing_is_saved(enschede, fields, field):
    with pytest.raises(ValidationError) as exc:
        _submit(enschede, **fields)
    assert field in exc.value.message_dict
    assert not PermitHolderReport.objects.exists()


def test_amv_above_housed_names_both_numbers(enschede):
    with pytest.raises(ValidationError) as exc:
        _submit(enschede, housed=3, housed_amv=4)
    assert exc.value.message_dict["housed_amv"] == [
        "Waarvan amv (4) kan niet hoger zijn dan het aantal gehuisveste statushouders (3)."
    ]


def test_the_database_keeps_one_report_per_municipality_and_date(enschede):
    PermitHolderReportFactory(municipality=enschede, date=DAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        PermitHolderReportFactory(municipality=enschede, date=DAY)


def test_the_database_refuses_amv_above_housed(enschede):
    with pytest.raises(IntegrityError), transaction.atomic():
        PermitHolderReportFactory(municipality=enschede, housed=2, housed_amv=3)


def test_a_page_that_showed_no_report_does_not_overwrite_one_saved_since(enschede):
    _submit(enschede)  # someone else, after the page was shown without a report
    with pytest.raises(StaleVersionError):
        _submit(enschede, housed=99, seen_version=None)
    assert PermitHolderReport.objects.get().housed == 25


def test_a_page_that_showed_the_current_version_replaces_it(enschede):
    report = _submit(enschede)
    _submit(enschede, housed=26, seen_version=report.version)
    with pytest.raises(StaleVersionError):
        _submit(enschede, housed=27, seen_version=report.version)
    assert PermitHolderReport.objects.get().housed == 26


def test_an_update_with_a_stale_version_is_refused(enschede):
    report = _submit(enschede)
    updated = permit_holder_report_update(
        report=report, expected_version=1, user=None, source=ReportSource.API, linked=7
    )
    assert (updated.housed, updated.linked, updated.version) == (25, 7, 2)
    with pytest.raises(StaleVersionError):
        permit_holder_report_update(
            report=report, expected_version=1, user=None, source=ReportSource.API, linked=8
        )
    assert PermitHolderReport.objects.get().linked == 7


def test_an_update_checks_the_figures(enschede):
    report = _submit(enschede)
    with pytest.raises(ValidationError):
        permit_holder_report_update(
            report=report, expected_version=1, user=None, source=ReportSource.API, housed_amv=26
        )
    assert PermitHolderReport.objects.get().housed_amv == 0


def test_a_write_enqueues_the_recompute_of_its_municipality(
    enschede, django_capture_on_commit_callbacks, monkeypatch
):
    calls = []
    monkeypatch.setattr(
        "capacity.tasks.recompute_occupancy.delay", lambda ids, iso: calls.append((ids, iso))
    )
    with django_capture_on_commit_callbacks(execute=True):
        _submit(enschede)
    assert calls == [([enschede.pk], DAY.isoformat())]
