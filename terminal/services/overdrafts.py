"""The owner's view of overdraft flags: cards overdrawn when terminals' entries met at the hub.

Flags come with every pull (stored locally by the sync adapter); asking the
hub directly gives the newest ones. Offline, the local copy is shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from sync.client import HubError
from terminal.domain.clock import from_iso
from terminal.domain.staff import Permission
from terminal.services.auth import Authenticator, Grant
from terminal.services.sync_link import hub_client_for
from terminal.store.models import CardBalance, CardRow, SyncOverdraft
from terminal.store.sync_port import StoreSyncPort


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

    @property
    def settled(self) -> bool:
        return self.stamps_now is not None and self.stamps_now >= 0 and (self.points_now or 0) >= 0


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
                    flags, after = [], 0
                    while True:
                        page = client.overdrafts(after=after, limit=1000)
                        flags += page
                        if len(page) < 1000:
                            break
                        after = page[-1].overdraft_id
                StoreSyncPort(self.ctx.db, self.ctx.clock).store_overdrafts(flags)
                from_hub = True
            except HubError as exc:
                problem = f"The hub cannot be asked now ({exc}); showing the flags last received."
        return OverdraftList(self._local(), from_hub, problem)

    def _local(self) -> tuple[OverdraftView, ...]:
        t, c, b = SyncOverdraft.__table__, CardRow.__table__, CardBalance.__table__
        with self.ctx.db.read() as session:
            rows = session.execute(select(t, c.c.holder, b.c.stamps.label("stamps_now"),
                                          b.c.points.label("points_now"))
                                   .outerjoin(c, c.c.code == t.c.card).outerjoin(b, b.c.code == t.c.card)
                                   .order_by(t.c.overdraft_id.desc())).all()
        return tuple(OverdraftView(r.overdraft_id, r.card, r.holder, r.stamps_balance, r.points_balance,
                                   tuple(json.loads(r.entry_ids)), from_iso(r.flagged_at),
                                   r.stamps_now, r.points_now) for r in rows)
