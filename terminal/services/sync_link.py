"""The terminal's link to its hub: pairing, and the background syncer's life.

Pairing comes in two cases:

- :func:`pair_existing`: a terminal that already has its store (the first
  one of a store) pairs with the hub store. It sends its store profile and
  its PIN key (the hub keeps the key wrapped with its master key) and its
  whole history leaves with the first sync.
- :func:`join_store`: a fresh terminal (empty data folder) joins a store
  already on the hub. It receives the store profile and PIN key, creates its
  store from them and pulls programs, staff and cards, so the setup wizard
  skips its own store creation and the store's staff sign in with their PINs.

The token goes outside the database (:mod:`terminal.services.sync_secrets`);
the hub URL and the pairing facts go to ``sync_state``.

:class:`SyncLink` runs the :class:`~sync.syncer.Syncer` for a paired terminal;
it is Qt-free: the window wraps it (terminal/ui/sync_bridge.py).
"""

from __future__ import annotations

import base64
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, replace

from sqlalchemy import select

from sync.client import HubClient, HubError, HubRefused, HubUnavailable
from sync.protocol import CardWithEntries, StoreProfile
from sync.status import SyncState, SyncStatus
from sync.syncer import Syncer
from terminal.domain.clock import from_iso, to_iso
from terminal.domain.codes import normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services import sync_secrets
from terminal.services.context import ServiceContext
from terminal.services.setup import check_currency, check_timezone
from terminal.settings import resolve_config_dir
from terminal.store import chain_key
from terminal.store.models import LedgerRow, StoreInfo
from terminal.store.secret_key import load_secret_key
from terminal.store.sync_port import (
    StoreSyncPort,
    clear_refusals,
    is_provisional,
    read_state,
    record_refusals,
    write_state,
)

log = logging.getLogger(__name__)

StatusListener = Callable[[SyncStatus], None]
_L = LedgerRow.__table__


@dataclass(frozen=True)
class PairingResult:
    hub_url: str
    terminal_id: str
    merchant_name: str
    store_id: str          # the hub's store id
    store_name: str
    joined: bool           # True: this terminal's store was made from the hub's
    sync_error: str | None = None  # the first sync failed (it is retried in the background)


@dataclass(frozen=True)
class LinkInfo:
    """What the settings page shows about the link."""

    hub_url: str
    hub_store_id: str
    store_name: str
    paired_at: str
    last_sync_at: str | None


def check_hub_url(text: str) -> str:
    url = (text or "").strip().rstrip("/")
    if not url.startswith(("http://", "https://")) or len(url) < 10 or " " in url:
        raise LoyaltyError(ErrorCode.INVALID_INPUT,
                           "The hub address starts with https:// (or http:// on a trusted network), "
                           "for example https://hub.example.com:8700.", reason="bad_address")
    return url


def _check_code(text: str) -> str:
    code = "".join((text or "").split())
    if not 4 <= len(code) <= 32:
        raise LoyaltyError(ErrorCode.INVALID_INPUT,
                           "Type the pairing code shown by 'loyalty-hub terminals add', like K7QM2-XR9TB.",
                           reason="bad_code")
    return code


# why the hub did not answer -> what to tell the person pairing (the pairing dialog says the same, translated)
UNAVAILABLE_SENTENCES = {
    "unreachable": "The hub at {url} did not answer. Check the address and that it is running.",
    "timeout": "The hub at {url} did not answer in time. Check the network and that the hub is running, "
               "then try again.",
    "tls": "The hub at {url} could not be reached securely: its certificate was not accepted. Check the "
           "address (https or http) and the hub's certificate.",
    "dropped": "The connection to the hub at {url} broke off. Check the network, then try again.",
    "failing": "The hub at {url} is busy or has a problem. Try again in a minute; if it goes on, check the "
               "hub's log.",
    "unreadable": "{url} answered, but not like a loyalty hub. Check the address.",
}
# the hub's refusal code -> what to do about it
REFUSAL_SENTENCES = {
    "pairing_code_invalid": "The hub does not know this pairing code. Check it, or ask the owner for a new one "
                            "('loyalty-hub terminals add').",
    "pairing_code_used": "This pairing code was already used. Ask the owner for a new one "
                         "('loyalty-hub terminals add').",
    "pairing_code_expired": "This pairing code has expired. Ask the owner for a new one "
                            "('loyalty-hub terminals add').",
    "store_not_set_up": "No till of this store has sent its set-up to the hub yet. Pair the till that is "
                        "already set up first, then join this one.",
    "store_key_conflict": "Another till already paired its own store with this hub store. Join it from an "
                          "empty data folder instead, or ask for a code for a new hub store.",
    "terminal_id_taken": "Another merchant's till already uses this terminal's id on that hub; this "
                         "terminal's data cannot be paired there.",
}
REFUSED_SENTENCE = "The hub refused the pairing. Check the pairing code, or ask the owner for a new one."
NOT_A_HUB_SENTENCE = "{url} answers but is not a loyalty hub. Check the address."


def _pair_error(exc: HubError, url: str) -> LoyaltyError:
    """A sentence (never errno text); ``details`` keep ``reason`` and ``url`` so the window can translate it."""
    if isinstance(exc, HubUnavailable):
        reason = exc.reason if exc.reason in UNAVAILABLE_SENTENCES else "unreachable"
        return LoyaltyError(ErrorCode.INVALID_INPUT, UNAVAILABLE_SENTENCES[reason].format(url=url),
                            hub_code="unavailable", reason=reason, url=url)
    assert isinstance(exc, HubRefused)
    if exc.status == 404 and exc.code not in REFUSAL_SENTENCES:
        return LoyaltyError(ErrorCode.INVALID_INPUT, NOT_A_HUB_SENTENCE.format(url=url),
                            hub_code=exc.code, reason="not_a_hub", url=url)
    sentence = REFUSAL_SENTENCES.get(exc.code, REFUSED_SENTENCE)
    return LoyaltyError(ErrorCode.INVALID_INPUT, sentence, hub_code=exc.code, reason="refused", url=url)


def _save_link(services, url: str, answer, now) -> None:  # noqa: ANN001
    with services.ctx.db.write() as session:
        conn = session.connection()
        write_state(conn, "hub_url", url)
        write_state(conn, "hub_store_id", answer.store_id)
        write_state(conn, "hub_store_name", answer.store_name)
        write_state(conn, "merchant_name", answer.merchant_name)
        write_state(conn, "paired_at", to_iso(now))


def pair_existing(services, hub_url: str, code: str, *, client_timeout: float = 15.0) -> PairingResult:  # noqa: ANN001
    """Pair this terminal's existing store with the hub store of ``code`` (see module doc)."""
    url, code = check_hub_url(hub_url), _check_code(code)
    ctx = services.ctx
    facts = ctx.store  # raises STORE_NOT_INITIALISED for a fresh terminal: use join_store
    key = load_secret_key(facts.store_id, ctx.settings.secret_backend, resolve_config_dir(ctx.settings),
                          create=False)
    profile = StoreProfile(name=facts.name[:200], timezone=str(facts.tz.key), currency=facts.currency)
    try:
        with HubClient(url, timeout=client_timeout) as client:
            answer = client.pair(code, facts.terminal_id, store=profile,
                                 pin_key=base64.b64encode(key).decode(),
                                 signing=chain_key.pairing_offer(ctx.db, facts.terminal_id))
    except HubError as exc:
        raise _pair_error(exc, url) from None
    sync_secrets.save_token(ctx.settings, facts.terminal_id, answer.token)
    chain_key.keep_hub_key(ctx.db, facts.terminal_id, answer.hub_key)
    _save_link(services, url, answer, ctx.clock.now())
    return PairingResult(url, facts.terminal_id, answer.merchant_name, answer.store_id,
                         answer.store_name, joined=False)


def join_store(services, hub_url: str, code: str, *, client_timeout: float = 15.0) -> PairingResult:  # noqa: ANN001
    """Make this fresh terminal a till of the hub store of ``code`` and pull its data."""
    url, code = check_hub_url(hub_url), _check_code(code)
    ctx = services.ctx
    if services.initialised:
        raise LoyaltyError(ErrorCode.STORE_EXISTS,
                           "This terminal already has a store: pair it instead of joining another one.")
    terminal_id = str(uuid.uuid4())
    try:
        with HubClient(url, timeout=client_timeout) as client:
            answer = client.pair(code, terminal_id, join=True,
                                 signing=chain_key.pairing_offer(ctx.db, terminal_id))
    except HubError as exc:
        raise _pair_error(exc, url) from None
    if answer.store is None or answer.pin_key is None:
        raise LoyaltyError(ErrorCode.UNEXPECTED, "The hub did not send the store's set-up; update the hub.")
    profile = answer.store
    check_timezone(profile.timezone)
    check_currency(profile.currency)
    # Secrets first: a store row without its PIN key would lock everyone out.
    sync_secrets.save_pin_key(ctx.settings, answer.store_id, base64.b64decode(answer.pin_key))
    sync_secrets.save_token(ctx.settings, terminal_id, answer.token)
    chain_key.keep_hub_key(ctx.db, terminal_id, answer.hub_key)
    now = ctx.clock.now()
    with ctx.db.write() as session:
        session.add(StoreInfo(id=1, store_id=answer.store_id, name=profile.name[:120],
                              timezone=profile.timezone, currency=profile.currency,
                              terminal_id=terminal_id, created_at=now))
    _save_link(services, url, answer, now)
    ctx.forget_store()
    ctx.hasher = services._hasher(answer.store_id, create=False)
    sync_error = None
    with HubClient(url, answer.token, timeout=client_timeout) as client:
        try:
            Syncer(StoreSyncPort(ctx.db, ctx.clock, ctx.lockout), client).sync_once()
        except HubError as exc:
            sync_error = str(exc)
    return PairingResult(url, terminal_id, answer.merchant_name, answer.store_id, profile.name,
                         joined=True, sync_error=sync_error)


@dataclass(frozen=True)
class RefusedChange:
    """A card, program or staff change the hub did not take (the owner's sync page lists them)."""

    stream: str        # "cards", "programs" or "staff"
    key: str
    name: str          # the program's or staff member's name, or the card's code
    code: str          # record_forbidden, clock_ahead, clock_too_old, record_unservable
    message: str       # the hub's own words (English), for the log and support
    refused_at: str    # UTC ISO
    restored: bool     # the hub's version was put back on this till


def refused_changes(ctx: ServiceContext) -> list[RefusedChange]:
    """Changes made here that the hub refused, newest first."""
    with ctx.db.read() as session:
        rows = record_refusals(session.connection())
    return [RefusedChange(**{k: row[k] for k in RefusedChange.__dataclass_fields__}) for row in reversed(rows)]


def dismiss_refused_changes(ctx: ServiceContext) -> None:
    """The owner has dealt with them: empty the list."""
    with ctx.db.write() as session:
        clear_refusals(session.connection())


def link_info(ctx: ServiceContext) -> LinkInfo | None:
    """The hub this terminal is paired with, or None."""
    with ctx.db.read() as session:
        conn = session.connection()
        url = read_state(conn, "hub_url")
        if url is None:
            return None
        return LinkInfo(url, read_state(conn, "hub_store_id") or "", read_state(conn, "hub_store_name") or "",
                        read_state(conn, "paired_at") or "", read_state(conn, "last_sync_at"))


class SyncLink:
    """Builds and runs the syncer of a paired terminal. Qt-free; see terminal/ui/sync_bridge.py.

    ``start()`` does nothing on a terminal that is not paired (``paired`` is
    False); call it again after pairing. Status goes to the listeners, on
    the syncer's worker thread.
    """

    def __init__(self, services, *, batch_size: int = 1000) -> None:  # noqa: ANN001
        self._services = services
        self._batch_size = batch_size
        self._listeners: list[StatusListener] = []
        self._syncer: Syncer | None = None
        self._client: HubClient | None = None

    @property
    def paired(self) -> bool:
        return has_store(self._services.ctx) and link_info(self._services.ctx) is not None

    @property
    def running(self) -> bool:
        return self._syncer is not None

    def add_listener(self, callback: StatusListener) -> None:
        self._listeners.append(callback)

    def remove_listener(self, callback: StatusListener) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    def _with_clock(self, status: SyncStatus) -> SyncStatus:
        """``status`` with the clock difference the client measured; the counter refuses stamps by it."""
        client = self._client
        skew = client.clock_skew if client is not None else None
        self._services.counter.hub_skew = skew
        if skew is None:
            return status
        return replace(status, clock_skew_seconds=int(skew.total_seconds()))

    def _relay(self, status: SyncStatus) -> None:
        status = self._with_clock(explained(status))
        for callback in list(self._listeners):
            try:
                callback(status)
            except Exception:  # a listener must not stop syncing or the others
                log.exception("sync status listener failed")

    @property
    def status(self) -> SyncStatus | None:
        """The last status, or None when not paired (the status bar shows nothing)."""
        return self._with_clock(explained(self._syncer.status)) if self._syncer is not None else None

    def start(self) -> bool:
        """Start syncing if paired; True when the syncer runs."""
        if self._syncer is not None:
            return True
        info = link_info(self._services.ctx) if has_store(self._services.ctx) else None
        if info is None:
            return False
        ctx = self._services.ctx
        token = sync_secrets.load_token(ctx.settings, ctx.store.terminal_id)
        if token is None:
            status = SyncStatus(state=SyncState.ERROR,
                                last_error="This terminal's hub token is missing (keyring or config folder "
                                           "was reset). Pair it again with a new code.")
            for callback in self._listeners:
                callback(status)
            return False
        self._client = HubClient(info.hub_url, token, now=ctx.clock.now)
        self._syncer = Syncer(StoreSyncPort(ctx.db, ctx.clock, ctx.lockout), self._client, batch_size=self._batch_size,
                              pull_interval=float(ctx.settings.sync_pull_seconds))
        self._syncer.add_listener(self._relay)
        self._syncer.start()
        return True

    def stop(self, timeout: float = 1.0) -> bool:
        """Stop the worker (quickly, even mid-request); True when it ended."""
        syncer, client = self._syncer, self._client
        self._syncer = self._client = None
        self._services.counter.hub_skew = None
        ended = syncer.stop(timeout) if syncer is not None else True
        if client is not None:
            client.close()
        return ended

    def notify_local_change(self) -> None:
        """Call after each local action: push soon."""
        if self._syncer is not None:
            self._syncer.notify()

    def sync_now(self) -> None:
        if self._syncer is not None:
            self._syncer.sync_now()

    def ensure_card(self, code: str, timeout: float = 10.0) -> bool:
        """Before showing a scanned card: fetch it from the hub if this store has not seen it.

        A card this store has seen has its enroll entry (or a provisional
        record) here; one known only from the merchant-wide card list, or
        not at all, lacks its history, so the hub is asked (blocks: call
        from a worker). True when the card was fetched; False when nothing
        was needed, the terminal is not syncing, or the hub cannot be asked
        now (then the offline rules apply).
        """
        code = normalize_code(code)
        if self._syncer is None:
            return False
        status = self._syncer.status
        if status.state is SyncState.OFFLINE and status.last_error is not None:
            return False  # the last attempt failed: no waiting on a hub that is known not to answer
        ctx = self._services.ctx
        with ctx.db.read() as session:
            conn = session.connection()
            if conn.execute(select(_L.c.id).where(_L.c.card == code).limit(1)).first() is not None:
                return False
            if is_provisional(conn, code):
                return False
        try:
            return self.fetch_card(code, timeout) is not None
        except LoyaltyError:
            return False

    def fetch_card(self, code: str, timeout: float = 10.0) -> CardWithEntries | None:
        """Fetch a card first scanned here from the hub and store it (blocks: call from a worker).

        None when the hub does not know it; ``LoyaltyError`` when not paired
        or the hub cannot be reached.
        """
        if self._syncer is None:
            raise LoyaltyError(ErrorCode.CARD_NOT_FOUND, "This terminal is not syncing; the card is unknown here.")
        future: Future[CardWithEntries | None] = self._syncer.fetch_card(code)
        try:
            return future.result(timeout)
        except HubError as exc:
            raise LoyaltyError(ErrorCode.CARD_NOT_FOUND,
                               f"The card is not known here and the hub cannot be asked now ({exc}).") from None
        except TimeoutError:
            future.cancel()
            raise LoyaltyError(ErrorCode.CARD_NOT_FOUND,
                               "The card is not known here and the hub did not answer in time.") from None


# Refusals the person at the till must act on, by the hub's code, in their words.
_EXPLAINED = {
    "terminal_revoked": "The owner has ended this till's access to the hub. Everything recorded here is "
                        "kept. Ask the owner for a recovery code ('loyalty-hub terminals recover') and "
                        "pair this till again.",
    "clock_ahead": "The hub did not accept this till's records: they are dated ahead of the hub's clock. "
                   "Check the computer's clock (date, time and time zone). The records are kept and sent "
                   "once their time is right.",
    "clock_too_old": "The hub did not accept this till's records: they are dated before 2020. Check the "
                     "computer's clock (date, time and time zone).",
}


def explained(status: SyncStatus) -> SyncStatus:
    """``status`` with a refusal the syncer reported as "… [code]" put in plain words."""
    for code, sentence in _EXPLAINED.items():
        if status.last_error and status.last_error.endswith(f"[{code}]"):
            return replace(status, last_error=sentence)
    return status


def last_sync_at(conn) -> object:  # noqa: ANN001
    """When the last exchange with the hub succeeded (aware UTC), or None."""
    text = read_state(conn, "last_sync_at")
    return from_iso(text) if text else None


def has_store(ctx: ServiceContext) -> bool:
    try:
        ctx.store  # noqa: B018
    except LoyaltyError:
        return False
    return True


def hub_client_for(ctx: ServiceContext) -> HubClient | None:
    """A client with this terminal's token, or None when not paired."""
    info = link_info(ctx) if has_store(ctx) else None
    if info is None:
        return None
    token = sync_secrets.load_token(ctx.settings, ctx.store.terminal_id)
    return HubClient(info.hub_url, token, timeout=10) if token else None

