"""Customers across tills: contact details and a card replacement travel through the real hub."""

from __future__ import annotations

import sqlalchemy as sa

from sync.hub.schema import cards as hub_cards
from sync.protocol import Card
from terminal.domain.codes import new_code


def _hub_card(engine, code):
    with engine.connect() as conn:
        return conn.execute(sa.select(hub_cards).where(hub_cards.c.code == code)).mappings().one()


def test_contact_details_round_trip_and_clearing_one_sticks(till_pair, hub_engine):
    a, b = till_pair()
    code = a.enroll("Ana Lima")
    a.services.customers.update_contact(a.grant(), code, holder="Ana Lima", phone="+62 812 3456 7890",
                                        email="ana@example.com", birthday="1990-05-31", consent=True)
    a.sync()
    row = _hub_card(hub_engine, code)
    assert (row["phone"], row["email"], row["birthday"], row["contact_consent"]) == (
        "+62 812 3456 7890", "ana@example.com", "1990-05-31", True)
    b.sync()
    on_b = b.services.customers.customer(code).contact
    assert (on_b.phone, on_b.email, on_b.birthday, on_b.consent) == (
        "+62 812 3456 7890", "ana@example.com", "1990-05-31", True)
    assert [m.code for m in b.services.customers.search("0812 3456")] == [code]  # indexed on B too
    b.services.customers.update_contact(b.grant(), code, holder="Ana Lima", phone=None,
                                        email="ana@example.com", birthday="05-31", consent=False)
    b.sync()
    a.sync()
    on_a = a.services.customers.customer(code).contact
    assert (on_a.phone, on_a.birthday, on_a.consent) == (None, "05-31", False)
    assert a.services.customers.search("0812 3456") == []
    assert _hub_card(hub_engine, code)["phone"] is None


def test_replace_pair_moves_the_balance_on_the_hub_and_the_other_till(till_pair, hub_engine):
    a, b = till_pair()
    old = a.enroll("Ann")
    a.earn(old, 2500)
    a.services.counter.stamp(a.grant(), old)
    a.sync()
    b.sync()
    before = b.balance(old)
    assert before[1] > 0
    b.services.card_status.block(b.grant(), old, "lost on the bus")
    new = new_code()
    b.services.replace.replace(b.grant(), old, new, "lost on the bus")
    b.sync()
    a.sync()
    with hub_engine.connect() as conn:
        hub = dict(((r.card), (r.stamps, r.points)) for r in conn.execute(
            sa.text("SELECT card, stamps, points FROM balances WHERE card IN (:o, :n)"), {"o": old, "n": new}))
    assert hub == {old: (0, 0), new: before}
    assert a.balance(old) == (0, 0) and a.balance(new) == before
    assert a.services.customers.customer(old).replaced_by == new
    assert a.services.customers.customer(new).replaces == (old,)
    assert a.services.counter.card(old).status == "blocked"
    assert a.services.reports.verify().ok and b.services.reports.verify().ok


def test_a_card_without_contact_details_looks_as_before_on_the_wire():
    card = Card(code=new_code(), program_id="p", holder=None, status="active",
                enrolled_at="2026-01-01T00:00:00.000000Z", updated_at="2026-01-01T00:00:00.000000Z")
    assert set(card.model_dump()) == {"code", "program_id", "holder", "status", "enrolled_at", "updated_at"}
    assert Card.model_validate_json(card.model_dump_json()) == card


def test_upgrade_from_schema_4_adds_the_card_contact_columns(hub_engine, merchant):
    from sync.hub.migrations import SCHEMA_VERSION, migrate, schema_version
    from sync.hub.schema import hub_schema

    with hub_engine.begin() as conn:
        for column in ("phone", "email", "birthday", "contact_consent", "replaced_by"):
            conn.execute(sa.text(f"ALTER TABLE cards DROP COLUMN {column}"))
        conn.execute(sa.update(hub_schema).values(version=4))
    assert migrate(hub_engine) == 4
    with hub_engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        columns = {c["name"] for c in sa.inspect(conn).get_columns("cards")}
    assert {"phone", "email", "birthday", "contact_consent", "replaced_by"} <= columns
