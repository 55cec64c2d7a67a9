"""Row errors of an upload are shown in the language of the person importing: Dutch by
default, English with the English language chosen (the message is stored as text when the
file is checked, so it is the uploader's language)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from imports.models import ImportRun, ImportStatus
from tests.factories import UserFactory

from .files import write_csv

LIST = reverse("imports:list")
BAD = b"location,date,capacity,occupied\nXXX-9,2023-01-02,60,50\nENS-1,31-02-2023,40,30\n"
MISSING_COLUMN = b"location,date,capacity\nENS-1,2023-01-02,60\n"


@pytest.fixture
def coordinator(client, locations):
    client.force_login(UserFactory(role="coordinator"))
    return client


def upload(client, content):
    response = client.post(
        LIST,
        {"kind": "capacity-reports", "file": SimpleUploadedFile("meldingen.csv", content)},
        follow=True,
    )
    assert response.status_code == 200
    return response


def test_row_errors_are_dutch_by_default(coordinator):
    page = upload(coordinator, BAD).content.decode()
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert "Onbekende locatie XXX-9." in page
    assert "De datum 31-02-2023 bestaat niet." in page
    assert "Unknown location" not in page


def test_row_errors_are_english_for_a_user_with_the_english_language(coordinator):
    coordinator.cookies["django_language"] = "en"
    page = upload(coordinator, BAD).content.decode()
    assert "Unknown location XXX-9." in page
    assert "The date 31-02-2023 does not exist." in page
    assert "Onbekende locatie" not in page
    assert "bestaat niet" not in page
    # Stored as text (JSON), in the uploader's language.
    messages = [error["message"] for error in ImportRun.objects.get().errors]
    assert messages == ["Unknown location XXX-9.", "The date 31-02-2023 does not exist."]


def test_a_missing_column_is_named_in_english(coordinator):
    coordinator.cookies["django_language"] = "en"
    page = upload(coordinator, MISSING_COLUMN).content.decode()
    assert "This column is missing." in page
    assert "Deze kolom ontbreekt." not in page


def test_the_run_record_labels_follow_the_language(locations):
    run = ImportRun(kind="capacity-reports", status=ImportStatus.FAILED)
    with translation.override("en"):
        assert str(run.get_kind_display()) != "Capaciteitsmeldingen"
        assert str(run.get_status_display()) != "Afgekeurd, niets geïmporteerd"
        assert str(ImportRun._meta.get_field("file_name").verbose_name) != "bestandsnaam"
    with translation.override("nl"):
        assert run.get_status_display() == "Afgekeurd, niets geïmporteerd"


def test_import_data_speaks_the_active_language(reports_csv, tmp_path, capsys):
    with translation.override("en"):
        call_command("import_data", "capacity-reports", str(reports_csv), "--dry-run")
        assert "Checked without errors (4 new, 0 changed, 0 unchanged)" in capsys.readouterr().out
        path = write_csv(tmp_path, "fout.csv", [["location", "date"], ["NOPE", "2023-01-02"]])
        with pytest.raises(CommandError, match="error\\(s\\) in fout.csv: nothing has been"):
            call_command("import_data", "capacity-reports", str(path))
    assert "row 1, column capacity: This column is missing." in capsys.readouterr().err
