"""Refusals of the hub's shared checks in the console page's language.

``admin.AdminError`` words its refusals in English, the language of the CLI and
the API, which keep those words. A refusal the console can meet also carries a
``key`` and its details (``values``): the page says it with ``refusal_<key>``
(words/refusals.py) in the owner's language, the details carried over. A
refusal with no words yet is shown in its English, inside the page's sentence,
so it still shows and never becomes a traceback. tests/sync/test_console_refusals.py
makes every keyed refusal say exactly the API's English on an English page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from fastapi import Request

from sync.hub.admin import AdminError
from sync.hub.console.i18n import MESSAGES, translator
from sync.hub.console.pages import language_of


def worded(exc: AdminError) -> bool:
    """Whether the console has words for this refusal (else it shows the English)."""
    key = getattr(exc, "key", None)
    return bool(key) and f"refusal_{key}" in MESSAGES["en"]


def fits(key: str, details: Mapping[str, object]) -> bool:
    """Whether ``details`` hold every detail the words of ``key`` say (both languages name the same)."""
    return set(re.findall(r"{(\w+)}", MESSAGES["en"][key])) <= details.keys()


def refusal_text(language: str, exc: AdminError) -> str:
    """The refusal in ``language``: its words with its details, or its English in the page's sentence."""
    t = translator(language)
    if worded(exc) and fits(f"refusal_{exc.key}", exc.values):
        return t(f"refusal_{exc.key}", **exc.values)
    return t("refusal_unworded", reason=str(exc))


def said(request: Request, exc: AdminError) -> str:
    """The refusal in the language of the page ``request`` asks for."""
    return refusal_text(language_of(request), exc)
