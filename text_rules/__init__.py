"""The one rule for text that crosses the wire, shared by the till's input and the protocol.

A till must never store a name or reason it cannot push: a NUL in a holder's
name once set a till's card stream aside for good. So the protocol's text
types and the till's input checks ask the same function, :func:`problem`.

Refused: control characters (Unicode category Cc: NUL, escape, ...), format
characters (Cf: invisible bidi overrides, zero-width spaces, byte-order
marks, ...) and lone surrogates (Cs), which no database stores faithfully.
Zero-width joiner and non-joiner are format characters that some scripts
and emoji sequences need, so they pass.

:func:`clean` is the input side: it also normalises what is clearly harmless
(runs of whitespace, including tabs and line breaks, become one space; the
ends are trimmed; the text is put in Unicode NFC) before asking
:func:`problem`. Stdlib only, importing nothing of ``terminal`` or ``sync``
(an import contract in pyproject.toml).
"""

from __future__ import annotations

import unicodedata

_ALLOWED_FORMAT = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner: needed by some scripts
_REFUSED_CATEGORIES = {"Cc": "a control character", "Cf": "an invisible formatting character",
                       "Cs": "a broken character (a lone surrogate)"}


def problem(value: str) -> str | None:
    """What makes ``value`` unfit for the wire (one phrase), or None when it is fine."""
    for char in value:
        category = unicodedata.category(char)
        if category in _REFUSED_CATEGORIES and char not in _ALLOWED_FORMAT:
            return f"contains {_REFUSED_CATEGORIES[category]} (U+{ord(char):04X})"
    return None


def clean(value: str) -> str:
    """``value`` normalised for input: NFC, whitespace runs as one space, trimmed.

    Raises ValueError naming the problem when what is left breaks :func:`problem`.
    """
    text = unicodedata.normalize("NFC", " ".join(value.split()))
    found = problem(text)
    if found:
        raise ValueError(found)
    return text
