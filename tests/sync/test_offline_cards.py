"""Offline rules that hold across tills: a provisional card never overrides the real one, and an
entry voided on one till cannot be voided again on another that has heard of it (issue 12)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from real_terminal import RealTerminal

from sync.hub.schema import cards
from terminal.domain.codes import new_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.domain.programs import CardStatus
from terminal.services.offline_risk import OfflineRiskService
from terminal.services.reports import HistoryFilter
from terminal.store.sync_port import is_provisional


def _hub_card(engine, code: str) -> dict:
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(cards).where(cards.c.code == code)).mappings().one())


def _offline_provisional(b: RealTerminal, code: str) -> OfflineRiskService:
    b.go_offline_for(b.services.ctx.settings.offline_after_minutes + 1)
    risk = OfflineRiskService(b.services.auth)
    assert risk.is_offline()
    risk.provisional_card(b.grant(), code, b.program_id())
    return risk


def _provisional(term: RealTerminal, code: str) -> bool:
    with term.services.ctx.db.read() as session:
        return is_provisional(session.connection(), code)


def test_a_provisional_card_suspended_offline_keeps_the_real_holder_everywhere(till_pair, hub_engine):
    a, b = till_pair(own_clock=True)
    code = a.enroll("Ann")  # A enrolls X for Ann and syncs; B has not pulled it
    a.sync()
    _offline_provisional(b, code)
    b.earn(code, 1000)
    b.services.card_status.set_status(b.grant(), code, CardStatus.SUSPENDED, "lost card reported")
    assert _provisional(b, code), "a status change does not make a provisional card real"
    b.sync()
    a.sync()
    on_hub = _hub_card(hub_engine, code)
    assert on_hub["holder"] == "Ann"
    assert on_hub["status"] == CardStatus.SUSPENDED.value, "the suspend is a real fact and travels"
    for term in (a, b):
        view = term.services.counter.card(code)
        assert (view.holder, view.status) == ("Ann", CardStatus.SUSPENDED.value), term
    assert not _provisional(b, code), "the real record replaced the provisional one"
    assert a.balance(code) == b.balance(code) == (0, 100)


def test_suspend_and_reactivate_offline_do_not_lift_the_no_redeem_rule(till_pair):
    a, b = till_pair(own_clock=True)
    code = a.enroll("Ann")
    a.earn(code, 3000)
    a.sync()
    _offline_provisional(b, code)
    reward = next(o.reward for o in b.services.counter.card(code).rewards if o.reward.cost_points)
    b.services.owner.adjust(b.grant(), code, reward.cost_points, "enough to redeem")
    b.services.card_status.set_status(b.grant(), code, CardStatus.SUSPENDED, "check the customer")
    b.services.card_status.set_status(b.grant(), code, CardStatus.ACTIVE, "customer checked")
    with pytest.raises(LoyaltyError) as refused:
        b.services.counter.redeem(b.grant(), code, reward.reward_id)
    assert refused.value.code is ErrorCode.OFFLINE_LIMIT
    assert "redeem once the terminal has synced" in refused.value.message


def test_a_provisional_record_alone_at_the_hub_yields_to_an_enrollment_of_that_code(till_pair, hub_engine):
    a, b = till_pair(own_clock=True)
    code = new_code()  # a pre-printed card nobody has enrolled yet
    _offline_provisional(b, code)
    b.services.card_status.set_status(b.grant(), code, CardStatus.SUSPENDED, "suspicious")
    b.sync()
    assert _hub_card(hub_engine, code)["holder"] is None
    a.sync()
    assert _hub_card(hub_engine, code)["provisional"]
    assert _provisional(a, code), "another till learns the card is provisional too"
    a.services.enrollment.enroll(a.grant(), a.program_id(), "Ben", code=code)  # its real record
    assert not _provisional(a, code)
    a.sync()
    b.sync()
    on_hub = _hub_card(hub_engine, code)
    assert (on_hub["holder"], on_hub["provisional"]) == ("Ben", False)
    assert on_hub["status"] == CardStatus.SUSPENDED.value, "enrolling keeps the status set offline"
    assert b.services.counter.card(code).holder == "Ben" and not _provisional(b, code)


def test_a_void_pulled_from_another_till_refuses_a_second_void(till_pair):
    a, b = till_pair(own_clock=True)
    code = a.enroll("Ann")
    a.earn(code, 2000)
    a.sync()
    b.sync()
    earn = b.services.reports.history(HistoryFilter(card=code, kinds=(EntryKind.EARN,)))[0]
    a.services.owner.void(a.grant(), earn.entry_id, "wrong amount")
    a.sync()
    b.sync()
    with pytest.raises(LoyaltyError) as refused:
        b.services.owner.void(b.grant(), earn.entry_id, "wrong amount")
    assert refused.value.code is ErrorCode.NOT_VOIDABLE
    assert "already voided" in refused.value.message
    assert a.balance(code) == b.balance(code) == (0, 0)


def test_upgrade_from_schema_4_marks_every_stored_card_real(hub_engine, merchant):
    from sync.hub.migrations import SCHEMA_VERSION, migrate, schema_version
    from sync.hub.schema import hub_schema, staff_locks

    with hub_engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE cards DROP COLUMN provisional"))
        conn.execute(sa.text("DROP TABLE staff_locks"))
        conn.execute(sa.text(
            "INSERT INTO cards (merchant_id, code, program_id, holder, status, enrolled_at, updated_at, "
            "origin_terminal_id, change_id) VALUES (:m, 'ABCDEFGHJK', 'p', 'Ann', 'active', "
            "'2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', 't', 1)"), {"m": merchant.merchant_id})
        conn.execute(sa.update(hub_schema).values(version=4))
    assert migrate(hub_engine) == 4
    with hub_engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        assert conn.execute(sa.select(cards.c.provisional)).scalar_one() is False
        assert conn.execute(sa.select(sa.func.count()).select_from(staff_locks)).scalar_one() == 0
