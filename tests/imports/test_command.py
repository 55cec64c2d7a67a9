import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from capacity.models import CapacityReport
from imports.models import ImportRun, ImportStatus
from tests.factories import UserFactory

from .files import write_csv

ROOT = Path(__file__).resolve().parents[2]


def test_it_imports_and_says_what_it_did(reports_csv, capsys):
    call_command("import_data", "capacity-reports", str(reports_csv))
    out = capsys.readouterr().out
    assert "Geïmporteerd uit meldingen.csv: 4 nieuw, 0 gewijzigd, 0 ongewijzigd." in out
    assert CapacityReport.objects.count() == 4
    run = ImportRun.objects.get()
    assert (run.user, run.status, run.dry_run) == (None, ImportStatus.IMPORTED, False)


def test_a_dry_run_saves_nothing(reports_csv, capsys):
    call_command("import_data", "capacity-reports", str(reports_csv), "--dry-run")
    assert "Controle zonder fouten (4 nieuw" in capsys.readouterr().out
    assert not CapacityReport.objects.exists()
    assert ImportRun.objects.get().dry_run


def test_it_prints_every_row_error_and_fails(tmp_path, locations, capsys):
    rows = [["location", "date", "capacity", "occupied"]]
    rows += [["NOPE", f"2023-01-{day:02d}", 1, 1] for day in range(1, 29)]  # 28 bad rows
    path = write_csv(tmp_path, "fout.csv", rows)
    with pytest.raises(CommandError, match="28 fout\\(en\\) in fout.csv: er is niets geïmporteerd"):
        call_command("import_data", "capacity-reports", str(path))
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "rij 2, kolom location: Onbekende locatie NOPE."
    assert err[-1] == "rij 29, kolom location: Onbekende locatie NOPE."
    assert len(err) == 28
    assert not CapacityReport.objects.exists()


def test_it_applies_the_users_scope(reports_csv, enschede):
    UserFactory(username="pl", role="project_leader", scope__municipality=enschede)
    with pytest.raises(CommandError, match="1 fout"):
        call_command("import_data", "capacity-reports", str(reports_csv), "--user", "pl")
    assert not CapacityReport.objects.exists()


def test_it_refuses_a_role_that_may_not_import(reports_csv):
    UserFactory(username="secr", role="secretary")
    with pytest.raises(CommandError, match="mag geen bestanden"):
        call_command("import_data", "capacity-reports", str(reports_csv), "--user", "secr")


def test_it_refuses_an_unknown_user_or_file(reports_csv, tmp_path):
    with pytest.raises(CommandError, match="Onbekende gebruiker"):
        call_command("import_data", "capacity-reports", str(reports_csv), "--user", "nobody")
    with pytest.raises(CommandError, match="niet gevonden"):
        call_command("import_data", "capacity-reports", str(tmp_path / "missing.csv"))


def test_the_command_exits_non_zero_on_a_bad_file(tmp_path):
    path = write_csv(tmp_path, "a.csv", [["location", "date"], ["X", "2023-01-01"]])
    database = tmp_path / "db.sqlite3"
    env = {"SQLITE_PATH": str(database), "DATABASE_URL": "", "REDIS_URL": "", "PATH": ""}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    done = subprocess.run(
        [*manage, "import_data", "capacity-reports", str(path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "rij 1, kolom capacity: Deze kolom ontbreekt." in done.stderr
