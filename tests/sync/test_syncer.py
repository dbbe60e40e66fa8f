"""The syncer's behaviour against the real hub: backoff, refusals, stopping, events."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import threading
import time

import httpx
import pytest
from chaos import ChaosTransport
from conftest import HubServer, free_port, make_merchant
from sync_helpers import hub_audit_count, hub_entries, pair_terminal, wait_for

from sync.backoff import Backoff
from sync.client import HubClient
from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate
from sync.port import Ack
from sync.status import SyncState
from sync.syncer import Syncer

FAST = dict(backoff=Backoff(base=0.01, cap=0.05), pull_interval=0.05)


class Recorder:
    def __init__(self) -> None:
        self.events = []
        self._lock = threading.Lock()

    def __call__(self, status) -> None:
        with self._lock:
            self.events.append(status)

    def states(self) -> list[str]:
        with self._lock:
            return [e.state for e in self.events]


class CountingTransport(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[tuple[float, str]] = []

    def handle_request(self, request):
        self.requests.append((time.monotonic(), request.url.path))
        return super().handle_request(request)


@pytest.fixture
def sqlite_hub(tmp_path):
    engine = create_hub_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    migrate(engine)
    yield engine, make_merchant(engine)
    engine.dispose()


def test_offline_then_online_catches_up_and_reports_progress(sqlite_hub, tmp_path):
    engine, merchant = sqlite_hub
    server = HubServer(engine).start()
    terminal, paired_client = pair_terminal(server.url, engine, merchant.store_id, tmp_path / "t.db")
    token = paired_client._http.headers["Authorization"].removeprefix("Bearer ")
    paired_client.close()
    server.stop()

    card = terminal.enroll()
    terminal.record([dict(card=card, kind="stamp", stamps=1) for _ in range(120)])
    recorder = Recorder()
    with HubClient(server.url, token, timeout=2) as client:
        syncer = Syncer(terminal, client, batch_size=25, **FAST)
        syncer.add_listener(recorder)
        syncer.start()
        try:
            # The syncer starts OFFLINE and may report that (pending counted) before its first push fails.
            wait_for(lambda: SyncState.OFFLINE in recorder.states() and syncer.status.last_error,
                     what="offline state with its reason")
            assert "cannot reach the hub" in syncer.status.last_error
            assert syncer.status.pending == 122
            server.start()  # same port, same database
            wait_for(lambda: syncer.status.state == SyncState.ONLINE and syncer.status.pending == 0,
                     what="catch-up")
        finally:
            assert syncer.stop()
            server.stop()
    fractions = [e.catchup_fraction for e in recorder.events if e.catchup_total]
    assert fractions == sorted(fractions) and len(fractions) >= 4, "progress is reported per batch"
    assert syncer.status.catchup_fraction == 1.0 and syncer.status.last_sync_at
    assert len(hub_entries(engine)) == 121


def test_retry_after_is_honoured(hub, hub_engine, merchant, tmp_path):
    terminal, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
    client.close()
    terminal.enroll()

    class Busy(CountingTransport):
        def handle_request(self, request):
            self.requests.append((time.monotonic(), request.url.path))
            if len(self.requests) == 1:
                return httpx.Response(429, headers={"Retry-After": "1"},
                                      json={"code": "rate_limited", "message": "slow down"})
            return httpx.HTTPTransport.handle_request(self, request)

    transport = Busy()
    token = client._http.headers["Authorization"].removeprefix("Bearer ")
    with HubClient(hub.url, token, transport=transport) as busy_client:
        syncer = Syncer(terminal, busy_client, **FAST)
        syncer.start()
        try:
            wait_for(lambda: syncer.status.pending == 0 and syncer.status.state == "online", what="push")
        finally:
            assert syncer.stop()
    first, second = transport.requests[0][0], transport.requests[1][0]
    assert second - first >= 0.95, "waited as the hub asked"


def test_a_refused_stream_is_set_aside_reported_and_not_retried_in_a_loop(hub, hub_engine, merchant,
                                                                          tmp_path):
    terminal, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
    client.close()
    card = terminal.enroll()
    terminal.stamp(card)
    terminal.stamp(card)
    terminal.audit("login", {"staff": "s1"})
    with sqlite3.connect(terminal.path) as db:  # an edit behind the app's back
        db.execute("UPDATE entries SET stamps = 50 WHERE seq = 2")
    transport = CountingTransport()
    token = client._http.headers["Authorization"].removeprefix("Bearer ")
    recorder = Recorder()
    with HubClient(hub.url, token, transport=transport) as counted:
        syncer = Syncer(terminal, counted, refusal_retry=60, **FAST)
        syncer.add_listener(recorder)
        syncer.start()
        try:
            wait_for(lambda: hub_audit_count(hub_engine, terminal.terminal_id()) == 1,
                     what="audit pushed despite the bad entry")
            time.sleep(0.5)  # many pull intervals: the refused batch must not be resent
        finally:
            assert syncer.stop()
    pushes = [path for _, path in transport.requests if path.endswith("/push")]
    assert len(pushes) <= 4, f"refused batch resent in a loop: {len(pushes)} pushes"
    status = syncer.status
    assert status.state == SyncState.ERROR and status.set_aside == ("entries",)
    assert "seq 2" in status.last_error and "hash" in status.last_error
    assert status.pending == 3, "the refused entries stay in the outbox"
    assert [e["seq"] for e in hub_entries(hub_engine)] == []  # seq 1 went with the refused batch


def test_stuck_head_is_detected_when_acks_are_not_recorded(hub, hub_engine, merchant, tmp_path):
    terminal, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
    terminal.enroll()

    class ForgetfulPort:
        def __getattr__(self, name):
            return getattr(terminal, name)

        def record_ack(self, ack: Ack) -> None:
            terminal.record_ack(Ack(records=ack.records))  # entries' ack lost

    with client:
        syncer = Syncer(ForgetfulPort(), client, **FAST)
        status = syncer.sync_once()
    assert status.set_aside == ("entries",)
    assert "did not record the ack" in status.last_error


def test_malformed_local_record_is_set_aside_and_the_rest_goes(hub, hub_engine, merchant, tmp_path):
    terminal, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
    card = terminal.enroll()
    with sqlite3.connect(terminal.path) as db:
        db.execute("UPDATE cards SET status = 'lost' WHERE code = ?", (card,))
    with client:
        status = Syncer(terminal, client, **FAST).sync_once()
    assert status.set_aside == ("cards",)
    assert "status" in status.last_error and card in status.last_error
    assert len(hub_entries(hub_engine)) == 1


def test_notify_pushes_soon(hub, hub_engine, merchant, tmp_path):
    terminal, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
    with client:
        syncer = Syncer(terminal, client, pull_interval=60)
        syncer.start()
        try:
            wait_for(lambda: syncer.status.state == "online", what="first cycle")
            terminal.enroll()
            syncer.notify()
            # the next cycle is 60 s away: a push within a quarter of that came from the notify (a tighter
            # bound is a timing test, which a loaded machine fails)
            wait_for(lambda: len(hub_entries(hub_engine)) == 1, timeout=15, what="push after notify")
        finally:
            assert syncer.stop()


def test_stop_is_quick_mid_backoff(tmp_path):
    from terminal_double import TerminalDouble
    terminal = TerminalDouble(tmp_path / "t.db")
    terminal.enroll()
    with HubClient(f"http://127.0.0.1:{free_port()}", "lt_term_x", timeout=1) as client:
        syncer = Syncer(terminal, client, backoff=Backoff(base=30, cap=60))
        syncer.start()
        wait_for(lambda: syncer.status.state == SyncState.OFFLINE, what="offline")
        time.sleep(0.1)
        started = time.monotonic()
        assert syncer.stop()
        assert time.monotonic() - started < 1.0


def test_stop_is_quick_mid_request_to_a_hung_hub(tmp_path):
    from terminal_double import TerminalDouble
    terminal = TerminalDouble(tmp_path / "t.db")
    terminal.enroll()
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = []
    done = threading.Event()

    def hang() -> None:  # accepts connections and never answers
        listener.settimeout(0.1)
        while not done.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=hang)
    thread.start()
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        with HubClient(url, "lt_term_x", timeout=60) as client:
            syncer = Syncer(terminal, client)
            syncer.start()
            wait_for(lambda: accepted, what="the request to be in flight")
            time.sleep(0.1)
            started = time.monotonic()
            assert syncer.stop(timeout=1.0)
            assert time.monotonic() - started < 1.0
    finally:
        done.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()


def test_hub_restored_from_backup_gets_the_missing_entries_again(sqlite_hub, tmp_path):
    engine, merchant = sqlite_hub
    hub_file = engine.url.database
    with HubServer(engine) as server:
        terminal, client = pair_terminal(server.url, engine, merchant.store_id, tmp_path / "t.db")
        card = terminal.enroll()
        Syncer(terminal, client).sync_once()
    engine.dispose()
    shutil.copy(hub_file, tmp_path / "backup.db")  # the nightly backup
    with HubServer(engine, port=server.port) as server:
        terminal.record([dict(card=card, kind="stamp", stamps=1) for _ in range(5)])
        Syncer(terminal, client).sync_once()
    engine.dispose()
    shutil.copy(tmp_path / "backup.db", hub_file)  # disk lost; backup restored
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"hub.db{suffix}").unlink(missing_ok=True)
    with HubServer(engine, port=server.port) as server:
        terminal.stamp(card)
        status = Syncer(terminal, client).sync_once()
    client.close()
    assert status.state == SyncState.ONLINE
    assert hub_entries(engine) == terminal.entries(local=True)
    assert terminal.acked() == (7, 0)


def test_fetch_card_runs_on_the_worker_even_while_backing_off(hub, hub_engine, merchant, tmp_path):
    a, client_a = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "A")
    b, client_b = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "b.db", "B")
    card = a.enroll()
    a.stamp(card, 2)
    with client_a:
        Syncer(a, client_a).sync_once()
    chaos = ChaosTransport(rate=1.0, faults=("busy_503",))
    token = client_b._http.headers["Authorization"].removeprefix("Bearer ")
    client_b.close()
    with HubClient(hub.url, token, transport=chaos) as flaky:
        syncer = Syncer(b, flaky, backoff=Backoff(base=20, cap=20))
        syncer.start()
        try:
            wait_for(lambda: syncer.status.state == SyncState.OFFLINE, what="backing off")
            chaos.calm = True
            found = syncer.fetch_card(card).result(timeout=5)
            missing = syncer.fetch_card("ZZZZZZZZZZ").result(timeout=5)
        finally:
            assert syncer.stop()
    assert found.stamps_balance == 2 and missing is None
    assert b.balance(card) == (2, 0), "the fetched card is stored locally"
