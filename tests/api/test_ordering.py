"""Every list is in a total order (its ORDER BY ends with the primary key), also when the
client orders by a field with equal values, so that paging never repeats or skips a row."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.capacity.factories import LocationFactory

from .conftest import make_user

LISTS = [
    "/api/v1/municipalities",
    "/api/v1/municipalities?ordering=name",
    "/api/v1/locations",
    "/api/v1/locations?ordering=name",
    "/api/v1/locations?ordering=-opened_on",
    "/api/v1/capacity-reports",
    "/api/v1/capacity-reports?ordering=date",
    "/api/v1/assignments",
    "/api/v1/assignments?ordering=target_group",
    "/api/v1/exchanges",
    "/api/v1/exchanges?ordering=places",
    "/api/v1/meetings",
    "/api/v1/meetings?ordering=date",
    "/api/v1/actions",
    "/api/v1/actions?ordering=due_date",
]
END_LIMIT = re.compile(r"\bLIMIT \d+( OFFSET \d+)?\s*$", re.IGNORECASE)
TAIL = re.compile(r'"id" (ASC|DESC)( NULLS (FIRST|LAST))?\s+LIMIT', re.IGNORECASE)


@pytest.mark.parametrize("path", LISTS)
def test_the_page_query_ends_its_order_with_the_primary_key(api_client, world, path):
    api_client.force_authenticate(make_user("coordinator", world))
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(path)
    assert response.status_code == 200
    # The page query: the one whose own (outermost) clause is LIMIT, not a subquery's.
    pages = [q["sql"] for q in queries if END_LIMIT.search(q["sql"])]
    assert pages, [q["sql"] for q in queries]
    outer = pages[-1].rsplit("ORDER BY", 1)[1]
    assert TAIL.search(outer), outer


def test_paging_through_equal_names_shows_every_location_once(api_client, world):
    for _ in range(9):
        LocationFactory(name="Noodopvang", municipality=world.enschede)
    api_client.force_authenticate(make_user("coordinator", world))
    seen = []
    url = "/api/v1/locations?ordering=name&page_size=2"
    while url:
        body = api_client.get(url).json()
        seen += [row["code"] for row in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == 11


def test_the_documented_default_orders(api_client, world):
    api_client.force_authenticate(make_user("coordinator", world))

    def first(path, key):
        return [row[key] for row in api_client.get(path).json()["results"]]

    assert first("/api/v1/municipalities", "code") == ["GM0150", "GM0153", "GM0164"]
    assert first("/api/v1/locations", "code") == ["LOC-ENS", "LOC-HEN"]
    assert first("/api/v1/capacity-reports", "location") == ["LOC-ENS", "LOC-HEN"]
