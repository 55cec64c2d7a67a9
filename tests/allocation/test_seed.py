"""`load_twente` loads the tasks of fixtures/assignments.json (seeds 000 and 002)."""

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


def test_it_loads_the_six_tasks_of_the_seeds(twente):
    totals = dict(Assignment.objects.values_list("code", "total"))
    assert totals == {
        "asylum-2023-04": 1944,
        "asylum-2024-01": 2164,
        "permit-holders-2023-h1": 764,
        "ukraine-2022-12": 3000,
        "ukraine-2023-07": 3600,
        "asylum-cno-2022-10": 225,
    }
    assert set(Assignment.objects.values_list("status", flat=True)) == {AssignmentStatus.ADOPTED}
    assert Share.objects.count() == 6 * 14
    for task in Assignment.objects.with_totals():
        assert task.effective_total == task.total, task.code


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
    # Seeded December 2022 reports: 379 CNO places and the AZCs Hengelo 250 and Almelo 394.
    assert task.realised_on == datetime.date(2023, 4, 1)
    assert task.realised_total == 379 + 250 + 394
    assert _shares("asylum-2023-04", "realised")["GM0164"] == 250 + 30
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
