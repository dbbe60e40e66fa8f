"""Programs after setup: add from a template or blank, retire, one save, rates, points as money."""

import pytest
from sqlalchemy import select

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.points_money import PointsMoney
from terminal.domain.programs import ProgramKind
from terminal.services.facade import open_services
from terminal.services.setup import proposed_rate
from terminal.store.models import LedgerRow


def test_add_blank_and_template_programs_and_retire_one(services, owner, cashier, card, program_id):
    blank = services.programs.add(owner, "blank", name="Workshop points", kind="points")
    coffee = services.programs.add(owner, "coffee")
    summaries = {s.program.program_id: s for s in services.programs.summaries()}
    assert summaries[blank].program.kind is ProgramKind.POINTS and summaries[blank].program.name == "Workshop points"
    assert summaries[coffee].program.name == "Coffee stamp card"
    assert summaries[program_id].cards == 1
    services.counter.stamp(cashier, card)
    services.programs.retire(owner, program_id)
    with pytest.raises(LoyaltyError) as err:
        services.counter.earn(cashier, card, 1000)
    assert err.value.code is ErrorCode.PROGRAM_RETIRED
    assert "retired" in err.value.message and "history" in err.value.message
    assert services.counter.card(card).balance.stamps == 1  # the card and its history stay readable
    with pytest.raises(LoyaltyError) as err:
        services.enrollment.enroll(owner, program_id, "Bo")
    assert err.value.code is ErrorCode.PROGRAM_RETIRED
    assert not {s.program.program_id: s for s in services.programs.summaries()}[program_id].program.active


def test_the_last_active_program_cannot_be_retired(services, owner, program_id):
    with pytest.raises(LoyaltyError) as err:
        services.programs.retire(owner, program_id)
    assert "only active program" in err.value.message


def test_a_blank_program_needs_a_kind_and_an_unknown_template_is_named(services, owner):
    with pytest.raises(LoyaltyError):
        services.programs.add(owner, "blank")
    with pytest.raises(LoyaltyError) as err:
        services.programs.add(owner, "pizza")
    assert "coffee" in err.value.message and "blank" in err.value.message


def test_one_save_writes_rules_tiers_and_points_as_money(services, owner, cashier, card, program_id):
    services.programs.save(owner, program_id, name="Café club",
                           rules={"points_per_unit": 1, "earn_per_minor": 50, "stamps_target": 6},
                           tiers=[("Silver", 100, 125)], points_money=PointsMoney(100, 100, 50))
    program = services.programs.program(program_id)
    assert (program.name, program.stamps_target, program.earning.points_per_unit, program.earning.per_minor) == \
        ("Café club", 6, 1, 50)
    assert program.tiers[0].multiplier_percent == 125
    assert program.points_money == PointsMoney(100, 100, 50)
    assert services.counter.earn(cashier, card, 1299).entry.points == 25  # 12.99 EUR, 1 point per 0.50
    with pytest.raises(LoyaltyError):
        services.programs.save(owner, program_id, rules={"stamps_target": 0})
    with pytest.raises(LoyaltyError):
        services.programs.save(owner, program_id, points_money=PointsMoney(100, 100, 0))
    services.programs.save(owner, program_id, points_money=None, points_money_set=True)
    assert services.programs.program(program_id).points_money is None


def test_points_as_money_redeems_in_one_entry(services, owner, cashier, card, program_id):
    services.programs.save(owner, program_id, points_money=PointsMoney(10, 100, 50))  # 10 points = 1.00 EUR
    services.counter.earn(cashier, card, 2000)  # 200 points
    offer = services.points_payment.offer(card, 3000)
    assert (offer.discount.discount_minor, offer.discount.points) == (1500, 150)
    grant = services.auth.verify_pin(cashier.staff_id, "5820")
    result = services.points_payment.pay(grant, card, 3000, expected_points=150)
    assert (result.entry.points, result.entry.amount, result.entry.reason) == (-150, 1500, "points_as_money")
    assert result.card.balance.points == 50
    grant = services.auth.verify_pin(cashier.staff_id, "5820")
    with pytest.raises(LoyaltyError) as err:
        services.points_payment.pay(grant, card, 3000, expected_points=150)
    assert "changed" in err.value.message
    with services.ctx.db.read() as s:
        assert s.execute(select(LedgerRow).where(LedgerRow.reason == "points_as_money")).scalars().all()
    assert services.reports.verify().ok


def test_points_as_money_off_says_so(services, cashier, card):
    with pytest.raises(LoyaltyError) as err:
        services.points_payment.offer(card, 1000)
    assert "does not take points as money" in err.value.message


def test_the_wizard_rate_suits_the_currency_and_names_follow_the_language(data_dir, clock, monkeypatch):
    assert proposed_rate("IDR") == (1, 1000)
    assert proposed_rate("EUR") == (10, None)
    assert proposed_rate("JPY") == (1, 100)
    monkeypatch.setenv("LOYALTY_LANGUAGE", "id")
    s = open_services(data_dir, clock=clock)
    try:
        s.init_store(name="Kopi Kita", timezone="Asia/Jakarta", currency="IDR", owner_name="Budi",
                     owner_pin="2741", template="points")
        [summary] = s.programs.summaries()
        program = summary.program
        assert program.name == "Poin"
        assert (program.earning.points_per_unit, program.earning.per_minor) == (1, 1000)
        rewards = s.owner_views.programs()[0].rewards
        assert {r.name for r in rewards} == {"Diskon untuk pembelian berikutnya", "Tas belanja"}
    finally:
        s.close()


# ---- the program page's one Save: one transaction -------------------------------------------

def _dump(services) -> list[str]:
    """Every row of the store, as SQL: equal dumps, nothing written."""
    import sqlite3

    with sqlite3.connect(services.ctx.db.path) as conn:
        return list(conn.iterdump())


def test_one_save_writes_rules_tiers_expiry_mode_and_rewards_together(services, owner, program_id):
    from terminal.services.expiry_mode import expiry_mode
    from terminal.services.reward_changes import RewardChange

    old = services.owner.save_reward(owner, program_id, "Old mug", cost_points=900)
    services.programs.save(owner, program_id, rules={"points_expiry_days": 90}, tiers=[("Gold", 500, 150)],
                           expiry_mode="inactivity",
                           rewards=[RewardChange("Tote bag", cost_points=300, stock=12),
                                    RewardChange(reward_id=old, retire=True)])
    program = services.programs.program(program_id)
    assert program.points_expiry_days == 90 and [t.name for t in program.tiers] == ["Gold"]
    assert expiry_mode(services.ctx, program_id) == "inactivity"
    names = {r.name: r.active for r in _rewards(services, program_id)}
    assert names["Tote bag"] is True and names["Old mug"] is False


def _rewards(services, program_id):
    from terminal.store.models import RewardRow

    with services.ctx.db.read() as session:
        return list(session.execute(select(RewardRow).where(RewardRow.program_id == program_id)).scalars())


@pytest.mark.parametrize("failing", ["unknown reward", "reward of another program", "bad expiry mode",
                                     "reward typed wrong"])
def test_a_save_with_one_failing_part_writes_nothing(services, owner, program_id, failing):
    from terminal.services.reward_changes import RewardChange

    other = services.programs.add(owner, "coffee")
    foreign = services.owner.save_reward(owner, other, "Their cookie", cost_stamps=5)
    kept = services.owner.save_reward(owner, program_id, "Old mug", cost_points=900)
    rewards = [RewardChange("Tote bag", cost_points=300, stock=12), RewardChange(reward_id=kept, retire=True)]
    mode = "inactivity"
    if failing == "unknown reward":  # found missing inside the transaction, after the rest was written to it
        rewards.append(RewardChange(reward_id="00000000-0000-4000-8000-000000000000", retire=True))
    elif failing == "reward of another program":
        rewards.append(RewardChange("Their cookie", cost_stamps=4, reward_id=foreign))
    elif failing == "bad expiry mode":
        mode = "whenever"
    else:
        rewards.append(RewardChange("Free refill"))  # costs nothing
    before = _dump(services)
    with pytest.raises(LoyaltyError) as err:
        services.programs.save(owner, program_id, name="Café club", rules={"points_expiry_days": 90},
                               tiers=[("Gold", 500, 150)], points_money=PointsMoney(100, 100, 50),
                               expiry_mode=mode, rewards=rewards)
    assert err.value.code in (ErrorCode.REWARD_NOT_FOUND, ErrorCode.INVALID_INPUT)
    assert _dump(services) == before  # not the rules, tiers, mode, new reward or retirement: nothing
