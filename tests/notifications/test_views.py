"""The "Meldingen" settings page, the language switch, and the reminder history on the
completeness page."""

import datetime

import pytest
from django.urls import reverse

from tests.capacity.factories import CapacityReportFactory
from tests.factories import UserFactory
from tests.notifications.conftest import MONDAY, at
from twente.notifications.models import NotificationLog, NotificationSettings, NotificationStatus

pytestmark = pytest.mark.django_db

URL = "/notifications/"


def test_a_project_leader_sees_the_kinds_of_their_role_with_the_defaults(client, world):
    client.force_login(world.pl_enschede)
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.kinds == ["report_reminder", "action_reminder"]
    assert set(form.fields) == {
        "report_reminder",
        "action_reminder",
        "reminder_weekday",
        "reminder_time",
        "language",
    }
    content = response.content.decode()
    assert "Herinnering als een locatie deze week nog niet is geteld" in content
    assert 'name="report_reminder" class="utrecht-checkbox utrecht-checkbox--html-input"' in content
    assert '<option value="0" selected>maandag</option>' in content
    assert '<option value="09:00" selected>09:00</option>' in content
    assert "pl-enschede@example.nl" in content


def test_a_coordinator_gets_the_digest_and_the_alert(client, world):
    client.force_login(world.coordinator)
    form = client.get(URL).context["form"]
    assert form.kinds == ["region_digest", "action_reminder", "threshold_alert"]
    assert "digest_weekday" in form.fields and "reminder_weekday" not in form.fields
    assert form["digest_weekday"].value() == 2 and form["digest_time"].value() == "12:00"


def test_saving_changes_only_the_users_own_settings(client, world):
    NotificationSettings.objects.create(user=world.pl_hengelo, reminder_weekday=4)
    client.force_login(world.pl_enschede)
    response = client.post(
        URL,
        {
            "action_reminder": "on",
            "reminder_weekday": "2",
            "reminder_time": "14:00",
            "language": "en",
            # Not a field: the page edits the signed-in user, whoever is named.
            "user": world.pl_hengelo.pk,
        },
    )
    assert response.status_code == 302 and response["Location"] == URL
    mine = NotificationSettings.objects.get(user=world.pl_enschede)
    assert (mine.report_reminder, mine.action_reminder) == (False, True)
    assert (mine.reminder_weekday, mine.reminder_time, mine.language) == (
        2,
        datetime.time(14, 0),
        "en",
    )
    theirs = NotificationSettings.objects.get(user=world.pl_hengelo)
    assert (theirs.reminder_weekday, theirs.report_reminder, theirs.language) == (4, True, "nl")
    # A project leader cannot switch on a kind their role does not get.
    client.post(
        URL,
        {
            "region_digest": "on",
            "reminder_weekday": "0",
            "reminder_time": "09:00",
            "language": "nl",
        },
    )
    mine.refresh_from_db()
    assert mine.region_digest is True and mine.report_reminder is False  # untouched default


def test_a_bad_time_is_refused_and_nothing_saved(client, world):
    client.force_login(world.pl_enschede)
    response = client.post(
        URL, {"reminder_weekday": "0", "reminder_time": "09:30", "language": "nl"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reminder_time"]
    assert not NotificationSettings.objects.exists()


def test_without_an_address_the_page_says_so(client, db):
    client.force_login(UserFactory(username="no-mail", role="project_leader"))
    content = client.get(URL).content.decode()
    assert "geen e-mailadres bekend" in content


def test_anonymous_users_are_sent_to_the_login_page(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_header_links_to_the_settings(client, world):
    client.force_login(world.coordinator)
    assert f'href="{URL}"' in client.get("/municipalities/").content.decode()


def test_the_language_switch_is_the_language_of_the_emails(client, world):
    client.force_login(world.pl_enschede)
    response = client.post("/i18n/setlang/", {"language": "en", "next": URL})
    assert response.status_code == 302 and response["Location"] == URL
    assert NotificationSettings.objects.get(user=world.pl_enschede).language == "en"
    page = client.get(URL).content.decode()
    assert '<h1 class="utrecht-heading-1">Notifications</h1>' in page
    assert '<option value="en" selected>' in page
    client.post("/i18n/setlang/", {"language": "xx", "next": URL})
    assert NotificationSettings.objects.get(user=world.pl_enschede).language == "en"


# The reminder history on /counts/status/ ------------------------------------------------------


def test_the_completeness_page_shows_the_reminders_and_what_came_after(
    client, world, smtp, run, clock, django_assert_max_num_queries
):
    run(at(MONDAY, 10))
    tuesday = at(MONDAY + datetime.timedelta(days=1), 11, 20)
    clock.set(tuesday)
    CapacityReportFactory(location=world.ens_missing, date=MONDAY + datetime.timedelta(days=1))
    run(at(MONDAY + datetime.timedelta(days=2), 9))  # Hengelo's second reminder
    client.force_login(world.coordinator)
    with django_assert_max_num_queries(12):
        response = client.get("/counts/status/", {"week": "2024-01-15"})
    rows = {row["code"]: row for row in response.context["rows"]}
    assert set(rows) == {"GM0147", "GM0153", "GM0164"}  # Twente only
    enschede = rows["GM0153"]["reminders"]
    assert [log.details["round"] for log in enschede["reminders"]] == [1]
    assert enschede["reported_after"] == tuesday
    hengelo = rows["GM0164"]["reminders"]
    assert [log.details["round"] for log in hengelo["reminders"]] == [1, 2]
    assert hengelo["reported_after"] is None
    assert rows["GM0147"]["reminders"] is None
    content = response.content.decode()
    assert "1e herinnering 15-01 10:00" in content and "aan pl-enschede" in content
    assert "Daarna gemeld: 16-01 11:20" in content
    assert "2e herinnering 17-01 09:00" in content and "Daarna nog niet gemeld" in content


def test_the_history_of_a_failed_reminder_says_so_and_other_weeks_show_none(
    client, world, mail_settings, run
):
    run(at(MONDAY, 10))  # no server listens
    assert NotificationLog.objects.filter(status=NotificationStatus.FAILED).count() == 3
    client.force_login(world.coordinator)
    content = client.get("/counts/status/", {"week": "2024-01-15"}).content.decode()
    assert "mislukt" in content
    other = client.get("/counts/status/", {"week": "2024-01-22"})
    assert all(row["reminders"] is None for row in other.context["rows"])


def test_another_regions_coordinator_sees_none_of_twentes_reminders(client, world, smtp, run):
    run(at(MONDAY, 10))
    client.force_login(world.coordinator_ijsselland)
    response = client.get(reverse("counts-status"), {"week": "2024-01-15"})
    assert [row["code"] for row in response.context["rows"]] == ["GM0193"]
    content = response.content.decode()
    assert "pl-enschede" not in content and "pl-hengelo" not in content
    assert "aan pl-zwolle" in content
