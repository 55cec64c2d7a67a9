import datetime

import pytest
from django.urls import reverse

from allocation.choices import AssignmentStatus, ExchangeStatus
from allocation.models import Assignment, Exchange
from allocation.services import assignments_close, exchange_create
from municipalities.models import Municipality, SafetyRegion
from tests.allocation.factories import AssignmentFactory, assignment_with_shares
from tests.factories import UserFactory

LIST = reverse("allocation:assignment-list")
NEW = reverse("allocation:assignment-new")


def detail(code: str) -> str:
    return reverse("allocation:assignment-detail", args=[code])


@pytest.fixture
def coordinator_client(client, region):
    client.force_login(UserFactory(role="coordinator"))
    return client


@pytest.fixture
def leader_client(client, region):
    enschede = Municipality.objects.get(code="GM0153")
    client.force_login(UserFactory(role="project_leader", scope__municipality=enschede))
    return client


def _whatif(**values) -> dict:
    data = {"total": "225", "key": "population", "method": "largest_remainder", "minimum": "0"}
    data["area_weight"] = "0.5"
    data.update(values)
    return data


# --- list ---------------------------------------------------------------------------------------


def test_the_list_groups_tasks_per_target_group_with_realised_and_gap(coordinator_client):
    assignment_with_shares(code="asylum-2024-01", title="Asiel 2024", total=2164, adopt=True)
    assignment_with_shares(
        code="ukraine-2023-07", title="Oekraïne 3.600", target_group="ukraine", total=3600
    )
    response = coordinator_client.get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Asielzoekers" in content and "Ontheemden uit Oekraïne" in content
    assert "Asiel 2024" in content and "2.164" in content and "3.600" in content
    assert "Verdeling uitproberen" in content
    assert 'href="/allocations/asylum-2024-01/"' in content


def test_the_list_filters_by_target_group(coordinator_client):
    assignment_with_shares(code="a", title="Asieltaak")
    assignment_with_shares(code="u", title="Oekraïnetaak", target_group="ukraine", total=10)
    content = coordinator_client.get(LIST, {"target_group": "ukraine"}).content.decode()
    assert "Oekraïnetaak" in content and "Asieltaak" not in content


def test_the_list_uses_a_constant_number_of_queries(
    coordinator_client, django_assert_max_num_queries
):
    for n in range(8):
        assignment_with_shares(total=100 + n)
    # Session, user, roles, membership (twice: header and view) and one query for the tasks.
    with django_assert_max_num_queries(7):
        response = coordinator_client.get(LIST)
    assert len(response.context["assignments"]) == 8


def test_a_project_leader_reads_the_list_without_edit_links(leader_client):
    assignment_with_shares(code="a")
    content = leader_client.get(LIST).content.decode()
    assert "Verdeling uitproberen" not in content
    assert leader_client.get(detail("a")).status_code == 200


def test_a_user_without_a_role_is_refused(client, region):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(LIST).status_code == 403


def test_anonymous_users_are_sent_to_the_login(client, region):
    response = client.get(LIST)
    assert response.status_code == 302 and "login" in response["Location"]


# --- what-if ------------------------------------------------------------------------------------


def test_the_whatif_form_lists_the_fourteen_municipalities(coordinator_client):
    response = coordinator_client.get(NEW)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 14
    assert 'name="min_GM0153"' in response.content.decode()


def test_bereken_shows_the_preview_and_saves_nothing(coordinator_client):
    response = coordinator_client.post(NEW, _whatif(minimum="10", action="preview"))
    assert response.status_code == 200
    rows = {row["code"]: row["share"] for row in response.context["preview"]["rows"]}
    assert rows["GM0153"] == 54 and sum(rows.values()) == 225
    assert 'data-testid="preview-table"' in response.content.decode()
    assert not Assignment.objects.exists()


def test_per_municipality_bounds_credits_and_exclusions_reach_the_engine(coordinator_client):
    response = coordinator_client.post(
        NEW,
        _whatif(
            total="1944",
            min_GM0153="600",
            max_GM0164="100",
            credit_GM0141="300",
            exclude_GM0147="on",
            action="preview",
        ),
    )
    rows = {row["code"]: row for row in response.context["preview"]["rows"]}
    assert rows["GM0153"]["share"] >= 600
    assert rows["GM0164"]["share"] <= 100
    assert rows["GM0141"]["credit"] == 300 and rows["GM0141"]["share"] >= 300
    assert rows["GM0147"]["share"] == 0


def test_an_impossible_whatif_shows_the_dutch_reason(coordinator_client):
    response = coordinator_client.post(NEW, _whatif(minimum="17", action="preview"))
    assert response.status_code == 200
    assert response.context["preview"] is None
    assert "De minima tellen op tot 238, meer dan het totaal van 225." in response.content.decode()


def test_adopting_the_whatif_creates_the_task_with_its_shares(coordinator_client):
    response = coordinator_client.post(
        NEW,
        _whatif(
            minimum="10",
            code="cno-225",
            title="Crisisnoodopvang 225",
            target_group="asylum",
            issuer="rijk",
            deadline="2022-10-01",
            action="adopt",
        ),
    )
    assert response.status_code == 302 and response["Location"] == detail("cno-225")
    assignment = Assignment.objects.get(code="cno-225")
    assert assignment.status == AssignmentStatus.ADOPTED and assignment.minimum == 10
    assert assignment.shares.count() == 14


def test_saving_a_draft_needs_the_task_fields(coordinator_client):
    response = coordinator_client.post(NEW, _whatif(action="draft"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"code", "title", "target_group", "issuer"}
    assert not Assignment.objects.exists()


def test_saving_a_draft_keeps_it_a_draft(coordinator_client):
    coordinator_client.post(
        NEW,
        _whatif(code="c", title="Concept", target_group="asylum", issuer="tra", action="draft"),
    )
    assert Assignment.objects.get(code="c").status == AssignmentStatus.DRAFT


def test_a_project_leader_cannot_open_or_post_the_whatif(leader_client):
    assert leader_client.get(NEW).status_code == 403
    response = leader_client.post(
        NEW, _whatif(code="x", title="x", target_group="asylum", issuer="rijk", action="adopt")
    )
    assert response.status_code == 403
    assert not Assignment.objects.exists()


# --- detail and agreed shares --------------------------------------------------------------------


def test_the_detail_shows_share_effective_realised_and_gap(
    coordinator_client, django_assert_max_num_queries
):
    assignment_with_shares(code="t", title="Asiel", total=1944)
    with django_assert_max_num_queries(9):
        response = coordinator_client.get(detail("t"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-municipality="GM0153"' in content
    assert "492,63" in content  # the quota, Dutch decimals
    assert 'name="agreed_GM0153"' in content
    assert 'data-testid="effective-total">1.944<' in content


def test_a_closed_task_shows_its_status_on_the_list_and_the_detail(coordinator_client):
    assignment_with_shares(
        code="passed", title="Asiel 2023", deadline=datetime.date(2023, 4, 1), adopt=True
    )
    assignments_close(on=datetime.date(2024, 2, 1))

    listing = coordinator_client.get(LIST).content.decode()
    filtered = coordinator_client.get(LIST, {"status": "closed"}).content.decode()
    page = coordinator_client.get(detail("passed")).content.decode()

    assert "Afgesloten (deadline verstreken)" in listing
    assert "Asiel 2023" in filtered
    assert "Afgesloten (deadline verstreken)" in page
    assert "Vaststellen als taakstelling" not in page


def test_the_detail_of_another_regions_task_is_forbidden(coordinator_client):
    AssignmentFactory(code="deventer", region=SafetyRegion.objects.get(code="VR04"))
    assert coordinator_client.get(detail("deventer")).status_code == 403
    assert coordinator_client.get(detail("missing")).status_code == 404


def test_a_project_leader_sees_the_detail_read_only(leader_client):
    assignment_with_shares(code="t")
    content = leader_client.get(detail("t")).content.decode()
    assert 'name="agreed_GM0153"' not in content and "Uitruil vastleggen" not in content


def test_agreeing_shares_inline(coordinator_client):
    assignment = assignment_with_shares(code="t", total=764)
    data = {
        "agreed_GM0153": "193",
        "reason_GM0153": "Circulaire",
        "agreed_GM0158": "30",
        "reason_GM0158": "Circulaire",
    }
    response = coordinator_client.post(reverse("allocation:assignment-agree", args=["t"]), data)
    assert response.status_code == 302
    assert assignment.shares.get(municipality__code="GM0158").agreed_share == 30


def test_a_deviation_without_reason_is_refused_on_its_row(coordinator_client):
    assignment = assignment_with_shares(code="t", total=764)
    data = {"agreed_GM0153": "193", "reason_GM0153": "Circulaire", "agreed_GM0158": "30"}
    response = coordinator_client.post(reverse("allocation:assignment-agree", args=["t"]), data)
    assert response.status_code == 200
    assert response.context["agree_form"].errors["agreed_GM0158"][0].startswith("Geef een reden")
    assert not assignment.shares.filter(agreed_share__isnull=False).exists()


def test_an_agreed_table_that_does_not_add_up_is_refused_with_the_difference(coordinator_client):
    assignment = assignment_with_shares(code="t", total=764)
    data = {"agreed_GM0153": "193", "reason_GM0153": "Circulaire"}
    response = coordinator_client.post(reverse("allocation:assignment-agree", args=["t"]), data)
    assert response.status_code == 200
    assert (
        "De aandelen tellen op tot 763, de taakstelling is 764 plaatsen: verschil -1."
        in response.content.decode()
    )
    assert not assignment.shares.filter(agreed_share__isnull=False).exists()


def test_a_project_leader_cannot_agree_shares(leader_client):
    assignment = assignment_with_shares(code="t", total=764)
    response = leader_client.post(
        reverse("allocation:assignment-agree", args=["t"]),
        {"agreed_GM0153": "0", "reason_GM0153": "x"},
    )
    assert response.status_code == 403
    assert not assignment.shares.filter(agreed_share__isnull=False).exists()


def test_adopting_a_draft_from_the_detail(coordinator_client):
    assignment = assignment_with_shares(code="t")
    response = coordinator_client.post(reverse("allocation:assignment-adopt", args=["t"]))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ADOPTED


def test_adopt_only_takes_post(coordinator_client):
    assignment_with_shares(code="t")
    assert (
        coordinator_client.get(reverse("allocation:assignment-adopt", args=["t"])).status_code
        == 405
    )


# --- exchanges ----------------------------------------------------------------------------------


def test_recording_a_swap_between_target_groups(coordinator_client):
    assignment_with_shares(code="asylum", total=1944)
    ukraine = assignment_with_shares(code="ukraine", target_group="ukraine", total=3000)
    url = reverse("allocation:exchange-new", args=["asylum"])
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(
        url,
        {
            "from_municipality": "GM0153",
            "to_municipality": "GM0153",
            "to_assignment": "ukraine",
            "places": "100",
            "reason": "Enschede doet meer Oekraïne",
            "date": "2023-03-01",
        },
    )
    assert response.status_code == 302
    exchange = Exchange.objects.get()
    assert (exchange.to_assignment, exchange.places) == (ukraine, 100)
    content = coordinator_client.get(detail("asylum")).content.decode()
    assert "Saldering tussen doelgroepen" in content
    assert 'data-testid="effective-total">1.844<' in content


def test_an_exchange_beyond_the_share_is_refused_on_the_form(coordinator_client):
    assignment_with_shares(code="asylum", total=1944)
    response = coordinator_client.post(
        reverse("allocation:exchange-new", args=["asylum"]),
        {
            "from_municipality": "GM0189",
            "to_municipality": "GM0153",
            "to_assignment": "asylum",
            "places": "500",
            "reason": "te veel",
            "date": "2023-03-01",
        },
    )
    assert response.status_code == 200
    assert "zou het negatief maken" in response.content.decode()
    assert not Exchange.objects.exists()


def test_a_project_leader_cannot_record_or_withdraw_exchanges(leader_client):
    assignment = assignment_with_shares(code="asylum", total=1944)
    places = {m.code: m for m in Municipality.objects.in_region("VR05")}
    exchange = exchange_create(
        from_municipality=places["GM0189"],
        from_assignment=assignment,
        to_municipality=places["GM0153"],
        places=5,
        reason="x",
        date=datetime.date(2023, 3, 1),
    )
    assert leader_client.get(reverse("allocation:exchange-new", args=["asylum"])).status_code == 403
    withdraw = reverse("allocation:exchange-withdraw", args=[exchange.pk])
    assert leader_client.post(withdraw).status_code == 403
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.AGREED


def test_withdrawing_on_the_page_and_the_balances(coordinator_client):
    assignment = assignment_with_shares(code="asylum", total=1944)
    places = {m.code: m for m in Municipality.objects.in_region("VR05")}
    exchange = exchange_create(
        from_municipality=places["GM0189"],
        from_assignment=assignment,
        to_municipality=places["GM0153"],
        places=5,
        reason="x",
        date=datetime.date(2023, 3, 1),
    )
    overview = coordinator_client.get(reverse("allocation:exchange-list"))
    balances = {row["code"]: row["total"] for row in overview.context["balances"]}
    assert balances == {"GM0153": 5, "GM0189": -5}
    response = coordinator_client.post(
        reverse("allocation:exchange-withdraw", args=[exchange.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("allocation:exchange-list")
    exchange.refresh_from_db()
    assert exchange.status == ExchangeStatus.WITHDRAWN
    assert coordinator_client.get(reverse("allocation:exchange-list")).context["balances"] == []


def test_the_nav_links_to_the_tasks(coordinator_client):
    content = coordinator_client.get(LIST).content.decode()
    assert f'href="{LIST}">Taakstellingen<' in content
