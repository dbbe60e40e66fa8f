"""The store's wrong-PIN count on one till: rows of other tills merge in, never go down, and only an
audited new epoch clears them (the sync's part is tests/sync/test_shared_lockout.py)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from terminal.domain.clock import to_iso
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services.audit import AuditKind
from terminal.store import staff_locks
from terminal.store.models import AuditRow
from terminal.store.staff_locks import LockRow, merged
from tests.conftest import CASHIER_PIN

OTHER_TILL = str(uuid.uuid4())

_rows = st.builds(LockRow, st.just("s"), st.just("t"), st.integers(0, 3), st.integers(0, 20),
                  st.one_of(st.none(), st.sampled_from(["2026-03-10T09:00:00.000000Z",
                                                        "2026-03-10T10:00:00.000000Z"])))


def _merge(a: LockRow | None, b: LockRow) -> LockRow | None:
    grown = merged(a, b)
    return a if grown is None else grown


@given(_rows, _rows, _rows)
def test_merging_is_order_free_and_never_goes_down(a: LockRow, b: LockRow, c: LockRow) -> None:
    left = _merge(_merge(a, b), c)
    right = _merge(a, _merge(b, c))
    assert left == right == _merge(_merge(a, c), b)
    assert _merge(left, a) == left  # idempotent: a resend changes nothing
    assert left is not None
    for row in (a, b, c):  # never below any row merged in
        assert left.epoch > row.epoch or (left.epoch == row.epoch and left.failures >= row.failures
                                          and (row.locked_until or "") <= (left.locked_until or ""))


def _pull(services, rows: list[LockRow]) -> None:
    with services.ctx.db.write() as session:
        staff_locks.apply_remote(session.connection(), rows, services.ctx.store.terminal_id,
                                 services.ctx.clock.now(), services.ctx.lockout)


def _wrong(services, staff_id: str, times: int) -> LoyaltyError:
    for _ in range(times):
        with pytest.raises(LoyaltyError) as err:
            services.auth.verify_pin(staff_id, "9999")
    return err.value


def test_failures_pulled_from_another_till_add_to_this_tills(services, cashier):
    _wrong(services, cashier.staff_id, 2)
    _pull(services, [LockRow(cashier.staff_id, OTHER_TILL, 0, 2, None)])
    assert _wrong(services, cashier.staff_id, 1).code is ErrorCode.STAFF_LOCKED  # 2 + 2 + 1 = 5


def test_a_pulled_count_that_crosses_the_limit_locks_from_now_and_a_lower_one_unlocks_nothing(
        services, cashier, clock):
    _wrong(services, cashier.staff_id, 3)
    _pull(services, [LockRow(cashier.staff_id, OTHER_TILL, 0, 3, None)])
    with pytest.raises(LoyaltyError) as err:
        services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    assert err.value.code is ErrorCode.STAFF_LOCKED
    assert err.value.details["locked_until"] == clock.now() + timedelta(minutes=30)
    _pull(services, [LockRow(cashier.staff_id, OTHER_TILL, 0, 0, None)])  # a lower count: ignored
    info = next(s for s in services.staff.list() if s.staff_id == cashier.staff_id)
    assert info.failed_attempts == 6 and info.locked_until == clock.now() + timedelta(minutes=30)


def _audited_epochs(services, kind: AuditKind) -> list[int]:
    with services.ctx.db.read() as session:
        details = session.execute(select(AuditRow.details).where(AuditRow.kind == kind.value)).scalars()
        return [json.loads(d)["epoch"] for d in details]


def test_an_owner_unlock_starts_an_audited_epoch_that_clears_every_tills_count(services, owner, cashier):
    _wrong(services, cashier.staff_id, 2)
    _pull(services, [LockRow(cashier.staff_id, OTHER_TILL, 0, 3, None)])
    services.staff.unlock(owner, cashier.staff_id)
    assert _audited_epochs(services, AuditKind.STAFF_UNLOCKED) == [1]
    info = next(s for s in services.staff.list() if s.staff_id == cashier.staff_id)
    assert (info.failed_attempts, info.locked_until) == (0, None)
    _pull(services, [LockRow(cashier.staff_id, OTHER_TILL, 0, 9, to_iso(services.ctx.clock.now()))])
    assert services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)  # an older epoch no longer counts


def test_a_right_pin_clears_the_count_by_an_audited_epoch(services, cashier):
    _wrong(services, cashier.staff_id, 1)
    _pull(services, [LockRow(cashier.staff_id, OTHER_TILL, 0, 2, None)])
    services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    assert _audited_epochs(services, AuditKind.PIN_FAILURES_CLEARED) == [1]
    services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)  # nothing left to clear: no new epoch
    assert _audited_epochs(services, AuditKind.PIN_FAILURES_CLEARED) == [1]
    assert _wrong(services, cashier.staff_id, 1).details["attempts_left"] == 4
