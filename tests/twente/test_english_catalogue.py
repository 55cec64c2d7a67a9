"""The English catalogue is complete (issue 21): every Dutch msgid has an English msgstr.

`msgfmt --statistics` must report no fuzzy and no untranslated messages; each msgstr keeps
the placeholders of its msgid (a dropped `%(name)s` shows a wrong figure, an extra one raises
at render time); and `makemessages` run over a copy of the sources finds no msgid the committed
catalogue lacks, so a newly wrapped string without an English translation fails here.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

import twente

ROOT = Path(twente.__file__).resolve().parent.parent
# The project catalogue and the notifications app's own (its strings live under it).
CATALOGUES = [
    Path("twente/locale/en/LC_MESSAGES/django.po"),
    Path("twente/notifications/locale/en/LC_MESSAGES/django.po"),
]
# What makemessages must not read: tests and benchmarks are not the UI, node_modules is npm's.
IGNORED = ["node_modules", "tests", "bench", "build", "staticfiles", "media", "private_media"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|%%")

msgfmt = shutil.which("msgfmt")


@pytest.fixture
def gettext_tools():
    """GNU gettext (msgfmt, xgettext): .ci/run installs it; elsewhere the checks skip."""
    if msgfmt is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext not found; .ci/run installs Debian's gettext")
        pytest.skip("GNU gettext (msgfmt) not installed")


def _unquote(line: str) -> str:
    return line[line.index('"') + 1 : line.rindex('"')].encode().decode("unicode_escape")


def entries(path: Path) -> list[dict]:
    """The catalogue's entries as dicts: msgid, msgid_plural, msgstr (a list), flags.

    A small reader rather than a dependency: the .po files are written by makemessages."""
    found, current, key = [], None, None

    def close():
        if current is not None and current.get("msgid") is not None:
            found.append(current)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#~"):
            continue  # obsolete
        if line.startswith("#,"):
            close()
            current, key = {"flags": line[2:].replace(" ", "").split(","), "msgstr": {}}, None
        elif line.startswith("#") or not line:
            continue
        elif line.startswith("msgid "):
            if current is None or "msgid" in current:
                close()
                current = {"flags": [], "msgstr": {}}
            key = "msgid"
            current[key] = _unquote(line)
        elif line.startswith("msgid_plural "):
            key = "msgid_plural"
            current[key] = _unquote(line)
        elif line.startswith("msgstr["):
            index = int(line[7 : line.index("]")])
            key = ("msgstr", index)
            current["msgstr"][index] = _unquote(line)
        elif line.startswith("msgstr "):
            key = ("msgstr", 0)
            current["msgstr"][0] = _unquote(line)
        elif line.startswith('"'):
            if isinstance(key, tuple):
                current["msgstr"][key[1]] += _unquote(line)
            else:
                current[key] += _unquote(line)
    close()
    return [entry for entry in found if entry["msgid"] != ""]


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=str)
def test_msgfmt_reports_nothing_fuzzy_or_untranslated(catalogue, gettext_tools):
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(ROOT / catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    statistics = result.stderr.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ translated messages\.", statistics), statistics


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=str)
def test_every_msgstr_keeps_the_placeholders_of_its_msgid(catalogue):
    wrong = []
    found = entries(ROOT / catalogue)
    assert len(found) > 50, "the reader found (almost) no entries"
    for entry in found:
        singular = sorted(PLACEHOLDER.findall(entry["msgid"]))
        plural = sorted(PLACEHOLDER.findall(entry.get("msgid_plural", entry["msgid"])))
        for index, text in sorted(entry["msgstr"].items()):
            # A singular may keep the count ("%(counter)s row") or say it in words.
            allowed = [singular, plural] if index == 0 else [plural]
            if sorted(PLACEHOLDER.findall(text)) not in allowed:
                wrong.append((entry["msgid"], text))
    assert wrong == []


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=str)
def test_no_english_translation_is_shared_by_unrelated_dutch_texts(catalogue):
    """The bug of issue 21: 'Minimum per gemeente', 'Voorkeursgemeente', 'Saldo per gemeente'
    and 'Andere gemeente' all read '%(counter)s municipality'. A msgstr with a placeholder
    its msgid lacks is caught above; this catches the same text pasted under another msgid."""
    by_text: dict[str, set[str]] = {}
    for entry in entries(ROOT / catalogue):
        if entry.get("msgid_plural") or "%(" not in entry["msgstr"].get(0, ""):
            continue
        by_text.setdefault(entry["msgstr"][0], set()).add(entry["msgid"])
    assert {text: ids for text, ids in by_text.items() if len(ids) > 1} == {}


def test_the_counts_page_words_read_as_english():
    found = {entry["msgid"]: entry["msgstr"].get(0) for entry in entries(ROOT / CATALOGUES[0])}
    assert found["Andere gemeente"] == "Other municipality"
    assert found["Voorkeursgemeente"] == "Preferred municipality"
    assert found["Minimum per gemeente"] == "Minimum per municipality"
    assert found["Saldo per gemeente"] == "Balance per municipality"


def test_makemessages_finds_no_msgid_missing_from_the_catalogue(tmp_path, settings, gettext_tools):
    """makemessages over a copy of the checkout: every msgid it extracts is already in the
    committed catalogue (with a translation, which the tests above check)."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".*", "__pycache__", "*.sqlite3*", *IGNORED),
    )
    committed = {path: {e["msgid"] for e in entries(ROOT / path)} for path in CATALOGUES}
    settings.LOCALE_PATHS = [copy / "twente" / "locale"]
    previous = Path.cwd()
    os.chdir(copy)
    try:
        call_command(
            "makemessages", locale=["en"], no_obsolete=True, ignore_patterns=IGNORED, verbosity=0
        )
    finally:
        os.chdir(previous)
    missing = {}
    for path in CATALOGUES:
        extracted = {e["msgid"] for e in entries(copy / path)}
        new = sorted(extracted - committed[path])
        if new:
            missing[str(path)] = new
    assert missing == {}, "run makemessages -l en and translate the new msgids"
