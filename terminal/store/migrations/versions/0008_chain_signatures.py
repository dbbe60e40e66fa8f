"""Signed chains: a signature column on ledger and audit, and the hub's receipts.

Existing rows keep ``sig`` NULL: they were written before signing, and the
boundary kept beside the till's signing key says where signing began.
The append-only triggers stay (ADD COLUMN does not touch them).

Revision ID: 0008_chain_signatures
Revises: 0007_customer_contacts
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_chain_signatures"
down_revision = "0007_customer_contacts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("ledger", sa.Column("sig", sa.String(88), nullable=True))
    op.add_column("audit", sa.Column("sig", sa.String(88), nullable=True))
    op.create_table(
        "chain_receipts",
        sa.Column("stream", sa.String(10), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("at", sa.String(27), nullable=False),
        sa.Column("sig", sa.String(88), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("chain_receipts")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("sig")
    with op.batch_alter_table("ledger") as batch:
        batch.drop_column("sig")
