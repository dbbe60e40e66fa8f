"""The console's cookies, CSRF tokens and sign-in rate limits (kept in the database: attempts.py).

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
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.engine import Engine
from starlette.responses import Response

from sync.hub.attempts import Attempts, Budget

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
    """Sign-in attempts per client address and per account, shared by every hub process.

    Counted in the database (attempts.py) when they arrive, before the
    password's Argon2 check, so neither a second worker process nor a burst
    of concurrent tries gets more guesses than the settings allow. A sign-in
    that succeeds gives its address's attempt back and clears the account's.
    """

    def __init__(self, engine: Engine, settings: ConsoleSettings, clock: Callable[[], float] = time.time) -> None:
        self.by_address = Budget("sign-in-address", settings.attempts_per_address, settings.window_seconds)
        self.by_account = Budget("sign-in-account", settings.attempts_per_account, settings.window_seconds)
        self._attempts = Attempts(engine, clock)

    def take(self, address: str, email: str) -> int:
        """Count an attempt of ``address`` at ``email``: 0, or (counting nothing) seconds until it may."""
        return self._attempts.take((self.by_address, address), (self.by_account, email))

    def succeeded(self, address: str, email: str) -> None:
        self._attempts.give_back(self.by_address, address)
        self._attempts.forget(self.by_account, email)
