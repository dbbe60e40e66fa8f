"""What any caller may cost the hub: request body size and pairing attempts.

The body cap is an ASGI middleware in the hub itself, not left to a proxy:
a body declared too large (``Content-Length``) is refused before a byte of
it is read, and a body without a length is counted as it streams in and
cut off at the limit, so no request is ever parsed, or held, whole past it.

Pairing is the one endpoint open to anyone; its attempts are limited per
client address (as the hub sees it: behind a reverse proxy, the proxy's),
across every hub worker process (attempts.py).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy.engine import Engine

from sync.hub.attempts import Attempts, Budget
from sync.hub.errors import HubError
from sync.protocol import ErrorBody

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

MB = 1024 * 1024


@dataclass(frozen=True)
class HubLimits:
    # A syncer batch of 1000 entries, audit events and records is about 1.5 MB.
    max_body_bytes: int = 8 * MB
    pairing_attempts: int = 10           # per client address ...
    pairing_window_seconds: float = 600  # ... within this many seconds
    max_clock_ahead_minutes: float = 5   # times further ahead of the hub's clock are refused


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Refuses request bodies over ``max_bytes`` with 413 ``body_too_large``."""

    def __init__(self, app: Callable[..., Awaitable[None]], max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        taken = 0
        refused = False
        started = False

        async def limited_receive() -> Message:
            nonlocal taken, refused
            message = await receive()
            if message["type"] == "http.request":
                taken += len(message.get("body", b""))
                if taken > self.max_bytes:
                    refused = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the app's own answer to the cut-off read; ours goes instead
            started = started or message["type"] == "http.response.start"
            await send(message)

        with contextlib.suppress(_TooLarge):  # the cut-off read: answered below
            await self.app(scope, limited_receive, guarded_send)
        if refused and not started:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        limit = f"{self.max_bytes / MB:g} MB" if self.max_bytes >= MB else f"{self.max_bytes} bytes"
        body = ErrorBody(code="body_too_large",
                         message=f"the request body is larger than this hub accepts ({limit}); "
                                 "a terminal sends smaller batches").model_dump_json().encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class PairingThrottle:
    """At most ``attempts`` failed pairing attempts per client address in a sliding window.

    Every attempt counts when it arrives (so a flood of malformed requests
    is stopped too); one that pairs is taken back, so an owner setting up
    twenty tills is never held up: only guessing is. The count is kept in
    the database (attempts.py), so every hub worker process shares it.
    """

    def __init__(self, engine: Engine, attempts: int, window_seconds: float,
                 clock: Callable[[], float] = time.time) -> None:
        self.budget = Budget("pairing", attempts, window_seconds)
        self._attempts = Attempts(engine, clock)

    def check(self, address: str) -> None:
        """Count an attempt from ``address``; 429 with ``Retry-After`` when over the limit."""
        wait = self._attempts.take((self.budget, address))
        if wait:
            raise HubError(429, "too_many_pairing_attempts",
                           f"too many pairing attempts from this address; try again in {wait} s",
                           headers={"Retry-After": str(wait)})

    def paired(self, address: str) -> None:
        """Take back the attempt that just paired."""
        self._attempts.give_back(self.budget, address)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def pairing_throttle(request: Request) -> None:
    """FastAPI dependency of the pair endpoint: runs before its body is validated."""
    request.app.state.pairing_throttle.check(client_address(request))
