"""`allocation.selectors.active_assignments`: which task the overview holds each group to."""

import datetime

from allocation.models import Assignment
from allocation.selectors import active_assignments, active_assignments_by_region
from allocation.services import assignments_close
from capacity.choices import TargetGroup
from municipalities.models import SafetyRegion
from tests.allocation.factories import assignment_with_shares
from tests.dashboard.factories import adopted_task

D = datetime.date


def test_it_picks_the_earliest_deadline_on_or_after_the_date(region):
    adopted_task(code="later", deadline=D(2024, 1, 1), total=2164)
    adopted_task(code="sooner", deadline=D(2023, 4, 1), total=1944)
    adopted_task(code="past", deadline=D(2022, 10, 1), total=225)

    active = active_assignments(region_code="VR05", on=D(2023, 1, 15))

    assert active[TargetGroup.ASYLUM].code == "sooner"
    assert active[TargetGroup.ASYLUM].effective_total == 1944


def test_a_task_is_still_active_on_its_deadline(region):
    adopted_task(code="today", deadline=D(2023, 4, 1))
    adopted_task(code="next", deadline=D(2024, 1, 1))

    assert active_assignments(region_code="VR05", on=D(2023, 4, 1))["asylum"].code == "today"
    assert active_assignments(region_code="VR05", on=D(2023, 4, 2))["asylum"].code == "next"


def test_after_the_last_deadline_no_task_is_active(region):
    # Issue 23: nothing falls back to an expired task.
    adopted_task(code="first", deadline=D(2023, 4, 1))
    adopted_task(code="second", deadline=D(2024, 1, 1))

    assert active_assignments(region_code="VR05", on=D(2023, 6, 1))["asylum"].code == "second"
    assert "asylum" not in active_assignments(region_code="VR05", on=D(2026, 6, 1))


def test_an_open_ended_task_comes_after_dated_ones_ahead_but_before_past_ones(region):
    adopted_task(code="past", deadline=D(2022, 1, 1))
    adopted_task(code="open-ended", deadline=None)
    adopted_task(code="ahead", deadline=D(2024, 1, 1))

    assert active_assignments(region_code="VR05", on=D(2023, 1, 1))["asylum"].code == "ahead"
    assert active_assignments(region_code="VR05", on=D(2025, 1, 1))["asylum"].code == "open-ended"


def test_drafts_other_groups_and_other_regions_do_not_count(region):
    assignment_with_shares(code="draft", deadline=D(2023, 2, 1))  # not adopted
    adopted_task(code="asylum", deadline=D(2024, 1, 1))
    adopted_task(code="ukraine", target_group=TargetGroup.UKRAINE, deadline=D(2023, 7, 1))
    ijsselland = SafetyRegion.objects.get(code="VR04")
    Assignment.objects.filter(code="ukraine").update(region=ijsselland)

    active = active_assignments(region_code="VR05", on=D(2023, 1, 1))

    assert {group: task.code for group, task in active.items()} == {"asylum": "asylum"}


def test_it_is_one_query(region, django_assert_num_queries):
    for group in TargetGroup.values:
        adopted_task(code=f"{group}-1", target_group=group, deadline=D(2023, 1, 1))
        adopted_task(code=f"{group}-2", target_group=group, deadline=D(2024, 1, 1))

    with django_assert_num_queries(1):
        active = active_assignments(region_code="VR05", on=D(2023, 6, 1))
        assert sorted(active) == sorted(TargetGroup.values)


def test_a_closed_task_counts_up_to_its_deadline_and_not_after(region):
    adopted_task(code="passed", deadline=D(2024, 1, 1))
    assignments_close(on=D(2024, 2, 1))

    assert active_assignments(region_code="VR05", on=D(2023, 6, 1))["asylum"].code == "passed"
    assert active_assignments(region_code="VR05", on=D(2024, 1, 1))["asylum"].code == "passed"
    # Adopted, it would stand in as the latest past task (above); closed, nothing is active.
    assert "asylum" not in active_assignments(region_code="VR05", on=D(2024, 1, 2))
    assert "asylum" not in active_assignments(region_code="VR05", on=D(2026, 6, 1))


def test_after_a_closed_task_the_latest_adopted_past_task_is_not_revived(region):
    adopted_task(code="older", deadline=D(2023, 4, 1))
    adopted_task(code="newer", deadline=D(2024, 1, 1))
    assignments_close(on=D(2023, 6, 1))  # closes "older" only

    assert active_assignments(region_code="VR05", on=D(2023, 5, 1))["asylum"].code == "newer"
    assert active_assignments(region_code="VR05", on=D(2023, 3, 1))["asylum"].code == "older"


def test_the_rule_for_every_region_leaves_closed_tasks_out_after_their_deadline(region):
    adopted_task(code="passed", deadline=D(2024, 1, 1))
    assignments_close(on=D(2024, 2, 1))

    assert ("VR05", "asylum") in active_assignments_by_region(on=D(2023, 12, 1))
    assert ("VR05", "asylum") not in active_assignments_by_region(on=D(2024, 2, 1))
