"""Staff belong to their store: a second store of the same merchant shares cards, not staff."""

from __future__ import annotations

import sqlalchemy as sa
from real_terminal import CASHIER, RealTerminal
from sync_helpers import undo_schema_5

from sync.hub import admin
from sync.hub.migrations import SCHEMA_VERSION, migrate, schema_version
from sync.hub.schema import hub_schema, staff, terminals


def test_a_second_store_gets_the_merchants_cards_but_not_the_first_stores_staff(hub, hub_engine, merchant,
                                                                                 tmp_path):
    a = RealTerminal.founded(tmp_path / "a")
    other = RealTerminal.founded(tmp_path / "other", a.clock)  # its own store, its own owner and PIN key
    b = None
    try:
        a.pair(hub.url, hub_engine, merchant.store_id, "Main till")
        carl = a.add_cashier()
        code = a.enroll("Ann")
        a.sync()
        second_store = admin.add_store(hub_engine, merchant.merchant_id, "Station kiosk")
        other.pair(hub.url, hub_engine, second_store, "Kiosk till")
        other.sync()
        other.sync()
        names = {s.name for s in other.services.staff.list()}
        assert CASHIER[0] not in names and carl not in {s.staff_id for s in other.services.staff.list()}
        assert other.balance(code) == (0, 0)  # the card itself is known merchant-wide
        # a till joining the first store still gets its staff, and their PINs work there
        b = RealTerminal.joined(tmp_path / "b", hub.url, hub_engine, merchant.store_id, a.clock)
        assert b.grant(CASHIER).staff_id == carl
    finally:
        for term in (a, other, b):
            if term is not None:
                term.close()


def test_upgrade_from_schema_2_assigns_each_staff_member_the_store_of_its_terminal(hub_engine, merchant):
    terminal_id = "0b7a3c1e-4d5f-4a6b-8c9d-0e1f2a3b4c5d"
    with hub_engine.begin() as conn:
        conn.execute(sa.insert(terminals).values(
            terminal_id=terminal_id, merchant_id=merchant.merchant_id, store_id=merchant.store_id, name="T",
            token_hash="x" * 64, paired_at="2026-01-01T00:00:00Z", entries_head="0" * 64, audit_head="0" * 64))
        undo_schema_5(conn)
        conn.execute(sa.text("ALTER TABLE staff DROP COLUMN store_id"))  # the version 2 tables
        conn.execute(sa.text("ALTER TABLE pairings DROP COLUMN recover_terminal_id"))
        conn.execute(sa.text("ALTER TABLE terminals DROP COLUMN revoked_at"))
        conn.execute(sa.text("ALTER TABLE cards DROP COLUMN provisional"))
        conn.execute(sa.text("DROP TABLE staff_locks"))
        conn.execute(sa.text(
            "INSERT INTO staff (merchant_id, staff_id, name, role, active, pin_hash, updated_at, "
            "origin_terminal_id, change_id) VALUES (:m, 's1', 'Rita', 'cashier', :t, 'h', "
            "'2026-01-01T00:00:00Z', :term, 1)"), {"m": merchant.merchant_id, "t": True, "term": terminal_id})
        conn.execute(sa.update(hub_schema).values(version=2))
    assert migrate(hub_engine) == 2
    with hub_engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        assert conn.execute(sa.select(staff.c.store_id)).scalar_one() == merchant.store_id
