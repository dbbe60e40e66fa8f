"""The integrations page's refusals in the page's language.

The hub's checks (``webhooks.check_url``, ``integration_credentials.create``
…) refuse in English, the language of the API, which keeps its words. The
page names each refusal by a code read from that English and says it with
``integrations_refusal_<code>`` in the owner's language, with the details
(a length, a host, an event) carried over. A refusal with no code yet is
shown as the API says it, inside the page's own sentence.
tests/sync/test_console_integration_log.py makes every refusal the page can
meet say exactly the API's English on an English page, so the two cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_CODES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((code, re.compile(pattern)) for code, pattern in (
    ("url_empty", r"^the endpoint URL is empty: give the full https:// address of the receiver$"),
    ("url_long", r"^the endpoint URL is (?P<length>\d+) characters long; at most (?P<most>\d+) are allowed$"),
    ("url_spaces", r"^the endpoint URL contains spaces or control characters: encode them \(%20\)$"),
    ("url_scheme", r"^the endpoint URL must start with https:// \(or http://\), not (?P<given>.+)$"),
    ("url_userinfo", r"^the endpoint URL must not carry a user name or password: the receiver checks "
                     r"the signature instead; remove the 'user:password@' part$"),
    ("url_port", r"^the endpoint URL has a bad port: (?P<detail>.*)$"),
    ("url_no_host", r"^the endpoint URL has no host name: e\.g\. https://shop\.example/hooks/loyalty$"),
    ("url_bad_host", r"^the endpoint URL's host (?P<host>.+) is not a valid name$"),
    ("events_none", r"^choose at least one event \(or '\*' for all\): (?P<events>.+)$"),
    ("event_unknown", r"^unknown event (?P<event>.+): choose from (?P<events>.+), or '\*' for all$"),
    ("description_long", r"^the description is longer than (?P<most>\d+) characters$"),
    ("replay_removed", r"^its endpoint was removed: register it again \(webhooks add\) to receive events$"),
    ("name_length", r"^give the integration a name of 1 to (?P<most>\d+) characters \(e\.g\. 'web shop'\)$"),
    ("scope", r"^scope must be 'read' or 'write' \(read and write\), not (?P<given>.+)$"),
))


def code_of(reason: str) -> tuple[str, dict[str, str]] | None:
    """The refusal's code and details, or None for one the page has no words for."""
    for code, pattern in _CODES:
        found = pattern.fullmatch(reason)
        if found:
            return code, found.groupdict()
    return None


def say(t: Callable[..., str], reason: str) -> str:
    """The page's sentence for a refusal whose API English is ``reason``."""
    known = code_of(reason)
    if known is None:
        return t("integrations_refused", reason=reason)
    code, details = known
    return t("integrations_refused", reason=t(f"integrations_refusal_{code}", **details))
