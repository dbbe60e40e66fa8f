"""Finding cards by name, phone, e-mail or code through indexes, and keeping the search terms.

Each card's terms (:func:`terminal.domain.contact.search_terms`) live in
``card_terms``, keyed (term, code): a word typed is a prefix range on that
key, a code typed a prefix range on the cards' own key. Every write of a
card's contact details (the customers service, enrollment, a card pulled
from the hub) calls :func:`index_card` in its transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from terminal.domain.codes import ALPHABET
from terminal.domain.contact import Contact, query_words, search_terms
from terminal.store.models import CardRow, CardTerm

_C, _T = CardRow.__table__, CardTerm.__table__
EXTRA_FIELDS = ("phone", "email", "birthday", "contact_consent", "replaced_by")
_TOP = "\U0010ffff"  # sorts after any character a term holds: the end of a prefix range
_PER_WORD = 2000
_CODE_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})


def card_extras(record: Any) -> dict[str, Any]:
    """The optional card fields of a row or a wire card, as columns (consent always a bool)."""
    values = {name: getattr(record, name, None) for name in EXTRA_FIELDS}
    values["contact_consent"] = bool(values["contact_consent"])
    return values


def index_card(conn: Connection, code: str, values: Mapping[str, Any]) -> None:
    """Replace ``code``'s search terms with those of its holder, phone and e-mail in ``values``."""
    terms = search_terms(Contact(values.get("holder"), values.get("phone"), values.get("email")))
    conn.execute(delete(_T).where(_T.c.code == code))
    if terms:
        conn.execute(insert(_T), [{"term": term, "code": code} for term in sorted(terms)])


def _code_prefix(text: str) -> str | None:
    compact = "".join(text.split()).replace("-", "").upper().translate(_CODE_ALIASES)
    if compact.startswith("LT1:"):
        compact = compact[4:]
    if 3 <= len(compact) <= 10 and all(ch in ALPHABET for ch in compact):
        return compact
    return None


def find_codes(conn: Connection, text: str, limit: int) -> list[str]:
    """Codes of the cards ``text`` finds: cards whose code starts with it first, then cards having
    a term starting with each of its words. At most ``limit``, in code order within each group."""
    found: list[str] = []
    prefix = _code_prefix(text)
    if prefix is not None:
        found = list(conn.execute(select(_C.c.code).where(_C.c.code >= prefix, _C.c.code < prefix + _TOP)
                                  .order_by(_C.c.code).limit(limit)).scalars())
    words = query_words(text)[:6]
    if not words or len(found) >= limit:
        return found
    matches: set[str] | None = None
    for word in sorted(words, key=len, reverse=True):  # the longest word narrows the most
        codes = set(conn.execute(select(_T.c.code).where(_T.c.term >= word, _T.c.term < word + _TOP)
                                 .limit(_PER_WORD)).scalars())
        matches = codes if matches is None else matches & codes
        if not matches:
            break
    seen = set(found)
    found.extend(code for code in sorted(matches or ()) if code not in seen)
    return found[:limit]
