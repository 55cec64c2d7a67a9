"""The coordinator's weekly digest of their own region."""

import datetime

import pytest

from meetings.models import ActionStatus
from tests.capacity.factories import CapacityReportFactory, LocationFactory
from tests.meetings.factories import ActionFactory, AgendaItemFactory, BodyFactory, MeetingFactory
from tests.notifications.conftest import MONDAY, SITE, at
from twente.notifications.models import NotificationSettings

pytestmark = pytest.mark.django_db

WEDNESDAY = MONDAY + datetime.timedelta(days=2)


def section(text: str, start: str, end: str) -> list[str]:
    body = text.split(start, 1)[1].split(end, 1)[0]
    return [line for line in body.strip().splitlines() if line]


def action_of(region, text, due_date, **fields):
    """An action of the region's table, at its meeting of 8 January 2024."""
    body = BodyFactory(code=f"TRA-{region.code}", safety_region=region)
    meeting = body.meetings.first() or MeetingFactory(body=body, date=datetime.date(2024, 1, 8))
    return ActionFactory(
        item=AgendaItemFactory(meeting=meeting), text=text, due_date=due_date, **fields
    )


@pytest.fixture
def busy_week(world):
    """Full places, ending contracts, actions and a flagged report in both regions."""
    for municipality, code, occupied in (
        (world.enschede, "ENS-UKR", 58),
        (world.zwolle, "ZWL-UKR", 59),
    ):
        location = LocationFactory(
            code=code,
            name=f"Oekraïneopvang {municipality.name}",
            municipality=municipality,
            target_group="ukraine",
            type="ukraine_municipal",
        )
        CapacityReportFactory(location=location, date=MONDAY, capacity=60, occupied=occupied)
    holders = LocationFactory(
        code="HGL-FLEX",
        name="Flexwoningen Hengelo",
        municipality=world.hengelo,
        target_group="permit_holders",
        type="flex",
    )
    CapacityReportFactory(location=holders, date=MONDAY, capacity=100, occupied=93)
    world.ens_reported.contract_end = WEDNESDAY + datetime.timedelta(days=10)
    world.ens_reported.save()
    world.hgl_missing.contract_end = WEDNESDAY + datetime.timedelta(days=60)
    world.hgl_missing.save()
    world.zwl_missing.contract_end = WEDNESDAY + datetime.timedelta(days=20)
    world.zwl_missing.save()
    action_of(world.twente, "Locatie Hengelo verlengen", MONDAY - datetime.timedelta(days=5))
    action_of(world.twente, "Plan crisisopvang opstellen", WEDNESDAY + datetime.timedelta(days=5))
    action_of(world.twente, "Evaluatie later dit jaar", WEDNESDAY + datetime.timedelta(days=40))
    action_of(
        world.twente,
        "Al afgehandeld",
        MONDAY - datetime.timedelta(days=9),
        status=ActionStatus.DONE,
    )
    action_of(world.ijsselland, "Actie van IJsselland", MONDAY - datetime.timedelta(days=3))
    last_week = MONDAY - datetime.timedelta(days=7)
    for location in (world.hgl_missing, world.zwl_missing):
        report = location.reports.get(date=last_week)
        report.flagged = True
        report.flag_reason = f"Bezetting van {location.name} sprong omhoog"
        report.save()
    world.recompute()
    return world


def test_the_digest_lists_exactly_the_municipalities_that_have_not_reported(busy_week, smtp, run):
    run(at(WEDNESDAY, 12, 30))
    [message] = smtp.to("coord-twente@example.nl")
    assert message.subject == "Weekoverzicht Twente, week 3"
    assert section(message.text, "Nog niet (volledig) gemeld", "Overzicht van de meldingen:") == [
        "- Enschede: 2 van 3 locaties",
        "- Hengelo: 1 van 2 locaties",
    ]
    assert f"{SITE}/counts/status/?week=2024-01-15" in message.text
    assert f'href="{SITE}/notifications/"' in message.html


def test_the_digest_names_thresholds_contracts_actions_and_flags(busy_week, smtp, run):
    run(at(WEDNESDAY, 12, 30))
    [message] = smtp.to("coord-twente@example.nl")
    text = message.text
    assert section(text, "Bezetting boven de drempels", "Het overzicht van de regio:") == [
        "- Statushouders: 93,0% (waarschuwing vanaf 92,0%)",
        "- Ontheemden uit Oekraïne: 96,7% (kantelpunt 95,0%)",
    ]
    assert section(text, "binnen 30 dagen aflopen", "Contracten die binnen 90") == [
        "- Azc Enschede (Enschede): 27-01-2024"
    ]
    assert section(text, "binnen 90 dagen aflopen", "Acties over de deadline") == [
        "- Crisisnoodopvang Hengelo (Hengelo): 17-03-2024"
    ]
    assert "Locatie Hengelo verlengen" in section(text, "Acties over de deadline", "Acties met")[0]
    upcoming = section(text, "komende twee weken", "Alle acties:")
    assert len(upcoming) == 1 and "Plan crisisopvang opstellen" in upcoming[0]
    assert "Evaluatie later dit jaar" not in text and "Al afgehandeld" not in text
    [flag] = section(text, "Meldingen ter controle", "--")
    assert "Crisisnoodopvang Hengelo" in flag and "sprong omhoog" in flag
    for name in ("Plan crisisopvang opstellen", "93,0%", "Azc Enschede", "sprong omhoog"):
        assert name in message.html


def test_a_coordinator_never_receives_another_regions_figures(busy_week, smtp, run):
    run(at(WEDNESDAY, 12, 30))
    [twente] = smtp.to("coord-twente@example.nl")
    [ijsselland] = smtp.to("coord-ijsselland@example.nl")
    for word in ("Zwolle", "ZWL", "IJsselland", "98,3%"):
        assert word not in twente.subject + twente.text + twente.html, word
    for word in ("Enschede", "Hengelo", "Borne", "Locatie Hengelo verlengen", "96,7%"):
        assert word not in ijsselland.text, word
    assert section(ijsselland.text, "Nog niet (volledig) gemeld", "Overzicht") == [
        "- Zwolle: 1 van 2 locaties"
    ]
    assert "Actie van IJsselland" in ijsselland.text
    assert "- Ontheemden uit Oekraïne: 98,3% (kantelpunt 95,0%)" in ijsselland.text


def test_the_digest_goes_once_at_the_chosen_time(busy_week, smtp, run):
    assert "region_digest" not in [log.kind for log in run(at(WEDNESDAY, 11, 59))]
    run(at(WEDNESDAY, 12))
    run(at(WEDNESDAY + datetime.timedelta(days=1), 12))
    assert len(smtp.to("coord-twente@example.nl")) == 1


def test_a_switched_off_digest_is_not_sent(busy_week, smtp, run):
    NotificationSettings.objects.create(user=busy_week.coordinator, region_digest=False)
    run(at(WEDNESDAY, 12, 30))
    assert smtp.to("coord-twente@example.nl") == []
    assert len(smtp.to("coord-ijsselland@example.nl")) == 1


def test_an_all_reported_week_says_so(world, smtp, run):
    for location in (world.ens_missing, world.hgl_missing):
        CapacityReportFactory(location=location, date=MONDAY)
    run(at(WEDNESDAY, 12, 30))
    [message] = smtp.to("coord-twente@example.nl")
    assert "Alle gemeenten hebben gemeld." in message.text
    assert "Geen doelgroep boven de drempels." in message.text


def test_the_digest_in_english(busy_week, smtp, run):
    NotificationSettings.objects.create(user=busy_week.coordinator, language="en")
    run(at(WEDNESDAY, 12, 30))
    [message] = smtp.to("coord-twente@example.nl")
    assert message.subject == "Weekly digest Twente, week 3"
    assert section(message.text, "Not (fully) reported yet", "Reporting status:") == [
        "- Enschede: 2 of 3 locations",
        "- Hengelo: 1 of 2 locations",
    ]
    assert "- Permit holders: 93.0% (warning from 92.0%)" in message.text
    assert "- Displaced persons from Ukraine: 96.7% (tipping point 95.0%)" in message.text
    assert "Contracts ending within 30 days" in message.html


def test_an_action_with_line_breaks_is_one_line_of_the_digest(busy_week, smtp, run):
    action_of(busy_week.twente, "Eerste regel\n- tweede regel", WEDNESDAY)
    run(at(WEDNESDAY, 12, 30))
    [message] = smtp.to("coord-twente@example.nl")
    assert "TRA-VR05: Eerste regel - tweede regel" in message.text
