"""A new PIN asked at the hub, and the first PIN of a member added there (sync/unset_pin.py)."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from sync.unset_pin import unset_pin_hash
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.store.models import AuditRow, StaffRow
from tests.conftest import CASHIER_PIN


def _refused(code: ErrorCode, call, *args) -> LoyaltyError:
    with pytest.raises(LoyaltyError) as err:
        call(*args)
    assert err.value.code is code, err.value
    return err.value


def _row(services, staff_id: str) -> tuple[str, bool]:
    with services.ctx.db.read() as session:
        row = session.get(StaffRow, staff_id)
        return row.pin_hash, row.pin_reset_required


def _hub_added(services, name: str = "Nadia") -> str:
    """What a pull of a member added at the console stores (sync_port's ``_apply_staff``)."""
    staff_id = str(uuid.uuid4())
    with services.ctx.db.write() as session:
        session.add(StaffRow(staff_id=staff_id, name=name, role="cashier", active=True, pin_hash=unset_pin_hash(),
                             failed_attempts=0, locked_until=None, updated_at=services.ctx.clock.now(),
                             pin_reset_required=True))
    return staff_id


def test_a_member_added_at_the_hub_gets_a_first_pin_only_with_an_owners_approval(services, owner, cashier):
    nadia = _hub_added(services)
    listed = next(s for s in services.staff.list() if s.staff_id == nadia)
    assert listed.no_pin_yet and listed.pin_reset_required
    _refused(ErrorCode.PIN_INVALID, services.auth.verify_pin, nadia, "0000")   # no PIN opens the account
    before = _row(services, nadia)
    _refused(ErrorCode.NOT_PERMITTED, services.staff.set_first_pin, cashier, nadia, "6183")
    _refused(ErrorCode.PIN_REJECTED, services.staff.set_first_pin, owner, nadia, "1234")
    assert _row(services, nadia) == before
    services.staff.set_first_pin(owner, nadia, "6183")
    grant = services.auth.verify_pin(nadia, "6183")
    assert not grant.pin_reset_required and _row(services, nadia)[1] is False
    assert not next(s for s in services.staff.list() if s.staff_id == nadia).no_pin_yet
    _refused(ErrorCode.INVALID_INPUT, services.staff.set_first_pin, owner, nadia, "7294")   # not twice
    with services.ctx.db.read() as session:
        event = session.execute(select(AuditRow).where(AuditRow.subject == nadia)
                                .order_by(AuditRow.seq.desc())).scalars().first()
    assert (event.kind, event.staff_id, json.loads(event.details)["first_pin"]) == ("pin_reset", owner.staff_id, True)


def test_a_member_asked_for_a_new_pin_does_nothing_else_first(services, owner, cashier, card):
    with services.ctx.db.write() as session:
        session.get(StaffRow, cashier.staff_id).pin_reset_required = True   # as pulled from the hub
    asked = services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    assert asked.pin_reset_required
    _refused(ErrorCode.PIN_RESET_REQUIRED, services.counter.stamp, asked, card)
    _refused(ErrorCode.PIN_REJECTED, services.staff.change_own_pin, asked, CASHIER_PIN)   # the old one again
    assert _row(services, cashier.staff_id)[1] is True
    services.staff.change_own_pin(asked, "6183")
    assert _row(services, cashier.staff_id)[1] is False
    services.counter.stamp(asked, card)   # the same sign-in goes on
    services.auth.verify_pin(cashier.staff_id, "6183")
