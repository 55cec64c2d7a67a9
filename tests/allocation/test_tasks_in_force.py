"""Issue 23: several tasks in force at once, periods (realise-by date and availability period,
judged by the lowest count over it, "afgelopen" after it) and parts for a sub-group."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from allocation.choices import AssignmentStatus
from allocation.models import Assignment, Share
from allocation.selectors import active_assignments
from allocation.services import assignment_update, assignments_close, realisation_recompute
from allocation.tasks_in_force import (
    owed_by_group,
    owed_by_municipality,
    standings_in_force,
    tasks_in_force,
)
from capacity.choices import LocationType, TargetGroup
from municipalities.models import SafetyRegion
from tests.allocation.factories import assignment_with_shares
from tests.dashboard.factories import adopted_task, location_with_reports, snapshots_recompute
from tests.factories import UserFactory

D = datetime.date


def _codes(on: datetime.date) -> list[str]:
    return [task.code for task in tasks_in_force(region_code="VR05", on=on)]


# --- in force ---------------------------------------------------------------------------------


def test_a_task_is_in_force_within_its_period_only(region):
    adopted_task(code="crisis", total=225, available_from=D(2022, 7, 1), deadline=D(2022, 10, 1))
    adopted_task(code="regular", deadline=D(2023, 4, 1))
    adopted_task(code="later", starts_on=D(2023, 4, 2), deadline=D(2024, 1, 1))
    assignment_with_shares(code="draft", deadline=D(2023, 1, 1))  # never adopted

    assert _codes(D(2022, 6, 30)) == ["regular"]
    assert _codes(D(2022, 9, 15)) == ["crisis", "regular"]
    assert _codes(D(2023, 4, 2)) == ["later"]
    # After the last period nothing is in force: no fallback to an expired task.
    assert _codes(D(2024, 1, 2)) == []
    assert active_assignments(region_code="VR05", on=D(2024, 1, 2)) == {}


def test_a_closed_task_stays_in_force_up_to_the_end_of_its_availability_period(region):
    task = adopted_task(
        code="crisis", total=225, deadline=D(2022, 7, 1), available_until=D(2022, 10, 1)
    )
    # Past its realise-by date but within the availability period: not closed yet.
    assert assignments_close(on=D(2022, 8, 1)) == []
    assert assignments_close(on=D(2022, 10, 2)) == ["crisis"]
    task.refresh_from_db()
    assert task.status == AssignmentStatus.CLOSED
    assert _codes(D(2022, 9, 30)) == ["crisis"]
    assert _codes(D(2022, 10, 2)) == []


def test_each_task_has_its_own_gap_and_the_group_owes_their_sum(region):
    day = D(2022, 9, 15)
    location_with_reports("AZC", "GM0141", [(D(2022, 6, 1), 394, 300)], type=LocationType.AZC)
    location_with_reports("CNO", "GM0141", [(D(2022, 6, 1), 56, 50)], type=LocationType.CNO)
    snapshots_recompute()
    adopted_task(code="crisis", total=225, location_types=["cno"], deadline=D(2022, 10, 1))
    adopted_task(code="regular", total=1944, location_types=["azc"], deadline=D(2023, 4, 1))

    standings = {s.task.code: s for s in standings_in_force(region_code="VR05", on=day)}

    assert (standings["crisis"].realised, standings["crisis"].gap) == (56, 225 - 56)
    assert (standings["regular"].realised, standings["regular"].gap) == (394, 1944 - 394)
    (asylum,) = owed_by_group(list(standings.values()))
    assert (asylum.required, asylum.realised, asylum.tasks) == (225 + 1944, 450, 2)
    owed = owed_by_municipality(region_code="VR05", on=day, target_group=TargetGroup.ASYLUM)
    shares = dict(
        Share.objects.filter(municipality__code="GM0141").values_list(
            "assignment__code", "computed_share"
        )
    )
    assert owed["GM0141"] == shares["crisis"] + shares["regular"]
    assert sum(owed.values()) == 225 + 1944


def test_the_standings_read_a_fixed_number_of_queries(region, django_assert_num_queries):
    for n in range(2):
        adopted_task(code=f"few-{n}", deadline=D(2023, 4, 1))
    with django_assert_num_queries(3):  # tasks, their parts, the places on the date
        standings_in_force(region_code="VR05", on=D(2022, 12, 1))
    for n in range(6):
        parent = adopted_task(code=f"many-{n}", deadline=D(2023, 4, 1))
        adopted_task(code=f"many-{n}-amv", total=10, parent=parent, location_types=["amv"])
    with django_assert_num_queries(3):
        standings = standings_in_force(region_code="VR05", on=D(2022, 12, 1))
    assert len(standings) == 8 and sum(len(s.parts) for s in standings) == 6


# --- the availability period ------------------------------------------------------------------


def _crisis_with_a_dip():
    # 60 places from June, 20 in August (a location half closed), 60 again in September.
    location_with_reports(
        "CNO",
        "GM0153",
        [(D(2022, 6, 1), 60, 50), (D(2022, 8, 8), 20, 20), (D(2022, 9, 5), 60, 55)],
        type=LocationType.CNO,
    )
    snapshots_recompute()
    return adopted_task(
        code="crisis",
        total=225,
        location_types=["cno"],
        available_from=D(2022, 7, 1),
        deadline=D(2022, 10, 1),
        available_until=D(2022, 10, 1),
    )


def test_realisation_is_the_lowest_count_over_the_availability_period(region):
    _crisis_with_a_dip()
    before_the_dip = standings_in_force(region_code="VR05", on=D(2022, 8, 1))[0]
    assert before_the_dip.realised == 60
    assert (before_the_dip.judged_from, before_the_dip.judged_until) == (
        D(2022, 7, 1),
        D(2022, 8, 1),
    )
    # On 15 September there are 60 places again, but the period had a day with only 20.
    after = standings_in_force(region_code="VR05", on=D(2022, 9, 15))[0]
    assert after.realised == 20


def test_after_its_period_the_task_keeps_its_final_result_and_reads_afgelopen(region, client):
    task = _crisis_with_a_dip()
    realisation_recompute(assignment_ids=[task.pk], today=D(2022, 12, 1))
    enschede = Share.objects.get(assignment=task, municipality__code="GM0153")
    assert enschede.realised == 20
    task.refresh_from_db()
    assert task.realised_on == D(2022, 10, 1)

    client.force_login(UserFactory(username="coord", role="coordinator"))
    content = client.get(reverse("allocation:assignment-detail", args=["crisis"])).content
    content = content.decode()
    assert 'data-testid="ended">afgelopen<' in content
    assert "is afgelopen op 01-10-2022. Eindresultaat: 20 van 225 gerealiseerd." in content
    assert "beschikbaar van 01-07-2022 t/m 01-10-2022" in content


def test_an_availability_period_that_ends_before_it_starts_is_refused(region):
    with pytest.raises(ValidationError) as error:
        adopted_task(available_from=D(2022, 10, 1), available_until=D(2022, 7, 1))
    assert "eindigt voor ze begint" in str(error.value)


# --- parts ------------------------------------------------------------------------------------


def test_a_part_has_its_own_total_shares_and_types_and_is_not_in_force_on_its_own(region):
    parent = adopted_task(code="asylum", total=1944, location_types=["azc", "amv"])
    part = adopted_task(code="asylum-amv", total=133, parent=parent, location_types=["amv"])

    assert sum(part.shares.values_list("computed_share", flat=True)) == 133
    assert _codes(D(2023, 1, 1)) == ["asylum"]
    assert active_assignments(region_code="VR05", on=D(2023, 1, 1))["asylum"].code == "asylum"
    (standing,) = standings_in_force(region_code="VR05", on=D(2023, 1, 1))
    assert [p.task.code for p in standing.parts] == ["asylum-amv"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"total": 2000}, "groter dan de taakstelling"),
        ({"target_group": TargetGroup.UKRAINE}, "dezelfde doelgroep en veiligheidsregio"),
    ],
)
def test_a_part_must_fit_inside_its_parent(region, changes, message):
    parent = adopted_task(code="asylum", total=1944)
    with pytest.raises(ValidationError) as error:
        assignment_with_shares(code="part", parent=parent, **{"total": 133, **changes})
    assert message in str(error.value)


def test_a_part_of_another_region_or_of_a_part_is_refused(region):
    parent = adopted_task(code="asylum", total=1944)
    part = adopted_task(code="asylum-amv", total=133, parent=parent)
    with pytest.raises(ValidationError) as error:
        assignment_with_shares(code="deeper", total=10, parent=part)
    assert "geen deeltaken hebben" in str(error.value)
    other = assignment_with_shares(code="elsewhere", total=10)
    Assignment.objects.filter(pk=other.pk).update(region=SafetyRegion.objects.get(code="VR04"))
    other.refresh_from_db()
    with pytest.raises(ValidationError):
        assignment_update(assignment=other, parent=parent)


def test_a_part_counts_only_places_its_parent_counts(region):
    parent = adopted_task(code="asylum", total=1944, location_types=["azc", "amv"])
    with pytest.raises(ValidationError) as error:
        assignment_with_shares(code="part", total=50, parent=parent, location_types=["cno"])
    assert "die de taakstelling zelf niet telt: cno" in str(error.value)
