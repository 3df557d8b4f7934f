"""Refresh and compile the translation catalogues.

    uv run python scripts/messages.py            # makemessages (needs GNU gettext) + compile
    uv run python scripts/messages.py --compile  # compile only (pure Python, no system tool)

The compiled .mo files are committed, so a fresh clone needs no system tool."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "tremplin"
LANGS = ["fr"]  # English is the source language of the code


def make() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tremplin.settings"}
    args = [
        sys.executable,
        "-m",
        "django",
        "makemessages",
        "--no-location",
        "--no-obsolete",
        "--ignore=migrations/*",
        "--ignore=static/*",
    ]
    for lang in LANGS:
        args += ["-l", lang]
    subprocess.run(args, cwd=PACKAGE, env=env, check=True)


def compile_all() -> None:
    for lang in LANGS:
        po_path = PACKAGE / "locale" / lang / "LC_MESSAGES" / "django.po"
        po = polib.pofile(str(po_path))
        po.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"{lang}: {po.percent_translated()}% translated, {len(po.fuzzy_entries())} fuzzy")


if __name__ == "__main__":
    if "--compile" not in sys.argv:
        make()
    compile_all()
