"""Programs: earning rate per any amount, points as money, campaigns, retire.

``earn_per_minor``: the amount (minor units) that earns ``points_per_unit`` points; NULL
keeps the old meaning, one whole currency unit. ``money_*``: points as money (NULL: off).
``campaigns``: the program's campaigns as a JSON list (they travel in the program's
settings; the programs update trigger of 0002 marks the program dirty).

Revision ID: 0004_programs_campaigns
Revises: 0003_shared_locks
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_programs_campaigns"
down_revision = "0003_shared_locks"
branch_labels = None
depends_on = None

_COLUMNS = (
    sa.Column("earn_per_minor", sa.Integer, nullable=True),
    sa.Column("money_points", sa.Integer, nullable=True),
    sa.Column("money_value_minor", sa.Integer, nullable=True),
    sa.Column("money_max_percent", sa.Integer, nullable=True),
    sa.Column("campaigns", sa.Text, nullable=False, server_default="[]"),
)


def upgrade() -> None:
    for column in _COLUMNS:
        op.add_column("programs", column)


def downgrade() -> None:
    with op.batch_alter_table("programs") as batch:
        for column in reversed(_COLUMNS):
            batch.drop_column(column.name)
