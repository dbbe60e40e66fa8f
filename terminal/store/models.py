"""Tables of the terminal's SQLite database (SQLAlchemy 2 typed models).

The ledger and the audit log are append-only: migrations install triggers
that refuse UPDATE and DELETE on them. Everything else is current state that
the services keep consistent with the ledger inside one transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import ForeignKey, Index, Integer, String, Table, Text, TypeDecorator, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from terminal.domain.clock import from_iso, to_iso


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes stored as fixed-width ISO text, so they sort as text."""

    impl = String(27)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> str | None:  # noqa: ARG002 - SQLAlchemy's signature
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store times as aware UTC")
        return to_iso(value)

    def process_result_value(self, value: str | None, dialect: object) -> datetime | None:  # noqa: ARG002 - SQLAlchemy's signature
        return None if value is None else from_iso(value)


class Base(DeclarativeBase):
    if TYPE_CHECKING:
        # SQLAlchemy types ``__table__`` as any FromClause (a class may be mapped to a
        # subquery); every model here declares ``__tablename__``, so it is a Table, and
        # Core's insert()/update()/delete() take ``Model.__table__`` as it is.
        __table__: ClassVar[Table]


class StoreInfo(Base):
    """The one row describing this store and this terminal."""

    __tablename__ = "store_info"
    id: Mapped[int] = mapped_column(primary_key=True)
    store_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    terminal_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ProgramRow(Base):
    __tablename__ = "programs"
    program_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(10))
    stamps_target: Mapped[int] = mapped_column(Integer, default=10)
    points_per_unit: Mapped[int] = mapped_column(Integer, default=10)
    min_amount_minor: Mapped[int] = mapped_column(Integer, default=0)
    max_points_per_event: Mapped[int | None] = mapped_column(Integer)
    points_expiry_days: Mapped[int | None] = mapped_column(Integer)
    points_expiry_mode: Mapped[str | None] = mapped_column(String(10))  # None: "age"
    cooldown_minutes: Mapped[int | None] = mapped_column(Integer)
    daily_stamp_limit: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # migration 0004_programs_campaigns: rate per any amount, points as money, campaigns (JSON list)
    earn_per_minor: Mapped[int | None] = mapped_column(Integer)
    money_points: Mapped[int | None] = mapped_column(Integer)
    money_value_minor: Mapped[int | None] = mapped_column(Integer)
    money_max_percent: Mapped[int | None] = mapped_column(Integer)
    campaigns: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


class TierRow(Base):
    __tablename__ = "tiers"
    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.program_id"))
    name: Mapped[str] = mapped_column(String(60))
    min_lifetime_points: Mapped[int] = mapped_column(Integer)
    multiplier_percent: Mapped[int] = mapped_column(Integer, default=100)


class RewardRow(Base):
    __tablename__ = "rewards"
    reward_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.program_id"))
    name: Mapped[str] = mapped_column(String(120))
    cost_stamps: Mapped[int] = mapped_column(Integer, default=0)
    cost_points: Mapped[int] = mapped_column(Integer, default=0)
    stock: Mapped[int | None] = mapped_column(Integer)
    valid_from: Mapped[datetime | None] = mapped_column(UtcDateTime)
    valid_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(default=True)


class CardRow(Base):
    __tablename__ = "cards"
    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    program_id: Mapped[str] = mapped_column(ForeignKey("programs.program_id"))
    holder: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), default="active")
    enrolled_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Contact details (migration 0007_customer_contacts), all optional, synced with the card.
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    birthday: Mapped[str | None] = mapped_column(String(10))  # "YYYY-MM-DD" or "MM-DD"
    contact_consent: Mapped[bool] = mapped_column(default=False, server_default="0")
    # A blocked card's replacement: set on the old card when its balance moved (transfer entries).
    replaced_by: Mapped[str | None] = mapped_column(String(10))
    __table_args__ = (Index("ix_cards_replaced_by", "replaced_by"),)


class CardTerm(Base):
    """The words each card is found by (name words, phone digits, e-mail), for prefix search by index."""

    __tablename__ = "card_terms"
    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("cards.code"), primary_key=True)
    __table_args__ = (Index("ix_card_terms_code", "code"),)


class CardBalance(Base):
    """Cache of the sums of a card's ledger entries; ``verify`` proves it."""

    __tablename__ = "card_balances"
    code: Mapped[str] = mapped_column(ForeignKey("cards.code"), primary_key=True)
    stamps: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)
    lifetime_points: Mapped[int] = mapped_column(Integer, default=0)


class StaffRow(Base):
    __tablename__ = "staff"
    staff_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Asked at the hub: a new PIN at the member's next sign-in here (migration 0009_staff_pin_reset).
    pin_reset_required: Mapped[bool] = mapped_column(default=False)


class LedgerRow(Base):
    __tablename__ = "ledger"
    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(36), unique=True)
    terminal_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    card: Mapped[str] = mapped_column(ForeignKey("cards.code"))
    kind: Mapped[str] = mapped_column(String(12))
    stamps: Mapped[int] = mapped_column(Integer, default=0)
    points: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[int | None] = mapped_column(Integer)
    reward_id: Mapped[str | None] = mapped_column(String(36))
    staff_id: Mapped[str | None] = mapped_column(String(36))
    reason: Mapped[str | None] = mapped_column(Text)
    reverses: Mapped[str | None] = mapped_column(String(36))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    sig: Mapped[str | None] = mapped_column(String(88))  # Ed25519 over the hash (migration 0003, signing)
    __table_args__ = (
        UniqueConstraint("terminal_id", "seq", name="uq_ledger_terminal_seq"),
        Index("ix_ledger_card_kind_at", "card", "kind", "at"),
        Index("ix_ledger_reverses", "reverses"),
    )


class AuditRow(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    terminal_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    staff_id: Mapped[str | None] = mapped_column(String(36))
    subject: Mapped[str | None] = mapped_column(String(120))
    details: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    sig: Mapped[str | None] = mapped_column(String(88))  # Ed25519 over the hash (migration 0003, signing)
    __table_args__ = (
        UniqueConstraint("terminal_id", "seq", name="uq_audit_terminal_seq"),
        Index("ix_audit_kind_at", "kind", "at"),
    )


APPEND_ONLY_TABLES = ("ledger", "audit")


# ---- sync state (migration 0002) --------------------------------------------

class SyncState(Base):
    """Small facts of the sync link: acknowledged positions, pull cursor, hub URL, last sync."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncRecord(Base):
    """The version of each card, program and staff record, and whether it changed here.

    Triggers keep it: a local change stamps a new version and marks it dirty;
    applying a remote version overwrites both. ``dirty`` rows are the outbox.
    """

    __tablename__ = "sync_records"
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[str] = mapped_column(String(27))
    dirty: Mapped[int] = mapped_column(Integer)
    __table_args__ = (Index("ix_sync_records_dirty", "dirty", "kind"),)


class SyncParked(Base):
    """Remote entries whose card record has not arrived yet (a page boundary split them)."""

    __tablename__ = "sync_parked"
    entry_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    card: Mapped[str] = mapped_column(String(10), index=True)
    body: Mapped[str] = mapped_column(Text)


class SyncOverdraft(Base):
    """Flags raised by the hub (overdrafts as pulled; every kind as the owner's view fetched them)."""

    __tablename__ = "sync_overdrafts"
    overdraft_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    card: Mapped[str] = mapped_column(String(10))
    stamps_balance: Mapped[int] = mapped_column(Integer)
    points_balance: Mapped[int] = mapped_column(Integer)
    entry_ids: Mapped[str] = mapped_column(Text)
    flagged_at: Mapped[str] = mapped_column(String(27))
    # migration 0005_flag_kinds: overdraft, double_void, daily_limit or stock, and what it did
    kind: Mapped[str] = mapped_column(String(16), server_default="overdraft")
    effect_stamps: Mapped[int] = mapped_column(Integer, server_default="0")
    effect_points: Mapped[int] = mapped_column(Integer, server_default="0")
    reward_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)


# ---- offline facts shared across tills (migration 0003_shared_locks) ----------

class ProvisionalCard(Base):
    """A card known here only from an offline collect: it stays provisional until the real record comes."""

    __tablename__ = "provisional_cards"
    code: Mapped[str] = mapped_column(String(10), primary_key=True)


class StaffLock(Base):
    """One till's wrong-PIN count for a staff member in a lock epoch (the store's count is their sum)."""

    __tablename__ = "staff_locks"
    staff_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[str | None] = mapped_column(String(27))


class ChainReceipt(Base):
    """The hub's signed word that it holds this till's chain up to ``seq`` with head ``hash``."""

    __tablename__ = "chain_receipts"
    stream: Mapped[str] = mapped_column(String(10), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(27))
    sig: Mapped[str] = mapped_column(String(88))
