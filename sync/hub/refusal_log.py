"""Records of a push the hub set aside (``record_rules.screen``), kept for the console's audit log.

The till is told at once (``PushResponse.refused``); the owner reads them later
in the console. A till that sends the same push again (its answer was lost)
gets the same refusals; they are kept once, by (till, record version, code).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from sync.hub.auth import TerminalPrincipal
from sync.hub.schema import record_refusals
from sync.hub.visibility import insert_rows
from sync.protocol import RecordRefusal


def keep_refusals(conn: Connection, who: TerminalPrincipal, refused: Sequence[RecordRefusal], now: str) -> None:
    if not refused:
        return
    t = record_refusals.c
    known = {tuple(row) for row in conn.execute(sa.select(t.stream, t.record_key, t.updated_at, t.code).where(
        t.terminal_id == who.terminal_id, t.record_key.in_(sorted({r.key for r in refused}))))}
    rows = []
    for refusal in refused:
        version = (refusal.stream, refusal.key, refusal.updated_at, refusal.code)
        if version not in known:
            known.add(version)
            rows.append({"merchant_id": who.merchant_id, "terminal_id": who.terminal_id,
                         "stream": refusal.stream, "record_key": refusal.key[:64],
                         "updated_at": refusal.updated_at, "code": refusal.code,
                         "message": refusal.message, "received_at": now})
    insert_rows(conn, record_refusals, rows)
