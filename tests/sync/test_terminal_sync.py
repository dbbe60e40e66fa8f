"""Two real terminals (data dirs with the real store and adapter) and one real hub."""

from __future__ import annotations

import base64
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from real_terminal import CASHIER, OWNER, RealTerminal
from sync_helpers import hub_entries

from sync.hub import admin
from sync.hub.schema import store_profiles
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services.sync_secrets import load_token, token_file
from terminal.settings import resolve_config_dir
from terminal.store import secret_key


def test_enroll_on_a_stamp_on_b_balances_agree_everywhere(till_pair, hub_engine):
    a, b = till_pair()
    assert b.services.ctx.store.name == "Test Café" and b.services.ctx.store.currency == "EUR"
    code = a.enroll("Ann")
    a.earn(code, 1500)
    a.sync()
    b.sync()
    b.services.counter.stamp(b.grant(), code)  # Olga's PIN works on B: same staff, same key
    b.earn(code, 500)
    b.sync()
    a.sync()
    assert a.balance(code) == b.balance(code) == (1, 200)
    with hub_engine.connect() as conn:
        hub_points = conn.execute(sa.text("SELECT stamps, points FROM balances WHERE card = :c"),
                                  {"c": code}).one()
    assert tuple(hub_points) == (1, 200)
    assert [e['kind'] for e in hub_entries(hub_engine, a.terminal_id)] == ['enroll', 'earn']
    assert [e['kind'] for e in hub_entries(hub_engine, b.terminal_id)] == ['stamp', 'earn']
    for term in (a, b):
        report = term.services.reports.verify()
        assert report.ok, report.problems


def test_cooldown_on_b_counts_the_stamp_made_on_a(till_pair):
    a, b = till_pair()
    code = a.enroll()
    a.sync()
    b.sync()
    b.clock.advance(timedelta(minutes=1))
    a.services.counter.stamp(a.grant(), code)
    a.sync()
    b.sync()
    b.clock.advance(timedelta(minutes=2))
    with pytest.raises(LoyaltyError) as refused:
        b.services.counter.stamp(b.grant(), code)
    assert refused.value.code is ErrorCode.COOLDOWN_ACTIVE


def test_staff_and_pin_reset_on_a_work_on_b_and_the_pin_key_is_never_in_clear(till_pair, hub_engine,
                                                                                   hub_db_url, tmp_path):
    a, b = till_pair()
    carl = a.add_cashier()
    a.sync()
    b.sync()
    assert b.grant(CASHIER).staff_id == carl
    a.services.staff.reset_pin(a.grant(), carl, "6071")
    a.sync()
    b.sync()
    with pytest.raises(LoyaltyError):
        b.grant(CASHIER)
    assert b.grant((CASHIER[0], "6071")).staff_id == carl
    assert a.pin_hashes() == b.pin_hashes()

    settings = a.services.ctx.settings
    key = secret_key.load_secret_key(a.services.ctx.store.store_id, "file", resolve_config_dir(settings),
                                     create=False)
    forms = [key, key.hex().encode(), base64.b64encode(key), base64.b64encode(key).rstrip(b"=")]
    for term in (a, b):
        blob = term.raw_db_bytes()
        assert not any(form in blob for form in forms), "a PIN key is in a terminal database"
    with hub_engine.connect() as conn:
        wrapped = conn.execute(sa.select(store_profiles.c.pin_key_wrapped)).scalar_one()
    assert base64.b64encode(key).decode() not in wrapped
    if hub_db_url.startswith("sqlite"):
        hub_engine.dispose()
        path = hub_db_url.removeprefix("sqlite:///")
        blob = b"".join(Path(p).read_bytes() for p in (path, path + "-wal") if Path(p).exists())
        assert blob and not any(form in blob for form in forms), "the PIN key is in the hub database"
    else:
        with hub_engine.connect() as conn:
            dump = " ".join(str(v) for t in ("store_profiles", "staff", "terminals", "pairings")
                            for row in conn.execute(sa.text(f"SELECT * FROM {t}")) for v in row)
        assert not any(form.decode("latin-1") in dump for form in forms[1:])


def test_the_token_is_kept_outside_the_database(till_pair):
    a, b = till_pair()
    for term in (a, b):
        token = load_token(term.services.ctx.settings, term.terminal_id)
        assert token and token.startswith("lt_term_")
        assert token.encode() not in term.raw_db_bytes()
        path = token_file(term.services.ctx.settings, term.terminal_id)
        assert path.stat().st_mode & 0o777 == 0o600


def test_offline_double_spend_stays_within_the_allowance_and_is_flagged(till_pair):
    a, b = till_pair()
    reward = next(o.reward for o in a.services.counter.card(a.enroll()).rewards if o.reward.cost_points)
    cost = reward.cost_points
    shared, rich = a.enroll("Shared"), a.enroll("Rich")
    a.services.owner.adjust(a.grant(), shared, cost, "test balance")
    a.services.owner.adjust(a.grant(), rich, 2 * cost, "test balance")
    a.sync()
    b.sync()
    assert b.balance(shared)[1] == cost and b.balance(rich)[1] == 2 * cost

    a.go_offline_for(a.services.ctx.settings.offline_after_minutes + 1)  # shared clock: both offline
    a.services.counter.redeem(a.grant(), rich, reward.reward_id)
    with pytest.raises(LoyaltyError) as limited:
        a.services.counter.redeem(a.grant(), rich, reward.reward_id)  # affordable, but over the allowance
    assert limited.value.code is ErrorCode.OFFLINE_LIMIT
    assert "at most 1 time" in limited.value.message and "not reached the hub" in limited.value.message
    a.services.counter.redeem(a.grant(), shared, reward.reward_id)
    b.services.counter.redeem(b.grant(), shared, reward.reward_id)  # B still sees the old balance
    b.sync()
    a.sync()
    b.sync()
    from terminal.services.overdrafts import OverdraftService

    for term in (a, b):
        listing = OverdraftService(term.services.auth).list(term.grant())
        assert listing.from_hub and listing.problem is None
        assert [(f.card, f.points_balance) for f in listing.flags] == [(shared, -cost)]
        assert a.balance(shared) == b.balance(shared) == (0, -cost)
        assert term.balance(rich) == (0, cost)


def test_unknown_card_offline_may_earn_but_not_redeem_and_reconciles(till_pair):
    a, b = till_pair()
    code = a.enroll("Remote Rita")  # A enrolls; B has not pulled it
    a.earn(code, 3000)
    a.sync()
    b.go_offline_for(b.services.ctx.settings.offline_after_minutes + 1)
    from terminal.services.offline_risk import OfflineRiskService

    risk = OfflineRiskService(b.services.auth)
    assert risk.is_offline()
    risk.provisional_card(b.grant(), code, b.program_id())
    b.earn(code, 1000)
    reward = next(o.reward for o in b.services.counter.card(code).rewards if o.reward.cost_points)
    b.services.owner.adjust(b.grant(), code, reward.cost_points, "enough to redeem")
    with pytest.raises(LoyaltyError) as refused:
        b.services.counter.redeem(b.grant(), code, reward.reward_id)
    assert refused.value.code is ErrorCode.OFFLINE_LIMIT
    b.sync()  # back online: the hub keeps A's real enrollment; B gets it and A's history
    a.sync()
    assert b.services.counter.card(code).holder == "Remote Rita"
    assert a.balance(code) == b.balance(code)
    assert b.balance(code)[1] == 300 + 100 + reward.cost_points
    assert b.services.reports.verify().ok


def test_a_fresh_terminal_cannot_join_a_store_nobody_set_up(hub, hub_engine, merchant, tmp_path):
    term = RealTerminal(tmp_path / "fresh")
    try:
        with pytest.raises(LoyaltyError) as refused:
            from terminal.services.sync_link import join_store

            join_store(term.services, hub.url, admin.add_terminal(hub_engine, merchant.store_id, "x").code)
        assert refused.value.details["hub_code"] == "store_not_set_up"
        assert not term.services.initialised
    finally:
        term.close()


def test_a_second_founded_store_cannot_take_over_the_hub_store(till_pair, hub, hub_engine, merchant, tmp_path):
    a, b = till_pair()
    other = RealTerminal.founded(tmp_path / "other")
    try:
        with pytest.raises(LoyaltyError) as refused:
            other.pair(hub.url, hub_engine, merchant.store_id)
        assert refused.value.details["hub_code"] == "store_key_conflict"
    finally:
        other.close()
    assert a.grant(OWNER) and b.grant(OWNER)  # the first store's owner still signs in on both


def _knows(term, code):
    try:
        return term.services.counter.card(code).holder == "Linked"
    except LoyaltyError:
        return False


def test_sync_link_pushes_soon_after_a_local_action_and_stops_quickly(till_pair, hub_engine):
    import time

    from sync_helpers import wait_for

    from sync.status import SyncState
    from terminal.services.sync_link import SyncLink

    a, b = till_pair()
    seen = []
    for term in (a, b):
        term.link = SyncLink(term.services)
        term.link.add_listener(seen.append)
        assert term.link.start()
    code = a.enroll("Linked")
    a.link.notify_local_change()
    wait_for(lambda: any(e["card"] == code for e in hub_entries(hub_engine, a.terminal_id)),
             what="A pushes its enrollment")
    b.link.sync_now()
    wait_for(lambda: _knows(b, code), what="B pulls the card")
    wait_for(lambda: a.link.status.pending == 0, what="A reports nothing pending")
    assert any(s.state is SyncState.ONLINE for s in seen)
    started = time.monotonic()
    assert a.link.stop() and b.link.stop()
    assert time.monotonic() - started < 2.5


def test_a_card_of_another_store_is_fetched_with_its_history_on_first_scan(till_pair, hub, hub_engine,
                                                                           merchant, tmp_path):
    from terminal.services.sync_link import SyncLink

    a, b = till_pair()
    second_store = admin.add_store(hub_engine, merchant.merchant_id, "Station kiosk")
    kiosk = RealTerminal.founded(tmp_path / "kiosk", a.clock)
    try:
        kiosk.pair(hub.url, hub_engine, second_store, "Kiosk till")
        code = kiosk.enroll("Traveller")
        kiosk.earn(code, 4200)
        kiosk.sync()
        b.sync()
        b.link = SyncLink(b.services)
        assert b.link.ensure_card(code) is False  # not syncing: nothing asked
        b.link.start()
        assert b.link.ensure_card(code) is True
        assert b.link.ensure_card(code) is False  # history is here now
        assert b.balance(code) == kiosk.balance(code) == (0, 420)
        assert b.services.reports.verify().ok
    finally:
        kiosk.close()


def test_a_void_on_b_of_an_earn_made_on_a_keeps_lifetime_points_and_verify_agreeing(till_pair):
    a, b = till_pair()
    code = a.enroll()
    a.earn(code, 2500)
    a.sync()
    b.sync()
    earn = a.services.owner.last_entry(code)
    b.services.owner.void(b.grant(), earn.entry_id, "wrong card")
    b.sync()
    a.sync()
    for term in (a, b):
        view = term.services.counter.card(code)
        assert (view.balance.points, view.balance.lifetime_points) == (0, 0)
        report = term.services.reports.verify()
        assert report.ok, report.problems


def test_points_expire_once_only_though_both_tills_expire_them(till_pair):
    a, b = till_pair()
    a.services.owner.edit_program(a.grant(), a.program_id(), points_expiry_days=30)
    code = a.enroll()
    a.earn(code, 1000)
    a.sync()
    b.sync()
    a.clock.advance(timedelta(days=31))
    # both expire the same points before they sync: the same period key, so only one counts
    assert [e.points for e in b.services.owner.expire_points()] == [-100]
    assert [e.points for e in a.services.owner.expire_points()] == [-100]
    a.sync()
    b.sync()
    assert a.balance(code) == b.balance(code) == (0, 0)
