"""What a till reports of itself on a push (``PushRequest.status``), kept on its terminal row.

The dashboard shows it: how many of its own entries and audit events the till
still had to push once that push was stored, and its app version. A till that
never sent it (an older one) shows "unknown", never a made-up zero.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.hub.auth import TerminalPrincipal
from sync.hub.schema import terminals
from sync.protocol import TillStatus


def keep(conn: Connection, who: TerminalPrincipal, status: TillStatus | None, now: str) -> None:
    if status is None:
        return
    conn.execute(sa.update(terminals).where(terminals.c.terminal_id == who.terminal_id).values(
        pending_entries=status.pending_entries, pending_audit=status.pending_audit,
        app_version=status.app_version, status_at=now))
