"""Initial schema: store, programs, cards, staff, the ledger and the audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from terminal.store.models import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _append_only(table: str) -> None:
    for action in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {action} refused'); END"
        )


def upgrade() -> None:
    op.create_table(
        "store_info",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("store_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("terminal_id", sa.String(36), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "programs",
        sa.Column("program_id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("stamps_target", sa.Integer, nullable=False),
        sa.Column("points_per_unit", sa.Integer, nullable=False),
        sa.Column("min_amount_minor", sa.Integer, nullable=False),
        sa.Column("max_points_per_event", sa.Integer),
        sa.Column("points_expiry_days", sa.Integer),
        sa.Column("cooldown_minutes", sa.Integer),
        sa.Column("daily_stamp_limit", sa.Integer),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "tiers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("program_id", sa.String(36), sa.ForeignKey("programs.program_id"), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("min_lifetime_points", sa.Integer, nullable=False),
        sa.Column("multiplier_percent", sa.Integer, nullable=False),
    )
    op.create_table(
        "rewards",
        sa.Column("reward_id", sa.String(36), primary_key=True),
        sa.Column("program_id", sa.String(36), sa.ForeignKey("programs.program_id"), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("cost_stamps", sa.Integer, nullable=False),
        sa.Column("cost_points", sa.Integer, nullable=False),
        sa.Column("stock", sa.Integer),
        sa.Column("valid_from", UtcDateTime),
        sa.Column("valid_until", UtcDateTime),
        sa.Column("active", sa.Boolean, nullable=False),
    )
    op.create_table(
        "cards",
        sa.Column("code", sa.String(10), primary_key=True),
        sa.Column("program_id", sa.String(36), sa.ForeignKey("programs.program_id"), nullable=False),
        sa.Column("holder", sa.String(120)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("enrolled_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "card_balances",
        sa.Column("code", sa.String(10), sa.ForeignKey("cards.code"), primary_key=True),
        sa.Column("stamps", sa.Integer, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("lifetime_points", sa.Integer, nullable=False),
    )
    op.create_table(
        "staff",
        sa.Column("staff_id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("pin_hash", sa.String(200), nullable=False),
        sa.Column("failed_attempts", sa.Integer, nullable=False),
        sa.Column("locked_until", UtcDateTime),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "ledger",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("entry_id", sa.String(36), nullable=False, unique=True),
        sa.Column("terminal_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("card", sa.String(10), sa.ForeignKey("cards.code"), nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("stamps", sa.Integer, nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("amount", sa.Integer),
        sa.Column("reward_id", sa.String(36)),
        sa.Column("staff_id", sa.String(36)),
        sa.Column("reason", sa.Text),
        sa.Column("reverses", sa.String(36)),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("terminal_id", "seq", name="uq_ledger_terminal_seq"),
    )
    op.create_index("ix_ledger_card_kind_at", "ledger", ["card", "kind", "at"])
    op.create_index("ix_ledger_reverses", "ledger", ["reverses"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.String(36), nullable=False, unique=True),
        sa.Column("terminal_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("staff_id", sa.String(36)),
        sa.Column("subject", sa.String(120)),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("terminal_id", "seq", name="uq_audit_terminal_seq"),
    )
    op.create_index("ix_audit_kind_at", "audit", ["kind", "at"])
    _append_only("ledger")
    _append_only("audit")
