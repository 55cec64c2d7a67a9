"""A swap between target groups states its ratio (default 1:1) and a reason; the issued
total of each task stays visible next to its total after exchanges (issue 23)."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from allocation.models import Assignment, Exchange
from allocation.selectors import exchange_balances, exchanges_for_region
from allocation.services import exchange_create, exchange_withdraw
from capacity.choices import TargetGroup
from municipalities.models import Municipality
from tests.allocation.factories import assignment_with_shares
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2023, 3, 1)


@pytest.fixture
def places(region):
    return {m.code: m for m in Municipality.objects.in_region("VR05")}


@pytest.fixture
def asylum(region):
    return assignment_with_shares(code="asylum", total=1944)


@pytest.fixture
def ukraine(region):
    return assignment_with_shares(code="ukraine", target_group=TargetGroup.UKRAINE, total=3000)


def totals(*assignments: Assignment) -> dict[str, tuple[int, int]]:
    rows = Assignment.objects.with_totals().filter(pk__in=[a.pk for a in assignments])
    return {row.code: (row.total, row.effective_total) for row in rows}


def test_a_swap_at_one_to_two_moves_twice_the_places_into_the_other_task(asylum, ukraine, places):
    exchange = exchange_create(
        from_municipality=places["GM0153"],
        from_assignment=asylum,
        to_municipality=places["GM0153"],
        to_assignment=ukraine,
        places=50,
        ratio_from=1,
        ratio_to=2,
        reason="Enschede vangt per asielplek twee ontheemden op",
        date=DAY,
    )
    assert (exchange.places, exchange.to_places, exchange.ratio) == (50, 100, "1:2")
    # The issued totals stay; the totals after exchanges move by the ratio.
    assert totals(asylum, ukraine) == {"asylum": (1944, 1894), "ukraine": (3000, 3100)}
    balance = {row["code"]: row for row in exchange_balances(exchanges_for_region("VR05"))}
    assert balance["GM0153"]["by_group"] == {"asylum": -50, "permit_holders": 0, "ukraine": 100}


def test_the_default_is_one_to_one(asylum, ukraine, places):
    exchange = exchange_create(
        from_municipality=places["GM0153"],
        from_assignment=asylum,
        to_municipality=places["GM0153"],
        to_assignment=ukraine,
        places=40,
        reason="1 op 1",
        date=DAY,
    )
    assert (exchange.ratio, exchange.to_places) == ("1:1", 40)
    assert totals(asylum, ukraine) == {"asylum": (1944, 1904), "ukraine": (3000, 3040)}


def test_a_ratio_that_gives_no_whole_number_of_places_is_refused(asylum, ukraine, places):
    with pytest.raises(ValidationError) as raised:
        exchange_create(
            from_municipality=places["GM0153"],
            from_assignment=asylum,
            to_municipality=places["GM0153"],
            to_assignment=ukraine,
            places=5,
            ratio_from=2,
            ratio_to=3,
            reason="2 op 3",
            date=DAY,
        )
    assert "places" in raised.value.message_dict
    assert not Exchange.objects.exists()


def test_a_transfer_within_one_task_is_one_to_one(asylum, places):
    with pytest.raises(ValidationError) as raised:
        exchange_create(
            from_municipality=places["GM0189"],
            from_assignment=asylum,
            to_municipality=places["GM0153"],
            places=10,
            ratio_from=1,
            ratio_to=2,
            reason="overname",
            date=DAY,
        )
    assert "ratio_to" in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Exchange.objects.create(
            region=asylum.region,
            from_municipality=places["GM0189"],
            from_assignment=asylum,
            to_municipality=places["GM0153"],
            to_assignment=asylum,
            places=10,
            ratio_to=2,
            to_places=20,
            reason="x",
            date=DAY,
        )


def test_a_swap_needs_a_reason(asylum, ukraine, places):
    with pytest.raises(ValidationError) as raised:
        exchange_create(
            from_municipality=places["GM0153"],
            from_assignment=asylum,
            to_municipality=places["GM0153"],
            to_assignment=ukraine,
            places=10,
            reason="   ",
            date=DAY,
        )
    assert "reason" in raised.value.message_dict


def test_withdrawing_a_swap_at_a_ratio_gives_back_what_arrived(asylum, ukraine, places):
    exchange = exchange_create(
        from_municipality=places["GM0153"],
        from_assignment=asylum,
        to_municipality=places["GM0153"],
        to_assignment=ukraine,
        places=30,
        ratio_to=3,
        reason="1 op 3",
        date=DAY,
    )
    exchange_withdraw(exchange=exchange)
    assert totals(asylum, ukraine) == {"asylum": (1944, 1944), "ukraine": (3000, 3000)}


def test_the_api_and_the_page_record_and_show_the_ratio(asylum, ukraine, region):
    coordinator = UserFactory(
        role="coordinator", scope__region=asylum.region, username="coordinator-ratio"
    )
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        "/api/v1/exchanges",
        data=json.dumps(
            {
                "from_municipality": "GM0153",
                "from_assignment": "asylum",
                "to_municipality": "GM0153",
                "to_assignment": "ukraine",
                "places": 20,
                "ratio_from": 1,
                "ratio_to": 2,
                "reason": "Enschede doet meer Oekraïne",
                "date": "2023-03-01",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["places"], body["ratio_from"], body["ratio_to"], body["to_places"]) == (
        20,
        1,
        2,
        40,
    )
    bad = client.post(
        "/api/v1/exchanges",
        data=json.dumps(
            {
                "from_municipality": "GM0153",
                "from_assignment": "asylum",
                "to_municipality": "GM0153",
                "to_assignment": "ukraine",
                "places": 20,
                "ratio_from": 0,
                "reason": "nul",
                "date": "2023-03-01",
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400
    page = client.get("/allocations/asylum/").content.decode()
    assert "20 af, 40 over (1:2)" in page
    assert 'data-testid="effective-total">1.924<' in page
    # The issued total next to it.
    assert "1.944" in page
    form = client.post(
        "/allocations/asylum/exchanges/new/",
        {
            "from_municipality": "GM0164",
            "to_municipality": "GM0164",
            "to_assignment": "ukraine",
            "places": "10",
            "ratio_from": "2",
            "ratio_to": "1",
            "reason": "Hengelo: twee asielplekken voor één",
            "date": "2023-03-02",
        },
    )
    assert form.status_code == 302
    assert Exchange.objects.get(from_municipality__code="GM0164").to_places == 5
