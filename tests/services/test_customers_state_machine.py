"""Card status changes and replacements against a plain-Python model, step by step.

Hypothesis earns, suspends, blocks, reactivates and replaces cards on a real
SQLite store. The model predicts before each call whether the service must
accept it or refuse it (and with which code); after every step each card's
status, balance, lifetime points (so tier) and replacement link agree with
the model, the points and the lifetime points of all cards together equal
what was earned (a replacement moves a balance and the lifetime reached, it
never makes or loses a point), and ``verify`` passes.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from terminal.domain.clock import ManualClock
from terminal.domain.codes import new_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.programs import CardStatus, tier_for
from terminal.services.catalog import list_programs
from terminal.services.facade import open_services

OWNER_PIN = "2741"
OUTCOMES: Counter[tuple[str, str]] = Counter()


class CardsMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp())
        self.clock = ManualClock(datetime(2026, 5, 4, 9, 0, tzinfo=UTC))
        self.services = open_services(self.tmp / "data", clock=self.clock)
        self.services.init_store(name="Model Café", timezone="Asia/Jakarta", currency="IDR",
                                 owner_name="Olga", owner_pin=OWNER_PIN, template="points")
        self.owner_id = self.services.staff.list()[0].staff_id
        with self.services.ctx.db.read() as s:
            self.program = list_programs(s)[0].program_id
        grant = self.grant()
        self.cards = [self.services.enrollment.enroll(grant, self.program, name).code for name in ("Ana", "Budi")]
        self.status = dict.fromkeys(self.cards, "active")
        self.points = dict.fromkeys(self.cards, 0)
        self.lifetime = dict.fromkeys(self.cards, 0)
        self.replaced_by: dict[str, str] = {}
        self.earned = 0

    def grant(self):
        return self.services.auth.verify_pin(self.owner_id, OWNER_PIN)

    def _expect(self, name: str, expected: ErrorCode | None, call):
        self.clock.advance(timedelta(seconds=30))
        try:
            result = call()
        except LoyaltyError as exc:
            assert exc.code is expected, f"{name}: refused with {exc.code} ({exc.message}), expected {expected}"
            OUTCOMES[name, exc.code.value] += 1
            return None
        assert expected is None, f"{name}: accepted, expected {expected}"
        OUTCOMES[name, "ok"] += 1
        return result

    @rule(data=st.data(), amount=st.integers(1_000, 90_000))
    def earn(self, data: st.DataObject, amount: int) -> None:
        card = data.draw(st.sampled_from(self.cards))
        expected = {"active": None, "suspended": ErrorCode.CARD_SUSPENDED,
                    "blocked": ErrorCode.CARD_BLOCKED}[self.status[card]]
        result = self._expect("earn", expected, lambda: self.services.counter.earn(self.grant(), card, amount))
        if result is not None:
            self.points[card] += result.entry.points
            self.lifetime[card] += result.entry.points
            self.earned += result.entry.points

    @rule(data=st.data(), status=st.sampled_from(list(CardStatus)))
    def set_status(self, data: st.DataObject, status: CardStatus) -> None:
        self._set_status(data.draw(st.sampled_from(self.cards)), status)

    def _set_status(self, card: str, status: CardStatus) -> None:
        if card in self.replaced_by:
            expected = ErrorCode.INVALID_INPUT if status.value == self.status[card] else ErrorCode.CARD_BLOCKED
        else:
            expected = ErrorCode.INVALID_INPUT if status.value == self.status[card] else None
        done = self._expect("set_status", expected, lambda: self.services.card_status.set_status(
            self.grant(), card, status, "checked by the model"))
        if done is not None:
            self.status[card] = status.value

    @rule(data=st.data(), onto_new=st.booleans())
    def replace(self, data: st.DataObject, onto_new: bool) -> None:
        old = data.draw(st.sampled_from(self.cards))
        new = new_code() if onto_new else data.draw(st.sampled_from(self.cards))
        old_unfit = old == new or self.status[old] != "blocked" or old in self.replaced_by
        new_unfit = not onto_new and (self.status[new] != "active" or self.points[new] > 0)
        expected = ErrorCode.INVALID_INPUT if old_unfit or new_unfit else None
        if expected is None:
            self._replace(old, new, onto_new)
        else:
            self._expect("replace", expected, lambda: self.services.replace.replace(self.grant(), old, new, "lost"))

    def _replace(self, old: str, new: str, onto_new: bool) -> None:
        done = self._expect("replace", None, lambda: self.services.replace.replace(self.grant(), old, new, "lost"))
        assert (done.points, done.lifetime_points) == (self.points[old], self.lifetime[old])
        if onto_new:
            self.cards.append(new)
            self.status[new] = "active"
            self.points[new] = self.lifetime[new] = 0
        self.points[new] += self.points[old]
        self.lifetime[new] += self.lifetime[old]  # the tier moves with the card
        self.points[old] = self.lifetime[old] = 0
        self.replaced_by[old] = new

    @rule(data=st.data())
    def lose_card(self, data: st.DataObject) -> None:
        """The owner's usual path: block a lost card, then move its balance to a new one."""
        card = data.draw(st.sampled_from([c for c in self.cards if c not in self.replaced_by]))
        if self.status[card] != "blocked":
            self._set_status(card, CardStatus.BLOCKED)
        self._replace(card, new_code(), onto_new=True)

    @invariant()
    def cards_agree_with_the_model(self) -> None:
        total = reached = 0
        for card in self.cards:
            view = self.services.customers.customer(card)
            assert view.card.status == self.status[card], card
            assert view.card.balance.points == self.points[card], card
            assert view.card.balance.lifetime_points == self.lifetime[card], card
            assert view.card.tier == tier_for(view.card.program.tiers, self.lifetime[card]), card
            reached += view.card.balance.lifetime_points
            assert view.replaced_by == self.replaced_by.get(card)
            if view.history:
                assert view.history[0].points_after == view.card.balance.points
            total += view.card.balance.points
        assert total == reached == self.earned  # replacing moves points; it never makes or loses one
        assert self.services.reports.verify().ok

    def teardown(self) -> None:
        self.services.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_profile(examples: int, steps: int, derandomize: bool) -> None:
    OUTCOMES.clear()
    run_state_machine_as_test(CardsMachine, settings=settings(
        max_examples=examples, stateful_step_count=steps, deadline=None, database=None, derandomize=derandomize,
        suppress_health_check=[HealthCheck.too_slow]))
    reached = {outcome for outcome, count in OUTCOMES.items() if count}
    for must in (("earn", "ok"), ("earn", "CARD_BLOCKED"), ("set_status", "ok"), ("set_status", "INVALID_INPUT"),
                 ("replace", "ok"), ("replace", "INVALID_INPUT")):
        assert must in reached, f"the run never reached {must}: {sorted(reached)}"


def test_status_changes_and_replacements_follow_the_model() -> None:
    # The same examples every run (derandomized), so what the short profile reaches does not drift.
    run_profile(examples=5, steps=25, derandomize=True)


@pytest.mark.slow
def test_status_changes_and_replacements_long() -> None:
    run_profile(examples=40, steps=50, derandomize=False)
