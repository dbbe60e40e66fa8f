"""PIN lock state shared by a store's tills through the sync (issue 12, seen 9 / build 8).

Guesses on two tills add up, a lockout or a disabled PIN on one holds on the
others, an owner's unlock travels, and no till can lower the count the hub
holds except by an audited reset.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from real_terminal import CASHIER, RealTerminal

from sync.client import HubClient, HubRefused
from sync.hub.schema import staff_locks
from sync.protocol import PROTOCOL_VERSION, PushRequest, StaffLock
from terminal.domain.clock import to_iso
from terminal.domain.errors import ErrorCode, LoyaltyError


def _wrong(term: RealTerminal, times: int) -> None:
    carl = term.staff_id(CASHIER[0])
    for _ in range(times):
        with pytest.raises(LoyaltyError) as refused:
            term.services.auth.verify_pin(carl, "0000")
        assert refused.value.code is ErrorCode.PIN_INVALID


def _refusal(term: RealTerminal) -> ErrorCode | None:
    try:
        term.grant(CASHIER)
    except LoyaltyError as exc:
        return exc.code
    return None


def _sync_all(a: RealTerminal, b: RealTerminal) -> None:
    a.sync()
    b.sync()
    a.sync()


def test_wrong_pins_on_two_tills_add_up_and_lock_on_both(till_pair):
    a, b = till_pair(own_clock=True, cashier=True)
    _wrong(a, 3)
    _wrong(b, 3)  # each till alone is under the limit of 5
    _sync_all(a, b)
    assert _refusal(a) is ErrorCode.STAFF_LOCKED
    assert _refusal(b) is ErrorCode.STAFF_LOCKED
    for term in (a, b):
        info = next(s for s in term.services.staff.list() if s.name == CASHIER[0])
        assert info.failed_attempts == 6 and info.locked_until is not None


def test_a_lockout_on_one_till_holds_on_the_other_and_the_next_one_there_doubles(till_pair):
    a, b = till_pair(own_clock=True, cashier=True)
    _wrong(a, 4)
    with pytest.raises(LoyaltyError) as locked:
        a.services.auth.verify_pin(a.staff_id(CASHIER[0]), "0000")
    assert locked.value.code is ErrorCode.STAFF_LOCKED
    _sync_all(a, b)
    assert _refusal(b) is ErrorCode.STAFF_LOCKED
    b.clock.advance(timedelta(minutes=31))
    _wrong(b, 4)  # the store's count goes on from 5
    with pytest.raises(LoyaltyError) as again:
        b.services.auth.verify_pin(b.staff_id(CASHIER[0]), "0000")
    assert again.value.code is ErrorCode.STAFF_LOCKED
    assert again.value.details["locked_until"] - b.clock.now() == timedelta(minutes=60)
    b.sync()
    a.sync()
    info = next(s for s in a.services.staff.list() if s.name == CASHIER[0])
    assert info.failed_attempts == 10 and info.locked_until == again.value.details["locked_until"]


def test_an_owner_unlock_on_one_till_travels_to_the_others(till_pair):
    a, b = till_pair(own_clock=True, cashier=True)
    _wrong(a, 3)
    _wrong(b, 3)
    _sync_all(a, b)
    assert _refusal(b) is ErrorCode.STAFF_LOCKED
    a.services.staff.unlock(a.grant(), a.staff_id(CASHIER[0]))
    _sync_all(a, b)
    assert _refusal(a) is None and _refusal(b) is None
    _wrong(b, 4)  # a fresh count: four more are still under the limit
    assert _refusal(b) is None


def test_a_disabled_pin_holds_on_every_till(till_pair, monkeypatch):
    monkeypatch.setenv("LOYALTY_PIN_DISABLE_AFTER_FAILURES", "8")
    monkeypatch.setenv("LOYALTY_PIN_MAX_FAILED_ATTEMPTS", "50")
    a, b = till_pair(own_clock=True, cashier=True)
    _wrong(a, 4)
    _wrong(b, 4)
    _sync_all(a, b)
    assert _refusal(a) is ErrorCode.PIN_DISABLED
    assert _refusal(b) is ErrorCode.PIN_DISABLED


def _hub_rows(engine, staff_id: str) -> dict[str, tuple[int, int]]:
    with engine.connect() as conn:
        return {r.terminal_id: (r.epoch, r.failures) for r in conn.execute(
            sa.select(staff_locks).where(staff_locks.c.staff_id == staff_id))}


def test_a_till_cannot_lower_the_count_or_start_an_unaudited_epoch(till_pair, hub, hub_engine):
    a, b = till_pair(own_clock=True, cashier=True)
    _wrong(b, 4)
    b.sync()
    carl = b.staff_id(CASHIER[0])
    assert _hub_rows(hub_engine, carl) == {b.terminal_id: (0, 4)}

    def push(epoch: int, failures: int) -> None:
        lock = StaffLock(staff_id=carl, terminal_id=b.terminal_id, epoch=epoch, failures=failures,
                         updated_at=to_iso(b.clock.now()))
        with HubClient(hub.url, b.token(), timeout=30) as client:
            client.push(PushRequest(v=PROTOCOL_VERSION, terminal_id=b.terminal_id, locks=[lock]))

    push(0, 0)  # a lower count is acknowledged and changes nothing
    assert _hub_rows(hub_engine, carl) == {b.terminal_id: (0, 4)}
    with pytest.raises(HubRefused) as refused:
        push(1, 0)  # a new epoch clears the count: only with the audit event of the reset
    assert refused.value.code == "lock_reset_unaudited"
    assert _hub_rows(hub_engine, carl) == {b.terminal_id: (0, 4)}
    with pytest.raises(HubRefused) as foreign:
        lock = StaffLock(staff_id=carl, terminal_id=a.terminal_id, epoch=0, failures=0,
                         updated_at=to_iso(b.clock.now()))
        with HubClient(hub.url, b.token(), timeout=30) as client:
            client.push(PushRequest(v=PROTOCOL_VERSION, terminal_id=b.terminal_id, locks=[lock]))
    assert foreign.value.code == "foreign_terminal"


def test_a_right_pin_clears_the_store_count_by_an_audited_epoch(till_pair, hub_engine):
    a, b = till_pair(own_clock=True, cashier=True)
    _wrong(a, 2)
    _wrong(b, 2)
    _sync_all(a, b)
    assert a.grant(CASHIER)  # 4 < 5: the right PIN passes and clears the count everywhere
    _sync_all(a, b)
    _wrong(b, 4)
    b.sync()
    assert _refusal(b) is None, "the earlier four no longer count"
    carl = a.staff_id(CASHIER[0])
    assert max(epoch for epoch, _ in _hub_rows(hub_engine, carl).values()) == 1
