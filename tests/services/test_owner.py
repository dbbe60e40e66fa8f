from datetime import timedelta

import pytest
from sqlalchemy import select

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.store.models import AuditRow, RewardRow
from tests.conftest import CASHIER_PIN, OWNER_PIN


def test_void_is_a_compensating_entry(services, owner, card):
    earn = services.counter.earn(owner, card, 2000).entry
    void = services.owner.void(owner, earn.entry_id, "typed the wrong amount")
    assert void.kind is EntryKind.VOID and void.reverses == earn.entry_id and void.points == -earn.points
    bal = services.counter.card(card).balance
    assert bal.points == 0 and bal.lifetime_points == 0
    with pytest.raises(LoyaltyError) as err:
        services.owner.void(owner, earn.entry_id, "again")
    assert err.value.code is ErrorCode.NOT_VOIDABLE
    assert services.reports.verify().ok


def test_void_of_spent_points_is_refused_and_suggests_adjust(services, owner, card, program_id):
    earn = services.counter.earn(owner, card, 3000).entry
    reward = services.owner.save_reward(owner, program_id, "Cup", cost_points=250)
    services.counter.redeem(owner, card, reward)
    with pytest.raises(LoyaltyError) as err:
        services.owner.void(owner, earn.entry_id, "wrong card")
    assert err.value.code is ErrorCode.INSUFFICIENT_BALANCE and "Adjust" in err.value.message


def test_voiding_a_redeem_returns_the_stock(services, owner, card, program_id):
    reward = services.owner.save_reward(owner, program_id, "Cup", cost_points=10, stock=3)
    services.owner.adjust(owner, card, 50, "opening balance")
    redeem = services.counter.redeem(owner, card, reward).entry
    services.owner.void(owner, redeem.entry_id, "customer changed their mind")
    with services.ctx.db.read() as s:
        assert s.get(RewardRow, reward).stock == 3
    assert services.counter.card(card).balance.points == 50


def test_undo_last_finds_the_newest_unvoided_entry(services, owner, card, clock):
    services.counter.earn(owner, card, 1000)
    stamp = services.counter.stamp(owner, card).entry
    assert services.owner.last_entry(card).entry_id == stamp.entry_id
    services.owner.void(owner, stamp.entry_id, "undo")
    assert services.owner.last_entry(card).kind is EntryKind.EARN


def test_adjust_needs_a_reason_and_cannot_go_negative(services, owner, card):
    with pytest.raises(LoyaltyError) as err:
        services.owner.adjust(owner, card, 100, "  ")
    assert err.value.code is ErrorCode.REASON_REQUIRED
    with pytest.raises(LoyaltyError) as err:
        services.owner.adjust(owner, card, -1, "correction")
    assert err.value.code is ErrorCode.INSUFFICIENT_BALANCE
    entry = services.owner.adjust(owner, card, 40, "paper card carried over", stamps=2)
    assert entry.reason == "paper card carried over"
    assert services.counter.card(card).balance.points == 40


def test_program_edits_take_effect_and_are_audited(services, owner, card, program_id, clock):
    services.owner.edit_program(owner, program_id, cooldown_minutes=0, daily_stamp_limit=2, points_per_unit=1)
    services.counter.stamp(owner, card)
    services.counter.stamp(owner, card)
    with pytest.raises(LoyaltyError) as err:
        services.counter.stamp(owner, card)
    assert err.value.code is ErrorCode.DAILY_LIMIT_REACHED
    assert services.counter.earn(owner, card, 1000).entry.points == 10
    with services.ctx.db.read() as s:
        assert s.execute(select(AuditRow).where(AuditRow.kind == "program_changed")).first()
    with pytest.raises(LoyaltyError) as err:
        services.owner.edit_program(owner, program_id, daily_stamp_limit=0)
    assert err.value.code is ErrorCode.INVALID_INPUT


def test_points_expire_oldest_first_with_an_expire_entry(services, owner, card, program_id, clock):
    services.owner.edit_program(owner, program_id, points_expiry_days=30)
    services.counter.earn(owner, card, 1000)  # 100 points, day 0
    clock.advance(timedelta(days=20))
    owner = services.auth.verify_pin(owner.staff_id, OWNER_PIN)
    services.counter.earn(owner, card, 500)   # 50 points, day 20
    services.owner.adjust(owner, card, -30, "spent at the old till")
    assert services.owner.expire_points() == []
    clock.advance(timedelta(days=11))          # day-0 points are past 30 days
    expired = services.owner.expire_points()
    assert [(e.kind, e.points) for e in expired] == [(EntryKind.EXPIRE, -70)]
    assert services.counter.card(card).balance.points == 50
    assert services.owner.expire_points() == []
    assert services.reports.verify().ok


def test_card_status_change_is_audited(services, owner, card):
    services.card_status.set_status(owner, card, "blocked", "reported stolen")
    with pytest.raises(LoyaltyError) as err:
        services.counter.earn(owner, card, 1000)
    assert err.value.code is ErrorCode.CARD_BLOCKED


def test_a_cashier_undoes_their_own_action_within_the_window(services, cashier, card, clock):
    stamp = services.counter.stamp(cashier, card).entry
    offer = services.owner.undo_offer(card)
    assert offer.entry.entry_id == stamp.entry_id and offer.staff_name == "Carl"
    assert offer.cashier_until == stamp.at + timedelta(seconds=120)
    clock.advance(timedelta(seconds=100))
    void = services.owner.undo(cashier, stamp.entry_id)
    assert void.kind is EntryKind.VOID and void.reverses == stamp.entry_id and void.staff_id == cashier.staff_id
    assert services.counter.card(card).balance.stamps == 0


def test_after_the_window_a_cashier_undo_needs_the_owner(services, owner, cashier, card, clock):
    stamp = services.counter.stamp(cashier, card).entry
    clock.advance(timedelta(seconds=121))
    assert services.owner.undo_offer(card).cashier_until is None
    cashier = services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    with pytest.raises(LoyaltyError) as err:
        services.owner.undo(cashier, stamp.entry_id)
    assert err.value.code is ErrorCode.NOT_PERMITTED and err.value.details["undo"] == "too_late"
    assert services.counter.card(card).balance.stamps == 1  # nothing written
    owner = services.auth.verify_pin(owner.staff_id, OWNER_PIN)
    services.owner.undo(owner, stamp.entry_id)
    assert services.counter.card(card).balance.stamps == 0


def test_a_cashier_cannot_undo_someone_elses_action(services, owner, cashier, card):
    earn = services.counter.earn(owner, card, 1000).entry
    assert services.owner.undo_offer(card).staff_name == "Olga"
    with pytest.raises(LoyaltyError) as err:
        services.owner.undo(cashier, earn.entry_id)
    assert err.value.code is ErrorCode.NOT_PERMITTED and err.value.details["undo"] == "not_own"
    assert services.counter.card(card).balance.points == 100


def test_the_undo_window_is_a_setting(services, cashier, card, clock):
    services.ctx.settings = services.ctx.settings.with_values(cashier_undo_seconds=30)
    stamp = services.counter.stamp(cashier, card).entry
    clock.advance(timedelta(seconds=31))
    with pytest.raises(LoyaltyError):
        services.owner.undo(cashier, stamp.entry_id)
