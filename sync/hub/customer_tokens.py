"""Customer page tokens at the hub: whose card a token opens, the owner's switch, and the hub's own tokens.

A till signs the token of each card it prints with its chain key
(ledger_chain/customer_token.py); the hub finds the key by the terminal id in
the token (``terminals.signing_key``, bound at pairing) and opens the card of
that till's merchant. The merchant's hub author (hub_chain.py) holds the
hub's own key, so cards enrolled through the integration API get tokens the
same way, signed by the hub. Everything that does not check out (no such
author, a revoked till, a bad signature, no such card at that merchant, the
page switched off) is the same ``None``, which the route answers with the
same 404: a forger learns nothing from the answer.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import Engine

from ledger_chain import customer_token, signing
from sync.hub.db import reading, writing
from sync.hub.hub_chain import hub_author
from sync.hub.schema import cards, merchants, terminals


@dataclass(frozen=True)
class CardOfToken:
    merchant_id: str
    code: str


def card_of_token(engine: Engine, token: str) -> CardOfToken | None:
    """The card ``token`` opens, or None (not a token, forged, revoked author, unknown card, page off)."""
    read = customer_token.read_token(token)
    if read is None:
        return None
    terminal_id, code, signature = read
    with reading(engine) as conn:
        author = conn.execute(
            sa.select(terminals.c.merchant_id, terminals.c.signing_key, terminals.c.revoked_at,
                      merchants.c.customer_page)
            .join(merchants, merchants.c.merchant_id == terminals.c.merchant_id)
            .where(terminals.c.terminal_id == terminal_id)).one_or_none()
        if author is None or not author.signing_key or author.revoked_at is not None or not author.customer_page:
            return None
        try:
            key = signing.public_key(author.signing_key)
        except signing.SigningError:
            return None
        if not customer_token.token_signed(key, terminal_id, code, signature):
            return None
        known = conn.execute(sa.select(cards.c.code).where(cards.c.merchant_id == author.merchant_id,
                                                           cards.c.code == code,
                                                           cards.c.provisional.is_(False))).one_or_none()
    return None if known is None else CardOfToken(author.merchant_id, code)


def hub_token(engine: Engine, merchant_id: str, key: Ed25519PrivateKey, code: str) -> str:
    """The token of ``code`` signed by the merchant's hub author (registered now if it has none)."""
    with writing(engine) as conn:
        author = hub_author(conn, merchant_id, key)
    return customer_token.make_token(key, author["terminal_id"], code)


def page_enabled(engine: Engine, merchant_id: str) -> bool:
    with reading(engine) as conn:
        return bool(conn.execute(sa.select(merchants.c.customer_page)
                                 .where(merchants.c.merchant_id == merchant_id)).scalar_one())


def set_page_enabled(engine: Engine, merchant_id: str, enabled: bool) -> None:
    """The owner's switch: off answers 404 to every token of the merchant, at once; on brings them back."""
    with writing(engine) as conn:
        conn.execute(sa.update(merchants).where(merchants.c.merchant_id == merchant_id)
                     .values(customer_page=enabled))


class RequestBudget:
    """At most ``requests`` per key (a client address) in a sliding window of ``window_seconds``.

    Every request counts, found or not: the page is open to anyone, and this
    keeps a flood (or a guesser) from costing the hub more than a trickle.
    """

    def __init__(self, requests: int = 60, window_seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.requests, self.window = requests, window_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._seen: dict[str, deque[float]] = {}

    def take(self, key: str) -> int:
        """Count a request of ``key``: 0 when it may go on, else the seconds until it may."""
        now = self._clock()
        with self._lock:
            if len(self._seen) > 10_000:  # forget quiet addresses so the table stays small
                self._seen = {k: q for k, q in self._seen.items() if q and q[-1] > now - self.window}
            times = self._seen.setdefault(key, deque())
            while times and times[0] <= now - self.window:
                times.popleft()
            if len(times) >= self.requests:
                return max(1, math.ceil(times[0] + self.window - now))
            times.append(now)
            return 0
