"""The services against a plain-Python model of the rules, step by step.

Hypothesis drives stamps, earns, redemptions, voids, adjustments, right and
wrong PINs, unlocks, campaigns (added and ended, with weekdays and hours in the
store's time zone), card status changes (suspend, block, reactivate), replacing
a blocked card by a new one, clock moves and restarts on a real SQLite store;
after every step balances (of the replaced cards too), card statuses, stock,
lockouts and the ledger size must agree with the model, and ``verify`` must
pass.

Every rule is checked on both sides: the model predicts, before each call,
whether the service must accept it or refuse it and with which code
(cooldown, daily limit, lockout, balance, stock, amount, permission, an
expired grant, an entry that cannot be voided, a suspended or blocked card, a
replacement of a card that is not blocked), and either outcome against
the prediction fails. Each run also records which outcomes it reached and
fails when one it must reach never happened: a fixed tour through the same
rules reaches every one, the short random profile the common ones, and the
long random profile (``python -m pytest -m slow
tests/services/test_rules_state_machine.py``) every one again.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from terminal.domain.campaigns import Campaign, CampaignKind
from terminal.domain.clock import ManualClock
from terminal.domain.codes import new_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.domain.programs import CardStatus
from terminal.domain.staff import Role
from terminal.services.auth import Grant
from terminal.services.catalog import list_programs
from terminal.services.counter import ActionResult
from terminal.services.facade import open_services
from terminal.services.reports import HistoryFilter
from terminal.store.models import LedgerRow, RewardRow

T = TypeVar("T")
TZ = ZoneInfo("Europe/Berlin")
OWNER_PIN, CASHIER_PIN = "2741", "5820"
COOLDOWN, DAILY, MAX_FAILS, LOCK = timedelta(minutes=15), 5, 5, timedelta(minutes=30)
DISABLE_AFTER = 100
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
    lifetime: int = 0  # what a replacement's transfer entry moves (the model's own count, not the entry's)


@dataclass
class ModelCampaign:
    """A campaign as the model sees it: its own, plain reading of weekdays and hours (store time)."""

    campaign_id: str
    kind: str            # multiplier (value: percent), fixed_bonus (points), extra_stamp (stamps)
    value: int
    weekdays: tuple[int, ...]
    hours: tuple[int, int] | None
    ended: datetime | None = None

    def active(self, now: datetime) -> bool:
        local = now.astimezone(TZ)
        return ((self.ended is None or now < self.ended)
                and (not self.weekdays or local.weekday() in self.weekdays)
                and (self.hours is None or self.hours[0] <= local.hour < self.hours[1]))


@dataclass
class Model:
    entries: list[ModelEntry] = field(default_factory=list)
    campaigns: list[ModelCampaign] = field(default_factory=list)
    stock: int = 1
    fails: int = 0
    locked_until: datetime | None = None
    status: dict[str, str] = field(default_factory=dict)       # card -> active, suspended or blocked
    replaced_by: dict[str, str] = field(default_factory=dict)  # a replaced card -> the card that took over

    def status_refusal(self, card: str) -> ErrorCode | None:
        """A counter action on a card that is not active is refused, after the grant and before anything else."""
        return {"suspended": ErrorCode.CARD_SUSPENDED, "blocked": ErrorCode.CARD_BLOCKED}.get(
            self.status.get(card, "active"))

    def balance(self, card: str) -> tuple[int, int, int]:
        mine = [e for e in self.entries if e.card == card]
        # earning counts toward tiers, and a replacement moves what the old card had reached
        lifetime = sum(e.points for e in mine if e.kind == "earn" and not e.voided) + sum(e.lifetime for e in mine)
        return sum(e.stamps for e in mine), sum(e.points for e in mine), lifetime

    def live_stamps(self, card: str) -> list[datetime]:
        return [e.at for e in self.entries if e.card == card and e.kind == "stamp" and not e.voided]

    def locked(self, now: datetime) -> bool:
        return self.lock_code(now) is not None

    def lock_code(self, now: datetime) -> ErrorCode | None:
        """Failures count across lockouts; at DISABLE_AFTER the PIN is disabled until an owner resets it."""
        if self.fails >= DISABLE_AFTER:
            return ErrorCode.PIN_DISABLED
        return ErrorCode.STAFF_LOCKED if self.locked_until is not None and now < self.locked_until else None

    def owed(self, entry: ModelEntry) -> bool:
        """Whether voiding ``entry`` (after its bonuses) would take a balance below zero at any step."""
        stamps, points, _ = self.balance(entry.card)
        for e in [*self.bonuses_of(entry), entry]:
            stamps, points = stamps - e.stamps, points - e.points
            if stamps < 0 or points < 0:
                return True
        return False

    def bonuses_of(self, entry: ModelEntry) -> list[ModelEntry]:
        """The campaign bonuses written with a stamp or purchase: the entries right after it."""
        if entry.kind not in ("stamp", "earn"):
            return []
        found = []
        for e in self.entries[self.entries.index(entry) + 1:]:
            if e.kind != "bonus" or e.card != entry.card:
                break
            if not e.voided:
                found.append(e)
        return found

    def purchase_bonuses(self, now: datetime, amount: int, tier: int, points: int) -> dict[str, tuple[int, int]]:
        """campaign id -> (stamps, points) a purchase earns: the highest multiplier on base x tier, fixed bonuses."""
        active = [c for c in self.campaigns if c.active(now)]
        found = {}
        multipliers = [c for c in active if c.kind == "multiplier"]
        if multipliers:
            best = max(multipliers, key=lambda c: (c.value, c.campaign_id))
            total = amount * 10 * best.value * tier // 1_000_000
            if total > points:
                found[best.campaign_id] = (0, total - points)
        found.update({c.campaign_id: (0, c.value) for c in active if c.kind == "fixed_bonus"})
        return found

    def stamp_bonuses(self, now: datetime) -> dict[str, tuple[int, int]]:
        return {c.campaign_id: (c.value, 0) for c in self.campaigns if c.active(now) and c.kind == "extra_stamp"}


VOIDABLE = ("stamp", "stamp_redeem", "earn", "redeem", "adjust", "bonus")
# (rule, outcome) -> how often: which sides of which rules a run really exercised.
OUTCOMES: Counter[tuple[str, str]] = Counter()


def seen(rule_name: str, outcome: ErrorCode | None) -> None:
    OUTCOMES[rule_name, outcome.value if outcome else "ok"] += 1


def local_day(now: datetime) -> tuple[datetime, datetime]:
    start = now.astimezone(TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, (start + timedelta(days=1, hours=2)).replace(hour=0)


class CounterMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp())
        self.clock = ManualClock(datetime(2026, 3, 28, 20, 0, tzinfo=UTC))  # near a DST change
        self.services = open_services(self.tmp / "data", clock=self.clock)
        # the model's lockouts end by the manual clock: let the in-process lockout hold follow it too
        self.services.auth.monotonic = lambda: self.clock.now().timestamp()
        self.services.init_store(name="Model Café", timezone="Europe/Berlin", currency="EUR",
                                 owner_name="Olga", owner_pin=OWNER_PIN, template="hybrid")
        self.owner_id = self.services.staff.list()[0].staff_id
        owner = self.services.auth.verify_pin(self.owner_id, OWNER_PIN)
        self.cashier_id = self.services.staff.add(owner, "Carl", Role.CASHIER, CASHIER_PIN).staff_id
        with self.services.ctx.db.read() as s:
            program = list_programs(s)[0].program_id
        self.program = program
        self.services.owner.set_tiers(owner, program, [("Silver", 500, 150)])
        self.points_reward = self.services.owner.save_reward(owner, program, "Mug", cost_points=300, stock=1)
        self.stamp_reward = self.services.owner.save_reward(owner, program, "Cookie", cost_stamps=3)
        self.model = Model()
        self.cards = []
        for holder in ("Ann", "Ben"):
            view = self.services.enrollment.enroll(owner, program, holder)
            self.cards.append(view.code)
            self._record(self.services.reports.history(HistoryFilter(card=view.code, limit=1))[0])
        # Ann starts with enough for either reward, so a short run also sees redemptions succeed.
        self._record(self.services.owner.adjust(owner, self.cards[0], 350, "opening balance", stamps=3))
        self.grants: dict[str, object] = {}

    # -- helpers -------------------------------------------------------------
    def _record(self, entry, lifetime: int = 0) -> None:
        self.model.entries.append(ModelEntry(entry.entry_id, entry.card, str(entry.kind), entry.stamps,
                                             entry.points, entry.at, entry.reward_id, lifetime=lifetime))

    def _grant(self, staff_id: str, pin: str):
        grant = self.grants.get(staff_id)
        if grant is None or self.clock.now() - grant.issued_at > timedelta(seconds=GRANT_SECONDS):
            grant = self.services.auth.verify_pin(staff_id, pin)
            self.grants[staff_id] = grant
            if staff_id == self.cashier_id:  # only a PIN check that ran resets the count
                self.model.fails, self.model.locked_until = 0, None
        return grant

    def _fresh(self, staff_id: str) -> bool:
        grant = self.grants.get(staff_id)
        return grant is not None and self.clock.now() - grant.issued_at <= timedelta(seconds=GRANT_SECONDS)

    def _expect(self, rule_name: str, expected: ErrorCode | None, call: Callable[[], T]) -> T | None:
        """Run ``call``: it must be refused with ``expected``, or succeed when that is None."""
        try:
            result = call()
        except LoyaltyError as exc:
            assert exc.code is expected, f"{rule_name}: expected {expected}, got {exc.code}: {exc.message}"
            seen(rule_name, exc.code)
            return None
        assert expected is None, f"{rule_name}: expected {expected}, but it succeeded"
        seen(rule_name, None)
        return result

    def _cashier_action(self, rule_name: str, expected: ErrorCode | None, action: Callable[[Grant], T]) -> T | None:
        if self.model.locked(self.clock.now()):
            expected = self.model.lock_code(self.clock.now())
        return self._expect(rule_name, expected, lambda: action(self._grant(self.cashier_id, CASHIER_PIN)))

    # -- rules ---------------------------------------------------------------
    @rule(minutes=st.sampled_from([1, 5, 14, 15, 16, 31, 90, 60 * 7, 60 * 24]))
    def advance_clock(self, minutes: int) -> None:
        self.clock.advance(timedelta(minutes=minutes))

    def _stamp_refusal(self, card: str) -> ErrorCode | None:
        if refusal := self.model.status_refusal(card):
            return refusal
        now = self.clock.now()
        stamps = self.model.live_stamps(card)
        start, end = local_day(now)
        if stamps and now - max(stamps) < COOLDOWN:
            return ErrorCode.COOLDOWN_ACTIVE
        if sum(start <= t < end for t in stamps) >= DAILY:
            return ErrorCode.DAILY_LIMIT_REACHED
        return None

    def _stamped(self, result: ActionResult | None, card: str) -> None:
        if result:
            assert (result.entry.kind, result.entry.stamps, result.entry.card) == ("stamp", 1, card)
            self._record(result.entry)
            self._bonuses(result, self.model.stamp_bonuses(result.entry.at))

    def _bonuses(self, result: ActionResult, expected: dict[str, tuple[int, int]]) -> None:
        """The action's bonus entries are the model's, each its own entry naming its campaign."""
        got = {b.reason: (b.stamps, b.points) for b in result.bonuses}
        assert got == {f"campaign:{cid}": value for cid, value in expected.items()}, (got, expected)
        for bonus in result.bonuses:
            assert (bonus.kind, bonus.card, bonus.at) == ("bonus", result.entry.card, result.entry.at)
            self._record(bonus)
            seen("campaign_bonus", None)

    @rule(i=st.integers(0, 1))
    def stamp(self, i: int) -> None:
        card = self.cards[i]
        self._stamped(self._cashier_action("stamp", self._stamp_refusal(card),
                                           lambda g: self.services.counter.stamp(g, card)), card)

    @rule(i=st.integers(0, 1))
    def stamp_through_the_day(self, i: int) -> None:
        """A stamp every 16 minutes, one more than the daily limit allows: the limit's both sides."""
        for _ in range(DAILY + 1):
            self.clock.advance(COOLDOWN + timedelta(minutes=1))
            self.stamp(i)

    @rule(i=st.integers(0, 1), late=st.booleans())
    def grant_runs_out(self, i: int, late: bool) -> None:
        """A grant used at the last second of its lifetime is accepted; one second later, refused."""
        if self.model.locked(self.clock.now()):
            return  # no grant to be had; the lockout rules cover this
        grant = self._grant(self.cashier_id, CASHIER_PIN)
        self.clock.set(grant.issued_at + timedelta(seconds=GRANT_SECONDS + late))
        card = self.cards[i]
        expected = ErrorCode.GRANT_EXPIRED if late else self._stamp_refusal(card)
        self._stamped(self._expect("grant_runs_out", expected, lambda: self.services.counter.stamp(grant, card)), card)

    @rule(i=st.integers(0, 1))
    def stamp_with_the_grant_in_hand(self, i: int) -> None:
        """The cashier's last grant, never renewed: accepted within its lifetime, refused after it."""
        grant = self.grants.get(self.cashier_id)
        if grant is None:
            return
        card, now = self.cards[i], self.clock.now()
        if now - grant.issued_at > timedelta(seconds=GRANT_SECONDS):
            expected = ErrorCode.GRANT_EXPIRED  # checked before anything else about the staff member
        elif self.model.locked(now):
            expected = self.model.lock_code(now)
        else:
            expected = self._stamp_refusal(card)
        self._stamped(self._expect("stamp_with_the_grant_in_hand", expected,
                                   lambda: self.services.counter.stamp(grant, card)), card)

    @rule(i=st.integers(0, 1), amount=st.one_of(st.integers(1, 20_000), st.integers(1, 12),
                                                st.integers(MAX_AMOUNT - 5, MAX_AMOUNT + 5)))
    def earn(self, i: int, amount: int) -> None:
        card = self.cards[i]
        lifetime = self.model.balance(card)[2]
        points = amount * 10 * (150 if lifetime >= 500 else 100) // 10_000
        expected = None
        if amount > MAX_AMOUNT:
            expected = ErrorCode.INVALID_AMOUNT
        elif refusal := self.model.status_refusal(card):
            expected = refusal
        elif points <= 0:
            expected = ErrorCode.AMOUNT_BELOW_MINIMUM
        if expected is ErrorCode.INVALID_AMOUNT:
            # The amount is refused before the grant is looked at; only getting
            # a grant (a PIN check while locked out) can fail first.
            if self.model.locked(self.clock.now()) and not self._fresh(self.cashier_id):
                expected = self.model.lock_code(self.clock.now())
            self._expect("earn", expected, lambda: self.services.counter.earn(
                self._grant(self.cashier_id, CASHIER_PIN), card, amount))
            return
        result = self._cashier_action("earn", expected, lambda g: self.services.counter.earn(g, card, amount))
        if result:
            assert (result.entry.kind, result.entry.points, result.entry.amount) == ("earn", points, amount)
            self._record(result.entry)
            tier = 150 if lifetime >= 500 else 100
            self._bonuses(result, self.model.purchase_bonuses(result.entry.at, amount, tier, points))

    @rule(i=st.integers(0, 1), points_reward=st.booleans())
    def redeem(self, i: int, points_reward: bool) -> None:
        card = self.cards[i]
        stamps, points, _ = self.model.balance(card)
        reward = self.points_reward if points_reward else self.stamp_reward
        short = (points_reward and points < 300) or (not points_reward and stamps < 3)
        expected = self.model.status_refusal(card)
        if expected is None and points_reward and self.model.stock <= 0:
            expected = ErrorCode.REWARD_OUT_OF_STOCK
        elif expected is None and short:
            expected = ErrorCode.INSUFFICIENT_BALANCE
        result = self._cashier_action("redeem", expected, lambda g: self.services.counter.redeem(g, card, reward))
        if result:
            wanted = ("redeem", 0, -300) if points_reward else ("stamp_redeem", -3, 0)
            assert (result.entry.kind, result.entry.stamps, result.entry.points) == wanted
            assert result.entry.reward_id == reward
            self.model.stock -= points_reward
            self._record(result.entry)

    @rule(i=st.integers(0, 1))
    def void_last(self, i: int) -> None:
        card = self.cards[i]
        candidates = [e for e in self.model.entries
                      if e.card == card and e.kind in VOIDABLE and e.kind != "bonus" and not e.voided]
        found = self.services.owner.last_entry(card)
        assert (found.entry_id if found else None) == (candidates[-1].entry_id if candidates else None)
        if found:
            self._owner_void("void_last", candidates[-1])

    @rule(data=st.data())
    def void_any(self, data: st.DataObject) -> None:
        """Any entry at all: already voided ones, enrolments and voids must be refused."""
        self._owner_void("void_any", data.draw(st.sampled_from(self.model.entries)))

    def _owner_void(self, rule_name: str, target: ModelEntry) -> None:
        expected = None
        if target.kind not in VOIDABLE or target.voided:
            expected = ErrorCode.NOT_VOIDABLE
        elif self.model.owed(target):
            expected = ErrorCode.INSUFFICIENT_BALANCE
        owner = self._grant(self.owner_id, OWNER_PIN)
        bonuses = self.model.bonuses_of(target) if expected is None else []
        void = self._expect(rule_name, expected, lambda: self.services.owner.void(owner, target.entry_id, "model void"))
        if void is None:
            return
        assert (void.kind, void.reverses, void.stamps, void.points) == (
            "void", target.entry_id, -target.stamps, -target.points)
        if bonuses:  # a stamp's or purchase's bonuses are voided with it, each by a void of its own
            with self.services.ctx.db.read() as s:
                voids = {r.reverses: r for r in s.execute(select(LedgerRow).where(
                    LedgerRow.reverses.in_([b.entry_id for b in bonuses]))).scalars()}
            for bonus in bonuses:
                row = voids[bonus.entry_id]
                assert (row.kind, row.stamps, row.points) == ("void", -bonus.stamps, -bonus.points)
                bonus.voided = True
                self.model.entries.append(ModelEntry(row.entry_id, row.card, "void", row.stamps, row.points, row.at))
            seen("void_takes_bonuses", None)
        target.voided = True
        if target.reward == self.points_reward:
            self.model.stock += 1
        self._record(void)

    @rule(kind=st.sampled_from(["multiplier", "fixed_bonus", "extra_stamp"]), data=st.data(),
          weekdays=st.sets(st.integers(0, 6), max_size=3),
          hours=st.one_of(st.none(), st.tuples(st.integers(0, 22), st.integers(1, 23)).filter(lambda h: h[0] < h[1])))
    def add_campaign(self, kind: str, data: st.DataObject, weekdays: set[int], hours: tuple[int, int] | None) -> None:
        if sum(c.ended is None for c in self.model.campaigns) >= 4:
            return
        value = data.draw({"multiplier": st.sampled_from([150, 200, 300]), "fixed_bonus": st.integers(1, 50),
                           "extra_stamp": st.integers(1, 2)}[kind])
        days = tuple(sorted(weekdays))
        campaign = Campaign(
            "", f"{kind} {value}", CampaignKind(kind), date(2026, 3, 1), date(2026, 12, 31), weekdays=days,
            starts_at=time(hours[0]) if hours else None, ends_at=time(hours[1]) if hours else None,
            multiplier_percent=value if kind == "multiplier" else 100,
            points=value if kind == "fixed_bonus" else 0, stamps=value if kind == "extra_stamp" else 0)
        owner = self._grant(self.owner_id, OWNER_PIN)
        campaign_id = self._expect("add_campaign", None, lambda: self.services.campaigns.add(owner, self.program,
                                                                                             campaign))
        self.model.campaigns.append(ModelCampaign(campaign_id, kind, value, days, hours))

    @rule(data=st.data())
    def end_campaign(self, data: st.DataObject) -> None:
        running = [c for c in self.model.campaigns if c.ended is None]
        if not running:
            return
        target = data.draw(st.sampled_from(running))
        owner = self._grant(self.owner_id, OWNER_PIN)
        self._expect("end_campaign", None, lambda: self.services.campaigns.end(owner, target.campaign_id))
        target.ended = self.clock.now()

    @rule(i=st.integers(0, 1), status=st.sampled_from(list(CardStatus)), replaced=st.booleans())
    def set_status(self, i: int, status: CardStatus, replaced: bool) -> None:
        """Suspend, block or reactivate a card; a replaced card stays blocked for good."""
        card = self.cards[i]
        if replaced and self.model.replaced_by:
            card = sorted(self.model.replaced_by)[i % len(self.model.replaced_by)]
        current = self.model.status.get(card, "active")
        expected = None
        if current == status.value:
            expected = ErrorCode.INVALID_INPUT
        elif card in self.model.replaced_by:
            expected = ErrorCode.CARD_BLOCKED
        owner = self._grant(self.owner_id, OWNER_PIN)
        done = self._expect("set_status", expected, lambda: self.services.card_status.set_status(
            owner, card, status, "checked by the model"))
        if done is not None:
            self.model.status[card] = status.value

    @rule(i=st.integers(0, 1))
    def replace(self, i: int) -> None:
        """Move a card's balance to a new pre-printed card: only a blocked card may be replaced."""
        old = self.cards[i]
        expected = None if self.model.status.get(old, "active") == "blocked" else ErrorCode.INVALID_INPUT
        fresh = new_code()
        owner = self._grant(self.owner_id, OWNER_PIN)
        held = self.model.balance(old)
        done = self._expect("replace", expected, lambda: self.services.replace.replace(owner, old, fresh, "lost"))
        if done is None:
            return
        assert (done.stamps, done.points, done.lifetime_points, done.enrolled) == (*held, True)
        self._record(self.services.reports.history(HistoryFilter(card=fresh, kinds=(EntryKind.ENROLL,)))[0])
        self._record(done.transfer_out, lifetime=-held[2])
        self._record(done.transfer_in, lifetime=held[2])
        assert (done.transfer_out.card, done.transfer_in.card) == (old, fresh)
        assert done.transfer_in.reverses == done.transfer_out.entry_id
        self.model.replaced_by[old] = fresh
        self.cards[i] = fresh  # the customer's card from now on

    @rule(i=st.integers(0, 1))
    def lose_card(self, i: int) -> None:
        """The owner's usual path: block a lost card, then move its balance to a new one."""
        if self.model.status.get(self.cards[i], "active") != "blocked":
            self.set_status(i, CardStatus.BLOCKED, replaced=False)
        self.replace(i)

    @rule(data=st.data())
    def cashier_tries_owner_actions(self, data: st.DataObject) -> None:
        """A cashier may not void, adjust or unlock."""
        card = self.cards[data.draw(st.integers(0, 1))]
        entry = data.draw(st.sampled_from(self.model.entries))
        self._cashier_tries(data.draw(st.sampled_from(["cashier_void", "cashier_adjust", "cashier_unlock"])), card,
                            entry)

    def _cashier_tries(self, name: str, card: str, entry: ModelEntry) -> None:
        action = {
            "cashier_void": lambda g: self.services.owner.void(g, entry.entry_id, "cashier void"),
            "cashier_adjust": lambda g: self.services.owner.adjust(g, card, 10, "cashier adjustment"),
            "cashier_unlock": lambda g: self.services.staff.unlock(g, self.cashier_id),
        }[name]
        self._cashier_action(name, ErrorCode.NOT_PERMITTED, action)

    @rule(i=st.integers(0, 1), points=st.one_of(st.just(0), st.integers(-400, 400)),
          stamps=st.one_of(st.just(0), st.integers(-4, 4)))
    def adjust(self, i: int, points: int, stamps: int) -> None:
        card = self.cards[i]
        have_stamps, have_points, _ = self.model.balance(card)
        expected = None
        if not points and not stamps:
            expected = ErrorCode.INVALID_INPUT
        elif have_points + points < 0 or have_stamps + stamps < 0:
            expected = ErrorCode.INSUFFICIENT_BALANCE
        owner = self._grant(self.owner_id, OWNER_PIN)
        entry = self._expect("adjust", expected,
                             lambda: self.services.owner.adjust(owner, card, points, "model adjustment", stamps=stamps))
        if entry is not None:
            assert (entry.kind, entry.points, entry.stamps) == ("adjust", points, stamps)
            self._record(entry)

    @rule(i=st.integers(0, 1))
    def locked_out_at_the_counter(self, i: int) -> None:
        """Enough wrong PINs to lock the cashier out, then every counter action: all refused."""
        self.wrong_pins(MAX_FAILS)
        assert self.model.locked(self.clock.now())
        self.stamp(i)
        self.earn(i, 2_000)
        self.redeem(i, points_reward=True)

    @rule(i=st.integers(0, 1))
    def spend_then_void(self, i: int) -> None:
        """Earn, spend every point, then void the earn: refused, it would make the balance negative."""
        count = len(self.model.entries)
        self.earn(i, 5_000)
        if len(self.model.entries) == count:
            return  # the earn was refused (locked out); its refusal was checked
        earned = self.model.entries[-1]
        self.adjust(i, -self.model.balance(self.cards[i])[1], 0)
        self._owner_void("spend_then_void", earned)

    @rule(times=st.sampled_from([1, 1, 2, MAX_FAILS]))
    def wrong_pins(self, times: int) -> None:
        for _ in range(times):  # in a row, so a short run reaches the lockout too
            self._wrong_pin()

    def _wrong_pin(self) -> None:
        now = self.clock.now()
        if self.model.locked(now):
            expected = self.model.lock_code(now)
        else:  # failures keep counting across lockouts, each lockout twice the last (capped at a day)
            self.model.fails += 1
            expected = ErrorCode.PIN_INVALID
            if self.model.fails >= DISABLE_AFTER:
                expected = ErrorCode.PIN_DISABLED
            elif self.model.fails % MAX_FAILS == 0:
                period = min(LOCK * 2 ** (self.model.fails // MAX_FAILS - 1), max(LOCK, timedelta(days=1)))
                self.model.locked_until = now + period
                expected = ErrorCode.STAFF_LOCKED
        try:
            self.services.auth.verify_pin(self.cashier_id, "9999")
        except LoyaltyError as exc:
            assert exc.code is expected, f"wrong_pin: expected {expected}, got {exc.code}: {exc.message}"
            if exc.code is ErrorCode.PIN_INVALID:
                assert exc.details["attempts_left"] == min(MAX_FAILS - self.model.fails % MAX_FAILS,
                                                           DISABLE_AFTER - self.model.fails)
            seen("wrong_pin", exc.code)
            return
        raise AssertionError("a wrong PIN was accepted")

    @rule()
    def right_pin(self) -> None:
        self.grants.pop(self.cashier_id, None)
        self._cashier_action("right_pin", None, lambda g: g)

    @rule()
    def unlock(self) -> None:
        self._expect("unlock", None, lambda: self.services.staff.unlock(self._grant(self.owner_id, OWNER_PIN),
                                                                          self.cashier_id))
        self.model.fails, self.model.locked_until = 0, None

    @rule()
    def restart(self) -> None:
        self.services.close()
        self.services = open_services(self.tmp / "data", clock=self.clock)
        self.services.auth.monotonic = lambda: self.clock.now().timestamp()  # as in __init__
        self.grants.clear()  # grants are signed by the process that made them

    # -- invariants ------------------------------------------------------------
    @invariant()
    def balances_stock_and_ledger_agree(self) -> None:
        for card in [*self.cards, *self.model.replaced_by]:
            view = self.services.counter.card(card)
            b = view.balance
            assert (b.stamps, b.points, b.lifetime_points) == self.model.balance(card), card
            assert view.status == self.model.status.get(card, "active"), card
        with self.services.ctx.db.read() as s:
            assert s.get(RewardRow, self.points_reward).stock == self.model.stock
            assert s.execute(select(func.count()).select_from(LedgerRow)).scalar_one() == len(self.model.entries)
        assert self.services.reports.verify().ok

    def teardown(self) -> None:
        self.services.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def profile(examples: int, steps: int, derandomize: bool) -> settings:
    return settings(max_examples=examples, stateful_step_count=steps, deadline=None, database=None,
                    derandomize=derandomize,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# Both sides of every rule: outcomes a run must have reached, or it proved less
# than it claims. Each is met by any one of its (rule, outcome) pairs. The
# short profile must reach the essential ones, the long one all of them.
ACTIONS = ("stamp", "earn", "redeem", "right_pin", "stamp_with_the_grant_in_hand", "cashier_void", "cashier_adjust",
           "cashier_unlock")
ESSENTIAL = {
    "a stamp added": {("stamp", "ok")},
    "a stamp refused in the cooldown": {("stamp", "COOLDOWN_ACTIVE"),
                                        ("stamp_with_the_grant_in_hand", "COOLDOWN_ACTIVE")},
    "a stamp refused over the daily limit": {("stamp", "DAILY_LIMIT_REACHED")},
    "points earned": {("earn", "ok")},
    "a purchase too small for a point": {("earn", "AMOUNT_BELOW_MINIMUM")},
    "an absurd amount refused": {("earn", "INVALID_AMOUNT")},
    "a reward redeemed": {("redeem", "ok")},
    "a redemption refused for the balance": {("redeem", "INSUFFICIENT_BALANCE")},
    "a redemption refused for the stock": {("redeem", "REWARD_OUT_OF_STOCK")},
    "an entry voided": {("void_last", "ok"), ("void_any", "ok")},
    "a void refused (already voided, not voidable)": {("void_any", "NOT_VOIDABLE")},
    "an adjustment written": {("adjust", "ok")},
    "an adjustment refused for the balance": {("adjust", "INSUFFICIENT_BALANCE")},
    "an empty adjustment refused": {("adjust", "INVALID_INPUT")},
    "a wrong PIN counted": {("wrong_pin", "PIN_INVALID")},
    "a wrong PIN locking out": {("wrong_pin", "STAFF_LOCKED")},
    "an action refused while locked out": {(action, "STAFF_LOCKED") for action in ACTIONS},
    "a right PIN accepted": {("right_pin", "ok")},
    "an owner unlocking": {("unlock", "ok")},
    "a grant accepted at the end of its life": {("grant_runs_out", "ok"), ("grant_runs_out", "COOLDOWN_ACTIVE"),
                                                ("grant_runs_out", "DAILY_LIMIT_REACHED")},
    "an expired grant refused": {("grant_runs_out", "GRANT_EXPIRED")},
    "a cashier refused an owner's action": {("cashier_void", "NOT_PERMITTED"), ("cashier_adjust", "NOT_PERMITTED"),
                                            ("cashier_unlock", "NOT_PERMITTED")},
    "a campaign bonus written": {("campaign_bonus", "ok")},
    "a campaign ended": {("end_campaign", "ok")},
    "a stamp or purchase voided with its bonuses": {("void_takes_bonuses", "ok")},
    "a card status changed": {("set_status", "ok")},
    "a status change to the status it has refused": {("set_status", "INVALID_INPUT")},
    "a replaced card's status kept": {("set_status", "CARD_BLOCKED")},
    "a suspended card refused at the counter": {(action, "CARD_SUSPENDED") for action in ("stamp", "earn", "redeem")},
    "a blocked card refused at the counter": {(action, "CARD_BLOCKED") for action in ("stamp", "earn", "redeem")},
    "a blocked card replaced": {("replace", "ok")},
    "a card that is not blocked refused a replacement": {("replace", "INVALID_INPUT")},
}
EVERY = {
    **ESSENTIAL,
    **{f"{action} refused while locked out": {(action, "STAFF_LOCKED")} for action in ("stamp", "earn", "redeem")},
    "a void refused for the balance": {("void_last", "INSUFFICIENT_BALANCE"), ("void_any", "INSUFFICIENT_BALANCE"),
                                       ("spend_then_void", "INSUFFICIENT_BALANCE")},
    **{f"{action} refused to a cashier": {(action, "NOT_PERMITTED")}
       for action in ("cashier_void", "cashier_adjust", "cashier_unlock")},
}


def run_profile(examples: int, steps: int, required: dict[str, set[tuple[str, str]]], derandomize: bool) -> None:
    OUTCOMES.clear()
    run_state_machine_as_test(CounterMachine, settings=profile(examples, steps, derandomize))
    missing = sorted(name for name, pairs in required.items() if not pairs & set(OUTCOMES))
    assert not missing, f"never exercised: {missing}; seen: {dict(OUTCOMES)}"


# What any short random run reaches; the tour below guarantees the rest.
COMMON = {name: ESSENTIAL[name] for name in (
    "a stamp added", "points earned", "an entry voided", "an adjustment written", "a wrong PIN counted",
    "a right PIN accepted", "an expired grant refused", "a card status changed", "a blocked card replaced")}


class _Fixed:
    """Stands in for ``st.data()`` in the tour: every draw gives the same value."""

    def __init__(self, value: object) -> None:
        self.value = value

    def draw(self, _strategy: object) -> object:
        return self.value


def test_every_rule_both_sides_once() -> None:
    """A fixed tour through the same checked rules, reaching every outcome group whatever Hypothesis draws."""
    OUTCOMES.clear()
    machine = CounterMachine()
    check = machine.balances_stock_and_ledger_agree
    ann, ben = 0, 1
    try:
        steps = [
            lambda: machine.stamp(ann), lambda: machine.stamp(ann),  # added, then in the cooldown
            lambda: machine.stamp_through_the_day(ben),  # up to the daily limit and one over
            lambda: machine.earn(ann, 2_000), lambda: machine.earn(ann, 5), lambda: machine.earn(ann, MAX_AMOUNT + 1),
            lambda: machine.redeem(ann, points_reward=True), lambda: machine.redeem(ann, points_reward=True),
            lambda: machine.redeem(ben, points_reward=False),  # Ben's stamps pay for it once,
            lambda: machine.redeem(ben, points_reward=False),  # not twice
            lambda: machine.void_last(ann),
            lambda: machine._owner_void("void_any", next(e for e in machine.model.entries if e.voided)),
            lambda: machine._owner_void("void_any", machine.model.entries[0]),  # an enrolment
            lambda: machine.spend_then_void(ann),
            lambda: machine.adjust(ann, 10, 0), lambda: machine.adjust(ann, -10**6, 0),
            lambda: machine.adjust(ann, 0, 0),
            *(lambda name=name: machine._cashier_tries(name, machine.cards[ann], machine.model.entries[-1])
              for name in ("cashier_void", "cashier_adjust", "cashier_unlock")),
            lambda: machine.grant_runs_out(ann, late=False), lambda: machine.grant_runs_out(ann, late=True),
            machine.right_pin,
            lambda: machine.locked_out_at_the_counter(ann),
            machine.right_pin,
            machine.unlock,
            machine.restart,
            lambda: machine.advance_clock(60 * 24), lambda: machine.stamp(ann),
            # Sunday 5 April (summer time): double points from 10 to 12 and an extra stamp on Sundays
            lambda: machine.clock.set(datetime(2026, 4, 5, 8, 30, tzinfo=UTC)),  # 10:30 CEST
            lambda: machine.add_campaign("multiplier", _Fixed(200), {6}, (10, 12)),
            lambda: machine.add_campaign("extra_stamp", _Fixed(1), {6}, None),
            lambda: machine.add_campaign("fixed_bonus", _Fixed(7), {0}, None),  # Mondays: not today
            lambda: machine.earn(ben, 1_250), lambda: machine.stamp(ben),
            lambda: machine.void_last(ben),  # the stamp, with its extra stamp
            lambda: machine.void_last(ben),  # the purchase, with its double points
            lambda: machine.advance_clock(90),  # 12:00 CEST: the hours are over
            lambda: machine.earn(ben, 1_250),
            lambda: machine.end_campaign(_Fixed(machine.model.campaigns[1])),
            lambda: machine.advance_clock(16), lambda: machine.stamp(ben),
            # Ben's card: suspended (refused at the counter), active again, then lost: blocked and replaced
            lambda: machine.set_status(ben, CardStatus.SUSPENDED, replaced=False),
            lambda: machine.advance_clock(16), lambda: machine.stamp(ben), lambda: machine.earn(ben, 2_000),
            lambda: machine.set_status(ben, CardStatus.SUSPENDED, replaced=False),  # already suspended
            lambda: machine.replace(ben),  # not blocked
            lambda: machine.set_status(ben, CardStatus.BLOCKED, replaced=False),
            lambda: machine.redeem(ben, points_reward=False),
            lambda: machine.replace(ben),
            lambda: machine.set_status(ben, CardStatus.ACTIVE, replaced=True),  # the old card stays blocked
            lambda: machine.earn(ben, 2_000), lambda: machine.stamp(ben),  # the new card collects
            lambda: machine.void_any(_Fixed(next(e for e in machine.model.entries if e.kind == "transfer_in"))),
            lambda: machine.lose_card(ann),
        ]
        for step in steps:
            step()
            check()
    finally:
        machine.teardown()
    missing = sorted(name for name, pairs in EVERY.items() if not pairs & set(OUTCOMES))
    assert not missing, f"the tour never reached: {missing}; seen: {dict(OUTCOMES)}"


def test_counter_rules() -> None:
    # The same examples every run, so what the short profile covers does not drift.
    run_profile(examples=8, steps=30, required=COMMON, derandomize=True)


@pytest.mark.slow
def test_counter_rules_long() -> None:
    run_profile(examples=150, steps=80, required=EVERY, derandomize=False)
