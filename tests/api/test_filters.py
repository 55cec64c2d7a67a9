"""The filters DESIGN.md names, with exactly its parameter names."""

import datetime

from tests.capacity.factories import CapacityReportFactory, LocationFactory
from tests.meetings.factories import ActionFactory

from .conftest import make_user


def _results(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_design_filters_select_what_they_name(api_client, world):
    api_client.force_authenticate(make_user("coordinator", world))
    LocationFactory(code="AZC-ENS", municipality=world.enschede, type="azc")
    LocationFactory(code="CNO-ENS-OLD", municipality=world.enschede, status="closed")
    CapacityReportFactory(location=world.location, date=datetime.date(2023, 2, 6))
    late = ActionFactory(due_date=datetime.date(2020, 1, 1), item__meeting=world.meeting)
    ActionFactory(due_date=datetime.date(2020, 1, 1), status="done", item__meeting=world.meeting)

    municipalities = _results(api_client, "/api/v1/municipalities?region=VR05")
    assert [row["code"] for row in municipalities] == ["GM0153", "GM0164"]

    locations = _results(
        api_client, "/api/v1/locations?municipality=GM0153&type=cno&status=operational"
    )
    assert [row["code"] for row in locations] == ["LOC-ENS"]

    reports = _results(
        api_client,
        "/api/v1/capacity-reports?location=LOC-ENS&date_after=2023-01-01&date_before=2023-01-31",
    )
    assert [(row["location"], row["date"]) for row in reports] == [("LOC-ENS", "2023-01-02")]

    actions = _results(api_client, "/api/v1/actions?status=open&overdue=true")
    assert [row["id"] for row in actions] == [late.pk]
