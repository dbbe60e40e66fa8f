"""Customers: contact details on cards, the link from a replaced card, and the search terms.

The card sync trigger is recreated so that a change of a contact detail or
of the replacement link marks the card dirty like a change of its holder.
Cards enrolled before this revision get their search terms here.

Revision ID: 0007_customer_contacts
Revises: 0006_points_expiry_mode
"""

import sqlalchemy as sa
from alembic import op

from terminal.domain.contact import Contact, search_terms

revision = "0007_customer_contacts"
down_revision = "0006_points_expiry_mode"
branch_labels = None
depends_on = None

_SYNCED = ("program_id", "holder", "status", "phone", "email", "birthday", "contact_consent", "replaced_by")
_OLD_SYNCED = ("program_id", "holder", "status")


def _card_trigger(columns: tuple[str, ...]) -> str:
    # The body of 0002's trigger (same versioning rule), with the columns that sync.
    from importlib import import_module

    sync_state = import_module("terminal.store.migrations.versions.0002_sync_state")
    changed = sync_state._changed(columns)
    return (f"CREATE TRIGGER sync_cards_update AFTER UPDATE ON cards WHEN {changed} "
            f"BEGIN {sync_state._mark('cards', 'NEW.code')} END")


def upgrade() -> None:
    with op.batch_alter_table("cards", recreate="never") as batch:
        batch.add_column(sa.Column("phone", sa.String(32)))
        batch.add_column(sa.Column("email", sa.String(254)))
        batch.add_column(sa.Column("birthday", sa.String(10)))
        batch.add_column(sa.Column("contact_consent", sa.Boolean, nullable=False, server_default="0"))
        batch.add_column(sa.Column("replaced_by", sa.String(10)))
    op.create_index("ix_cards_replaced_by", "cards", ["replaced_by"])
    op.create_table(
        "card_terms",
        sa.Column("term", sa.String(64), primary_key=True),
        sa.Column("code", sa.String(10), sa.ForeignKey("cards.code"), primary_key=True),
    )
    op.create_index("ix_card_terms_code", "card_terms", ["code"])
    op.execute("DROP TRIGGER IF EXISTS sync_cards_update")
    op.execute(_card_trigger(_SYNCED))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT code, holder FROM cards WHERE holder IS NOT NULL")).all()
    terms = [{"term": term, "code": code} for code, holder in rows for term in search_terms(Contact(holder))]
    if terms:
        conn.execute(sa.text("INSERT OR IGNORE INTO card_terms (term, code) VALUES (:term, :code)"), terms)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS sync_cards_update")
    op.execute(_card_trigger(_OLD_SYNCED))
    op.drop_index("ix_card_terms_code", "card_terms")
    op.drop_table("card_terms")
    op.drop_index("ix_cards_replaced_by", "cards")
    with op.batch_alter_table("cards") as batch:
        for column in ("replaced_by", "contact_consent", "birthday", "email", "phone"):
            batch.drop_column(column)
