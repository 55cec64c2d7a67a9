"""`/api/v1/permit-holder-reports`: report, correct and read permit-holder housing.

The role matrix (who gets which status) is in tests/api/test_permissions.py; this file tests
what the answers hold and the validation."""

import datetime

import pytest
from django.utils import timezone

from capacity import recompute
from capacity.models import PermitHolderReport
from tests.allocation.factories import assignment_with_shares
from tests.factories import KeyFigureFactory, MunicipalityFactory, UserFactory
from tests.problems import field_errors

from .permit_holder_factories import PermitHolderReportFactory

URL = "/api/v1/permit-holder-reports"
BODY = {"municipality": "GM0153", "date": "2023-03-31", "housed": 25, "linked": 12}


@pytest.fixture
def enschede(project_leader):
    return project_leader.membership.municipality


@pytest.fixture
def hengelo(db):
    return MunicipalityFactory(code="GM0164", name="Hengelo")


@pytest.fixture
def as_leader(api_client, project_leader):
    api_client.force_authenticate(project_leader)
    return api_client


def test_a_project_leader_reports_for_their_municipality(as_leader, project_leader, enschede):
    response = as_leader.post(URL, {**BODY, "housed_amv": 3}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert {key: body[key] for key in ("municipality", "date", "housed", "housed_amv")} == {
        "municipality": "GM0153",
        "date": "2023-03-31",
        "housed": 25,
        "housed_amv": 3,
    }
    assert (body["linked"], body["source"], body["reported_by"], body["version"]) == (
        12,
        "api",
        project_leader.username,
        1,
    )
    again = as_leader.post(URL, {**BODY, "housed": 26}, format="json")
    assert again.status_code == 200
    assert again.json()["version"] == 2
    assert PermitHolderReport.objects.get().housed == 26


def test_another_municipality_is_refused_whatever_the_figures(as_leader, enschede, hengelo):
    response = as_leader.post(URL, {**BODY, "municipality": "GM0164", "housed": -5}, format="json")
    assert response.status_code == 403
    assert not PermitHolderReport.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"housed": -1}, "housed"),
        ({"linked": -1}, "linked"),
        ({"housed": 2, "housed_amv": 3}, "housed_amv"),
        ({"date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}, "date"),
        ({"housed": 10**9}, "housed"),
        ({"municipality": "GM9999"}, "municipality"),
        ({"linked": None}, "linked"),
    ],
)
def test_a_bad_report_gives_400_on_the_field(as_leader, enschede, fields, field):
    response = as_leader.post(URL, {**BODY, **fields}, format="json")
    assert response.status_code == 400
    assert field in field_errors(response)
    assert not PermitHolderReport.objects.exists()


def test_a_correction_needs_the_version_last_read(as_leader, enschede):
    report = PermitHolderReportFactory(municipality=enschede, housed=10, linked=5)
    path = f"{URL}/{report.pk}"
    assert as_leader.patch(path, {"linked": 4}, format="json").status_code == 400
    response = as_leader.patch(path, {"linked": 4, "version": 1}, format="json")
    assert response.status_code == 200
    assert (response.json()["housed"], response.json()["linked"]) == (10, 4)
    stale = as_leader.patch(path, {"linked": 3, "version": 1}, format="json")
    assert stale.status_code == 409
    assert PermitHolderReport.objects.get().linked == 4


def test_the_municipality_and_date_of_a_report_stay(as_leader, enschede):
    report = PermitHolderReportFactory(municipality=enschede)
    response = as_leader.put(
        f"{URL}/{report.pk}",
        {"date": "2023-04-01", "housed": 1, "linked": 1, "version": 1},
        format="json",
    )
    assert response.status_code == 400
    assert "date" in field_errors(response)


def test_a_list_shows_the_callers_reach_newest_first(api_client, enschede, hengelo):
    PermitHolderReportFactory(municipality=enschede, date=datetime.date(2023, 1, 31))
    PermitHolderReportFactory(municipality=enschede, date=datetime.date(2023, 2, 28))
    PermitHolderReportFactory(municipality=hengelo, date=datetime.date(2023, 2, 28))
    leader = UserFactory(username="pl-hgl", role="project_leader", scope__municipality=hengelo)
    api_client.force_authenticate(leader)
    assert [row["municipality"] for row in api_client.get(URL).json()["results"]] == ["GM0164"]

    api_client.force_authenticate(UserFactory(username="prov-x", role="provincial_reader"))
    rows = api_client.get(URL).json()["results"]
    assert [(row["date"], row["municipality"]) for row in rows] == [
        ("2023-02-28", "GM0153"),
        ("2023-02-28", "GM0164"),
        ("2023-01-31", "GM0153"),
    ]
    filtered = api_client.get(URL, {"municipality": "GM0153", "date_after": "2023-02-01"})
    assert [row["date"] for row in filtered.json()["results"]] == ["2023-02-28"]


def test_a_report_realises_the_permit_holder_task(
    api_client, coordinator, enschede, django_capture_on_commit_callbacks, eager_celery, monkeypatch
):
    """Through the followup of the recompute: allocation's realisation of the task."""
    # The capacity tests run without it (conftest).
    monkeypatch.setattr(recompute, "FOLLOWUPS", ("allocation.services.realisation_followup",))
    KeyFigureFactory(municipality=enschede)
    task = assignment_with_shares(
        target_group="permit_holders",
        total=10,
        starts_on=datetime.date(2023, 1, 1),
        deadline=datetime.date(2023, 6, 30),
        region=enschede.safety_region,
    )
    api_client.force_authenticate(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client.post(URL, BODY, format="json").status_code == 201
    assert task.shares.get(municipality=enschede).realised == 25
