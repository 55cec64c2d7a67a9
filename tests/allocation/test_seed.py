"""`load_twente` loads the tasks of twente/fixtures/assignments.json (seeds 000 and 002)."""

import datetime

from django.core.management import call_command

from allocation.choices import AssignmentStatus
from allocation.models import Assignment, Share
from tests.allocation.test_engine import EXPECTED_1944

APPENDIX_3_PERMIT_HOLDERS = {
    "GM0141": 88,
    "GM0147": 29,
    "GM1774": 32,
    "GM0153": 193,
    "GM0158": 30,
    "GM0163": 43,
    "GM0164": 98,
    "GM1735": 42,
    "GM0168": 28,
    "GM0173": 38,
    "GM1742": 46,
    "GM0183": 26,
    "GM1700": 41,
    "GM0189": 30,
}


def _shares(code: str, field: str = "computed_share") -> dict[str, int]:
    return dict(
        Share.objects.filter(assignment__code=code).values_list("municipality__code", field)
    )


def test_it_loads_the_seven_tasks_of_the_seeds_and_the_two_amv_parts(twente):
    totals = dict(Assignment.objects.values_list("code", "total"))
    assert totals == {
        "asylum-2023-04": 1944,
        "asylum-2023-04-amv": 133,
        "asylum-2024-01-amv": 183,
        "asylum-2024-01": 2164,
        "permit-holders-2023-h1": 764,
        "permit-holders-2023-h2": 786,
        "ukraine-2022-12": 3000,
        "ukraine-2023-07": 3600,
        "asylum-cno-2022-10": 225,
    }
    assert set(Assignment.objects.values_list("status", flat=True)) == {AssignmentStatus.ADOPTED}
    assert Share.objects.count() == 9 * 14
    for task in Assignment.objects.with_totals():
        # Only the second half year takes over arrears: the reference data house nobody.
        carried_over = 764 if task.code == "permit-holders-2023-h2" else 0
        assert task.carried_over_total == carried_over, task.code
        assert task.effective_total == task.total + carried_over, task.code


def test_the_second_half_of_2023_follows_the_first_for_permit_holders(twente):
    first = Assignment.objects.get(code="permit-holders-2023-h1")
    second = Assignment.objects.get(code="permit-holders-2023-h2")
    assert (first.starts_on, first.deadline) == (
        datetime.date(2023, 1, 1),
        datetime.date(2023, 6, 30),
    )
    assert (second.follows, second.starts_on, second.deadline) == (
        first,
        datetime.date(2023, 7, 1),
        datetime.date(2023, 12, 31),
    )
    # 1,550 for 2023 (seed 002 table 2.2, middle scenario) minus the 764 of the first half.
    assert second.total == 1550 - 764
    assert sum(_shares("permit-holders-2023-h2").values()) == 786
    assert _shares("permit-holders-2023-h2", "carried_over") == APPENDIX_3_PERMIT_HOLDERS


def test_reloading_the_seeds_keeps_the_chain(twente):
    call_command("load_twente", verbosity=0)
    second = Assignment.objects.get(code="permit-holders-2023-h2")
    assert second.follows.code == "permit-holders-2023-h1"
    assert Assignment.objects.count() == 9


def test_asylum_1944_is_divided_by_the_appendix_3_populations(twente):
    assert _shares("asylum-2023-04") == EXPECTED_1944
    task = Assignment.objects.get(code="asylum-2023-04")
    assert task.reference_date == datetime.date(2022, 1, 1)
    assert task.deadline == datetime.date(2023, 4, 1)


def test_the_cno_task_keeps_the_ranges_of_seed_000(twente):
    shares = _shares("asylum-cno-2022-10")
    assert sum(shares.values()) == 225 and min(shares.values()) >= 10
    assert 50 <= shares["GM0153"] <= 60
    assert 25 <= shares["GM0164"] <= 30 and 25 <= shares["GM0141"] <= 30


def test_permit_holders_carry_appendix_3_as_agreed_shares(twente):
    assert _shares("permit-holders-2023-h1", "agreed_share") == APPENDIX_3_PERMIT_HOLDERS
    computed = _shares("permit-holders-2023-h1")
    assert (computed["GM0153"], computed["GM0158"]) == (194, 29)
    enschede = Share.objects.get(
        assignment__code="permit-holders-2023-h1", municipality__code="GM0153"
    )
    assert enschede.agreed_reason.startswith("Gemeentelijke taakstellingen uit Bijlage A")


def test_realisation_is_computed_from_the_seeded_capacity(twente):
    task = Assignment.objects.with_totals().get(code="asylum-2023-04")
    # Seeded December 2022 reports: 379 CNO places and the AZCs Hengelo 250 and Almelo 394;
    # the regular asylum task counts the AZC places only.
    assert task.location_types == ["azc", "coa_emergency", "amv"]
    assert task.realised_on == datetime.date(2023, 4, 1)
    assert task.realised_total == 250 + 394
    assert _shares("asylum-2023-04", "realised")["GM0164"] == 250
    # The CNO deadline (1-10-2022) is before the first report: nothing counted yet.
    assert Assignment.objects.with_totals().get(code="asylum-cno-2022-10").realised_total == 0


def test_rerunning_changes_nothing(twente):
    def snapshot():
        return (
            list(Assignment.objects.order_by("code").values()),
            list(Share.objects.order_by("pk").values()),
        )

    before = snapshot()
    call_command("load_twente", verbosity=0)
    assert snapshot() == before
