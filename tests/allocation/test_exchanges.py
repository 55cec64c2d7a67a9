"""Exchanges (uitruil / saldering): services, the effective share and the balances."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from allocation.choices import ExchangeStatus
from allocation.models import Assignment, Exchange
from allocation.selectors import exchange_balances, exchanges_for_region, shares_of
from allocation.services import exchange_create, exchange_withdraw, shares_agree
from capacity.choices import TargetGroup
from municipalities.models import Municipality
from tests.allocation.factories import assignment_with_shares

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


def _effective(assignment: Assignment) -> dict[str, int]:
    return {s.municipality.code: s.effective_share for s in shares_of(assignment)}


def _regional(*assignments: Assignment) -> int:
    totals = Assignment.objects.with_totals().filter(pk__in=[a.pk for a in assignments])
    return sum(a.effective_total for a in totals)


def test_a_transfer_moves_places_between_municipalities_and_keeps_the_total(
    asylum, places, coordinator
):
    before = _effective(asylum)
    exchange = exchange_create(
        from_municipality=places["GM0189"],
        from_assignment=asylum,
        to_municipality=places["GM0153"],
        places=30,
        reason="Enschede neemt 30 plaatsen van Wierden over",
        date=DAY,
        user=coordinator,
    )
    after = _effective(asylum)
    assert (after["GM0189"], after["GM0153"]) == (before["GM0189"] - 30, before["GM0153"] + 30)
    assert sum(after.values()) == 1944
    assert exchange.to_assignment == asylum and not exchange.is_swap
    totals = Assignment.objects.with_totals().get(pk=asylum.pk)
    assert (totals.exchanged, totals.effective_total) == (0, 1944)


def test_a_swap_moves_places_between_target_groups_under_the_line(asylum, ukraine, places):
    exchange_create(
        from_municipality=places["GM0153"],
        from_assignment=asylum,
        to_municipality=places["GM0153"],
        to_assignment=ukraine,
        places=100,
        reason="Enschede doet meer Oekraïne en minder asiel",
        date=DAY,
    )
    totals = {a.code: a for a in Assignment.objects.with_totals()}
    assert (totals["asylum"].effective_total, totals["asylum"].exchanged) == (1844, -100)
    assert (totals["ukraine"].effective_total, totals["ukraine"].exchanged) == (3100, 100)
    assert _regional(asylum, ukraine) == 1944 + 3000
    share = shares_of(ukraine).get(municipality__code="GM0153")
    assert (share.taken, share.given, share.balance) == (100, 0, 100)


def test_a_municipality_cannot_give_away_more_than_its_effective_share(asylum, places):
    wierden = _effective(asylum)["GM0189"]
    with pytest.raises(ValidationError) as raised:
        exchange_create(
            from_municipality=places["GM0189"],
            from_assignment=asylum,
            to_municipality=places["GM0153"],
            places=wierden + 1,
            reason="te veel",
            date=DAY,
        )
    assert f"nog {wierden} plaatsen" in raised.value.message_dict["places"][0]
    assert not Exchange.objects.exists()


def test_places_taken_over_can_be_passed_on_but_not_beyond_zero(asylum, places):
    wierden = _effective(asylum)["GM0189"]
    exchange_create(
        from_municipality=places["GM0153"],
        from_assignment=asylum,
        to_municipality=places["GM0189"],
        places=10,
        reason="Wierden neemt over",
        date=DAY,
    )
    exchange_create(
        from_municipality=places["GM0189"],
        from_assignment=asylum,
        to_municipality=places["GM0141"],
        places=wierden + 10,
        reason="Wierden geeft alles door",
        date=DAY,
    )
    assert _effective(asylum)["GM0189"] == 0
    with pytest.raises(ValidationError):
        exchange_create(
            from_municipality=places["GM0189"],
            from_assignment=asylum,
            to_municipality=places["GM0141"],
            places=1,
            reason="nog één",
            date=DAY,
        )


def test_a_swap_within_one_target_group_is_refused(asylum, places):
    other_asylum = assignment_with_shares(code="asylum-2", total=225)
    with pytest.raises(ValidationError) as raised:
        exchange_create(
            from_municipality=places["GM0153"],
            from_assignment=asylum,
            to_municipality=places["GM0153"],
            to_assignment=other_asylum,
            places=5,
            reason="zelfde doelgroep",
            date=DAY,
        )
    assert "to_assignment" in raised.value.message_dict


def test_an_exchange_that_moves_nothing_is_refused(asylum, places):
    with pytest.raises(ValidationError) as raised:
        exchange_create(
            from_municipality=places["GM0153"],
            from_assignment=asylum,
            to_municipality=places["GM0153"],
            places=5,
            reason="niets",
            date=DAY,
        )
    assert "to_municipality" in raised.value.message_dict


def test_an_exchange_needs_a_reason_and_positive_places(asylum, places):
    with pytest.raises(ValidationError) as raised:
        exchange_create(
            from_municipality=places["GM0153"],
            from_assignment=asylum,
            to_municipality=places["GM0141"],
            places=0,
            reason="  ",
            date=DAY,
        )
    assert {"reason", "places"} <= set(raised.value.message_dict)


def test_the_database_refuses_an_exchange_that_moves_nothing(asylum, places):
    with pytest.raises(IntegrityError), transaction.atomic():
        Exchange.objects.create(
            region=asylum.region,
            from_municipality=places["GM0153"],
            from_assignment=asylum,
            to_municipality=places["GM0153"],
            to_assignment=asylum,
            places=1,
            reason="x",
            date=DAY,
        )


def test_withdrawing_gives_the_places_back(asylum, places):
    before = _effective(asylum)
    exchange = exchange_create(
        from_municipality=places["GM0189"],
        from_assignment=asylum,
        to_municipality=places["GM0153"],
        places=30,
        reason="tijdelijk",
        date=DAY,
    )
    exchange_withdraw(exchange=exchange)
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.WITHDRAWN
    assert _effective(asylum) == before
    with pytest.raises(ValidationError, match="al ingetrokken"):
        exchange_withdraw(exchange=exchange)


def test_withdrawing_is_refused_when_the_receiver_passed_the_places_on(asylum, places):
    wierden = _effective(asylum)["GM0189"]
    first = exchange_create(
        from_municipality=places["GM0153"],
        from_assignment=asylum,
        to_municipality=places["GM0189"],
        places=10,
        reason="Wierden neemt over",
        date=DAY,
    )
    exchange_create(
        from_municipality=places["GM0189"],
        from_assignment=asylum,
        to_municipality=places["GM0141"],
        places=wierden + 10,
        reason="en geeft alles door",
        date=DAY,
    )
    with pytest.raises(ValidationError, match="Intrekken kan niet"):
        exchange_withdraw(exchange=first)


def test_agreeing_shares_below_what_was_given_away_is_refused(asylum, places):
    exchange_create(
        from_municipality=places["GM0189"],
        from_assignment=asylum,
        to_municipality=places["GM0153"],
        places=70,
        reason="Enschede neemt over",
        date=DAY,
    )
    computed = {
        s.municipality.code: s.computed_share for s in asylum.shares.select_related("municipality")
    }
    with pytest.raises(ValidationError) as raised:
        shares_agree(
            assignment=asylum,
            agreed={
                "GM0189": (60, "minder"),
                "GM0153": (computed["GM0153"] + computed["GM0189"] - 60, "meer"),
            },
        )
    assert "GM0189" in raised.value.message_dict


def test_balances_per_municipality_sum_to_zero_under_the_line(asylum, ukraine, places):
    exchange_create(
        from_municipality=places["GM0153"],
        from_assignment=asylum,
        to_municipality=places["GM0153"],
        to_assignment=ukraine,
        places=100,
        reason="saldering",
        date=DAY,
    )
    exchange_create(
        from_municipality=places["GM0189"],
        from_assignment=asylum,
        to_municipality=places["GM0141"],
        places=20,
        reason="overname",
        date=DAY,
    )
    withdrawn = exchange_create(
        from_municipality=places["GM0164"],
        from_assignment=asylum,
        to_municipality=places["GM0141"],
        places=5,
        reason="ingetrokken",
        date=DAY,
    )
    exchange_withdraw(exchange=withdrawn)
    rows = {row["code"]: row for row in exchange_balances(exchanges_for_region("VR05"))}
    # Columns follow TargetGroup: asylum, permit holders, ukraine.
    assert rows["GM0153"]["balances"] == [-100, 0, 100] and rows["GM0153"]["total"] == 0
    assert rows["GM0141"]["balances"] == [20, 0, 0]
    assert rows["GM0189"]["total"] == -20
    assert "GM0164" not in rows
    assert sum(row["total"] for row in rows.values()) == 0


def test_effective_shares_use_a_constant_number_of_queries(
    asylum, places, django_assert_num_queries
):
    for n, code in enumerate(["GM0141", "GM0147", "GM0158", "GM0163"]):
        exchange_create(
            from_municipality=places["GM0153"],
            from_assignment=asylum,
            to_municipality=places[code],
            places=n + 1,
            reason="x",
            date=DAY,
        )
    with django_assert_num_queries(1):
        shares = list(shares_of(asylum))
    assert sum(share.effective_share for share in shares) == 1944
