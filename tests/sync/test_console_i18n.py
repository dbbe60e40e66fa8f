"""The console's catalogue: every key a template or route uses exists in English and Indonesian."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sync.hub.console import i18n
from sync.protocol import CardStatusName, EntryKindName

CONSOLE = Path(i18n.__file__).parent
_USED = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']""")
_PAIRS = re.compile(r"""\(\s*["'][^"']*["']\s*,\s*["']([a-z0-9_]+)["']\s*\)""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*CONSOLE.glob("templates/*.html"), *(p for p in CONSOLE.glob("*.py") if p.name != "i18n.py")]:
        text = path.read_text(encoding="utf-8")
        keys |= set(_USED.findall(text))
        if path.suffix == ".html":   # ("href", "key") and ("key", value) lists in templates
            keys |= {k for k in _PAIRS.findall(text) if k in i18n.MESSAGES["en"] or "_" in k}
            keys |= set(re.findall(r"""\(\s*["']([a-z0-9_]+)["']\s*,\s*(?:period|today|month)""", text))
    keys |= set(re.findall(r'(?:message_key|error_key)="([a-z_]+)"', _routes_text()))
    keys |= set(re.findall(r'\?notice=([a-z_]+)', _routes_text()))
    keys |= set(re.findall(r'\bback\("[^"]+", "([a-z_]+)"\)', _routes_text()))
 # t("kind_" ~ e.kind): a prefix; the protocol's kinds and statuses stand for it.
    keys = {k for k in keys if not k.endswith("_")}
    keys |= {f"kind_{k}" for k in EntryKindName.__args__} | {f"status_{s}" for s in CardStatusName.__args__}
    return keys


def _routes_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(CONSOLE.glob("*.py")))


def test_both_languages_have_the_same_keys():
    assert set(i18n.MESSAGES["en"]) == set(i18n.MESSAGES["id"])


def test_every_used_key_is_in_the_catalogue():
    missing = sorted(used_keys() - set(i18n.MESSAGES["en"]))
    assert not missing, f"keys used but not in sync/hub/console/i18n.py: {missing}"
    assert {"signed_out_everywhere", "till_revoked", "store_created", "kind_redeem"} <= used_keys()


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_placeholders_match_english(language):
    for key, text in i18n.MESSAGES[language].items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", i18n.MESSAGES["en"][key])), key
        assert text.strip(), key


def test_indonesian_is_translated_not_copied():
    same = [k for k, v in i18n.MESSAGES["id"].items() if v == i18n.MESSAGES["en"][k]]
    # Words that are the same in both languages.
    assert set(same) <= {"email", "status", "program"}, same


@pytest.mark.parametrize(("cookie", "header", "expected"), [
    (None, None, "en"),
    (None, "id-ID,id;q=0.9,en;q=0.8", "id"),
    (None, "en-US,en;q=0.9,id;q=0.8", "en"),
    (None, "fr-FR,in;q=0.5", "id"),
    (None, "en;q=0.1,id;q=0.7", "id"),
    (None, "id;q=0", "en"),
    ("id", "en", "id"),
    ("xx", "id", "id"),
])
def test_language_choice(cookie, header, expected):
    assert i18n.pick_language(cookie, header) == expected


@pytest.mark.parametrize(("value", "zone", "shown"), [
    ("2026-05-01T02:30:00.000000Z", "Asia/Jakarta", "2026-05-01 09:30 WIB"),
    ("2026-05-01T02:30:00.000000Z", "Asia/Makassar", "2026-05-01 10:30 WITA"),
    ("2026-05-01T23:30:00.000000Z", "Asia/Jayapura", "2026-05-02 08:30 WIT"),
    ("2026-05-01T02:30:00.000000Z", "Not/AZone", "2026-05-01 02:30 UTC"),
    ("2026-05-01T02:30:00.000000Z", None, "2026-05-01 02:30 UTC"),
    (None, "Asia/Jakarta", ""),
])
def test_times_are_shown_in_the_store_zone(value, zone, shown):
    from sync.hub.console.times import local_time
    assert local_time(value, zone) == shown
