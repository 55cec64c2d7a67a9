"""Issue 22, "Done when": permit holders counted as the law counts them, persons housed per
half year, with the arrears carried over into the next task.

On the reference data (`load_twente`: permit-holders-2023-h1 with Enschede's share of 193 from
appendix 3, and permit-holders-2023-h2 following it), a file with Enschede housing 100 and then
50 permit holders within the first half of 2023 and one row after its deadline is imported with
`manage.py import_data permit-holders FILE`.
"""

import pytest
from django.core.management import CommandError, call_command

from allocation.models import Share
from capacity.models import PermitHolderReport
from tests.factories import UserFactory
from tests.imports.files import write_csv

H1 = "/api/v1/assignments/permit-holders-2023-h1"
H2 = "/api/v1/assignments/permit-holders-2023-h2"


@pytest.fixture
def imported(twente, tmp_path, eager_celery, django_capture_on_commit_callbacks):
    path = write_csv(
        tmp_path,
        "tvs-export.csv",
        [
            ["municipality", "date", "housed", "linked", "housed_amv"],
            ["GM0153", "2023-02-15", 100, 30, 4],
            ["GM0153", "31-05-2023", 50, 20, ""],
            ["GM0153", "2023-08-15", 40, 10, 2],  # after the deadline: the second half year
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_data", "permit-holders", str(path))
    return path


@pytest.fixture
def reader(api_client, twente):
    api_client.force_authenticate(UserFactory(username="prov-22", role="provincial_reader"))
    return api_client


def _share(api, path: str, code: str = "GM0153") -> dict:
    response = api.get(path)
    assert response.status_code == 200
    return next(share for share in response.json()["shares"] if share["municipality"] == code)


def test_the_first_half_year_counts_the_persons_housed_within_it(imported, reader):
    enschede = _share(reader, H1)
    assert (enschede["realised"], enschede["effective_share"]) == (150, 193)
    assert (enschede["gap"], enschede["carried_over"]) == (43, 0)
    # The pipeline at the deadline: the latest report on or before it.
    assert enschede["linked"] == 20
    task = reader.get(H1).json()
    assert (task["realisation"], task["realised_total"], task["gap"]) == ("housed", 150, 614)


def test_the_following_task_carries_enschedes_43_over(imported, reader):
    task = reader.get(H2).json()
    assert task["follows"] == "permit-holders-2023-h1"
    enschede = _share(reader, H2)
    assert enschede["carried_over"] == 43
    assert enschede["effective_share"] == enschede["share"] + 43
    assert (enschede["realised"], enschede["linked"]) == (40, 10)
    # Hengelo housed nobody: its whole first-half share of 98 is carried over.
    assert _share(reader, H2, "GM0164")["carried_over"] == 98


def test_the_dashboard_shows_the_same_numbers(imported, client):
    client.force_login(UserFactory(username="coord-22", role="coordinator"))
    response = client.get("/", {"date": "2023-06-30"})
    enschede = next(
        row.municipality
        for row in response.context["picture"].municipalities
        if row.code == "GM0153"
    )
    figures = enschede.group("permit_holders")
    assert (figures.required, figures.realised, figures.gap) == (193, 150, 43)
    assert (figures.linked, figures.carried_over) == (20, 0)
    content = response.content.decode()
    assert "150 van 193 gehuisvest" in content

    later = client.get("/", {"date": "2023-09-01"})
    picture = later.context["picture"]
    assert picture.overview.tasks["permit_holders"].code == "permit-holders-2023-h2"
    figures = next(
        row.municipality for row in picture.municipalities if row.code == "GM0153"
    ).group("permit_holders")
    assert (figures.carried_over, figures.realised, figures.linked) == (43, 40, 10)
    assert figures.required == _share_of_h2_base() + 43
    assert "43 achterstand uit de vorige periode" in later.content.decode()


def _share_of_h2_base() -> int:
    share = Share.objects.get(
        assignment__code="permit-holders-2023-h2", municipality__code="GM0153"
    )
    return share.base_share


def test_re_importing_the_same_file_changes_nothing(imported, capsys):
    before = list(PermitHolderReport.history.values_list("history_id", flat=True))
    call_command("import_data", "permit-holders", str(imported))
    assert "0 nieuw, 0 gewijzigd, 3 ongewijzigd" in capsys.readouterr().out
    assert list(PermitHolderReport.history.values_list("history_id", flat=True)) == before


def test_a_bad_row_refuses_the_whole_file_naming_every_row(twente, tmp_path, capsys):
    path = write_csv(
        tmp_path,
        "fout.csv",
        [
            ["municipality", "date", "housed", "linked"],
            ["GM0153", "2023-02-15", 100, 30],
            ["GM9999", "2023-03-15", 10, 5],
            ["GM0164", "2023-03-15", -3, 5],
            ["GM0141", "2023-03-15", 8, -1],
        ],
    )
    with pytest.raises(CommandError, match="3 fout\\(en\\) in fout.csv: er is niets geïmporteerd"):
        call_command("import_data", "permit-holders", str(path))
    assert capsys.readouterr().err.splitlines() == [
        "rij 3, kolom municipality: Onbekende gemeente GM9999.",
        "rij 4, kolom housed: Een aantal kan niet negatief zijn.",
        "rij 5, kolom linked: Een aantal kan niet negatief zijn.",
    ]
    assert not PermitHolderReport.objects.exists()
