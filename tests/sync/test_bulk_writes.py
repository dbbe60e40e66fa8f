"""The hub's bulk writes (visibility.insert_rows; on PostgreSQL one ``unnest`` statement per table).

They must store exactly what a plain insert stores: NULLs, booleans and
big numbers unchanged, every row once; and refuse what a plain insert
refuses, a value longer than its column included (a cast to VARCHAR(n)
would cut it short without a word).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from sync.hub.db import writing
from sync.hub.schema import balances, cards, store_cards
from sync.hub.visibility import insert_rows


def _card(merchant_id: str, code: str, **values: object) -> dict:
    return {"merchant_id": merchant_id, "code": code, "program_id": "p", "holder": None, "status": "active",
            "enrolled_at": "2026-11-30T10:00:00.000000Z", "updated_at": "2026-11-30T10:00:00.000000Z",
            "origin_terminal_id": "t1", "change_id": 2**40, "provisional": False, "phone": None, **values}


def test_rows_come_back_exactly_as_written(hub_engine, merchant):
    rows = [_card(merchant.merchant_id, "AAAAAAAAA1", holder="Ann ☕ O'Neil", provisional=True),
            _card(merchant.merchant_id, "AAAAAAAAA2", holder=None, phone="+62 812", change_id=7),
            _card(merchant.merchant_id, "AAAAAAAAA4", holder='{"a","b"} \\ NULL', change_id=-(2**62)),
            _card(merchant.merchant_id, "AAAAAAAAA3", holder="", origin_terminal_id="t" * 36, phone="")]
    with writing(hub_engine) as conn:
        insert_rows(conn, cards, rows)
        insert_rows(conn, balances, [{"merchant_id": merchant.merchant_id, "card": "AAAAAAAAA1", "stamps": -3,
                                      "points": 2**53, "lifetime_points": 0}])
    with hub_engine.connect() as conn:
        stored = conn.execute(sa.select(*(cards.c[name] for name in rows[0])).order_by(cards.c.code)).mappings().all()
        balance = conn.execute(sa.select(balances.c.stamps, balances.c.points)).one()
    assert [dict(r) for r in stored] == sorted(rows, key=lambda row: row["code"])
    assert tuple(balance) == (-3, 2**53)


@pytest.mark.parametrize("hub_db_url", ["postgresql"], indirect=True)
def test_a_value_longer_than_its_column_is_refused_not_cut_short_and_nothing_is_written(hub_engine, merchant):
    rows = [{"store_id": merchant.store_id, "card": code, "merchant_id": merchant.merchant_id, "change_id": n}
            for n, code in enumerate(["BBBBBBBBB1", "BBBBBBBBB2X"])]  # the second is 11 characters of 10
    with pytest.raises(DBAPIError, match="too long"), writing(hub_engine) as conn:
        insert_rows(conn, store_cards, rows)
    with hub_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store_cards)).scalar_one() == 0
