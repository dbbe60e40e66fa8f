"""Records changed at the hub (hub_records.py): they win over the version they replace, reach a
real till by pull, name the owner who made them, and a till's later change takes over again."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from real_terminal import RealTerminal

from sync.hub import hub_records
from sync.hub.db import ChangeCounter, writing
from sync.hub.schema import cards, programs
from sync.protocol import Card, ProgramSettings


def _hub_write(hub, hub_engine, merchant_id, change, by="olga@example.com"):
    with writing(hub_engine) as conn:
        counter = ChangeCounter(conn, merchant_id)
        current = hub_records.stored(conn, merchant_id, change[0], change[1])
        assert current is not None
        made = hub_records.write(conn, counter, hub.app.state.hub_key(),
                                 current.model_copy(update=change[2]), by)
        counter.save()
    return made


def test_a_program_renamed_and_a_card_blocked_at_the_hub_reach_the_till(hub, hub_engine, merchant, tmp_path):
    till = RealTerminal.founded(tmp_path / "a")
    try:
        till.pair(hub.url, hub_engine, merchant.store_id, "Till A")
        code = till.enroll("Ann")
        till.sync()
        program_id = till.program_id()
        renamed = _hub_write(hub, hub_engine, merchant.merchant_id,
                             (ProgramSettings, program_id, {"name": "Coffee club"}))
        _hub_write(hub, hub_engine, merchant.merchant_id, (Card, code, {"status": "blocked"}))
        with hub_engine.connect() as conn:
            row = conn.execute(sa.select(programs).where(programs.c.program_id == program_id)).mappings().one()
        assert (row["name"], row["changed_by"], row["updated_at"]) == (
            "Coffee club", "olga@example.com", renamed.updated_at)
        till.sync()
        assert till.services.programs.program(program_id).name == "Coffee club"
        assert till.services.counter.card(code).status == "blocked"
        # the till's own later change wins again and clears the owner's name
        till.clock.set(datetime.fromisoformat(renamed.updated_at.replace("Z", "+00:00")) + timedelta(seconds=1))
        till.services.card_status.reactivate(till.grant(), code, "found again")
        till.sync()
        with hub_engine.connect() as conn:
            row = conn.execute(sa.select(cards).where(cards.c.code == code)).mappings().one()
        assert (row["status"], row["changed_by"], row["origin_terminal_id"]) == (
            "active", None, till.terminal_id)
    finally:
        till.close()


def test_a_write_never_goes_back_in_version(hub, hub_engine, merchant, tmp_path):
    """A till whose clock ran ahead stored a version in the future: the hub's change still wins."""
    till = RealTerminal.founded(tmp_path / "a")
    try:
        till.pair(hub.url, hub_engine, merchant.store_id, "Till A")
        code = till.enroll("Ann")
        till.sync()
        future = "2099-01-01T00:00:00.000000Z"
        with writing(hub_engine) as conn:
            conn.execute(sa.update(cards).where(cards.c.code == code).values(updated_at=future))
        made = _hub_write(hub, hub_engine, merchant.merchant_id, (Card, code, {"holder": "Ann Lima"}))
        assert made.updated_at > future
        with hub_engine.connect() as conn:
            assert conn.execute(sa.select(cards.c.holder).where(cards.c.code == code)).scalar_one() == "Ann Lima"
    finally:
        till.close()
