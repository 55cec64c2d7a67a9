"""Issue 23, part 4: a share is `indicative`, `offered` or `agreed`; pages and the API say
which, and matching ranks by agreed shares only (indicative ones only when no share of the
task is agreed, and the page says so)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from allocation.choices import AssignmentStatus, ShareStatus
from allocation.models import Share
from allocation.services import shares_agree, shares_set_status
from capacity.choices import TargetGroup
from matching.services import Criteria, matches_find
from tests.allocation.factories import AssignmentFactory, assignment_with_shares
from tests.factories import MunicipalityFactory, UserFactory
from tests.matching.factories import PlacementRequestFactory, location_with_room


def _status(task, code: str) -> str:
    return Share.objects.get(assignment=task, municipality__code=code).status


# --- the reference data ---------------------------------------------------------------------


def test_the_seeded_shares_carry_the_documents_status(twente):
    statuses = {
        code: set(Share.objects.filter(assignment__code=code).values_list("status", flat=True))
        for code in ("asylum-2023-04", "asylum-cno-2022-10", "permit-holders-2023-h1")
    }
    # Appendix 3's asylum split is "indicatief"; the BAO decided the 225; the permit-holder
    # numbers are the circular's (agreed numbers).
    assert statuses == {
        "asylum-2023-04": {"indicative"},
        "asylum-cno-2022-10": {"agreed"},
        "permit-holders-2023-h1": {"agreed"},
    }


def test_rerunning_the_seed_keeps_a_status_set_since(twente):
    task = Share.objects.filter(assignment__code="asylum-2023-04").first().assignment
    shares_set_status(assignment=task, statuses={"GM0153": "offered"})
    call_command("load_twente", verbosity=0)
    assert _status(task, "GM0153") == "offered"


# --- service --------------------------------------------------------------------------------


def test_a_new_share_is_indicative_and_an_agreed_number_makes_it_agreed(region):
    task = assignment_with_shares(total=764)
    assert set(task.shares.values_list("status", flat=True)) == {"indicative"}
    shares_agree(
        assignment=task,
        agreed={"GM0153": (193, "Circulaire"), "GM0158": (30, "Circulaire")},
    )
    assert (_status(task, "GM0153"), _status(task, "GM0158")) == ("agreed", "agreed")
    assert _status(task, "GM0141") == "indicative"


def test_statuses_are_set_all_or_nothing(region):
    task = assignment_with_shares(total=225)
    with pytest.raises(ValidationError) as caught:
        shares_set_status(
            assignment=task, statuses={"GM0153": "agreed", "GM0141": "binding", "GM9999": "agreed"}
        )
    errors = caught.value.message_dict
    assert "kies indicatief, aangeboden of afgesproken" in errors["GM0141"][0]
    assert "GM9999" in errors["__all__"][0]
    assert _status(task, "GM0153") == "indicative"


def test_a_share_with_an_agreed_number_stays_agreed(region):
    task = assignment_with_shares(total=764)
    shares_agree(assignment=task, agreed={"GM0153": (194, "Circulaire")})
    with pytest.raises(ValidationError) as caught:
        shares_set_status(assignment=task, statuses={"GM0153": "indicative"})
    assert "wis dat eerst" in caught.value.message_dict["GM0153"][0]


# --- API ------------------------------------------------------------------------------------


def test_the_api_shows_and_sets_the_status(api_client, region):
    assignment_with_shares(code="t", total=225)
    api_client.force_authenticate(UserFactory(role="coordinator"))
    url = "/api/v1/assignments/t/share-status"
    response = api_client.post(
        url, {"shares": [{"municipality": "GM0153", "status": "offered"}]}, format="json"
    )
    assert response.status_code == 200, response.content
    enschede = next(row for row in response.json()["shares"] if row["municipality"] == "GM0153")
    assert enschede["status"] == "offered"
    bad = api_client.post(
        url, {"shares": [{"municipality": "GM0153", "status": "binding"}]}, format="json"
    )
    assert bad.status_code == 400
    unknown = api_client.post(
        url, {"shares": [{"municipality": "GM9999", "status": "agreed"}]}, format="json"
    )
    assert unknown.status_code == 400
    assert "GM9999" in unknown.content.decode()


def test_only_the_regions_coordinator_sets_a_status(api_client, region):
    task = assignment_with_shares(code="t", total=225)
    api_client.force_authenticate(UserFactory(role="project_leader"))
    response = api_client.post(
        "/api/v1/assignments/t/share-status",
        {"shares": [{"municipality": "GM0153", "status": "agreed"}]},
        format="json",
    )
    assert response.status_code == 403
    assert _status(task, "GM0153") == "indicative"


# --- page -----------------------------------------------------------------------------------


def test_the_page_shows_and_sets_the_status(client, region):
    task = assignment_with_shares(code="t", total=225)
    client.force_login(UserFactory(role="coordinator"))
    page = client.get(reverse("allocation:assignment-detail", args=["t"])).content.decode()
    assert "Status aandeel" in page and 'name="status_GM0153"' in page
    response = client.post(
        reverse("allocation:assignment-agree", args=["t"]),
        {"status_GM0153": "agreed", "status_GM0141": "offered"},
    )
    assert response.status_code == 302
    assert (_status(task, "GM0153"), _status(task, "GM0141")) == ("agreed", "offered")
    reader = UserFactory(username="reader", role="project_leader")
    client.force_login(reader)
    page = client.get(reverse("allocation:assignment-detail", args=["t"])).content.decode()
    assert "Afgesproken" in page and "Aangeboden" in page and "Indicatief" in page


# --- matching -------------------------------------------------------------------------------


@pytest.fixture
def three_municipalities(db):
    """Almelo far behind, Borne a little, Haaksbergen not at all; a location with room each."""
    municipalities = {
        code: MunicipalityFactory(code=code, name=name)
        for code, name in [("GM0141", "Almelo"), ("GM0147", "Borne"), ("GM0158", "Haaksbergen")]
    }
    task = AssignmentFactory(
        target_group=TargetGroup.UKRAINE,
        status=AssignmentStatus.ADOPTED,
        deadline=timezone.localdate() + datetime.timedelta(days=90),
    )
    for code, realised in [("GM0141", 20), ("GM0147", 90), ("GM0158", 100)]:
        Share.objects.create(
            assignment=task,
            municipality=municipalities[code],
            computed_share=100,
            realised=realised,
        )
    for code, location in [("GM0141", "C-ALM"), ("GM0147", "B-BOR"), ("GM0158", "A-HKB")]:
        location_with_room(
            code=location, municipality=municipalities[code], capacity=20, occupied=10
        )
    return task


def _find():
    return matches_find(
        criteria=Criteria(people=1, target_group=TargetGroup.UKRAINE), region_code="VR05"
    )


def test_without_an_agreed_share_the_indicative_ones_rank(three_municipalities):
    matches = _find()
    assert [m.location.code for m in matches] == ["C-ALM", "B-BOR", "A-HKB"]
    assert [m.share_gap for m in matches] == [80, 10, 0]
    assert {m.share_basis for m in matches} == {"indicative"}


def test_once_a_share_is_agreed_only_agreed_shares_rank(three_municipalities):
    Share.objects.filter(municipality__code="GM0147").update(status=ShareStatus.AGREED)
    matches = _find()
    # Borne's agreed gap first; Almelo's larger but indicative gap no longer counts.
    assert [m.location.code for m in matches] == ["B-BOR", "A-HKB", "C-ALM"]
    assert [m.share_gap for m in matches] == [10, None, None]
    assert {m.share_basis for m in matches} == {"agreed"}


def test_the_request_page_says_which_shares_rank(three_municipalities, client, coordinator):
    client.force_login(coordinator)
    request = PlacementRequestFactory(
        region=three_municipalities.region, target_group=TargetGroup.UKRAINE, people=1
    )
    url = reverse("matching:request", args=[request.pk])
    assert "nog geen aandeel afgesproken" in client.get(url).content.decode()
    Share.objects.filter(municipality__code="GM0147").update(status=ShareStatus.AGREED)
    assert "het afgesproken aandeel min gerealiseerd" in client.get(url).content.decode()
