"""The demo plan itself (twente/demo/plan.py): deterministic, built around the documents'
figures, and honest about the few reports that are late, missing or implausible."""

import csv
import datetime
import json

import pytest

from allocation.engine import allocate
from capacity.choices import TargetGroup
from twente.demo import plan as demo
from twente.seeding import FIXTURES


def _rows(name):
    with (FIXTURES / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _inputs() -> dict:
    capacities = {row["location"]: int(row["capacity"]) for row in _rows("capacity_reports.csv")}
    reference = {
        row["code"]: demo.ReferenceLocation(
            code=row["code"],
            municipality=row["municipality"],
            type=row["type"],
            status=row["status"],
            capacity=capacities.get(row["code"], 150),
            contract_end=datetime.date.fromisoformat(row["contract_end"])
            if row["contract_end"]
            else None,
        )
        for row in _rows("locations.csv")
    }
    population = {m.code: m.population for m in demo.MUNICIPALITIES}
    tasks = json.loads((FIXTURES / "assignments.json").read_text(encoding="utf-8"))
    permit = next(task for task in tasks if task["code"] == "permit-holders-2023-h1")
    return {
        "reference": reference,
        "crisis_shares": {s.key: s.share for s in allocate(225, population, minimum=10)},
        "permit_holder_shares": permit["agreed_shares"],
    }


@pytest.fixture(scope="module")
def plan():
    return demo.demo_plan(**_inputs())


def _key(report):
    return (report.location, report.date, report.capacity, report.occupied, report.flagged)


def test_it_is_the_same_plan_every_time(plan):
    again = demo.demo_plan(**_inputs())

    assert [_key(report) for report in again.reports] == [_key(report) for report in plan.reports]
    assert [location.fields() for location in again.locations] == [
        location.fields() for location in plan.locations
    ]


def test_the_calendar_is_on_mondays():
    days = [demo.FIRST_MONDAY, demo.LAST_MONDAY, demo.ALBERGEN_OPENS, demo.SILENT_AFTER]
    days += [demo.BAO_FIRST_MONDAY, *demo.KEY_MONDAYS]
    assert {day.weekday() for day in days} == {0}


def test_reports_are_weekly_and_only_a_few_come_late(plan):
    keys = [(report.location, report.date) for report in plan.reports]
    late = [report for report in plan.reports if report.date.weekday() != 0]

    assert len(keys) == len(set(keys))
    assert all(0 <= report.occupied <= report.capacity for report in plan.reports)
    assert all(report.date.weekday() <= 3 for report in late)
    assert 0 < len(late) < 0.05 * len(plan.reports)
    assert not [
        r for r in late if r.date - datetime.timedelta(days=r.date.weekday()) in demo.KEY_MONDAYS
    ]
    assert demo.datetime.date(2022, 12, 1) not in {report.date for report in plan.reports}


def test_the_documents_figures_are_in_the_plan(plan):
    for day, total in demo.UKRAINE_TOTALS:
        assert plan.totals_on(day, TargetGroup.UKRAINE)[0] == total
    assert plan.totals_on(*demo.UKRAINE_OCCUPIED[:1], TargetGroup.UKRAINE)[1] == 2189
    assert plan.totals_on(datetime.date(2022, 3, 25), TargetGroup.UKRAINE)[0] < 1000


def test_a_plan_that_misses_a_figure_is_refused(plan):
    day = demo.UKRAINE_OCCUPIED[0]
    report = next(r for r in plan.reports if r.date == day and r.location.startswith("DEMO-OEK"))
    report.occupied -= 1

    with pytest.raises(ValueError, match="2189"):
        demo._check(plan)
    report.occupied += 1


def test_one_figure_is_implausible_and_flagged(plan):
    flagged = [report for report in plan.reports if report.flagged]

    assert len(flagged) == 1
    assert flagged[0].date == demo.LAST_MONDAY
    assert flagged[0].flag_reason.startswith("Bezet (")


def test_locations_of_all_three_groups_in_every_municipality(plan):
    found = {(location.municipality, location.target_group) for location in plan.locations}

    assert found == {(m.code, group) for m in demo.MUNICIPALITIES for group in TargetGroup.values}


def test_texts_cite_documents_by_title_never_by_seed_number(plan):
    notes = " ".join(location.notes for location in plan.demo_locations)

    assert "seed" not in notes.lower()
    assert "Procesplan Twente Opvang Vluchtelingen, dec. 2022" in notes
