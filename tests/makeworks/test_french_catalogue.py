"""Every translatable string of the code and templates has a French translation that someone checked:
makemessages is run on a copy of the project (the real catalogue is left alone) and the catalogue it
would write must hold no empty and no fuzzy French entry."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path("locale/fr/LC_MESSAGES/django.po")
# Not source: caches, data written at run time, and the bench, which makemessages skips as well.
NOT_SOURCE = (".venv", ".git", "*_cache", "__pycache__", "bench", "media", "staticfiles", "*.sqlite3*")


def entries(po: str) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) of each live entry of a .po file; msgstr joins the plural forms."""
    found = []
    for block in po.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        parts: dict[str, list[str]] = {}
        current = None
        for line in lines:
            if match := re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) (".*")$', line):
                current = match.group(1)
                parts.setdefault(current, []).append(match.group(2)[1:-1])
            elif line.startswith('"') and current is not None:
                parts[current].append(line[1:-1])
        msgid = "".join(parts.get("msgid", []))
        if not msgid:
            continue  # the header, or a block of comments only
        translations = ["".join(value) for key, value in parts.items() if key.startswith("msgstr")]
        found.append((msgid, "" if any(not text for text in translations) else "|".join(translations), fuzzy))
    return found


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)")
def test_every_string_the_code_marks_for_translation_has_a_checked_french_translation(tmp_path: Path) -> None:
    copy = tmp_path / "project"
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--ignore=.venv", "--ignore=bench"],
        cwd=copy,
        check=True,
        capture_output=True,
    )

    po = (copy / CATALOGUE).read_text(encoding="utf-8")
    untranslated = [msgid for msgid, msgstr, _ in entries(po) if not msgstr]
    fuzzy = [msgid for msgid, _, is_fuzzy in entries(po) if is_fuzzy]

    assert not untranslated, f"Translate these in {CATALOGUE}: {untranslated}"
    assert not fuzzy, f"Check these fuzzy translations in {CATALOGUE}: {fuzzy}"


def test_the_catalogue_itself_has_nothing_left_empty_or_fuzzy() -> None:
    po = (settings.BASE_DIR / CATALOGUE).read_text(encoding="utf-8")

    assert [msgid for msgid, msgstr, fuzzy in entries(po) if fuzzy or not msgstr] == []
