"""Reward stock counted across tills, as the hub counts it (sync/hub/flags.py).

A reward's stock is merchant-wide. A program record states each reward's
stock **as of the program's version** (its ``updated_at``); every redemption
made at or after that time, on any till and net of voids, counts against it.
So:

- a till redeeming takes one off its figure, a void puts it back (the counter
  and owner use cases);
- a program leaving this till states its figure plus the redemptions counted
  since the version (``as_of_version``), so what it says does not depend on
  when the push happened;
- a program arriving sets each reward's figure to the stated stock minus the
  redemptions this till holds since that version (``apply_program``);
- other tills' redemptions and voids arriving change the figure by what they
  change that count (``apply_remote``);
- an owner setting a stock makes a new program version (``restocked``).

The stock column itself is not a synced field (migration 0002's trigger leaves
it out: counting does not make a new program version).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.engine import Connection

from terminal.domain.clock import from_iso
from terminal.domain.ledger import EntryKind
from terminal.store.models import LedgerRow, ProgramRow, RewardRow, SyncRecord

_R, _L, _SR, _P = RewardRow.__table__, LedgerRow.__table__, SyncRecord.__table__, ProgramRow.__table__
_VOIDS = _L.alias("stock_voids")
_REDEEM_KINDS = (EntryKind.REDEEM.value, EntryKind.STAMP_REDEEM.value)


def counted_since(conn: Connection, reward_id: str, since: datetime,
                  leave_out: Collection[str] = ()) -> int:
    """Redemptions of the reward at or after ``since`` that no void reverses (``leave_out``: entry ids
    to count as absent)."""
    voided = exists().where(and_(_VOIDS.c.reverses == _L.c.entry_id,
                                 _VOIDS.c.entry_id.not_in(list(leave_out))))
    return conn.execute(select(func.count()).select_from(_L).where(
        _L.c.reward_id == reward_id, _L.c.kind.in_(_REDEEM_KINDS), _L.c.at >= since,
        _L.c.entry_id.not_in(list(leave_out)), ~voided)).scalar_one()


def as_of_version(conn: Connection, reward_id: str, stock: int | None, version: str) -> int | None:
    """The figure a program record states: the stock as it was at the program's version."""
    if stock is None:
        return None
    return stock + counted_since(conn, reward_id, from_iso(version))


def apply_program(conn: Connection, settings: Mapping[str, Any], version: str) -> None:
    """A program arrived: each reward's figure is its stated stock less what was redeemed since."""
    since = from_iso(version)
    for reward in settings.get("rewards") or ():
        stated = reward.get("stock")
        figure = None if not isinstance(stated, int) else stated - counted_since(conn, reward["reward_id"], since)
        conn.execute(update(_R).where(_R.c.reward_id == reward["reward_id"]).values(stock=figure))


def apply_remote(conn: Connection, new: Sequence[Mapping[str, Any]]) -> None:
    """Other tills' entries were just inserted: change each stocked reward's figure by what they
    changed the count (redemptions take one, voids of them give it back, a second void nothing)."""
    reward_ids = sorted({r["reward_id"] for r in new if r.get("reward_id")})
    if not reward_ids:
        return
    new_ids = [r["entry_id"] for r in new]
    rows = conn.execute(select(_R.c.reward_id, _R.c.stock, _SR.c.version)
                        .join(_SR, and_(_SR.c.kind == "programs", _SR.c.key == _R.c.program_id))
                        .where(_R.c.reward_id.in_(reward_ids), _R.c.stock.is_not(None))).all()
    for row in rows:
        since = from_iso(row.version)
        change = counted_since(conn, row.reward_id, since) - counted_since(conn, row.reward_id, since, new_ids)
        if change:
            conn.execute(update(_R).where(_R.c.reward_id == row.reward_id).values(stock=_R.c.stock - change))


def restocked(conn: Connection, program_id: str) -> None:
    """The owner set a reward's stock: make a new program version, which states the new figure.

    A stock change alone fires no sync trigger (counting must not make versions); touching the
    program does (migration 0002's ``sync_programs_update``).
    """
    conn.execute(update(_P).where(_P.c.program_id == program_id).values(updated_at=_P.c.updated_at))
