"""The wheel carries every app and what it needs at run time, without a hand-kept list.

`scripts/check_install.sh` (run in CI) proves an install outside the checkout works; these
checks say, without building anything, which part is missing when it would not.
"""

import re
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from setuptools import find_packages

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def packaged() -> set[str]:
    find = PYPROJECT["tool"]["setuptools"]["packages"]["find"]
    return set(
        find_packages(
            str(ROOT), exclude=find.get("exclude", ()), include=find.get("include", ("*",))
        )
    )


def _ours(config) -> bool:
    """An app of this checkout: its top-level package is a folder of the checkout (the
    virtual environment may lie inside the checkout too, with Django's own apps)."""
    return Path(config.path).resolve().is_relative_to(ROOT / config.name.split(".")[0])


def test_every_installed_app_of_the_project_is_in_the_package_list():
    ours = [config.name for config in apps.get_app_configs() if _ours(config)]
    assert ours, "no app of the project found"
    missing = [name for name in ours if name not in packaged()]
    assert missing == []


def test_migrations_and_commands_are_packages_of_their_own():
    names = packaged()
    for config in apps.get_app_configs():
        if not _ours(config):
            continue
        path = Path(config.path).resolve()
        for sub in ("migrations", "management", "management/commands"):
            if (path / sub).is_dir() and any((path / sub).glob("*.py")):
                assert f"{config.name}.{sub.replace('/', '.')}" in names


def test_tests_and_benchmarks_stay_out_of_the_wheel():
    assert not {name for name in packaged() if name.split(".")[0] in {"tests", "bench"}}


def test_run_time_files_live_inside_a_package_and_are_declared_as_package_data():
    patterns = PYPROJECT["tool"]["setuptools"]["package-data"]["*"]
    for directory in (
        *settings.TEMPLATES[0]["DIRS"],
        *settings.STATICFILES_DIRS,
        *settings.LOCALE_PATHS,
    ):
        directory = Path(directory).resolve()
        assert directory.is_relative_to(ROOT / "twente")
        assert any(pattern.startswith(directory.name + "/") for pattern in patterns), directory


def test_the_dockerfile_installs_the_package_instead_of_copying_apps_one_by_one():
    dockerfile = (ROOT / "Dockerfile").read_text()
    copies = re.findall(r"^COPY\s+(.+)$", dockerfile, flags=re.MULTILINE)
    app_dirs = {name.split(".")[0] for name in packaged()}
    for copy in copies:
        sources = copy.split()[:-1]
        assert not set(sources) & app_dirs, f"hand-kept COPY of apps: {copy}"
    assert re.search(r"pip install [^\n]*/src", dockerfile)
    assert "manage.py" not in dockerfile
    assert "manage.py" not in (ROOT / "docker-compose.yml").read_text()
