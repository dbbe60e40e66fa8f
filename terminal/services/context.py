"""What every service needs: the database, settings, clock and store facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal.domain.clock import Clock
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.money import minor_digits
from terminal.domain.policy import LockoutPolicy
from terminal.services.pin_hasher import PinHasher
from terminal.settings import Settings
from terminal.store.db import Database
from terminal.store.models import StoreInfo


@dataclass(frozen=True)
class StoreFacts:
    store_id: str
    name: str
    terminal_id: str
    tz: ZoneInfo
    currency: str

    @property
    def minor_digits(self) -> int:
        return minor_digits(self.currency)


def read_store_facts(session: Session) -> StoreFacts | None:
    row = session.execute(select(StoreInfo)).scalar_one_or_none()
    if row is None:
        return None
    return StoreFacts(row.store_id, row.name, row.terminal_id, ZoneInfo(row.timezone), row.currency)


@dataclass
class ServiceContext:
    db: Database
    settings: Settings
    clock: Clock
    hasher: PinHasher | None = None
    _store: StoreFacts | None = None

    @property
    def store(self) -> StoreFacts:
        if self._store is None:
            with self.db.read() as session:
                self._store = read_store_facts(session)
        if self._store is None:
            raise LoyaltyError(
                ErrorCode.STORE_NOT_INITIALISED,
                "This terminal has no store yet. Run the setup first (loyalty-terminal admin init).",
            )
        return self._store

    def forget_store(self) -> None:
        self._store = None

    @property
    def pins(self) -> PinHasher:
        if self.hasher is None:
            raise LoyaltyError(ErrorCode.STORE_NOT_INITIALISED, "The PIN key is not loaded.")
        return self.hasher

    @property
    def lockout(self) -> LockoutPolicy:
        return LockoutPolicy(
            self.settings.pin_max_failed_attempts, timedelta(minutes=self.settings.pin_lockout_minutes),
            self.settings.pin_disable_after_failures,
        )
