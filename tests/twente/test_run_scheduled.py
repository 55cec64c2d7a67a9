"""`manage.py run_scheduled [--date D]`: the nightly jobs in-process, without Redis."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from allocation.models import Assignment
from capacity.selectors import realised_places
from meetings.models import Meeting

# Tables the nightly jobs read or write, dumped whole (history tables included).
APPS = ["capacity", "allocation", "meetings", "twente", "django_celery_beat"]
# Snapshot rows are rebuilt from the reports, so a rerun writes equal rows under new ids: they
# are compared by content. Nothing else may differ at all.
REBUILT = {"capacity.occupancysnapshot"}


def _dump() -> list[str]:
    out = io.StringIO()
    call_command("dumpdata", *APPS, format="json", stdout=out)
    rows = json.loads(out.getvalue())
    for row in rows:
        if row["model"] in REBUILT:
            del row["pk"]
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("run_scheduled", *args, stdout=out)
    return out.getvalue()


def test_running_twice_for_a_date_leaves_the_database_as_the_first_run_left_it(twente):
    before = _dump()
    _run("--date", "2024-02-01")
    after_first = _dump()
    output = _run("--date", "2024-02-01")

    assert after_first != before  # the first run did work, so the comparison means something
    assert _dump() == after_first
    assert "al eerder gedraaid" in output
    assert "Taakstellingen afgesloten (uiterste datum verstreken): 0." in output


def test_it_says_what_it_did_in_dutch(twente):
    output = _run("--date", "2024-02-01")

    assert output.startswith("Nachtelijke taken voor 01-02-2024.")
    assert "Bezetting herberekend vanaf 01-02-2024 voor 11 gemeenten" in output
    assert "Realisatie bepaald per 01-02-2024" in output
    # The seeds' tasks with a deadline before 1 February 2024, and the January TRA meeting.
    closed = sorted(Assignment.objects.filter(status="closed").values_list("code", flat=True))
    assert closed and "asylum-2024-01" in closed
    assert f"Taakstellingen afgesloten (uiterste datum verstreken): {len(closed)} (" in output
    assert ", ".join(closed) in output
    assert "Overleggen op 'gehouden' gezet: 1 (TRA 24-01-2024)." in output
    assert Meeting.objects.get(date=datetime.date(2024, 1, 24)).status == "held"


def test_without_a_date_it_runs_for_today(twente):
    output = _run()

    assert output.startswith(f"Nachtelijke taken voor {timezone.localdate():%d-%m-%Y}.")
    assert not Assignment.objects.filter(
        status="adopted", realise_by__lt=timezone.localdate()
    ).exists()


def test_catching_up_an_older_date_after_today_ran_is_harmless(twente):
    _run()
    today = timezone.localdate()
    figures_today = realised_places(on=today, region_code="VR05")
    after_today = _dump()

    _run("--date", "2024-02-01")
    output = _run()

    assert "al eerder gedraaid" in output
    assert realised_places(on=today, region_code="VR05") == figures_today
    # Beyond the rebuilt snapshots and the record of the extra run, nothing changed.
    rebuilt = ("capacity.occupancysnapshot", "twente.scheduledrun")
    assert _without(*rebuilt, rows=_dump()) == _without(*rebuilt, rows=after_today)


def _without(*models: str, rows: list[str]) -> list[str]:
    return [row for row in rows if json.loads(row)["model"] not in models]


@pytest.mark.parametrize(
    ("value", "message"),
    [("01-02-2024", "Geen geldige datum"), ("2024-02-30", "Geen geldige datum")],
)
def test_a_bad_date_is_an_error(db, value, message):
    with pytest.raises(CommandError, match=message):
        _run("--date", value)


def test_a_future_date_is_refused(db):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(CommandError, match="draaien niet vooruit"):
        _run("--date", tomorrow.isoformat())
