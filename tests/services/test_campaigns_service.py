"""Campaigns through the counter: bonus entries of their own, sync with the program, voids, tiers."""

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from terminal.domain.campaigns import Campaign, CampaignKind
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.store.models import LedgerRow
from terminal.store.sync_port import StoreSyncPort


def _campaign(kind=CampaignKind.MULTIPLIER, **kw) -> Campaign:
    values = {"campaign_id": "", "name": "Double Tuesday", "kind": kind, "first_day": date(2026, 3, 1),
              "last_day": date(2026, 3, 31), "multiplier_percent": 200 if kind is CampaignKind.MULTIPLIER else 100}
    return Campaign(**{**values, **kw})


def _entries(services, card):
    with services.ctx.db.read() as s:
        return s.execute(select(LedgerRow).where(LedgerRow.card == card).order_by(LedgerRow.id)).scalars().all()


def test_a_tuesday_double_points_campaign_writes_its_own_entry(services, owner, cashier, card, program_id, clock):
    # the fixture's clock: Tuesday 10 March 2026, 10:00 in Berlin
    cid = services.campaigns.add(owner, program_id, _campaign(weekdays=(1,), starts_at=time(9), ends_at=time(17)))
    result = services.counter.earn(cashier, card, 1250)
    assert result.entry.points == 125  # 12.50 EUR at 10 points per euro
    [bonus] = result.bonuses
    assert (bonus.kind, bonus.points, bonus.reason) == (EntryKind.BONUS, 125, f"campaign:{cid}")
    assert result.card.balance.points == 250
    assert result.card.balance.lifetime_points == 125  # campaign points do not climb tiers
    clock.advance(timedelta(days=1))  # Wednesday: nothing extra
    result = services.counter.earn(services.auth.verify_pin(cashier.staff_id, "5820"), card, 1250)
    assert result.bonuses == ()
    assert services.reports.verify().ok


def test_campaign_multiplier_combines_with_the_tier(services, owner, cashier, card, program_id):
    services.programs.save(owner, program_id, tiers=[("Silver", 0, 150)])
    services.campaigns.add(owner, program_id, _campaign())
    result = services.counter.earn(cashier, card, 1000)  # 10 EUR x 10 points
    assert result.entry.points == 150  # base x tier
    assert result.bonuses[0].points == 150  # x2 on the base, then the tier: 300 in all


def test_extra_stamp_first_visit_and_voiding_takes_bonuses_along(services, owner, cashier, card, program_id):
    services.campaigns.add(owner, program_id, _campaign(CampaignKind.EXTRA_STAMP, stamps=1))
    services.campaigns.add(owner, program_id, _campaign(CampaignKind.FIRST_VISIT, name="Welcome", points=25))
    result = services.counter.stamp(cashier, card)
    assert sorted((b.stamps, b.points) for b in result.bonuses) == [(0, 25), (1, 0)]
    assert (result.card.balance.stamps, result.card.balance.points) == (2, 25)
    offer = services.owner.undo_offer(card)
    assert offer.entry.entry_id == result.entry.entry_id  # Undo last targets the stamp, not a bonus
    services.owner.undo(cashier, result.entry.entry_id)
    balance = services.counter.card(card).balance
    assert (balance.stamps, balance.points) == (0, 0)
    assert services.reports.verify().ok


def test_birthday_bonus_once_a_year_when_the_card_knows_it(services, owner, cashier, card, program_id, clock):
    services.campaigns.add(owner, program_id, _campaign(CampaignKind.BIRTHDAY, name="Birthday", points=100,
                                                        last_day=date(2027, 12, 31)))
    assert services.counter.earn(cashier, card, 1000).bonuses == ()  # no birthday known
    services.customers.update_contact(owner, card, holder="Ana Lima", phone=None, email=None,
                                      birthday="03-10", consent=False)  # no year given
    clock.advance(timedelta(minutes=20))
    grant = services.auth.verify_pin(cashier.staff_id, "5820")
    assert [b.points for b in services.counter.earn(grant, card, 1000).bonuses] == [100]
    clock.advance(timedelta(minutes=20))
    grant = services.auth.verify_pin(cashier.staff_id, "5820")
    assert services.counter.earn(grant, card, 1000).bonuses == ()  # once a year


def test_campaign_birthday_reads_a_card_attribute_in_any_form():
    from types import SimpleNamespace

    from terminal.services.campaigns import _birthday

    assert _birthday(SimpleNamespace(birthday="1990-03-10")) == date(1990, 3, 10)
    assert _birthday(SimpleNamespace(birthday=date(1990, 3, 10))) == date(1990, 3, 10)
    assert _birthday(SimpleNamespace()) is None and _birthday(None) is None
    assert _birthday(SimpleNamespace(birthday="soon")) is None
    assert _birthday(SimpleNamespace(birthday="02-29")) == date(2000, 2, 29)  # a birthday given without its year


def test_end_and_list_and_refusals(services, owner, cashier, card, program_id):
    cid = services.campaigns.add(owner, program_id, _campaign())
    assert [c.campaign_id for _p, c in services.campaigns.list_campaigns()] == [cid]
    services.campaigns.end(owner, cid[:8])
    assert services.counter.earn(cashier, card, 1000).bonuses == ()
    with pytest.raises(LoyaltyError) as err:
        services.campaigns.end(owner, cid)
    assert "already ended" in err.value.message
    with pytest.raises(LoyaltyError) as err:
        services.campaigns.add(owner, program_id, _campaign(first_day=date(2026, 1, 1), last_day=date(2026, 1, 2)))
    assert err.value.code is ErrorCode.INVALID_INPUT


def test_a_name_the_wire_would_refuse_is_refused_here(services, owner, program_id):
    with pytest.raises(LoyaltyError) as err:
        services.campaigns.add(owner, program_id, _campaign(name="Double\u202epoints"))
    assert err.value.code is ErrorCode.INVALID_INPUT
    assert services.campaigns.list_campaigns(program_id) == []


def test_campaigns_travel_in_the_program_record(services, owner, program_id):
    cid = services.campaigns.add(owner, program_id, _campaign(weekdays=(1,)))
    port = StoreSyncPort(services.ctx.db)
    [record] = [p for p in port.outbox(100).programs if p["program_id"] == program_id]
    from sync.protocol import ProgramSettings

    wire = ProgramSettings.model_validate(record)  # the wire's free-form limits accept it
    assert wire.settings["campaigns"][0]["campaign_id"] == cid
    # a remote version of the program brings its campaigns along
    changed = dict(record, updated_at="2099-01-01T00:00:00.000000Z",
                   settings={**record["settings"], "campaigns": []})
    from sync.protocol import PullResponse

    port.apply_remote(PullResponse(v=1, cursor=1, has_more=False, programs=[ProgramSettings.model_validate(changed)]))
    assert services.campaigns.list_campaigns(program_id) == []


def test_the_program_record_stays_bounded(services, owner, program_id, clock):
    from sync.protocol import ProgramSettings

    for n in range(105):
        cid = services.campaigns.add(owner, program_id, _campaign(name=f"Flash {n}"))
        services.campaigns.end(owner, cid)
        clock.advance(timedelta(seconds=1))
    kept = services.campaigns.list_campaigns(program_id)
    assert len(kept) <= 100 and kept[-1][1].name == "Flash 104"
    [record] = [p for p in StoreSyncPort(services.ctx.db).outbox(100).programs if p["program_id"] == program_id]
    ProgramSettings.model_validate(record)  # inside the wire's free-form limits


def test_reports_and_histories_name_the_campaign_not_its_id(services, owner, cashier, card, program_id, clock):
    from terminal.services.period_report import PeriodReportService, report_table

    cid = services.campaigns.add(owner, program_id, _campaign(name="Double Tuesday"))
    services.counter.earn(cashier, card, 1250)
    today = clock.now().astimezone(services.ctx.store.tz).date()
    report = PeriodReportService(services.ctx).report(today, today)
    assert [(c.campaign_id, c.name, c.points) for c in report.campaigns] == [(cid, "Double Tuesday", 125)]
    assert ["Campaigns", "Double Tuesday", 125, None] in report_table(report)[1]
    bonus_line = next(line for line in services.customers.customer(card).history if line.kind is EntryKind.BONUS)
    assert bonus_line.reason == "Double Tuesday"
