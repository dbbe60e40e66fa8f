"""Telling English text from Indonesian, for the test that walks every screen in Indonesian.

A text is English when one of its words (letters only, 3 or more) is an
English UI word: every word of every English source string in our catalogues
(``resources/i18n/*.ts``, Qt's own strings included), plus common English
words. Words Indonesian uses as they are (PIN, program, hub, …) are allowed
by name. Data typed by people (store, staff, holder, program, reward and tier
names) is removed before the words are looked at, by exact text only.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

I18N = Path(__file__).resolve().parents[2] / "resources" / "i18n"
WORD = re.compile(r"[^\W\d_]{3,}")
TAG = re.compile(r"<[^>]+>")

# Said in Indonesian UIs as in English (each one seen in our reviewed translations).
INDONESIAN_ALSO = frozenset({
    "pin", "pdf", "csv", "program", "printer", "folder", "filter", "hub", "per", "minimum", "terminal",
    "offline", "online", "area", "mode", "log", "data", "status", "total", "demo", "format", "normal", "alias",
    "webcam", "video", "avi", "mp4", "http", "https", "excel", "xlsx", "auditor", "utc", "logo", "png", "jpg",
    "jpeg",
})

# Not words but fixed names, removed before the words are looked at: a key named in an
# Indonesian sentence, a URL, the hub command the owner types, a time zone (Europe/Berlin), a file path.
FIXED_NAMES = (
    re.compile(r"\b[Tt]ekan Enter\b"),
    re.compile(r"\bhttps?://\S+"),
    re.compile(r"'loyalty-hub terminals add'"),
    re.compile(r"\b[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_+-]+)+\b"),
    re.compile(r"(?<![\w/])(?:/[\w.+-]+)+/?"),
    # ids and hashes (a terminal id in a tooltip): hex letters in them ("dec") are not words
    re.compile(r"\b[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\b"),
    re.compile(r"\b(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{8,}\b"),
)

_COMMON_ENGLISH = """
the and for with you your this that these those not are was were has have had can could will would shall should
may might must all any some each every other another here there now then than again first last next previous
back open close save delete remove edit change show hide help about file files name names size type date time
day days today yesterday week month year modified directory look parent detail details view list create forward
cancel apply reset discard retry ignore abort finish commit continue done copy paste cut undo redo select step
please error errors warning information message unknown drive shortcut computer sidebar places recent hidden
choose rename new old yes from into when what which who how why but use used using set get out one two three
four five more less most least only also just very too much many few before after while until since because if
unless then yet still already never always sometimes again once twice add added remove removed adding enter
entered type typed press pressed tap click scan scanned scanning card cards stamp stamps stamped point points
reward rewards redeem redeemed redemption redemptions earn earned earning purchase purchases amount amounts
staff owner owners cashier cashiers customer customers store stores shop till tills counter settings setting
language theme light dark system kiosk screen window dialog button buttons field fields confirm confirmed
confirmation cancelled checking check connect connected connecting disconnected pair paired pairing code codes
camera running searching starting stopped retrying off sync synced syncing pending never report reports history
export exported import print printed printing enroll enrolled enrollment program programs tier tiers adjust
adjusted adjustment void voided voids reason reasons wrong refused refusal refusals limit limits reached
cooldown minutes minute seconds second hours hour left remaining more than expired expires expiry active
suspended blocked locked unlock unlocked lock guest holder holders free coffee drink lunch nothing something
everything everyone anyone nobody someone ready begin start stop end again failed failure success successful
could not cannot can't don't doesn't isn't won't try later please wait loading loaded working out shown hidden
show showing january february march may june july august october december monday tuesday wednesday thursday
friday saturday sunday aug oct dec mon tue wed thu fri sat sun
"""
COMMON_ENGLISH = frozenset(_COMMON_ENGLISH.split())


def catalogue_english(directory: Path = I18N) -> frozenset[str]:
    """Every word of every English source string in the shipped catalogues."""
    words: set[str] = set()
    for ts in directory.glob("*.ts"):
        for message in ET.parse(ts).getroot().iter("message"):
            words |= words_of(without_fixed_names(plain(message.findtext("source") or "")))
    return frozenset(words)


def english_vocabulary() -> frozenset[str]:
    return (catalogue_english() | COMMON_ENGLISH) - INDONESIAN_ALSO


def plain(text: str) -> str:
    """The words a reader sees: no rich-text tags, no entities, no mnemonic ampersands."""
    return html.unescape(TAG.sub(" ", text)).replace("&", "")


def words_of(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(plain(text))}


def without_fixed_names(text: str) -> str:
    for pattern in FIXED_NAMES:
        text = pattern.sub(" ", text)
    return text


def english_words(text: str, vocabulary: frozenset[str], data: Iterable[str] = ()) -> list[str]:
    """The English words of ``text`` once the people's data and the fixed names are taken out."""
    rest = plain(text)
    for value in sorted(data, key=len, reverse=True):
        if value:
            rest = rest.replace(value, " ")
    return sorted(words_of(without_fixed_names(rest)) & vocabulary)


# Numbers written the English way: 1,500 (Indonesian 1.500) and 12.50 (Indonesian 12,50). A time (09:35),
# a date (2026-03-10), a card code or an address never looks like either.
NUMBER = re.compile(r"(?<![\w.,])\d(?:[\d.,]*\d)?(?![\w]|[.,]\d)")
ENGLISH_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{1,2}")


def english_numbers(text: str, data: Iterable[str] = ()) -> list[str]:
    rest = plain(text)
    for value in sorted(data, key=len, reverse=True):
        if value:
            rest = rest.replace(value, " ")
    return [n for n in NUMBER.findall(without_fixed_names(rest)) if ENGLISH_NUMBER.fullmatch(n)]
