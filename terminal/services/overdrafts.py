"""The owner's view of the hub's flags: rules broken when terminals' offline entries met at the hub.

Kinds (sync/hub/flags.py): ``overdraft`` (a card below zero), ``double_void``
(an entry voided on two tills: what the second void gave back again),
``daily_limit`` (stamps beyond the daily limit) and ``stock`` (a reward
redeemed beyond its stock). Overdrafts also come with every pull; asking the
hub gives every kind and the newest ones (an older hub that knows only
overdrafts is asked for those). Offline, the local copy is shown.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select

from sync.client import HubClient, HubError, HubRefused
from sync.protocol import Flag
from terminal.domain.clock import from_iso
from terminal.domain.staff import Permission
from terminal.services.auth import Authenticator, Grant
from terminal.services.sync_link import hub_client_for
from terminal.store.models import CardBalance, CardRow, RewardRow, SyncOverdraft

_PAGE = 1000


@dataclass(frozen=True)
class OverdraftView:
    overdraft_id: int
    card: str
    holder: str | None
    stamps_balance: int
    points_balance: int
    entry_ids: tuple[str, ...]
    flagged_at: datetime
    # the card's balance here now (None: the card is not on this till); at or above zero, the
    # owner has evened it out (an adjustment) or the customer has earned it back
    stamps_now: int | None = None
    points_now: int | None = None
    kind: str = "overdraft"
    # what the flagged entries did beyond the rule (for an overdraft: the balance below zero)
    effect_stamps: int = 0
    effect_points: int = 0
    reward_id: str | None = None
    reward_name: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def settled(self) -> bool:
        """An overdraft evened out; other kinds are facts the owner judges (no balance settles them)."""
        return (self.kind == "overdraft" and self.stamps_now is not None and self.stamps_now >= 0
                and (self.points_now or 0) >= 0)


@dataclass(frozen=True)
class OverdraftList:
    flags: tuple[OverdraftView, ...]
    from_hub: bool          # False: the hub could not be asked; these are the flags last pulled
    problem: str | None = None


class OverdraftService:
    def __init__(self, auth: Authenticator) -> None:
        self.auth = auth
        self.ctx = auth.ctx

    def list(self, grant: Grant) -> OverdraftList:
        """Every flag, newest first; owners only. Blocks on the network: call through the runner."""
        with self.ctx.db.read() as session:
            self.auth.require(session, grant, Permission.ADJUST)
        from_hub, problem = False, None
        client = hub_client_for(self.ctx)
        if client is not None:
            try:
                with client:
                    flags = _fetch(client)
                self._store(flags)
                from_hub = True
            except HubError as exc:
                problem = f"The hub cannot be asked now ({exc}); showing the flags last received."
        return OverdraftList(self._local(), from_hub, problem)

    def _store(self, flags: Sequence[Flag]) -> None:
        t = SyncOverdraft.__table__
        with self.ctx.db.write() as session:
            conn = session.connection()
            for flag in flags:
                conn.execute(delete(t).where(t.c.overdraft_id == flag.flag_id))
                conn.execute(insert(t).values(
                    overdraft_id=flag.flag_id, card=flag.card, stamps_balance=flag.stamps_balance,
                    points_balance=flag.points_balance, entry_ids=json.dumps(list(flag.entry_ids)),
                    flagged_at=flag.flagged_at, kind=flag.kind, effect_stamps=flag.effect_stamps,
                    effect_points=flag.effect_points, reward_id=flag.reward_id,
                    detail=json.dumps(flag.detail, sort_keys=True)))

    def _local(self) -> tuple[OverdraftView, ...]:
        t, c, b, r = SyncOverdraft.__table__, CardRow.__table__, CardBalance.__table__, RewardRow.__table__
        with self.ctx.db.read() as session:
            rows = session.execute(select(t, c.c.holder, b.c.stamps.label("stamps_now"),
                                          b.c.points.label("points_now"), r.c.name.label("reward_name"))
                                   .outerjoin(c, c.c.code == t.c.card).outerjoin(b, b.c.code == t.c.card)
                                   .outerjoin(r, r.c.reward_id == t.c.reward_id)
                                   .order_by(t.c.overdraft_id.desc())).all()
        return tuple(_view(row) for row in rows)


def _fetch(client: HubClient) -> list[Flag]:
    try:
        return _pages(lambda after: client.flags(after=after, limit=_PAGE))
    except HubRefused as exc:
        if exc.status != 404:
            raise
    # an older hub: overdrafts are all it flags
    return [Flag(flag_id=o.overdraft_id, card=o.card, stamps_balance=o.stamps_balance,
                 points_balance=o.points_balance, entry_ids=list(o.entry_ids), flagged_at=o.flagged_at,
                 effect_stamps=min(o.stamps_balance, 0), effect_points=min(o.points_balance, 0))
            for o in _pages(lambda after: client.overdrafts(after=after, limit=_PAGE))]


def _pages(ask: Any) -> list[Any]:
    found: list[Any] = []
    after = 0
    while True:
        page = ask(after)
        found += page
        if len(page) < _PAGE:
            return found
        last = page[-1]
        after = last.flag_id if isinstance(last, Flag) else last.overdraft_id


def _view(r: Any) -> OverdraftView:
    overdraft = r.kind == "overdraft"
    return OverdraftView(
        r.overdraft_id, r.card, r.holder, r.stamps_balance, r.points_balance, tuple(json.loads(r.entry_ids)),
        from_iso(r.flagged_at), r.stamps_now, r.points_now, r.kind,
        # a pulled overdraft carries no effect of its own: it is the balance below zero
        min(r.stamps_balance, 0) if overdraft else r.effect_stamps,
        min(r.points_balance, 0) if overdraft else r.effect_points,
        r.reward_id, r.reward_name or (json.loads(r.detail).get("reward") if r.detail else None),
        json.loads(r.detail) if r.detail else {})
