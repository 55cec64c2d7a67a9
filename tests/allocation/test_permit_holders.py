"""Permit-holder tasks: realised in persons housed within the period, arrears carried over."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from allocation.models import Assignment, Share
from allocation.services import (
    assignment_update,
    carry_over_recompute,
    exchange_create,
    exchange_withdraw,
    realisation_recompute,
    shares_agree,
)
from capacity.choices import ReportSource, TargetGroup
from capacity.housing.services import permit_holder_report_submit
from capacity.services import occupancy_recompute
from municipalities.models import Municipality, SafetyRegion
from tests.allocation.factories import AssignmentFactory, assignment_with_shares
from tests.capacity.factories import CapacityReportFactory, LocationFactory
from tests.capacity.permit_holder_factories import PermitHolderReportFactory
from tests.factories import UserFactory
from tests.problems import field_errors

D = datetime.date
TODAY = D(2024, 6, 1)
H1 = {"starts_on": D(2023, 1, 1), "deadline": D(2023, 6, 30)}
H2 = {"starts_on": D(2023, 7, 1), "deadline": D(2023, 12, 31)}


@pytest.fixture
def enschede(region):
    return Municipality.objects.get(code="GM0153")


def _task(**fields) -> Assignment:
    return assignment_with_shares(
        **{"target_group": TargetGroup.PERMIT_HOLDERS, "total": 764, **H1, **fields}
    )


def _share(assignment: Assignment, code: str = "GM0153") -> Share:
    return Share.objects.with_effective().get(assignment=assignment, municipality__code=code)


def _housed(municipality, *reports):
    for day, housed in reports:
        PermitHolderReportFactory(municipality=municipality, date=day, housed=housed)


# Realisation ------------------------------------------------------------------------------


def test_a_permit_holder_task_counts_the_persons_housed_within_its_period(enschede):
    _housed(enschede, (D(2022, 12, 31), 70), (D(2023, 1, 1), 100), (D(2023, 6, 30), 50))
    _housed(enschede, (D(2023, 7, 1), 40))
    first = _task()
    realisation_recompute(today=TODAY)
    assert _share(first).realised == 150
    first.refresh_from_db()
    assert first.realised_on == D(2023, 6, 30)


def test_a_running_task_counts_up_to_today(enschede):
    _housed(enschede, (D(2023, 2, 1), 10), (D(2023, 3, 1), 5))
    running = _task()
    realisation_recompute(today=D(2023, 2, 15))
    assert _share(running).realised == 10
    realisation_recompute(today=D(2023, 3, 15))
    assert _share(running).realised == 15


def test_shelter_places_do_not_count_for_permit_holders_and_housing_not_for_places(enschede):
    flex = LocationFactory(municipality=enschede, target_group=TargetGroup.PERMIT_HOLDERS)
    azc = LocationFactory(municipality=enschede, target_group=TargetGroup.ASYLUM)
    for location in (flex, azc):
        CapacityReportFactory(location=location, date=D(2023, 3, 1), capacity=80, occupied=0)
    occupancy_recompute(municipality_ids=[enschede.pk])
    _housed(enschede, (D(2023, 3, 1), 12))
    permit_holders = _task()
    asylum = assignment_with_shares(deadline=D(2023, 6, 30))
    realisation_recompute(today=TODAY)
    assert _share(permit_holders).realised == 12
    assert _share(asylum).realised == 80


def test_a_housing_report_reaches_the_task_through_the_followup(
    enschede, coordinator, eager_celery, django_capture_on_commit_callbacks
):
    task = _task()
    with django_capture_on_commit_callbacks(execute=True):
        permit_holder_report_submit(
            municipality=enschede,
            date=D(2023, 4, 1),
            housed=25,
            linked=3,
            source=ReportSource.FORM,
            user=coordinator,
        )
    assert _share(task).realised == 25


# Following a previous task ----------------------------------------------------------------


def test_the_arrears_of_the_previous_half_year_are_carried_over(enschede):
    _housed(enschede, (D(2023, 3, 1), 150), (D(2023, 8, 1), 40))
    first = _task()
    # Appendix 3: Enschede 193 and Haaksbergen 30 instead of 194 and 29.
    shares_agree(
        assignment=first, agreed={"GM0153": (193, "circulaire"), "GM0158": (30, "circulaire")}
    )
    second = _task(total=786, follows=first, **H2)
    realisation_recompute(today=TODAY)
    share = _share(second)
    assert share.carried_over == 193 - 150
    assert share.effective_share == share.computed_share + 43
    assert share.gap == share.computed_share + 43 - 40
    totals = Assignment.objects.with_totals().get(pk=second.pk)
    assert totals.carried_over_total == 764 - 150
    assert totals.effective_total == 786 + 764 - 150


def test_a_lead_is_carried_over_as_a_negative_number(enschede):
    first = _task(total=100)
    share = _share(first).effective_share
    _housed(enschede, (D(2023, 3, 1), share + 7))
    second = _task(total=100, follows=first, **H2)
    realisation_recompute(today=TODAY)
    assert _share(second).carried_over == -7


def test_a_chain_carries_the_arrears_of_every_half_year(enschede):
    first = _task(total=100)
    second = _task(total=100, follows=first, **H2)
    third = _task(total=100, follows=second, starts_on=D(2024, 1, 1), deadline=D(2024, 6, 30))
    _housed(enschede, (D(2023, 3, 1), 5), (D(2023, 9, 1), 10), (D(2024, 2, 1), 1))
    realisation_recompute(today=TODAY)
    base = _share(first).effective_share
    assert _share(second).carried_over == base - 5
    # The second task's effective share includes what it took over from the first.
    assert _share(third).carried_over == (_share(second).computed_share + base - 5) - 10


def test_a_chain_is_recomputed_in_order_whichever_task_was_made_first(enschede):
    # The second half of 2023 is made before the first, and both before the end of 2022.
    second = _task(total=100, **H2)
    first = _task(total=100)
    previous = _task(total=100, starts_on=D(2022, 7, 1), deadline=D(2022, 12, 31))
    assignment_update(assignment=first, follows=previous)
    assignment_update(assignment=second, follows=first)
    Share.objects.update(carried_over=0)
    carry_over_recompute(assignment_ids=[second.pk, first.pk])
    assert _share(first).carried_over == _share(previous).effective_share
    # The second takes over the first's effective share, its own carry-over included.
    assert _share(second).carried_over == _share(first).effective_share
    assert (
        _share(second).carried_over
        == _share(first).computed_share + _share(previous).effective_share
    )


def test_a_following_task_starts_the_day_after_the_previous_deadline(enschede):
    first = _task()
    second = _task(follows=first, starts_on=None, deadline=D(2023, 12, 31))
    assert second.starts_on == D(2023, 7, 1)
    assert _share(second).carried_over == _share(first).effective_share  # nobody housed yet


def test_an_exchange_in_the_previous_task_moves_the_carry_over(enschede):
    hengelo = Municipality.objects.get(code="GM0164")
    first = _task()
    second = _task(follows=first, **H2)
    before = _share(second).carried_over
    exchange = exchange_create(
        from_municipality=enschede,
        from_assignment=first,
        to_municipality=hengelo,
        places=10,
        reason="Hengelo neemt over",
        date=D(2023, 3, 1),
    )
    assert _share(second).carried_over == before - 10
    assert _share(second, "GM0164").carried_over == _share(first, "GM0164").effective_share
    exchange_withdraw(exchange=exchange)
    assert _share(second).carried_over == before


def test_no_longer_following_clears_the_carry_over(enschede):
    first = _task()
    second = _task(follows=first, **H2)
    assert _share(second).carried_over > 0
    assignment_update(assignment=second, follows=None)
    assert not Share.objects.filter(assignment=second).exclude(carried_over=0).exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"starts_on": D(2023, 6, 30)}, "die voor de begindatum van deze ligt"),
        ({"target_group": TargetGroup.ASYLUM}, "Alleen een taakstelling voor statushouders"),
    ],
)
def test_a_task_can_only_follow_an_earlier_permit_holder_task(enschede, fields, message):
    first = _task()
    with pytest.raises(ValidationError, match=message):
        _task(total=786, follows=first, **{**H2, **fields})


def test_the_previous_task_must_be_of_the_same_region_and_have_a_deadline(enschede):
    elsewhere = AssignmentFactory(
        region=SafetyRegion.objects.get(code="VR04"),
        target_group=TargetGroup.PERMIT_HOLDERS,
        deadline=D(2023, 6, 30),
    )
    with pytest.raises(ValidationError, match="dezelfde doelgroep en veiligheidsregio"):
        _task(follows=elsewhere, **H2)
    open_ended = _task(deadline=None)
    with pytest.raises(ValidationError, match="uiterste datum"):
        _task(follows=open_ended, **H2)


def test_a_task_cannot_follow_itself_or_be_followed_twice(enschede):
    first = _task()
    second = _task(follows=first, **H2)
    with pytest.raises(ValidationError, match="op zichzelf"):
        assignment_update(assignment=first, follows=second)
    first.refresh_from_db()
    with pytest.raises(ValidationError, match="volgt al een andere taakstelling"):
        _task(follows=first, **H2)  # the first half year already has its follower


# The API ----------------------------------------------------------------------------------


@pytest.fixture
def as_coordinator(api_client, region):
    api_client.force_authenticate(UserFactory(role="coordinator"))
    return api_client


def test_the_api_creates_a_following_task_and_shows_its_carry_over(as_coordinator, enschede):
    first = _task(code="permit-holders-2023-h1")
    _housed(enschede, (D(2023, 5, 1), 100))
    realisation_recompute(today=TODAY)
    response = as_coordinator.post(
        "/api/v1/assignments",
        {
            "code": "permit-holders-2023-h2",
            "title": "Statushouders 2e helft 2023",
            "target_group": "permit_holders",
            "issuer": "rijk",
            "total": 786,
            "deadline": "2023-12-31",
            "follows": "permit-holders-2023-h1",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["follows"], body["starts_on"], body["realisation"]) == (
        "permit-holders-2023-h1",
        "2023-07-01",
        "housed",
    )
    enschede_share = next(s for s in body["shares"] if s["municipality"] == "GM0153")
    assert enschede_share["carried_over"] == _share(first).effective_share - 100
    assert body["carried_over_total"] == 764 - 100
    assert body["effective_total"] == 786 + 764 - 100


def test_the_api_refuses_to_follow_a_task_of_another_target_group(as_coordinator, enschede):
    assignment_with_shares(code="asylum-2023", deadline=D(2023, 6, 30))
    response = as_coordinator.post(
        "/api/v1/assignments",
        {
            "code": "permit-holders-x",
            "title": "X",
            "target_group": "permit_holders",
            "issuer": "rijk",
            "total": 10,
            "deadline": "2023-12-31",
            "follows": "asylum-2023",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "follows" in field_errors(response)


def test_the_detail_page_shows_housed_linked_and_carried_over(client, enschede):
    first = _task(code="ph-h1")
    second = _task(code="ph-h2", follows=first, **H2)
    PermitHolderReportFactory(municipality=enschede, date=D(2023, 8, 1), housed=9, linked=4)
    realisation_recompute(today=TODAY)
    client.force_login(UserFactory(role="coordinator"))
    content = client.get(f"/allocations/{second.code}/").content.decode()
    row = content[content.index('data-municipality="GM0153"') :]
    row = row[: row.index("</tr>")]
    assert f'data-field="carried_over">+{_share(second).carried_over}<' in row
    assert 'data-field="realised">9<' in row
    assert 'data-field="linked">4<' in row
    assert "Gehuisvest" in content and "statushouders gehuisvest van 01-07-2023" in content
