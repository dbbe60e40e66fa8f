import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.store import ledger
from terminal.store.models import AuditRow, LedgerRow


def _ledger_count(services):
    with services.ctx.db.read() as s:
        return s.execute(select(func.count()).select_from(LedgerRow)).scalar_one()


def test_stamp_then_cooldown_refusal_names_the_time_and_writes_nothing(services, cashier, card, clock):
    result = services.counter.stamp(cashier, card)
    assert result.card.balance.stamps == 1
    before = _ledger_count(services)
    clock.advance(timedelta(minutes=4))
    cashier = services.auth.verify_pin(cashier.staff_id, "5820")  # the first grant has expired
    with pytest.raises(LoyaltyError) as err:
        services.counter.stamp(cashier, card)
    assert err.value.code is ErrorCode.COOLDOWN_ACTIVE
    # 09:00 UTC is 10:00 in Berlin; the stamp at 10:00 allows the next from 10:15.
    assert err.value.message == "Stamped 4 minutes ago — next stamp from 10:15."
    assert _ledger_count(services) == before
    with services.ctx.db.read() as s:
        refused = s.execute(select(AuditRow).where(AuditRow.kind == "action_refused")).scalars().one()
    assert refused.subject == card and "COOLDOWN_ACTIVE" in refused.details


def test_daily_limit_per_store_local_day(services, cashier, card, clock):
    clock.set(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))  # 10:00 Berlin (never before the fixtures' entries)
    for _ in range(5):
        services.counter.stamp(services.auth.verify_pin(cashier.staff_id, "5820"), card)
        clock.advance(timedelta(minutes=16))
    with pytest.raises(LoyaltyError) as err:
        services.counter.stamp(services.auth.verify_pin(cashier.staff_id, "5820"), card)
    assert err.value.code is ErrorCode.DAILY_LIMIT_REACHED
    assert err.value.details["allowed_at"] == datetime(2026, 3, 10, 23, 0, tzinfo=UTC)
    clock.set(datetime(2026, 3, 10, 23, 0, tzinfo=UTC))  # midnight in Berlin
    services.counter.stamp(services.auth.verify_pin(cashier.staff_id, "5820"), card)


def test_stamps_from_other_terminals_count_toward_the_rules(services, cashier, card, clock):
    with services.ctx.db.write() as s:  # what the syncer stores for another terminal's action
        ledger.append(s, terminal_id=str(uuid.uuid4()), card=card, kind=EntryKind.STAMP,
                      at=clock.now() - timedelta(minutes=2), stamps=1)
    with pytest.raises(LoyaltyError) as err:
        services.counter.stamp(cashier, card)
    assert err.value.code is ErrorCode.COOLDOWN_ACTIVE
    assert services.counter.card(card).balance.stamps == 1
    assert services.reports.verify().ok


def test_a_voided_stamp_does_not_hold_the_cooldown(services, owner, card, clock):
    stamp = services.counter.stamp(owner, card).entry
    services.owner.void(owner, stamp.entry_id, "stamped the wrong card")
    services.counter.stamp(owner, card)


def test_earn_uses_the_rate_and_the_tier(services, owner, card, program_id):
    services.owner.set_tiers(owner, program_id, [("Silver", 100, 150)])
    first = services.counter.earn(owner, card, 1250)
    assert first.entry.points == 125 and first.entry.amount == 1250
    second = services.counter.earn(owner, card, 1000)
    assert second.entry.points == 150 and second.card.tier.name == "Silver"
    assert services.counter.preview_points(card, 1000) == 150


def test_earn_refuses_absurd_and_tiny_amounts(services, owner, card):
    for amount, code in ((0, ErrorCode.INVALID_AMOUNT), (-5, ErrorCode.INVALID_AMOUNT),
                         (10**9, ErrorCode.INVALID_AMOUNT), (5, ErrorCode.AMOUNT_BELOW_MINIMUM)):
        with pytest.raises(LoyaltyError) as err:
            services.counter.earn(owner, card, amount)
        assert err.value.code is code
    assert services.counter.card(card).balance.points == 0


def _reward(view, name):
    return next(o.reward for o in view.rewards if o.reward.name == name)


def test_redeem_checks_balance_then_spends(services, owner, card):
    view = services.counter.card(card)
    lunch = _reward(view, "Free lunch")
    with pytest.raises(LoyaltyError) as err:
        services.counter.redeem(owner, card, lunch.reward_id)
    assert err.value.code is ErrorCode.INSUFFICIENT_BALANCE
    services.owner.adjust(owner, card, 2500, "moved from paper card")
    result = services.counter.redeem(owner, card, lunch.reward_id)
    assert result.entry.kind is EntryKind.REDEEM and result.card.balance.points == 500


def test_stamp_rewards_use_stamp_redeem(services, owner, card, program_id):
    reward_id = services.owner.save_reward(owner, program_id, "Cookie", cost_stamps=1)
    services.counter.stamp(owner, card)
    result = services.counter.redeem(owner, card, reward_id)
    assert result.entry.kind is EntryKind.STAMP_REDEEM and result.card.balance.stamps == 0


def test_stock_and_validity_are_checked_together(services, owner, card, program_id, clock):
    reward_id = services.owner.save_reward(
        owner, program_id, "Mug", cost_points=10, stock=1,
        valid_from=clock.now() + timedelta(days=1), valid_until=clock.now() + timedelta(days=30))
    services.owner.adjust(owner, card, 100, "test balance")
    with pytest.raises(LoyaltyError) as err:
        services.counter.redeem(owner, card, reward_id)
    assert err.value.code is ErrorCode.REWARD_NOT_AVAILABLE
    clock.advance(timedelta(days=2))
    owner = services.auth.verify_pin(owner.staff_id, "2741")
    services.counter.redeem(owner, card, reward_id)
    with pytest.raises(LoyaltyError) as err:
        services.counter.redeem(owner, card, reward_id)
    assert err.value.code is ErrorCode.REWARD_OUT_OF_STOCK
    option = next(o for o in services.counter.card(card).rewards if o.reward.reward_id == reward_id)
    assert not option.affordable and "out of stock" in option.reason


def test_suspended_and_unknown_cards(services, owner, card):
    services.card_status.set_status(owner, card, "suspended", "lost and reported")
    with pytest.raises(LoyaltyError) as err:
        services.counter.stamp(owner, card)
    assert err.value.code is ErrorCode.CARD_SUSPENDED
    from terminal.domain.codes import new_code

    with pytest.raises(LoyaltyError) as err:
        services.counter.card(new_code())
    assert err.value.code is ErrorCode.CARD_NOT_FOUND
    with pytest.raises(LoyaltyError) as err:
        services.counter.card("NOT-A-CODE")
    assert err.value.code is ErrorCode.INVALID_CARD_CODE


def test_reward_options_say_why_they_are_greyed(services, card):
    options = {o.reward.name: o for o in services.counter.card(card).rewards}
    assert options["Free drink"].reason == "Needs 8 stamps; the card has 0."


def test_the_card_view_says_why_a_stamp_is_not_possible_before_any_pin(services, cashier, card, clock):
    assert services.counter.card(card).stamp_block is None
    stamped = services.counter.stamp(cashier, card)
    block = stamped.card.stamp_block
    assert block.reason == "cooldown" and block.allowed_at == clock.now() + timedelta(minutes=15)
    assert services.counter.card(card).stamp_block == block
    clock.advance(timedelta(minutes=15))
    assert services.counter.card(card).stamp_block is None


def test_the_card_view_names_the_daily_limit_and_when_it_resets(services, owner, program_id, card, clock):
    services.owner.edit_program(owner, program_id, cooldown_minutes=0, daily_stamp_limit=2)
    for _ in range(2):
        services.counter.stamp(owner, card)
    block = services.counter.card(card).stamp_block
    assert block.reason == "daily_limit" and block.stamps_today == 2
    assert block.allowed_at == datetime(2026, 3, 10, 23, 0, tzinfo=UTC)  # midnight in Berlin


def test_redeemable_follows_the_rewards(services, owner, card):
    assert not services.counter.card(card).redeemable
    services.owner.adjust(owner, card, 2500, "welcome gift")
    assert services.counter.card(card).redeemable
