"""Every page and endpoint that lists or counts locations tells the same story on one date
(the one lifecycle rule, capacity/lifecycle.py), before and after a contract end.

The reference data: 16 CNO locations with contract end 31-07-2023 (one without), the AZCs of
Hengelo and Almelo operational, Tubbergen in preparation.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from capacity.selectors import capacity_outlook
from tests.factories import UserFactory

LAST_DAY = datetime.date(2023, 7, 31)  # the CNO contracts' last day (a Monday)
DATES = [LAST_DAY, LAST_DAY + datetime.timedelta(days=1), datetime.date(2023, 8, 7)]
ENDED = "CNO-ENS-01"


@pytest.fixture(autouse=True)
def _tasks_in_process(eager_celery):
    yield


@pytest.fixture
def coordinator_client(client, twente):
    client.force_login(UserFactory(username="coord-walk", role="coordinator"))
    return client


@pytest.fixture
def reader_api(api_client, twente):
    api_client.force_authenticate(UserFactory(username="prov-walk", role="provincial_reader"))
    return api_client


def _overview_asylum(api, on):
    response = api.get("/api/v1/overview", {"region": "VR05", "date": on.isoformat()})
    assert response.status_code == 200, response.content
    group = next(g for g in response.json()["target_groups"] if g["target_group"] == "asylum")
    return group["operational"]


def _api_locations(api, on):
    response = api.get(
        "/api/v1/locations",
        {"date": on.isoformat(), "target_group": "asylum", "page_size": 500},
    )
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _page_locations(client, on, **filters):
    response = client.get(
        reverse("capacity:location-list"),
        {"date": on.isoformat(), "target_group": "asylum", **filters},
    )
    assert response.status_code == 200
    return list(response.context["page"])


@pytest.mark.parametrize("on", [*DATES, None], ids=lambda d: str(d or "today"))
def test_pages_and_endpoints_agree_on_the_operational_places(on, coordinator_client, reader_api):
    on = on or timezone.localdate()
    rows = _api_locations(reader_api, on)
    operational = [row for row in rows if row["effective_status"] == "operational"]
    api_sum = sum(row["capacity"] or 0 for row in operational)

    assert _overview_asylum(reader_api, on) == api_sum

    dashboard = coordinator_client.get(reverse("home"), {"date": on.isoformat()})
    assert dashboard.context["picture"].overview.group("asylum").operational == api_sum

    page = _page_locations(coordinator_client, on, effective_status="operational")
    assert sum(location.report_capacity or 0 for location in page) == api_sum
    assert {location.code for location in page} == {row["code"] for row in operational}

    outlook = capacity_outlook(start=on, months=1, region_code="VR05")
    assert next(row for row in outlook if row["target_group"] == "asylum")["places"] == api_sum


def test_the_contract_end_moves_the_cno_locations_out_everywhere(coordinator_client, reader_api):
    before, after = LAST_DAY, LAST_DAY + datetime.timedelta(days=1)

    assert _overview_asylum(reader_api, before) - _overview_asylum(reader_api, after) == 360
    assert _overview_asylum(reader_api, timezone.localdate()) == 663

    states = {row["code"]: row["effective_status"] for row in _api_locations(reader_api, after)}
    assert states[ENDED] == "contract_ended"
    assert states["CNO-WIE-01"] == "operational"  # no contract end
    # AZC Albergen is still in preparation: named to the region's coordinators only (issue 23).
    assert "AZC-TUB" not in states
    coordinators = {
        row["code"]: row["effective_status"] for row in _api_locations(coordinator_client, after)
    }
    assert coordinators["AZC-TUB"] == "preparing"
    assert {row["code"]: row["effective_status"] for row in _api_locations(reader_api, before)}[
        ENDED
    ] == "operational"

    page = coordinator_client.get(reverse("capacity:location-list"), {"date": after.isoformat()})
    assert "Contract verlopen op 31-07-2023" in page.content.decode()


@pytest.mark.parametrize(("on", "asked"), [(LAST_DAY, True), (DATES[1], False)])
def test_the_weekly_grid_asks_only_for_locations_that_still_report(coordinator_client, on, asked):
    response = coordinator_client.get(
        reverse("capacity:weekly-counts"), {"municipality": "GM0153", "date": on.isoformat()}
    )
    codes = {location.code for location in response.context["form"].locations}
    assert (ENDED in codes) is asked


@pytest.mark.parametrize(("week", "asked"), [(LAST_DAY, 1), (DATES[2], 0)])
def test_the_reporting_status_counts_the_locations_the_grid_asks(coordinator_client, week, asked):
    # Enschede: CNO-ENS-01 (contract end 31-07-2023) and nothing else of the seeds asks.
    response = coordinator_client.get(reverse("counts-status"), {"week": week.isoformat()})
    row = next(row for row in response.context["rows"] if row["code"] == "GM0153")
    grid = coordinator_client.get(
        reverse("capacity:weekly-counts"), {"municipality": "GM0153", "date": week.isoformat()}
    )
    assert row["locations"] == len(grid.context["form"].locations) == asked


def test_matching_offers_no_location_past_its_contract_end(reader_api, twente):
    coordinator = UserFactory(username="coord-match", role="coordinator")
    reader_api.force_authenticate(coordinator)
    answers = {}
    for on in (LAST_DAY, DATES[1]):
        response = reader_api.get(
            "/api/v1/matches", {"target_group": "asylum", "people": 1, "date": on.isoformat()}
        )
        assert response.status_code == 200, response.content
        answers[on] = {row["location"] for row in response.json()["results"]}
    assert ENDED in answers[LAST_DAY]
    assert ENDED not in answers[DATES[1]]
    assert answers[DATES[1]] <= {"AZC-HGL", "AZC-ALM", "CNO-WIE-01"}
