"""Staff asked for a new PIN: ``pin_reset_required`` on staff.

Set by an owner at the hub (the console's "ask for a new PIN", or a member
added there with no PIN yet); the member chooses a new PIN at their next
sign-in here, which clears it. The staff sync trigger is recreated so that
a change of the flag marks the member dirty like a change of their PIN.

Revision ID: 0009_staff_pin_reset
Revises: 0008_chain_signatures
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_staff_pin_reset"
down_revision = "0008_chain_signatures"
branch_labels = None
depends_on = None

_SYNCED = ("name", "role", "active", "pin_hash", "pin_reset_required")
_OLD_SYNCED = ("name", "role", "active", "pin_hash")


def _staff_trigger(columns: tuple[str, ...]) -> str:
    # The body of 0002's trigger (same versioning rule), with the columns that sync.
    from importlib import import_module

    sync_state = import_module("terminal.store.migrations.versions.0002_sync_state")
    return (f"CREATE TRIGGER sync_staff_update AFTER UPDATE ON staff WHEN {sync_state._changed(columns)} "
            f"BEGIN {sync_state._mark('staff', 'NEW.staff_id')} END")


# A plain ADD COLUMN: a batch copy of the table would drop 0002's sync triggers.
def upgrade() -> None:
    op.add_column("staff", sa.Column("pin_reset_required", sa.Boolean, nullable=False, server_default="0"))
    op.execute("DROP TRIGGER IF EXISTS sync_staff_update")
    op.execute(_staff_trigger(_SYNCED))


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS sync_staff_update")
    op.execute(_staff_trigger(_OLD_SYNCED))
    with op.batch_alter_table("staff", recreate="never") as batch:
        batch.drop_column("pin_reset_required")
