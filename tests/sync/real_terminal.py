"""Real terminals for the sync tests: a data dir with open_services and the real adapter."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text

from sync.hub import admin
from terminal.domain.clock import ManualClock
from terminal.domain.staff import Role
from terminal.services.catalog import list_programs
from terminal.services.facade import Services, open_services
from terminal.services.sync_link import SyncLink, join_store, pair_existing
from terminal.store.models import LedgerRow, StaffRow
from terminal.store.sync_port import StoreSyncPort

OWNER = ("Olga", "2741")
CASHIER = ("Carl", "5820")
START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


class RealTerminal:
    """One till: its own data dir, services, clock and sync adapter."""

    def __init__(self, data_dir: Path, clock: ManualClock | None = None) -> None:
        self.data_dir = data_dir
        self.clock = clock or ManualClock(START)
        self.services: Services = open_services(data_dir, clock=self.clock)
        self.link: SyncLink | None = None

    @classmethod
    def founded(cls, data_dir: Path, clock: ManualClock | None = None) -> RealTerminal:
        """A terminal with its own new store (owner Olga, a hybrid program)."""
        term = cls(data_dir, clock)
        term.services.init_store(name="Test Café", timezone="Europe/Berlin", currency="EUR",
                                 owner_name=OWNER[0], owner_pin=OWNER[1], template="hybrid")
        return term

    @property
    def port(self) -> StoreSyncPort:
        return StoreSyncPort(self.services.ctx.db, self.clock, self.services.ctx.lockout)

    @property
    def terminal_id(self) -> str:
        return self.services.ctx.store.terminal_id

    def staff_id(self, name: str) -> str:
        return next(s.staff_id for s in self.services.staff.list() if s.name == name)

    def grant(self, who: tuple[str, str] = OWNER):
        return self.services.auth.verify_pin(self.staff_id(who[0]), who[1])

    def program_id(self) -> str:
        with self.services.ctx.db.read() as session:
            return list_programs(session)[0].program_id

    def add_cashier(self) -> str:
        return self.services.staff.add(self.grant(), CASHIER[0], Role.CASHIER, CASHIER[1]).staff_id

    def enroll(self, holder: str = "Ann") -> str:
        return self.services.enrollment.enroll(self.grant(), self.program_id(), holder).code

    def earn(self, code: str, amount: int = 1000, grant=None) -> None:
        self.services.counter.earn(grant or self.grant(), code, amount)

    def balance(self, code: str) -> tuple[int, int]:
        view = self.services.counter.card(code)
        return view.balance.stamps, view.balance.points

    def pair(self, hub_url: str, engine, store_id: str, name: str = "Till") -> None:
        code = admin.add_terminal(engine, store_id, name).code
        pair_existing(self.services, hub_url, code)

    @classmethod
    def joined(cls, data_dir: Path, hub_url: str, engine, store_id: str,
               clock: ManualClock | None = None, name: str = "Till B") -> RealTerminal:
        term = cls(data_dir, clock)
        result = join_store(term.services, hub_url, admin.add_terminal(engine, store_id, name).code)
        assert result.joined and result.sync_error is None, result
        return term

    def sync(self) -> None:
        """Push and pull everything now, on this thread."""
        from sync.client import HubClient
        from sync.syncer import Syncer
        from terminal.services.sync_link import link_info
        from terminal.services.sync_secrets import load_token

        ctx = self.services.ctx
        info = link_info(ctx)
        with HubClient(info.hub_url, load_token(ctx.settings, self.terminal_id), timeout=30) as client:
            Syncer(self.port, client).sync_once()

    def token(self) -> str:
        from terminal.services.sync_secrets import load_token

        token = load_token(self.services.ctx.settings, self.terminal_id)
        assert token, "this terminal is not paired"
        return token

    def bulk_earn(self, cards: list[str], count: int, rng: random.Random, per_transaction: int = 1000) -> None:
        """``count`` earn entries on ``cards`` through the store's real ledger, many per transaction.

        Thousands of offline entries through the counter use case would take
        a fsync each; the ledger append (chain, balance cache) is the same.
        """
        from terminal.domain.ledger import EntryKind
        from terminal.store import ledger

        ctx = self.services.ctx
        staff_id = self.staff_id(OWNER[0])
        made = 0
        while made < count:
            with ctx.db.write() as session:
                for _ in range(min(per_transaction, count - made)):
                    amount = rng.randrange(100, 5000)
                    ledger.append(session, terminal_id=self.terminal_id, card=rng.choice(cards),
                                  kind=EntryKind.EARN, at=self.clock.now(), points=amount // 10, amount=amount,
                                  staff_id=staff_id)
                    made += 1

    def ledger(self, local: bool | None = None) -> list[tuple[str, str, int, str]]:
        """(terminal_id, entry_id, seq, hash) of every ledger entry, or only local / only remote ones."""
        query = select(LedgerRow.terminal_id, LedgerRow.entry_id, LedgerRow.seq, LedgerRow.hash)
        if local is not None:
            mine = LedgerRow.terminal_id == self.terminal_id
            query = query.where(mine if local else ~mine)
        with self.services.ctx.db.read() as session:
            return sorted(tuple(row) for row in session.execute(query))

    def go_offline_for(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))

    def raw_db_bytes(self) -> bytes:
        db = self.services.ctx.db
        with db.engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return b"".join(p.read_bytes() for p in self.data_dir.iterdir() if p.name.startswith("loyalty.sqlite3"))

    def pin_hashes(self) -> dict[str, str]:
        with self.services.ctx.db.read() as session:
            return dict(session.execute(select(StaffRow.staff_id, StaffRow.pin_hash)).all())

    def close(self) -> None:
        if self.link is not None:
            self.link.stop()
        self.services.close()
