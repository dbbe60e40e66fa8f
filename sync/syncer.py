"""The background worker that pushes the terminal's records and pulls others'.

One thread, one loop: push everything pending in batches, pull when due,
then sleep until the next pull or until the app calls :meth:`Syncer.notify`
after a local action. Failures never kill the loop:

- the hub is unreachable, slow, failing (5xx) or busy (429): back off with
  full jitter, obeying ``Retry-After``, and keep the records for later;
- the hub refuses a stream (a broken chain, a malformed record): that
  stream is set aside and reported, the other streams and pulls go on, and
  the refused one is tried again only every ``refusal_retry`` seconds — a
  bad record never blocks silently and never spins in a hot loop;
- the hub says it is missing earlier records (``chain_gap``, e.g. restored
  from a backup): the acknowledged position moves back and they are resent;
- the local store offers the same head again after the hub acknowledged it:
  the head is stuck; the stream is set aside and reported.
- the hub refuses a chain record's time (``clock_ahead``, ``clock_too_old``):
  the records before it go alone, the rest of that stream waits, and the
  status says the clock must be fixed (``clock_refused``);
- the hub refuses single cards, programs or staff records (``refused`` in
  its answer, the rest was stored): they are not sent again, and the port
  keeps the refusals for the owner (``Ack.refused``).

Delivery is at least once; the hub's deduplication by id makes the effect
exactly once. Progress is reported as :class:`~sync.status.SyncStatus`
events to callbacks, called on the worker thread.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from sync.backoff import Backoff
from sync.client import HubClient, HubRefused, HubUnavailable
from sync.port import Ack, Outbox, RecordKey, RecordKind, SyncPort
from sync.protocol import (
    CLOCK_REFUSAL_CODES,
    PROTOCOL_VERSION,
    AuditEvent,
    Card,
    CardWithEntries,
    Entry,
    ProgramSettings,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordRefusal,
    SignedFrom,
    Staff,
    StaffLock,
    TillStatus,
)
from sync.status import SyncState, SyncStatus

log = logging.getLogger(__name__)

STREAMS = ("entries", "audit", "cards", "programs", "staff", "locks")
_CHAINS = {"entries": "entries_through", "audit": "audit_through"}
_RECORD_KINDS: tuple[RecordKind, ...] = ("cards", "programs", "staff", "locks")
_RECORD_KEYS = {"cards": "code", "programs": "program_id", "staff": "staff_id", "locks": "staff_id"}
_ADAPTERS: dict[str, TypeAdapter[list[Any]]] = {
    "entries": TypeAdapter(list[Entry]),
    "audit": TypeAdapter(list[AuditEvent]),
    "cards": TypeAdapter(list[Card]),
    "programs": TypeAdapter(list[ProgramSettings]),
    "staff": TypeAdapter(list[Staff]),
    "locks": TypeAdapter(list[StaffLock]),
}

Listener = Callable[[SyncStatus], None]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class _SetAside:
    reason: str
    since: float


class Syncer:
    """Background push/pull loop for one terminal. See the module docstring."""

    def __init__(
        self,
        port: SyncPort,
        client: HubClient,
        *,
        batch_size: int = 1000,
        pull_limit: int = 1000,
        pull_interval: float = 30.0,
        backoff: Backoff | None = None,
        refusal_retry: float = 300.0,
    ) -> None:
        self._port = port
        self._client = client
        self._batch_size = batch_size
        self._pull_limit = pull_limit
        self._pull_interval = pull_interval
        self._backoff = backoff or Backoff()
        self._refusal_retry = refusal_retry
        self._listeners: list[Listener] = []
        self._status = SyncStatus(state=SyncState.OFFLINE)
        self._status_lock = threading.Lock()
        self._set_aside: dict[str, _SetAside] = {}
        self._refused: tuple[RecordRefusal, ...] = ()  # of the last push that had records
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._notified = threading.Event()
        self._pull_wanted = threading.Event()
        self._fetches: queue.SimpleQueue[tuple[str, Future[CardWithEntries | None]]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._terminal_id = ""
        self._signing_key: dict[str, Any] = {}  # signing_key, signed_from of the last outbox
        self._outbox: Outbox = Outbox()  # the last one read, for the till's status on the push
        self._send_status = True  # until a hub that predates TillStatus refuses it

    # ---- the app's side --------------------------------------------------

    def add_listener(self, callback: Listener) -> None:
        """Call ``callback(status)`` on the worker thread after every change."""
        self._listeners.append(callback)

    @property
    def status(self) -> SyncStatus:
        with self._status_lock:
            return self._status

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("this syncer was already started; make a new one to restart")
        self._thread = threading.Thread(target=self._run, name="loyalty-syncer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 1.0) -> bool:
        """Stop the worker; True when it ended within ``timeout`` seconds.

        A request in flight is aborted if the worker has not ended halfway
        through the timeout, so a hung hub cannot hold the app's shutdown.
        """
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout / 2)
            if thread.is_alive():
                self._client.abort()
                thread.join(timeout / 2)
        self._cancel_fetches()
        return thread is None or not thread.is_alive()

    def notify(self) -> None:
        """A local action was recorded: push soon (unless backing off)."""
        self._notified.set()
        self._wake.set()

    def sync_now(self) -> None:
        """Push and pull now (unless backing off), e.g. from a menu."""
        self._pull_wanted.set()
        self.notify()

    def fetch_card(self, code: str) -> Future[CardWithEntries | None]:
        """Fetch a card first scanned here, store it locally, resolve with it.

        Resolves with ``None`` when the hub does not know the card, or with
        :class:`~sync.client.HubUnavailable` / ``HubRefused`` on failure.
        The work runs on the worker thread, even while it backs off.
        """
        future: Future[CardWithEntries | None] = Future()
        if self._stop.is_set():
            future.cancel()
            return future
        self._fetches.put((code, future))
        self._wake.set()
        return future

    def sync_once(self) -> SyncStatus:
        """Push everything pending and pull everything new on the calling thread.

        For tools and tests; not while the worker runs. Errors propagate
        (``HubUnavailable``, ``HubRefused``); refused streams are set aside
        as in the loop.
        """
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("sync_once() cannot run while the syncer's thread runs")
        self._terminal_id = self._port.terminal_id()
        self._push_pending()
        self._pull_all()
        self._report_success()
        return self.status

    # ---- the loop --------------------------------------------------------

    def _run(self) -> None:
        try:
            self._terminal_id = self._port.terminal_id()
            self._report(pending=self._port.pending_count())
        except Exception as exc:  # reported, and the loop retries
            log.exception("the local store failed at start")
            self._report(state=SyncState.ERROR, last_error=f"local store failed: {exc}")
        next_pull = 0.0
        while not self._stop.is_set():
            self._notified.clear()
            try:
                self._terminal_id = self._terminal_id or self._port.terminal_id()
                self._serve_fetches()
                self._push_pending()
                if time.monotonic() >= next_pull or self._pull_wanted.is_set():
                    self._pull_wanted.clear()
                    self._pull_all()
                    next_pull = time.monotonic() + self._pull_interval
            except HubUnavailable as exc:
                if self._stop.is_set():
                    break
                self._report(state=SyncState.OFFLINE, last_error=str(exc))
                self._sleep(self._backoff.next_delay(exc.retry_after), on_notify=False)
                continue
            except HubRefused as exc:
                # Not tied to one stream: the token or the pull was refused.
                self._report(state=SyncState.ERROR, last_error=_refusal_text(exc))
                self._sleep(self._refusal_retry, on_notify=False)
                continue
            except Exception as exc:  # the loop must survive store failures
                log.exception("sync cycle failed")
                self._report(state=SyncState.ERROR, last_error=f"sync failed: {exc}")
                self._sleep(self._backoff.next_delay(), on_notify=False)
                continue
            self._backoff.reset()
            self._report_success()
            self._sleep(self._idle_delay(next_pull), on_notify=True)

    def _idle_delay(self, next_pull: float) -> float:
        wake_at = next_pull
        for item in self._set_aside.values():
            wake_at = min(wake_at, item.since + self._refusal_retry)
        return max(0.0, wake_at - time.monotonic())

    def _sleep(self, delay: float, *, on_notify: bool) -> None:
        """Wait ``delay`` seconds; stop ends it, a notify only when ``on_notify``.

        Card fetches are served meanwhile, so a first-time scan works even
        while pushes back off.
        """
        deadline = time.monotonic() + delay
        while not self._stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (on_notify and self._notified.is_set()):
                return
            self._wake.wait(remaining)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                self._serve_fetches()
            except Exception:  # the failure went to the caller's future
                log.debug("card fetch failed during a wait", exc_info=True)

    # ---- push ------------------------------------------------------------

    def _push_pending(self) -> None:
        offered: dict[str, Any] = {}
        while not self._stop.is_set():
            outbox = self._port.outbox(self._batch_size)
            self._signing_key = _signing_fields(outbox)
            self._outbox = outbox
            streams = self._streams_to_send(outbox)
            if not streams:
                return
            # The batch size is part of the key: a smaller resend is progress.
            heads = {name: (_head(name, rows[0]), self._batch_size) for name, rows in streams.items()}
            for name, head in heads.items():
                if offered.get(name) == head:
                    self._put_aside(name, f"{name} head {head[0]} is offered again although the hub "
                                          "acknowledged it: the local store did not record the ack")
                    del streams[name]
            if streams:
                acknowledged = self._push_streams(streams)
                # Only an acknowledged head must never come back.
                offered = {name: heads[name] for name in acknowledged}
                self._report_progress()

    def _streams_to_send(self, outbox: Outbox) -> dict[str, Sequence[Mapping[str, Any]]]:
        now = time.monotonic()
        streams = {}
        for name in STREAMS:
            rows = getattr(outbox, name)
            aside = self._set_aside.get(name)
            if rows and (aside is None or now - aside.since >= self._refusal_retry):
                streams[name] = rows
        return streams

    def _push_streams(self, streams: dict[str, Sequence[Mapping[str, Any]]]) -> set[str]:
        """Push one batch; return the streams the hub acknowledged."""
        validated = {}
        for name, rows in streams.items():
            try:
                validated[name] = _ADAPTERS[name].validate_python(list(rows))
            except ValidationError as exc:
                self._put_aside(name, _local_problem(name, rows, exc))
        if not validated:
            return set()
        fields: dict[str, Any] = {**validated, **self._signing_key, **self._till_status(validated)}
        request = PushRequest(v=PROTOCOL_VERSION, terminal_id=self._terminal_id, **fields)
        try:
            response = self._client.push(request)
        except HubRefused as exc:
            if "status" in fields and _status_unknown_to_hub(exc):
                log.info("the hub predates the till status on pushes; pushing without it")
                self._send_status = False
                return self._push_streams(streams)
            return self._on_refusal(streams, validated, exc)
        self._acknowledge(validated, response)
        return set(validated)

    def _till_status(self, validated: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
        """What the till will still have to push once this batch is stored, and its version."""
        outbox = self._outbox
        if not self._send_status or outbox.pending_entries is None or outbox.pending_audit is None:
            return {}
        try:
            status = TillStatus(pending_entries=max(0, outbox.pending_entries - len(validated.get("entries", ()))),
                                pending_audit=max(0, outbox.pending_audit - len(validated.get("audit", ()))),
                                app_version=outbox.app_version)
        except ValidationError:
            log.warning("till status not sent: app version %r is not a version the wire takes", outbox.app_version)
            return {}
        return {"status": status}

    def _on_refusal(self, streams: dict[str, Sequence[Mapping[str, Any]]],
                    validated: dict[str, list[Any]], exc: HubRefused) -> set[str]:
        """Deal with a refused batch (nothing of it was stored); the other streams go next round."""
        body = exc.body
        if exc.status == 401:
            raise exc
        if exc.status == 413 and self._batch_size > 1:
            self._batch_size = max(1, self._batch_size // 2)
            log.warning("hub found the batch too large; batches are now %d", self._batch_size)
            return set()
        stream = body.stream if body.stream in validated else None
        if body.code == "chain_gap" and stream in _CHAINS and body.expected_seq is not None:
            first = validated[stream][0].seq
            if 1 <= body.expected_seq < first:
                log.info("hub asks for %s from seq %d; resending", stream, body.expected_seq)
                through = body.expected_seq - 1
                self._port.record_ack(
                    Ack(entries_through=through) if stream == "entries" else Ack(audit_through=through))
                return set()
        if stream is not None:
            if body.code in CLOCK_REFUSAL_CODES and stream in _CHAINS and body.expected_seq is not None:
                # The records before the wrongly dated one are fine: send them, hold the rest.
                good = body.expected_seq - validated[stream][0].seq
                if 0 < good < len(streams[stream]):
                    self._push_streams({stream: list(streams[stream])[:good]})
            self._put_aside(stream, _refusal_text(exc))
            return set()
        if len(validated) > 1:
            # The refusal does not say which stream: send each alone to find it.
            acknowledged: set[str] = set()
            for name in validated:
                acknowledged |= self._push_streams({name: streams[name]})
            return acknowledged
        self._put_aside(next(iter(validated)), _refusal_text(exc))
        return set()

    def _acknowledge(self, validated: dict[str, list[Any]], response: PushResponse) -> None:
        records = [
            RecordKey(name, getattr(record, _RECORD_KEYS[name]), record.updated_at)
            for name in _RECORD_KINDS
            for record in validated.get(name, ())
        ]
        self._port.record_ack(Ack(
            entries_through=response.entries_through if "entries" in validated else None,
            audit_through=response.audit_through if "audit" in validated else None,
            records=records, refused=response.refused, receipts=response.receipts, hub_key=response.hub_key,
        ))
        if records:
            self._refused = tuple(response.refused)
        for name in validated:
            self._set_aside.pop(name, None)
        with self._status_lock:
            sent = sum(len(rows) for rows in validated.values())
            self._status = replace(self._status, catchup_done=self._status.catchup_done + sent)

    def _put_aside(self, stream: str, reason: str) -> None:
        log.error("sync set aside %s: %s", stream, reason)
        self._set_aside[stream] = _SetAside(reason=reason, since=time.monotonic())
        self._report(state=SyncState.ERROR, last_error=reason)

    # ---- pull and fetch --------------------------------------------------

    def _pull_all(self) -> None:
        while not self._stop.is_set():
            page = self._client.pull(self._port.pull_cursor(), self._pull_limit)
            self._port.apply_remote(page)
            if not page.has_more:
                return

    def _serve_fetches(self) -> None:
        while True:
            try:
                code, future = self._fetches.get_nowait()
            except queue.Empty:
                return
            if not future.set_running_or_notify_cancel():
                continue
            try:
                found = self._client.fetch_card(code)
                if found is not None:
                    self._port.apply_remote(PullResponse(
                        v=PROTOCOL_VERSION,
                        cursor=self._port.pull_cursor(),
                        has_more=False,
                        entries=[e for e in found.entries if e.terminal_id != self._terminal_id],
                        cards=[found.card] if found.card is not None else [],
                    ))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                future.set_exception(exc)
            else:
                future.set_result(found)

    def _cancel_fetches(self) -> None:
        while True:
            try:
                _, future = self._fetches.get_nowait()
            except queue.Empty:
                return
            future.cancel()

    # ---- reporting -------------------------------------------------------

    def _report_progress(self) -> None:
        pending = self._port.pending_count()
        with self._status_lock:
            done = self._status.catchup_done
            self._status = replace(self._status, pending=pending, catchup_total=done + pending)
        self._emit()

    def _report_success(self) -> None:
        pending = self._port.pending_count()
        if self._set_aside:
            reasons = "; ".join(f"{k}: {v.reason}" for k, v in self._set_aside.items())
            self._report(state=SyncState.ERROR, pending=pending, last_sync_at=utc_now(),
                         last_error=reasons)
            return
        done = self.status.catchup_done if pending else 0
        self._report(state=SyncState.ONLINE, pending=pending, last_sync_at=utc_now(),
                     last_error=None, catchup_done=done, catchup_total=done + pending)

    def _report(self, **changes: Any) -> None:
        with self._status_lock:
            self._status = replace(self._status, set_aside=tuple(sorted(self._set_aside)),
                                   clock_refused=self._clock_refused(), records_refused=len(self._refused),
                                   **changes)
        self._emit()

    def _clock_refused(self) -> bool:
        """The hub refused this till's times, in a stream held back or in a record of the last push."""
        return (any(r.code in CLOCK_REFUSAL_CODES for r in self._refused)
                or any(item.reason.endswith(tuple(f"[{c}]" for c in CLOCK_REFUSAL_CODES))
                       for item in self._set_aside.values()))

    def _emit(self) -> None:
        status = self.status
        for callback in list(self._listeners):
            try:
                callback(status)
            except Exception:  # a listener must not stop syncing
                log.exception("sync status listener failed")


def _status_unknown_to_hub(exc: HubRefused) -> bool:
    # An older hub forbids fields it does not know: "malformed request: body.status: Extra inputs ...".
    return exc.status == 422 and exc.body.code == "malformed" and "body.status" in exc.body.message


def _signing_fields(outbox: Outbox) -> dict[str, Any]:
    """The till's chain key for the push, so the hub binds it if it has none (sync/hub/signing.py)."""
    if outbox.signing_key is None or outbox.signed_from is None:
        return {}
    return {"signing_key": outbox.signing_key,
            "signed_from": SignedFrom(entries=outbox.signed_from["entries"], audit=outbox.signed_from["audit"])}


def _head(stream: str, row: Mapping[str, Any]) -> Any:
    if stream in _CHAINS:
        return row.get("seq")
    return (row.get(_RECORD_KEYS[stream]), row.get("updated_at"))


def _refusal_text(exc: HubRefused) -> str:
    where = f" ({exc.body.stream})" if exc.body.stream else ""
    return f"the hub refused{where}: {exc.body.message} [{exc.code}]"


def _local_problem(stream: str, rows: Sequence[Mapping[str, Any]], exc: ValidationError) -> str:
    first = exc.errors()[0]
    index = first["loc"][0] if first["loc"] and isinstance(first["loc"][0], int) else 0
    row = rows[index] if isinstance(index, int) and index < len(rows) else {}
    ident = row.get("seq", row.get(_RECORD_KEYS.get(stream, ""), "?"))
    field = ".".join(str(p) for p in first["loc"][1:])
    return (f"local {stream} record {ident} cannot be sent: {field} {first['msg']}; "
            "it stays in the local store — check the terminal's data")
