"""Woo redaction codes read as "naam weggelakt (Woo 5.1.2e)" on the pages."""

import re

import pytest
from django.urls import reverse

from meetings.redaction import woo_readable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("5.1.2e", "naam weggelakt (Woo 5.1.2e)"),
        ("5.1.2e 5.1.2e", "naam weggelakt (Woo 5.1.2e)"),
        (
            "Mw. 5.1.2e licht toe. 5.1.2e 5.1.2e sluit af.",
            "Mw. naam weggelakt (Woo 5.1.2e) licht toe. naam weggelakt (Woo 5.1.2e) sluit af.",
        ),
        ("Agendapunt 5.1.2 en 10.5.1.2e-mail", "Agendapunt 5.1.2 en 10.5.1.2e-mail"),
        ("dhr. Eshuis", "dhr. Eshuis"),
        ("", ""),
    ],
)
def test_codes_become_words_and_other_text_stays(text, shown):
    assert woo_readable(text) == shown


@pytest.mark.parametrize(("date", "attendance"), [("2023-12-13", True), ("2023-12-22", False)])
def test_the_minutes_say_the_name_was_withheld(client, twente, date, attendance):
    from meetings.models import Meeting
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="coord", role="coordinator"))
    meeting = Meeting.objects.get(date=date)

    content = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    assert "naam weggelakt (Woo 5.1.2e)" in content
    assert not re.search(r"5\.1\.2e(?!\))", content)  # every code reads as words
    if attendance:  # the TRA keeps attendance per municipality, with redacted names
        rows = content[content.index('data-testid="attendance"') :].split("</table>")[0]
        assert "naam weggelakt (Woo 5.1.2e)" in rows and "dhr. Eshuis" in rows
