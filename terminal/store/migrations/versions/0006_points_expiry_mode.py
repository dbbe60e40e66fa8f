"""Points expiry by inactivity as well as by age: a program's expiry mode.

``points_expiry_mode`` is "age" (points older than ``points_expiry_days``
expire, oldest first) or "inactivity" (the whole balance expires after
``points_expiry_days`` without any entry on the card); NULL means "age",
what every program did before.

Revision ID: 0006_points_expiry_mode
Revises: 0005_flag_kinds
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_points_expiry_mode"
down_revision = "0005_flag_kinds"
branch_labels = None
depends_on = None


# A plain ADD COLUMN: a batch copy of the table would drop 0002's sync triggers.
def upgrade() -> None:
    op.add_column("programs", sa.Column("points_expiry_mode", sa.String(10)))


def downgrade() -> None:
    op.drop_column("programs", "points_expiry_mode")
