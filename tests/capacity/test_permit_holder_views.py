"""The page on which project leaders (and coordinators, for any municipality of their region)
report permit-holder housing."""

import datetime

import pytest

from capacity.models import PermitHolderReport
from tests.factories import MunicipalityFactory, UserFactory

from .permit_holder_factories import PermitHolderReportFactory

PAGE = "/permit-holders/"
DAY = datetime.date(2023, 3, 31)
FORM = {"date": "2023-03-31", "housed": "25", "housed_amv": "3", "linked": "12", "seen_version": ""}


@pytest.fixture
def enschede(project_leader):
    return project_leader.membership.municipality


@pytest.fixture
def hengelo(db):
    return MunicipalityFactory(code="GM0164", name="Hengelo")


@pytest.fixture
def leader_client(client, project_leader):
    client.force_login(project_leader)
    return client


def test_a_project_leader_reports_for_their_own_municipality(leader_client, enschede):
    page = leader_client.get(PAGE)
    assert page.status_code == 200
    assert "Huisvesting statushouders Enschede" in page.content.decode()
    response = leader_client.post(PAGE, FORM)
    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}?date=2023-03-31"
    report = PermitHolderReport.objects.get()
    assert (report.municipality, report.date, report.housed, report.linked) == (
        enschede,
        DAY,
        25,
        12,
    )
    assert report.reported_by.username == "pl-enschede"


def test_the_page_shows_the_report_of_the_chosen_date_and_the_earlier_ones(leader_client, enschede):
    PermitHolderReportFactory(municipality=enschede, date=DAY, housed=17, linked=9)
    PermitHolderReportFactory(municipality=enschede, date=DAY - datetime.timedelta(days=31))
    page = leader_client.get(PAGE, {"date": "2023-03-31"})
    content = page.content.decode()
    assert 'data-testid="permit-holders-existing"' in content
    assert page.context["form"].initial["housed"] == 17
    assert page.context["form"].initial["seen_version"] == "1"
    assert [report.date for report in page.context["reports"]] == [
        DAY,
        DAY - datetime.timedelta(days=31),
    ]


def test_another_municipality_is_refused(leader_client, enschede, hengelo):
    assert leader_client.get(PAGE, {"municipality": "GM0164"}).status_code == 403
    assert leader_client.post(PAGE, {**FORM, "municipality": "GM0164"}).status_code == 403
    assert not PermitHolderReport.objects.exists()


def test_a_coordinator_picks_a_municipality_of_the_region(client, coordinator, enschede, hengelo):
    client.force_login(coordinator)
    choose = client.get(PAGE)
    assert [m.code for m in choose.context["choices"]] == ["GM0153", "GM0164"]
    response = client.post(PAGE, {**FORM, "municipality": "GM0164"})
    assert response["Location"] == f"{PAGE}?date=2023-03-31&municipality=GM0164"
    assert PermitHolderReport.objects.get().municipality == hengelo


def test_readers_may_not_report(client, db):
    client.force_login(UserFactory(username="reader", role="provincial_reader"))
    assert client.get(PAGE).status_code == 403


def test_bad_figures_are_shown_again_and_nothing_is_saved(leader_client, enschede):
    response = leader_client.post(PAGE, {**FORM, "housed": "2", "housed_amv": "3"})
    assert response.status_code == 200
    assert response.context["form"].errors["housed_amv"]
    negative = leader_client.post(PAGE, {**FORM, "linked": "-1"})
    assert negative.context["form"].errors["linked"] == ["Een aantal kan niet negatief zijn."]
    assert not PermitHolderReport.objects.exists()


def test_a_report_saved_by_someone_else_meanwhile_is_not_overwritten(leader_client, enschede):
    page = leader_client.get(PAGE, {"date": "2023-03-31"})  # no report of that day yet
    assert page.context["form"].initial["seen_version"] == ""
    PermitHolderReportFactory(municipality=enschede, date=DAY, housed=40, linked=1)
    response = leader_client.post(PAGE, FORM)
    assert response.status_code == 200
    assert 'data-testid="permit-holders-reload"' in response.content.decode()
    assert PermitHolderReport.objects.get().housed == 40
