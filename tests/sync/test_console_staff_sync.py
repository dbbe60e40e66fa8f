"""Staff changed at the console reach a real till by pull, and the till's answer reaches the hub:
a member added with no PIN gets their first one with an owner's approval at the till, a new PIN
asked at the hub is chosen at the next sign-in, a deactivated member cannot sign in."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from real_terminal import RealTerminal

from sync.hub import console_staff
from sync.hub.schema import staff
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.store.models import StaffRow

BY = "owner@corner.example"


def _hub_row(engine, staff_id):
    with engine.connect() as conn:
        return conn.execute(sa.select(staff).where(staff.c.staff_id == staff_id)).mappings().one()


def _till_hash(till, staff_id):
    with till.services.ctx.db.read() as session:
        return session.get(StaffRow, staff_id).pin_hash


def test_console_staff_changes_and_the_tills_answers(hub, hub_engine, merchant, tmp_path):
    key = hub.app.state.hub_key()
    till = RealTerminal.founded(tmp_path / "till")
    try:
        till.pair(hub.url, hub_engine, merchant.store_id, "Front till")
        nadia = console_staff.add_member(hub_engine, key, merchant.merchant_id, merchant.store_id, "Nadia",
                                         "cashier", BY).staff_id
        till.sync()
        pulled = next(s for s in till.services.staff.list() if s.staff_id == nadia)
        assert pulled.no_pin_yet and pulled.pin_reset_required
        with pytest.raises(LoyaltyError):
            till.services.auth.verify_pin(nadia, "6183")

        # Part 1: the first PIN, approved by the till's owner, reaches the hub.
        till.services.staff.set_first_pin(till.grant(), nadia, "6183")
        till.sync()
        row = _hub_row(hub_engine, nadia)
        assert (row["pin_hash"], row["pin_reset_required"], row["changed_by"], row["origin_terminal_id"]) == (
            _till_hash(till, nadia), False, None, till.terminal_id)
        assert not till.services.auth.verify_pin(nadia, "6183").pin_reset_required

        # Part 2: a new PIN asked at the hub is asked at the next sign-in; deactivation closes the account.
        console_staff.change_member(hub_engine, key, merchant.merchant_id, merchant.store_id, nadia, "reset-pin", BY)
        till.sync()
        asked = till.services.auth.verify_pin(nadia, "6183")
        assert asked.pin_reset_required
        with pytest.raises(LoyaltyError) as err:
            till.services.enrollment.enroll(asked, till.program_id(), "Ann")
        assert err.value.code is ErrorCode.PIN_RESET_REQUIRED
        till.services.staff.change_own_pin(asked, "7294")
        till.sync()
        row = _hub_row(hub_engine, nadia)
        assert (row["pin_reset_required"], row["pin_hash"]) == (False, _till_hash(till, nadia))
        console_staff.change_member(hub_engine, key, merchant.merchant_id, merchant.store_id, nadia, "deactivate", BY)
        till.sync()
        with pytest.raises(LoyaltyError) as err:
            till.services.auth.verify_pin(nadia, "7294")
        assert err.value.code is ErrorCode.STAFF_INACTIVE
        assert nadia not in [s.staff_id for s in till.services.staff.list()]
    finally:
        till.close()
