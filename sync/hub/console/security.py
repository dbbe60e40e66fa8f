"""The console's cookies, CSRF tokens and sign-in rate limits.

Cookies are HttpOnly and SameSite=Strict, and Secure unless the hub runs on
plain HTTP on a shop's LAN: set ``LOYALTY_HUB_CONSOLE_PLAIN_HTTP=1`` then
(browsers drop Secure cookies sent over http, except to localhost).

Every form carries a CSRF token: an HMAC of the session token (or, before
sign-in, of a random pre-session cookie). A form without the right one is
refused with 403 and changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass

from fastapi import Request
from starlette.responses import Response

SESSION_COOKIE = "lt_console"
PRESESSION_COOKIE = "lt_console_pre"
LANGUAGE_COOKIE = "lt_console_lang"
PLAIN_HTTP_ENV = "LOYALTY_HUB_CONSOLE_PLAIN_HTTP"


@dataclass(frozen=True)
class ConsoleSettings:
    secure_cookies: bool = True
    # Failed sign-ins allowed per client address and per account in ``window_seconds``.
    attempts_per_address: int = 10
    attempts_per_account: int = 5
    window_seconds: float = 15 * 60

    @classmethod
    def from_environment(cls) -> ConsoleSettings:
        plain = os.environ.get(PLAIN_HTTP_ENV, "").strip().lower() in {"1", "true", "yes"}
        return cls(secure_cookies=not plain)


def set_cookie(response: Response, settings: ConsoleSettings, name: str, value: str,
               max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/console", httponly=True,
                        samesite="strict", secure=settings.secure_cookies)


def clear_cookie(response: Response, settings: ConsoleSettings, name: str) -> None:
    response.delete_cookie(name, path="/console", httponly=True, samesite="strict",
                           secure=settings.secure_cookies)


def csrf_seed(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRESESSION_COOKIE)


def csrf_token(seed: str) -> str:
    return hmac.new(seed.encode(), b"console-csrf", hashlib.sha256).hexdigest()[:40]


def csrf_ok(request: Request, sent: str | None) -> bool:
    seed = csrf_seed(request)
    if not seed or not sent:
        return False
    return hmac.compare_digest(csrf_token(seed), sent)


def new_presession() -> str:
    return secrets.token_urlsafe(24)


class SignInThrottle:
    """Counts failed sign-ins per key (an address or an account) in a sliding window."""

    def __init__(self, attempts: int, window_seconds: float, clock=time.monotonic) -> None:  # noqa: ANN001
        self._attempts = attempts
        self._window = window_seconds
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, key: str) -> int:
        """0 when ``key`` may try again; else seconds until it may."""
        with self._lock:
            failures = self._recent(key)
            if len(failures) < self._attempts:
                return 0
            return max(1, math.ceil(failures[0] + self._window - self._clock()))

    def failed(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(self._clock())

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= self._clock() - self._window:
            failures.popleft()
        if len(self._failures) > 100_000:   # many addresses: forget the quiet ones
            for other in [k for k, v in self._failures.items() if not v]:
                del self._failures[other]
        return failures
