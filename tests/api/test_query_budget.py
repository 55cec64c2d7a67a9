"""Every list endpoint (and the aggregates and the preview) answers with the same number of
SQL queries whatever the size of the tables and of the page (DESIGN.md "Performance")."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from allocation.services import exchange_create
from capacity import read_cache
from municipalities.models import Municipality
from tests.allocation.factories import assignment_with_shares
from tests.capacity.factories import CapacityReportFactory, LocationFactory
from tests.factories import KeyFigureFactory, MunicipalityFactory
from tests.meetings.factories import ActionFactory, AgendaItemFactory, MeetingFactory

from .conftest import make_user

SMALL, LARGE = 3, 40


def _municipalities(world, n):
    # Explicit codes: the factory's sequence can outgrow the 6 characters of a CBS code.
    start = 2000 + Municipality.objects.count()
    for i in range(n):
        municipality = MunicipalityFactory(
            code=f"GM{start + i}", safety_region=world.enschede.safety_region
        )
        KeyFigureFactory(municipality=municipality)


def _locations(world, n):
    for i in range(n):
        location = LocationFactory(municipality=world.enschede if i % 2 else world.hengelo)
        CapacityReportFactory(location=location, date=datetime.date(2023, 1, 2))


def _reports(world, n):
    start = datetime.date(2022, 1, 3) + datetime.timedelta(days=world.location.reports.count())
    for i in range(n):
        CapacityReportFactory(location=world.location, date=start + datetime.timedelta(days=i))


def _permit_holder_reports(world, n):
    from tests.capacity.permit_holder_factories import PermitHolderReportFactory

    start = datetime.date(2022, 1, 3)
    done = PermitHolderReportFactory._meta.model.objects.count()
    for i in range(n):
        PermitHolderReportFactory(
            municipality=world.enschede if i % 2 else world.hengelo,
            date=start + datetime.timedelta(days=done + i),
        )


def _assignments(world, n):
    for i in range(n):
        assignment_with_shares(total=10 + i, region=world.enschede.safety_region)


def _exchanges(world, n):
    for i in range(n):
        exchange_create(
            from_municipality=world.enschede,
            from_assignment=world.assignment,
            to_municipality=world.hengelo,
            places=1,
            reason=f"Uitruil {i}",
            date=datetime.date(2023, 3, 1),
        )


def _meetings(world, n):
    for _ in range(n):
        MeetingFactory()


def _actions(world, n):
    for i in range(n):
        ActionFactory(
            item=AgendaItemFactory(meeting=MeetingFactory()),
            owner_municipality=world.enschede if i % 2 else None,
            due_date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 5),
        )


def _placements(world, n):
    from tests.matching.factories import PlacementFactory

    for i in range(n):
        PlacementFactory(location=world.location if i % 2 else world.other_location)


def _match_locations(world, n):
    from tests.matching.factories import location_with_room

    for i in range(n):
        location_with_room(municipality=world.enschede if i % 2 else world.hengelo)


LISTS = [
    pytest.param("get", "/api/v1/municipalities", None, _municipalities, id="municipalities"),
    pytest.param("get", "/api/v1/locations", None, _locations, id="locations"),
    pytest.param(
        "get",
        "/api/v1/locations?municipality=GM0153&type=cno&status=operational",
        None,
        _locations,
        id="locations-filtered",
    ),
    pytest.param("get", "/api/v1/capacity-reports", None, _reports, id="capacity-reports"),
    pytest.param(
        "get",
        "/api/v1/capacity-reports?location=LOC-ENS&date_after=2022-01-01",
        None,
        _reports,
        id="capacity-reports-filtered",
    ),
    pytest.param(
        "get",
        "/api/v1/permit-holder-reports",
        None,
        _permit_holder_reports,
        id="permit-holder-reports",
    ),
    pytest.param("get", "/api/v1/capacity-outlook", None, _locations, id="capacity-outlook"),
    pytest.param("get", "/api/v1/assignments", None, _assignments, id="assignments"),
    pytest.param("get", "/api/v1/exchanges", None, _exchanges, id="exchanges"),
    pytest.param("get", "/api/v1/meetings", None, _meetings, id="meetings"),
    pytest.param("get", "/api/v1/actions", None, _actions, id="actions"),
    pytest.param(
        "get", "/api/v1/actions?status=open&overdue=true", None, _actions, id="actions-filtered"
    ),
    pytest.param("get", "/api/v1/overview?region=VR05", None, _locations, id="overview"),
    pytest.param("get", "/api/v1/placements", None, _placements, id="placements"),
    pytest.param(
        "get",
        "/api/v1/matches?people=1&target_group=ukraine",
        None,
        _match_locations,
        id="matches",
    ),
    pytest.param(
        "post", "/api/v1/allocations/preview", {"total": 500}, _municipalities, id="preview"
    ),
]


def _count(client, user, method, path, body, page_size) -> int:
    # A fresh user object per request, as in production: roles and membership are cached on
    # the user object, which would make the first request look more expensive.
    client.force_authenticate(type(user).objects.get(pk=user.pk))
    # Like with like: every counted request reads what the read cache would keep afresh.
    read_cache.reset()
    separator = "&" if "?" in path else "?"
    url = f"{path}{separator}page_size={page_size}" if method == "get" else path
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, body, format="json")
    assert response.status_code == 200, response.content[:300]
    return len(queries)


@pytest.mark.parametrize(("method", "path", "body", "grow"), LISTS)
def test_the_number_of_queries_does_not_grow_with_the_rows(
    api_client, world, method, path, body, grow
):
    user = make_user("coordinator", world)
    grow(world, SMALL)
    small = _count(api_client, user, method, path, body, 500)
    grow(world, LARGE - SMALL)
    large = _count(api_client, user, method, path, body, 500)
    assert large == small
    # Nor with the page size: a page of 2 costs what a page of 500 costs.
    assert _count(api_client, user, method, path, body, 2) == large
    # And it stays small: authentication, roles, membership, count, page and prefetches.
    assert large <= 12, large
