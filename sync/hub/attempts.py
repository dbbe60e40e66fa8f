"""Guessing budgets every hub process shares: attempts counted in the hub's database.

``loyalty-hub serve --workers N`` runs N processes; a budget kept in each
process's memory would give a guesser N times the tries. So each attempt is
a row of ``hub_attempts`` (purpose, SHA-256 of the subject, unix time), and
checking a budget and counting an attempt is one write transaction that
holds a lock on the subject (a transaction-scoped advisory lock on
PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already makes writers take turns).
So concurrent attempts, in any process, never both take the last try.

An attempt counts when it arrives, before the slow check it pays for (an
Argon2 hash, a pairing code lookup): a burst of concurrent guesses cannot
all pass while the first are still being checked. The callers give an
attempt back (``give_back``) or clear a subject (``forget``) when it was
not a guess.

The customer page's request budget stays in each process
(customer_tokens.RequestBudget): it caps load, not guesses (its tokens are
signed and cannot be guessed), and counting every page view in the
database would add a write to each, the very cost it is there to cap.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sync.hub.db import is_postgres, writing
from sync.hub.schema import hub_attempts

_SWEEP_EVERY = 100  # about one take in this many also deletes the purpose's expired rows


@dataclass(frozen=True)
class Budget:
    """At most ``limit`` attempts of ``purpose`` per subject within ``window_s`` seconds."""

    purpose: str
    limit: int
    window_s: float


def subject_hash(purpose: str, subject: str) -> str:
    return hashlib.sha256(f"{purpose}\n{subject}".encode()).hexdigest()


class Attempts:
    """Counts attempts against budgets in the hub's database (``clock``: unix seconds)."""

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self._clock = clock

    def take(self, *charges: tuple[Budget, str]) -> int:
        """Count one attempt against each (budget, subject); return 0.

        When any budget is spent, count none and return the seconds until
        every one has room again.
        """
        now = self._clock()
        with writing(self._engine) as conn:
            hashes = [subject_hash(budget.purpose, subject) for budget, subject in charges]
            _lock(conn, sorted(set(hashes)))
            wait = max((self._wait(conn, budget, h, now) for (budget, _), h in zip(charges, hashes, strict=True)),
                       default=0)
            if wait:
                return wait
            conn.execute(sa.insert(hub_attempts), [{"purpose": budget.purpose, "subject": h, "at": now}
                                                   for (budget, _), h in zip(charges, hashes, strict=True)])
            if secrets.randbelow(_SWEEP_EVERY) == 0:
                for budget, _ in charges:
                    _sweep(conn, budget, now)
        return 0

    def wait_seconds(self, budget: Budget, subject: str) -> int:
        """0 when ``subject`` may try again, else the seconds until it may (counts nothing)."""
        now = self._clock()
        with writing(self._engine) as conn:
            return self._wait(conn, budget, subject_hash(budget.purpose, subject), now)

    def give_back(self, budget: Budget, subject: str) -> None:
        """Take back the newest attempt of ``subject`` (it turned out not to be a guess)."""
        a = hub_attempts
        h = subject_hash(budget.purpose, subject)
        with writing(self._engine) as conn:
            newest = (sa.select(a.c.attempt_id).where(a.c.purpose == budget.purpose, a.c.subject == h)
                      .order_by(a.c.at.desc(), a.c.attempt_id.desc()).limit(1)).scalar_subquery()
            conn.execute(sa.delete(a).where(a.c.attempt_id == newest))

    def forget(self, budget: Budget, subject: str) -> None:
        """Clear every attempt of ``subject`` (e.g. an account that just signed in)."""
        a = hub_attempts
        with writing(self._engine) as conn:
            conn.execute(sa.delete(a).where(a.c.purpose == budget.purpose,
                                            a.c.subject == subject_hash(budget.purpose, subject)))

    @staticmethod
    def _wait(conn: Connection, budget: Budget, h: str, now: float) -> int:
        a = hub_attempts
        conn.execute(sa.delete(a).where(a.c.purpose == budget.purpose, a.c.subject == h,
                                        a.c.at <= now - budget.window_s))
        # The limit-th newest attempt must leave the window before there is room for one more.
        times = conn.execute(sa.select(a.c.at).where(a.c.purpose == budget.purpose, a.c.subject == h)
                             .order_by(a.c.at.desc()).limit(budget.limit)).scalars().all()
        if len(times) < budget.limit:
            return 0
        return max(1, math.ceil(times[-1] + budget.window_s - now))


def _lock(conn: Connection, hashes: list[str]) -> None:
    """Hold each subject until commit (in one order, so two takes never deadlock)."""
    if is_postgres(conn):
        for h in hashes:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"),
                         {"key": int.from_bytes(bytes.fromhex(h)[:8], "big", signed=True)})


def _sweep(conn: Connection, budget: Budget, now: float) -> None:
    """Forget the purpose's attempts that left their window (of quiet subjects, never taken again)."""
    conn.execute(sa.delete(hub_attempts).where(hub_attempts.c.purpose == budget.purpose,
                                               hub_attempts.c.at <= now - budget.window_s))
