"""``loyalty-hub serve --workers 2`` as a real subprocess on PostgreSQL.

Two real tills push and pull through it; every entry lands once, a webhook
event is delivered exactly once though both workers run a delivery worker,
and SIGTERM stops the supervisor and both workers cleanly. On SQLite more
than one worker is refused with a message that says what to do.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from conftest import free_port
from real_terminal import RealTerminal
from sync_helpers import stop_served_hub, wait_for
from webhook_receiver import Receiver

from sync.hub import webhooks
from sync.hub.db import writing
from sync.hub.schema import entries, webhook_deliveries, webhook_events
from terminal.domain.clock import ManualClock

ROOT = Path(__file__).resolve().parents[2]


def _hub_command(url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "sync.hub.cli", "--database-url", url, *args]


def _environment() -> dict[str, str]:
    # The conftest's autouse fixture put this test's key files in the environment.
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="counts worker processes through /proc")
@pytest.mark.parametrize("hub_db_url", ["postgresql"], indirect=True)
def test_two_workers_tills_land_once_webhook_once_and_sigterm_stops_all(hub_db_url, hub_engine, merchant,
                                                                        tmp_path):
    port = free_port()
    hub_url = f"http://127.0.0.1:{port}"
    with Receiver() as receiver:
        with writing(hub_engine) as conn:
            webhooks.add_endpoint(conn, merchant.merchant_id, receiver.url, ["points.earned"])
        proc = subprocess.Popen(_hub_command(hub_db_url, "serve", "--workers", "2", "--port", str(port),
                                             "--log-level", "warning", "--db-connections", "8"),
                                env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        till_a = till_b = None
        try:
            wait_for(lambda: _healthy(hub_url) or proc.poll() is not None, timeout=60, what="the hub to answer")
            assert proc.poll() is None, proc.communicate()
            workers = _children(proc.pid)
            assert len([p for p in workers if _alive(p)]) >= 2, "expected two worker processes"

            clock = ManualClock(datetime.now(UTC))
            till_a = RealTerminal.founded(tmp_path / "a", clock)
            till_a.pair(hub_url, hub_engine, merchant.store_id, "Till A")
            till_b = RealTerminal.joined(tmp_path / "b", hub_url, hub_engine, merchant.store_id, clock)
            code = till_a.enroll("Ann")
            till_a.earn(code, 1200)
            till_a.sync()
            till_b.sync()
            till_b.earn(code, 800)
            till_b.sync()
            till_a.sync()
            # each till's chain landed once, and both tills agree on the card
            for till in (till_a, till_b):
                mine = till.ledger(local=True)
                with hub_engine.connect() as conn:
                    held = conn.execute(sa.select(entries.c.entry_id, entries.c.seq)
                                        .where(entries.c.terminal_id == till.terminal_id)).all()
                assert sorted(e for e, _ in held) == sorted(e for _, e, _, _ in mine)
                assert len({s for _, s in held}) == len(held)
            assert till_a.balance(code) == till_b.balance(code)
            assert till_a.balance(code)[1] > 0

            with hub_engine.connect() as conn:
                events = conn.execute(sa.select(webhook_events.c.event_id)
                                      .where(webhook_events.c.type == "points.earned")).scalars().all()
            assert len(events) == 2  # one earn at each till
            wait_for(lambda: _delivered(hub_engine) == len(events), timeout=30, what="both deliveries")
        finally:
            for till in (till_a, till_b):
                if till is not None:
                    till.close()
            err = stop_served_hub(proc)
        assert proc.returncode == 0, err
        assert "Traceback" not in err, err
        assert not [p for p in workers if _alive(p)], "a worker outlived the supervisor"
        # stopped: nothing can be sent any more, so what the receiver has is final
        by_event = Counter(r.headers["loyalty-event-id"] for r in receiver.got)
        assert sorted(by_event) == sorted(events)
        assert set(by_event.values()) == {1}, f"an event was delivered more than once: {by_event}"


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _delivered(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(webhook_deliveries)
                            .where(webhook_deliveries.c.status == "delivered")).scalar_one()


@pytest.mark.parametrize("hub_db_url", ["sqlite"], indirect=True)
def test_several_workers_on_sqlite_are_refused_with_what_to_do(hub_db_url):
    done = subprocess.run(_hub_command(hub_db_url, "serve", "--workers", "2"), env=_environment(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--workers 2 needs PostgreSQL" in done.stderr
    assert "--workers 1" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("hub_db_url", ["sqlite"], indirect=True)
def test_an_idle_connection_outlives_a_proxys_pause(hub_db_url, hub_engine):
    """A reverse proxy keeps its connections to the hub open while idle (Caddy two minutes) and sends
    the next request on one: the hub must not close it first. Closing after uvicorn's 5 s default, the
    hub could close a connection just as the proxy sends a push on it, and the till gets a 502."""
    port = free_port()
    proc = subprocess.Popen(_hub_command(hub_db_url, "serve", "--port", str(port)), env=_environment(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: _healthy(f"http://127.0.0.1:{port}"), timeout=30, what="the hub to start")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/health")
        assert conn.getresponse().read() and conn.sock is not None
        first = conn.sock
        time.sleep(6)
        conn.request("GET", "/health")
        answer = conn.getresponse()
        assert answer.status == 200 and conn.sock is first
        conn.close()
    finally:
        assert "Traceback" not in stop_served_hub(proc)
