"""French first: the fr catalogue is complete, compiled, and covers every string in the code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

import tremplin

PACKAGE = Path(tremplin.__file__).parent
LOCALE = PACKAGE / "locale"


def _catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def test_french_catalogue_is_complete_and_not_fuzzy():
    po = _catalogue("fr")
    assert len(po) > 100
    missing = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not missing, f"{len(missing)} untranslated: {missing[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy: {fuzzy[:10]}"


def test_compiled_catalogue_matches_the_po_file():
    lang = "fr"
    po = _catalogue(lang)
    mo = polib.mofile(str(LOCALE / lang / "LC_MESSAGES" / "django.mo"))
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo
    }
    for entry in po.translated_entries():
        if entry.obsolete:
            continue
        key = (entry.msgctxt, entry.msgid)
        assert key in compiled, f"{lang}: {entry.msgid!r} not compiled: run scripts/messages.py"
        plural = tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items()))
        want = (entry.msgstr, tuple(sorted((k, v) for k, v in plural)))
        got = compiled[key]
        assert (got[0], tuple(sorted((int(k), v) for k, v in got[1]))) == want, entry.msgid


def test_translation_is_active_in_french():
    with translation.override("fr"):
        assert translation.gettext("Log in") != "Log in"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext not installed")
def test_every_string_of_the_code_is_in_the_catalogue(tmp_path):
    """Runs makemessages on a copy of the code and checks it finds no msgid that the
    committed catalogue lacks. CI installs gettext so this runs there."""
    copy = tmp_path / "tremplin"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join([str(Path.cwd()), *sys.path]),
    }
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "fr",
            "--no-location",
            "--ignore=migrations/*",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in _catalogue("fr") if not e.obsolete}
    new = sorted(e.msgid for e in fresh if not e.obsolete and (e.msgctxt, e.msgid) not in committed)
    assert not new, f"{len(new)} strings missing from the catalogue: {new[:15]}"
