"""Wire models the feed builds from the hub's rows (stored_models.from_row) equal model_construct's.

Real rows: a terminal pushes entries of several kinds (with and without
amounts, rewards, reasons), a card with a holder and a staff member; each
row read back from the hub's tables must give a model that is equal, has
the same fields set, the same JSON and copies the same way, whichever way
it was built.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sync_helpers import pair_terminal

from sync.hub.feed import _ENTRY_COLUMNS
from sync.hub.schema import cards, staff
from sync.hub.stored_models import from_row
from sync.protocol import PROTOCOL_VERSION, Card, Entry, PushRequest, Staff, StaffLock


def _same(model, row):
    fast, slow = from_row(model, row), model.model_construct(**{k: row[k] for k in model.model_fields})
    assert type(fast) is model
    assert fast == slow
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_dump_json() == slow.model_dump_json()
    assert fast.model_copy(update={}) == slow.model_copy(update={})
    return fast


def test_the_feeds_models_built_from_rows_equal_model_construct(hub, hub_engine, merchant, tmp_path):
    terminal, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
    card = terminal.enroll(holder="Ann ☕")
    terminal.stamp(card, 2)
    terminal.earn(card, 12, 1234)
    terminal.redeem(card, 5)
    terminal.set_staff("s9", "Budi", role="owner")
    with client:
        outbox = terminal.outbox(100)
        client.push(PushRequest(v=PROTOCOL_VERSION, terminal_id=terminal.terminal_id(), entries=outbox.entries,
                                cards=outbox.cards, staff=outbox.staff))
    with hub_engine.connect() as conn:
        entry_rows = conn.execute(sa.select(*_ENTRY_COLUMNS)).mappings().all()
        card_rows = conn.execute(sa.select(cards)).mappings().all()
        staff_rows = conn.execute(sa.select(staff)).mappings().all()
    assert len(entry_rows) >= 4 and card_rows and staff_rows
    built = [_same(Entry, row) for row in entry_rows]
    assert {e.kind for e in built} >= {"stamp", "earn", "redeem"}
    assert any(e.amount == 1234 for e in built) and any(e.reward_id for e in built)
    assert [_same(Card, row).holder for row in card_rows] == ["Ann ☕"]
    assert [_same(Staff, row).name for row in staff_rows] == ["Budi"]


def test_a_row_missing_a_field_is_built_by_model_construct():
    row = {"merchant_id": "m", "staff_id": "s1"}  # a partial row: from_row takes model_construct's way
    assert from_row(StaffLock, row) == StaffLock.model_construct(staff_id="s1")


@pytest.mark.parametrize("model", [Entry, Card, Staff, StaffLock])
def test_the_feeds_models_are_plain_so_from_row_builds_them_directly(model):
    from sync.hub.stored_models import _plain_fields
    assert _plain_fields(model) == tuple(model.model_fields)
