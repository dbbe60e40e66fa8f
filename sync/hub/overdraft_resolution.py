"""An owner marks a flagged overdraft resolved, with a note saying how (the console's action).

The flag stays (it is history); resolving records who, when and why. Only
the hub keeps this: tills never see it, so no change id is taken.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sync.hub.admin import AdminError, utc_iso
from sync.hub.db import reading, writing
from sync.hub.schema import entries, overdrafts

MAX_NOTE = 500


def list_overdrafts(engine: Engine, merchant_id: str, limit: int = 500) -> list[dict[str, Any]]:
    """The merchant's overdrafts, newest first, each with the entries that met."""
    with reading(engine) as conn:
        rows = [dict(r) for r in conn.execute(
            sa.select(overdrafts).where(overdrafts.c.merchant_id == merchant_id)
            .order_by(overdrafts.c.overdraft_id.desc()).limit(limit)).mappings()]
        ids = {entry_id for row in rows for entry_id in json.loads(row["entry_ids"])}
        found = {r["entry_id"]: dict(r) for r in conn.execute(
            sa.select(entries.c.entry_id, entries.c.terminal_id, entries.c.kind, entries.c.stamps,
                      entries.c.points, entries.c.at)
            .where(entries.c.merchant_id == merchant_id, entries.c.entry_id.in_(sorted(ids)))).mappings()}
    for row in rows:
        row["entries"] = [found[i] for i in json.loads(row["entry_ids"]) if i in found]
    return rows


def resolve_overdraft(engine: Engine, merchant_id: str, overdraft_id: int, by: str, note: str) -> str:
    """Mark it resolved; returns when. Resolving again keeps the first resolution."""
    note = (note or "").strip()
    if not 1 <= len(note) <= MAX_NOTE:
        raise AdminError(f"write a note of 1 to {MAX_NOTE} characters saying how it was resolved",
                         "overdraft_note_length", most=MAX_NOTE)
    with writing(engine) as conn:
        row = conn.execute(sa.select(overdrafts.c.resolved_at).where(
            overdrafts.c.merchant_id == merchant_id, overdrafts.c.overdraft_id == overdraft_id)).one_or_none()
        if row is None:
            raise LookupError(f"no overdraft {overdraft_id} at this merchant")
        if row.resolved_at is not None:
            return row.resolved_at
        now = utc_iso()
        conn.execute(sa.update(overdrafts).where(overdrafts.c.overdraft_id == overdraft_id)
                     .values(resolved_at=now, resolved_by=by, resolution_note=note))
    return now
