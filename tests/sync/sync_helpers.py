"""Small helpers shared by the sync tests."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from terminal_double import TerminalDouble

from sync.client import HubClient
from sync.hub import admin
from sync.hub.schema import audit_events, entries
from sync.protocol import PROTOCOL_VERSION, PullResponse


def pair_terminal(hub_url: str, engine: Engine, store_id: str, path: Path,
                  name: str = "Till") -> tuple[TerminalDouble, HubClient]:
    """A terminal store on ``path`` paired with the hub, and its client."""
    terminal = TerminalDouble(path)
    pairing = admin.add_terminal(engine, store_id, name)
    with HubClient(hub_url) as anonymous:
        answer = anonymous.pair(pairing.code, terminal.terminal_id())
    return terminal, HubClient(hub_url, answer.token, timeout=10)


def wait_for(condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


def stop_served_hub(proc: subprocess.Popen[str], timeout: float = 30.0) -> str:
    """SIGTERM a ``loyalty-hub serve`` started by a test and return its stderr; killed (and the test failed)
    when it does not stop in ``timeout`` seconds."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.communicate(timeout=timeout)[1]
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise


def hub_entries(engine: Engine, terminal_id: str | None = None) -> list[dict]:
    """Entries the hub holds, as terminals store them (wire fields only)."""
    columns = [entries.c[name] for name in (
        "entry_id", "terminal_id", "seq", "card", "kind", "stamps", "points", "amount",
        "reward_id", "staff_id", "reason", "reverses", "at", "prev_hash", "hash")]
    query = sa.select(*columns).order_by(entries.c.terminal_id, entries.c.seq)
    if terminal_id is not None:
        query = query.where(entries.c.terminal_id == terminal_id)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


def hub_audit_count(engine: Engine, terminal_id: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(audit_events)
                            .where(audit_events.c.terminal_id == terminal_id)).scalar_one()


def empty_page(cursor: int) -> PullResponse:
    return PullResponse(v=PROTOCOL_VERSION, cursor=cursor, has_more=False)


def undo_schema_5(conn: sa.Connection) -> None:
    """Back to the version 4 tables: without the record rules' columns and table."""
    conn.execute(sa.text("DROP TABLE program_stores"))
    for table in ("cards", "programs", "staff"):
        conn.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN origin_store_id"))
