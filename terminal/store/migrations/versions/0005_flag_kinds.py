"""Flags of every kind: the hub's overdraft flags gain a kind, an effect and details.

A second void of an entry already voided on another till, stamps beyond the
daily limit and a reward redeemed beyond its stock are flagged at the hub like
an overdraft (sync/hub/flags.py); the owner's view keeps them here. Rows from
before this revision are overdrafts.

Revision ID: 0005_flag_kinds
Revises: 0004_programs_campaigns
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_flag_kinds"
down_revision = "0004_programs_campaigns"
branch_labels = None
depends_on = None



def _columns() -> list[sa.Column]:
    return [
        sa.Column("kind", sa.String(16), nullable=False, server_default="overdraft"),
        sa.Column("effect_stamps", sa.Integer, nullable=False, server_default="0"),
        sa.Column("effect_points", sa.Integer, nullable=False, server_default="0"),
        sa.Column("reward_id", sa.String(64)),
        sa.Column("detail", sa.Text),
    ]


def upgrade() -> None:
    with op.batch_alter_table("sync_overdrafts") as batch:
        for column in _columns():
            batch.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("sync_overdrafts") as batch:
        for column in reversed(_columns()):
            batch.drop_column(column.name)
