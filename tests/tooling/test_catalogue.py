"""Every string the code marks for translation has its Chinese: none reaches a screen in English.

The oracle is gettext's own: Django's makemessages, run over a copy of the package, merges the strings
the code holds now into a copy of the catalogue, and msgfmt counts what is left untranslated or only
guessed from a similar string (msgmerge's "fuzzy" match, which compilemessages leaves out). Either is a
string the UI shows in English; the entries are listed to say which.
"""

import re
import shutil
import subprocess
from pathlib import Path

from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parents[2] / "wangge"


def _entries(catalogue: str):
    """(fuzzy, msgid, [msgstr, ...]) of each entry; plural entries have several msgstr[n]."""
    for block in catalogue.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields: dict[str, str] = {}
        current = None
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += line[1:-1]
            else:
                current, _sep, text = line.partition(" ")
                fields[current] = text[1:-1]
        if "msgid" in fields:
            yield "fuzzy" in flags, fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")]


def test_every_string_marked_for_translation_has_its_chinese(tmp_path, settings, monkeypatch):
    copy = tmp_path / "wangge"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static_build", "__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]  # never the real catalogue
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, no_location=True,
                 ignore_patterns=["static_build"], verbosity=0)
    po = copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    entries = list(_entries(po.read_text(encoding="utf-8")))
    assert len(entries) > 2000  # the whole catalogue was read
    missing = [msgid for fuzzy, msgid, strings in entries if msgid and (fuzzy or not all(strings))]
    msgfmt = shutil.which("msgfmt")  # gettext's, which compilemessages needs too
    statistics = subprocess.run([msgfmt, "--statistics", "-o", "/dev/null", str(po)], capture_output=True,
                                text=True, check=True).stderr
    assert re.fullmatch(r"\d+ translated messages\.\n", statistics), (statistics, missing)
    assert not missing, missing
