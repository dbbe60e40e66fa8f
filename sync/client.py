"""HTTP client of the hub (httpx), as used by a terminal.

Every failure becomes one of two exceptions, which is all the syncer needs
to decide what to do next:

- :class:`HubUnavailable`: try again later (no connection, timeout, 5xx,
  408, 429 — with the hub's ``Retry-After`` when it gave one);
- :class:`HubRefused`: the hub understood and said no (other 4xx); sending
  the same thing again will not help.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from sync.protocol import (
    PROTOCOL_VERSION,
    CardWithEntries,
    ErrorBody,
    Flag,
    Overdraft,
    PairRequest,
    PairResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    SignedFrom,
    StoreProfile,
)

# httpx is imported when the first client is made (see sync/http_transport.py)
if TYPE_CHECKING:
    import httpx

    from sync.http_transport import TrackingBackend

_RETRYABLE_STATUS = {408, 425, 429}
_OVERDRAFTS = TypeAdapter(list[Overdraft])
_FLAGS = TypeAdapter(list[Flag])


class HubError(Exception):
    """Base of the errors the client raises."""


class HubUnavailable(HubError):
    """The hub could not be reached or could not answer now; retry later.

    ``reason`` says why, for a sentence a person can act on (the message
    never carries errno text; the transport error stays the ``__cause__``):
    ``unreachable`` (refused, no route, unknown name), ``timeout``, ``tls``
    (the certificate or the TLS handshake failed), ``dropped`` (the
    connection broke mid-answer), ``failing`` (5xx, 408, 425, 429) or
    ``unreadable`` (an answer that is not the hub's).
    """

    def __init__(self, message: str, retry_after: float | None = None, reason: str = "unreachable") -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.reason = reason


class HubRefused(HubError):
    """The hub refused the request; the same request will be refused again."""

    def __init__(self, status: int, body: ErrorBody) -> None:
        super().__init__(f"hub refused ({status} {body.code}): {body.message}")
        self.status = status
        self.code = body.code
        self.body = body


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HubClient:
    """Talks to one hub for one terminal. Thread-safe (httpx.Client is)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: httpx.Timeout | float | None = None,
        transport: httpx.BaseTransport | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        """``timeout`` None: :data:`sync.http_transport.DEFAULT_TIMEOUT`; ``now`` is this computer's clock."""
        import httpx

        self._now = now or (lambda: datetime.now(UTC))
        # this computer's clock minus the hub's, from the Date header of the last answer that had one
        self.clock_skew: timedelta | None = None

        from sync.http_transport import DEFAULT_TIMEOUT, AbortableTransport, TrackingBackend

        self._backend: TrackingBackend = TrackingBackend()
        headers = {"User-Agent": "loyalty-terminal-sync", "X-Loyalty-Protocol": str(PROTOCOL_VERSION)}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=DEFAULT_TIMEOUT if timeout is None else timeout,
            transport=transport or AbortableTransport(self._backend),
        )

    def pair(self, code: str, terminal_id: str, *, store: StoreProfile | None = None,
             pin_key: str | None = None, join: bool = False,
             signing: tuple[str, Mapping[str, int]] | None = None) -> PairResponse:
        """Exchange a pairing code for a token (see ``PairRequest`` for the three cases).

        ``signing``: the till's chain key and where it began signing, bound to its id at the hub.
        """
        body = PairRequest(v=PROTOCOL_VERSION, code=code, terminal_id=terminal_id, store=store,
                           pin_key=pin_key, join=join,
                           signing_key=signing[0] if signing else None,
                           signed_from=SignedFrom(**signing[1]) if signing else None)
        return self._call("POST", "/sync/v1/pair", PairResponse, body=body)

    def overdrafts(self, after: int = 0, limit: int = 100) -> list[Overdraft]:
        """The merchant's overdraft flags after ``after`` (an overdraft_id), oldest first."""
        return self._call("GET", "/sync/v1/overdrafts", _OVERDRAFTS,
                          params={"after": after, "limit": limit, "v": PROTOCOL_VERSION})

    def flags(self, after: int = 0, limit: int = 100) -> list[Flag]:
        """Every flag of the merchant after ``after`` (a flag_id), oldest first; an older hub answers
        404 (it has overdrafts only: ask ``overdrafts``)."""
        return self._call("GET", "/sync/v1/flags", _FLAGS,
                          params={"after": after, "limit": limit, "v": PROTOCOL_VERSION})

    def push(self, request: PushRequest) -> PushResponse:
        return self._call("POST", "/sync/v1/push", PushResponse, body=request)

    def pull(self, cursor: int, limit: int = 1000) -> PullResponse:
        params = {"cursor": cursor, "limit": limit, "v": PROTOCOL_VERSION}
        return self._call("GET", "/sync/v1/pull", PullResponse, params=params)

    def fetch_card(self, code: str) -> CardWithEntries | None:
        """A card and its entries, or ``None`` when the hub does not know the card."""
        try:
            return self._call("GET", f"/sync/v1/cards/{code}", CardWithEntries,
                              params={"v": PROTOCOL_VERSION})
        except HubRefused as exc:
            if exc.status == 404 and exc.code == "card_not_found":
                return None
            raise

    def abort(self) -> None:
        """Make any request in flight fail at once (used to stop quickly)."""
        self._backend.shutdown_all()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, path: str, model: Any, *,
              body: BaseModel | None = None, params: dict[str, Any] | None = None) -> Any:
        import httpx

        content = body.model_dump_json().encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else None
        try:
            response = self._http.request(method, path, content=content, params=params, headers=headers)
        except httpx.TimeoutException as exc:
            raise HubUnavailable("the hub did not answer in time", reason="timeout") from exc
        except httpx.TransportError as exc:
            raise _transport_failure(exc) from exc
        self._measure_clock(response.headers.get("Date"))
        return self._answer(response, model)

    def _measure_clock(self, date_header: str | None) -> None:
        """Keep the difference from the hub's clock (whole seconds: the header's resolution)."""
        if not date_header:
            return
        try:
            hub_time = parsedate_to_datetime(date_header)
        except (TypeError, ValueError):
            return
        if hub_time.tzinfo is None:
            return
        self.clock_skew = self._now() - hub_time

    @staticmethod
    def _answer(response: httpx.Response, model: Any) -> Any:
        status = response.status_code
        if status >= 500 or status in _RETRYABLE_STATUS:
            raise HubUnavailable(
                f"the hub is busy or failing (HTTP {status}); will retry",
                retry_after=parse_retry_after(response.headers.get("Retry-After")), reason="failing",
            )
        if status >= 400:
            raise HubRefused(status, _error_body(response))
        try:
            if isinstance(model, TypeAdapter):
                return model.validate_json(response.content)
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            # A proxy page or a truncated body: not the hub's real answer.
            raise HubUnavailable(f"the hub's answer could not be read (HTTP {status}): "
                                 f"{exc.error_count()} problems", reason="unreadable") from exc


def _transport_failure(exc: httpx.TransportError) -> HubUnavailable:
    """Words for a failed connection; the errno text ("[Errno 111] ...") stays in the cause, for logs."""
    import httpx

    text = str(exc).lower()
    if "ssl" in text or "certificate" in text or "tls" in text:
        return HubUnavailable("cannot reach the hub securely: its certificate or TLS set-up was not accepted",
                              reason="tls")
    if isinstance(exc, httpx.ConnectError):
        return HubUnavailable("cannot reach the hub: nothing answered at that address", reason="unreachable")
    if isinstance(exc, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError):
        return HubUnavailable("the connection to the hub broke off", reason="dropped")
    return HubUnavailable(f"cannot reach the hub ({type(exc).__name__})", reason="unreachable")


def _error_body(response: httpx.Response) -> ErrorBody:
    try:
        return ErrorBody.model_validate_json(response.content)
    except ValidationError:
        text = response.text[:200] or response.reason_phrase
        return ErrorBody(code=f"http_{response.status_code}", message=text)
