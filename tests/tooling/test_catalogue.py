"""Every string the code marks for translation has its Chinese: none reaches a screen in English.

The oracle is gettext's own extraction, not a list of ours: Django's makemessages, run over a copy of
the package, merges the strings the code holds now into a copy of the catalogue. An entry it had to add
empty, or could only guess from a similar one (msgmerge's "fuzzy" match, which compilemessages leaves
out), is a string the UI shows in English.
"""

import re
import shutil
from pathlib import Path

from django.core.management import call_command

PACKAGE = Path(__file__).resolve().parents[2] / "wangge"
ENTRY = re.compile(r'^(#, fuzzy\n(?:#\|[^\n]*\n)*)?msgid ((?:"[^\n]*"\n)+)msgstr ((?:"[^\n]*"\n)+)', re.MULTILINE)


def _text(quoted: str) -> str:
    return "".join(line[1:-1] for line in quoted.splitlines())


def test_every_string_marked_for_translation_has_its_chinese(tmp_path, settings, monkeypatch):
    copy = tmp_path / "wangge"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static_build", "__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]  # never the real catalogue
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, no_location=True,
                 ignore_patterns=["static_build"], verbosity=0)
    catalogue = (copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = [(bool(fuzzy), _text(msgid), _text(msgstr)) for fuzzy, msgid, msgstr in ENTRY.findall(catalogue)]
    assert len(entries) > 2000  # the whole catalogue was read (its header is the one entry with an empty msgid)
    missing = [msgid for fuzzy, msgid, msgstr in entries if msgid and (fuzzy or not msgstr)]
    assert not missing, missing
