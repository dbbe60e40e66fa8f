"""The services against a plain-Python model of the rules, step by step.

Hypothesis drives stamps, earns, redemptions, voids, adjustments, right and
wrong PINs, unlocks, clock moves and restarts on a real SQLite store; after
every step balances, stock, lockouts and the ledger size must agree with the
model, and ``verify`` must pass.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import func, select

from terminal.domain.clock import ManualClock
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.staff import Role
from terminal.services.catalog import list_programs
from terminal.services.facade import open_services
from terminal.services.reports import HistoryFilter
from terminal.store.models import LedgerRow, RewardRow

TZ = ZoneInfo("Europe/Berlin")
OWNER_PIN, CASHIER_PIN = "2741", "5820"
COOLDOWN, DAILY, MAX_FAILS, LOCK = timedelta(minutes=15), 5, 5, timedelta(minutes=30)
MAX_AMOUNT = 1_000_000
GRANT_SECONDS = 120


@dataclass
class ModelEntry:
    entry_id: str
    card: str
    kind: str
    stamps: int
    points: int
    at: datetime
    reward: str | None = None
    voided: bool = False


@dataclass
class Model:
    entries: list[ModelEntry] = field(default_factory=list)
    stock: int = 2
    fails: int = 0
    locked_until: datetime | None = None

    def balance(self, card: str) -> tuple[int, int, int]:
        mine = [e for e in self.entries if e.card == card]
        lifetime = sum(e.points for e in mine if e.kind == "earn" and not e.voided)
        return sum(e.stamps for e in mine), sum(e.points for e in mine), lifetime

    def live_stamps(self, card: str) -> list[datetime]:
        return [e.at for e in self.entries if e.card == card and e.kind == "stamp" and not e.voided]

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until


def local_day(now: datetime) -> tuple[datetime, datetime]:
    start = now.astimezone(TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, (start + timedelta(days=1, hours=2)).replace(hour=0)


class CounterMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp())
        self.clock = ManualClock(datetime(2026, 3, 28, 20, 0, tzinfo=UTC))  # near a DST change
        self.services = open_services(self.tmp / "data", clock=self.clock)
        self.services.init_store(name="Model Café", timezone="Europe/Berlin", currency="EUR",
                                 owner_name="Olga", owner_pin=OWNER_PIN, template="hybrid")
        self.owner_id = self.services.staff.list()[0].staff_id
        owner = self.services.auth.verify_pin(self.owner_id, OWNER_PIN)
        self.cashier_id = self.services.staff.add(owner, "Carl", Role.CASHIER, CASHIER_PIN).staff_id
        with self.services.ctx.db.read() as s:
            program = list_programs(s)[0].program_id
        self.services.owner.set_tiers(owner, program, [("Silver", 500, 150)])
        self.points_reward = self.services.owner.save_reward(owner, program, "Mug", cost_points=300, stock=2)
        self.stamp_reward = self.services.owner.save_reward(owner, program, "Cookie", cost_stamps=3)
        self.model = Model()
        self.cards = []
        for holder in ("Ann", "Ben"):
            view = self.services.enrollment.enroll(owner, program, holder)
            self.cards.append(view.code)
            self._record(self.services.reports.history(HistoryFilter(card=view.code, limit=1))[0])
        self.grants: dict[str, object] = {}

    # -- helpers -------------------------------------------------------------
    def _record(self, entry) -> None:
        self.model.entries.append(ModelEntry(entry.entry_id, entry.card, str(entry.kind), entry.stamps,
                                             entry.points, entry.at, entry.reward_id))

    def _grant(self, staff_id: str, pin: str):
        grant = self.grants.get(staff_id)
        if grant is None or self.clock.now() - grant.issued_at > timedelta(seconds=GRANT_SECONDS):
            grant = self.services.auth.verify_pin(staff_id, pin)
            self.grants[staff_id] = grant
            if staff_id == self.cashier_id:  # only a PIN check that ran resets the count
                self.model.fails, self.model.locked_until = 0, None
        return grant

    def _cashier_action(self, expected: ErrorCode | None, action):
        now = self.clock.now()
        if self.model.locked(now):
            expected = ErrorCode.STAFF_LOCKED
        try:
            result = action(self._grant(self.cashier_id, CASHIER_PIN))
        except LoyaltyError as exc:
            assert exc.code is expected, f"expected {expected}, got {exc.code}: {exc.message}"
            return None
        assert expected is None, f"expected {expected}, but the action succeeded"
        return result

    # -- rules ---------------------------------------------------------------
    @rule(minutes=st.sampled_from([1, 5, 14, 15, 16, 31, 90, 60 * 7, 60 * 24]))
    def advance_clock(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))

    @rule(i=st.integers(0, 1))
    def stamp(self, i: int) -> None:
        card, now = self.cards[i], self.clock.now()
        stamps = self.model.live_stamps(card)
        start, end = local_day(now)
        expected = None
        if stamps and now - max(stamps) < COOLDOWN:
            expected = ErrorCode.COOLDOWN_ACTIVE
        elif sum(start <= t < end for t in stamps) >= DAILY:
            expected = ErrorCode.DAILY_LIMIT_REACHED
        result = self._cashier_action(expected, lambda g: self.services.counter.stamp(g, card))
        if result:
            self._record(result.entry)

    @rule(i=st.integers(0, 1), amount=st.one_of(st.integers(1, 20_000), st.integers(MAX_AMOUNT - 5, MAX_AMOUNT + 5)))
    def earn(self, i: int, amount: int) -> None:
        card = self.cards[i]
        lifetime = self.model.balance(card)[2]
        points = amount * 10 * (150 if lifetime >= 500 else 100) // 10_000
        expected = None
        if amount > MAX_AMOUNT:
            expected = ErrorCode.INVALID_AMOUNT
        elif points <= 0:
            expected = ErrorCode.AMOUNT_BELOW_MINIMUM
        if expected is ErrorCode.INVALID_AMOUNT:  # refused before the PIN grant is even looked at
            try:
                self.services.counter.earn(self._grant(self.cashier_id, CASHIER_PIN), card, amount)
            except LoyaltyError as exc:
                assert exc.code in (ErrorCode.INVALID_AMOUNT, ErrorCode.STAFF_LOCKED)
                return
            raise AssertionError("an absurd amount was accepted")
        result = self._cashier_action(expected, lambda g: self.services.counter.earn(g, card, amount))
        if result:
            assert result.entry.points == points
            self._record(result.entry)

    @rule(i=st.integers(0, 1), points_reward=st.booleans())
    def redeem(self, i: int, points_reward: bool) -> None:
        card = self.cards[i]
        stamps, points, _ = self.model.balance(card)
        reward = self.points_reward if points_reward else self.stamp_reward
        expected = None
        if points_reward and self.model.stock <= 0:
            expected = ErrorCode.REWARD_OUT_OF_STOCK
        elif (points_reward and points < 300) or (not points_reward and stamps < 3):
            expected = ErrorCode.INSUFFICIENT_BALANCE
        result = self._cashier_action(expected, lambda g: self.services.counter.redeem(g, card, reward))
        if result:
            self.model.stock -= points_reward
            self._record(result.entry)

    @rule(i=st.integers(0, 1))
    def void_last(self, i: int) -> None:
        card = self.cards[i]
        candidates = [e for e in self.model.entries
                      if e.card == card and e.kind in ("stamp", "stamp_redeem", "earn", "redeem", "adjust")
                      and not e.voided]
        found = self.services.owner.last_entry(card)
        assert (found.entry_id if found else None) == (candidates[-1].entry_id if candidates else None)
        if not found:
            return
        target = candidates[-1]
        stamps, points, _ = self.model.balance(card)
        owner = self._grant(self.owner_id, OWNER_PIN)
        try:
            void = self.services.owner.void(owner, target.entry_id, "model void")
        except LoyaltyError as exc:
            assert exc.code is ErrorCode.INSUFFICIENT_BALANCE
            assert stamps - target.stamps < 0 or points - target.points < 0
            return
        assert stamps - target.stamps >= 0 and points - target.points >= 0
        target.voided = True
        if target.reward == self.points_reward:
            self.model.stock += 1
        self._record(void)

    @rule(i=st.integers(0, 1), delta=st.integers(-400, 400).filter(bool))
    def adjust(self, i: int, delta: int) -> None:
        card = self.cards[i]
        owner = self._grant(self.owner_id, OWNER_PIN)
        try:
            self._record(self.services.owner.adjust(owner, card, delta, "model adjustment"))
        except LoyaltyError as exc:
            assert exc.code is ErrorCode.INSUFFICIENT_BALANCE and self.model.balance(card)[1] + delta < 0

    @rule()
    def wrong_pin(self) -> None:
        now = self.clock.now()
        try:
            self.services.auth.verify_pin(self.cashier_id, "9999")
        except LoyaltyError as exc:
            if self.model.locked(now):
                assert exc.code is ErrorCode.STAFF_LOCKED
                return
            if self.model.locked_until is not None:  # an expired lock starts a fresh count
                self.model.fails, self.model.locked_until = 0, None
            self.model.fails += 1
            if self.model.fails >= MAX_FAILS:
                self.model.locked_until = now + LOCK
                assert exc.code is ErrorCode.STAFF_LOCKED
            else:
                assert exc.code is ErrorCode.PIN_INVALID
                assert exc.details["attempts_left"] == MAX_FAILS - self.model.fails
            return
        raise AssertionError("a wrong PIN was accepted")

    @rule()
    def right_pin(self) -> None:
        self.grants.pop(self.cashier_id, None)
        self._cashier_action(None, lambda g: g)

    @rule()
    def unlock(self) -> None:
        self.services.staff.unlock(self._grant(self.owner_id, OWNER_PIN), self.cashier_id)
        self.model.fails, self.model.locked_until = 0, None

    @rule()
    def restart(self) -> None:
        self.services.close()
        self.services = open_services(self.tmp / "data", clock=self.clock)
        self.grants.clear()  # grants are signed by the process that made them

    # -- invariants ------------------------------------------------------------
    @invariant()
    def balances_stock_and_ledger_agree(self) -> None:
        for card in self.cards:
            b = self.services.counter.card(card).balance
            assert (b.stamps, b.points, b.lifetime_points) == self.model.balance(card)
        with self.services.ctx.db.read() as s:
            assert s.get(RewardRow, self.points_reward).stock == self.model.stock
            assert s.execute(select(func.count()).select_from(LedgerRow)).scalar_one() == len(self.model.entries)
        assert self.services.reports.verify().ok

    def teardown(self) -> None:
        self.services.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


CounterMachine.TestCase.settings = settings(
    max_examples=20, stateful_step_count=30, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestCounterRules = CounterMachine.TestCase
