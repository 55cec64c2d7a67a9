"""CSV and XLSX exports of the decision and action lists."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests.factories import UserFactory

from .factories import ActionFactory, AgendaItemFactory, BodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Overleg",
    "Datum",
    "Agendapunt",
    "Onderwerp",
    "Soort",
    "Tekst",
    "Toelichting",
    "Eigenaar",
    "Deadline",
    "Status",
    "Te laat",
    "Afgehandeld in",
    "Overgenomen uit",
]


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads the accents
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


@pytest.fixture
def client_for(client):
    def login(role: str):
        client.force_login(UserFactory(role=role))
        return client

    return login


def test_the_meeting_list_downloads_as_csv_with_dutch_headers(client_for, seeded):
    prt = Meeting.objects.get(body__code="PRT", date=datetime.date(2023, 12, 22))
    response = client_for("provincial_reader").get(
        reverse("meetings:entries", args=[prt.pk]), {"format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="besluiten-en-acties-prt-2023-12-22.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == HEADER
    # The two decisions (items 1 and 2 reg. a) and the four actions of the action list.
    assert [row[4] for row in rows[1:]] == [
        "Besluit",
        "Besluit",
        "Actie",
        "Actie",
        "Actie",
        "Actie",
    ]
    jenv = rows[-1]
    assert jenv[:3] == ["PRT", "22-12-2023", "Actielijst"]
    assert jenv[7:11] == ["JenV", "31-01-2024", "Open", "ja"]


def test_the_open_actions_download_as_xlsx(client_for, seeded):
    response = client_for("coordinator").get(
        reverse("meetings:actions"), {"body": "PRT", "overdue": "true", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="acties.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Acties"
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert len(rows) == 2
    assert rows[1][7] == "JenV" and rows[1][10] == "ja"
    # The deadline is a real date, shown as the CSV writes it.
    deadline = sheet["I2"]
    assert (deadline.is_date, deadline.number_format) == (True, "DD-MM-YYYY")
    assert deadline.value == datetime.datetime(2024, 1, 31)


def test_the_meetings_list_downloads_as_xlsx_with_named_sheet_and_dates(client_for, seeded):
    prt = Meeting.objects.get(body__code="PRT", date=datetime.date(2023, 12, 22))
    response = client_for("provincial_reader").get(
        reverse("meetings:entries", args=[prt.pk]), {"format": "xlsx"}
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Besluiten en acties"
    assert [cell.value for cell in sheet[1]] == HEADER
    dates = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert len(dates) == 6
    assert all(cell.is_date and cell.number_format == "DD-MM-YYYY" for cell in dates)
    assert {cell.value for cell in dates} == {datetime.datetime(2023, 12, 22)}
    # A decision has no deadline: an empty cell, not an empty text.
    assert sheet["I2"].value is None


def test_the_sheet_title_follows_the_language(client_for, seeded):
    client = client_for("coordinator")
    response = client.get(
        reverse("meetings:actions"), {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert openpyxl.load_workbook(io.BytesIO(response.content)).active.title == "Actions"


def test_text_that_looks_like_a_formula_stays_text(client_for):
    meeting = MeetingFactory(body=BodyFactory(code="TRA"))
    ActionFactory(item=AgendaItemFactory(meeting=meeting), text='=HYPERLINK("http://x")')
    response = client_for("coordinator").get(reverse("meetings:actions"), {"format": "xlsx"})
    cell = openpyxl.load_workbook(io.BytesIO(response.content)).active["F2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def test_the_export_follows_the_filters_not_the_page(client_for):
    tra = BodyFactory(code="TRA")
    meeting = MeetingFactory(body=tra)
    for _ in range(60):  # more than one page of the list
        ActionFactory(item=AgendaItemFactory(meeting=meeting))
    response = client_for("coordinator").get(reverse("meetings:actions"), {"format": "csv"})
    assert len(read_csv(response)) == 61


def test_the_export_takes_a_constant_number_of_queries(client_for, django_assert_max_num_queries):
    client = client_for("coordinator")
    meeting = MeetingFactory(body=BodyFactory(code="TRA"))
    for _ in range(30):
        ActionFactory(item=AgendaItemFactory(meeting=meeting))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("meetings:actions"), {"format": "xlsx"})
    assert response.status_code == 200


def test_an_unknown_format_shows_the_page(client_for, seeded):
    response = client_for("coordinator").get(reverse("meetings:actions"), {"format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_exports_are_refused_without_a_role(client, seeded):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("meetings:actions"), {"format": "csv"}).status_code == 403
