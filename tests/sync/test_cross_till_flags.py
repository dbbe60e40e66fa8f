"""Offline facts that break a rule only across tills are flagged at the hub (issue 12, items 9, 11, seen 12).

Two real tills (one founded the store, one joined it) and the real hub over loopback; "offline"
is the tills' shared clock moved past ``offline_after_minutes`` without a sync.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
import sqlalchemy as sa
from real_terminal import RealTerminal

from terminal.domain.clock import ManualClock
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services.overdrafts import OverdraftService


def go_offline(a: RealTerminal) -> None:
    a.go_offline_for(a.services.ctx.settings.offline_after_minutes + 1)  # shared clock: both offline


def hub_balance(engine, card: str) -> tuple[int, int]:
    with engine.connect() as conn:
        return tuple(conn.execute(sa.text("SELECT stamps, points FROM balances WHERE card = :c"),
                                  {"c": card}).one())


def owner_flags(hub, merchant) -> list[dict]:
    answer = httpx.get(f"{hub.url}/api/v1/flags", headers={"Authorization": f"Bearer {merchant.owner_token}"})
    assert answer.status_code == 200, answer.text
    return answer.json()["flags"]


def points_reward(term: RealTerminal, code: str):
    return next(o.reward for o in term.services.counter.card(code).rewards if o.reward.cost_points)


def test_a_redemption_voided_on_two_offline_tills_is_flagged_with_its_effect(till_pair, hub, hub_engine, merchant):
    a, b = till_pair(ManualClock(datetime.now(UTC)), follow=True)
    code = a.enroll("Ann")
    reward = points_reward(a, code)
    a.services.owner.adjust(a.grant(), code, reward.cost_points, "test balance")
    redemption = a.services.counter.redeem(a.grant(), code, reward.reward_id).entry
    a.sync()
    b.sync()
    assert b.balance(code) == (0, 0)

    go_offline(a)
    first = a.services.owner.void(a.grant(), redemption.entry_id, "customer changed their mind")
    second = b.services.owner.void(b.grant(), redemption.entry_id, "wrong reward given")
    a.sync()
    b.sync()
    a.sync()

    # the hub counts both voids, as every till does: balances agree, the flag shows the points given back twice
    assert a.balance(code) == b.balance(code) == hub_balance(hub_engine, code) == (0, 2 * reward.cost_points)
    [flag] = [f for f in owner_flags(hub, merchant) if f["kind"] == "double_void"]
    assert flag["card"] == code
    assert flag["entry_ids"] == [redemption.entry_id, first.entry_id, second.entry_id]
    assert (flag["effect_stamps"], flag["effect_points"]) == (0, reward.cost_points)
    for term in (a, b):
        listing = OverdraftService(term.services.auth).list(term.grant())
        assert listing.from_hub
        [seen] = [f for f in listing.flags if f.kind == "double_void"]
        assert (seen.card, seen.effect_points, seen.holder) == (code, reward.cost_points, "Ann")


def test_stamps_beyond_the_daily_limit_on_two_offline_tills_are_flagged(till_pair, hub, hub_engine, merchant):
    a, b = till_pair(ManualClock(datetime.now(UTC)), follow=True)
    a.services.owner.edit_program(a.grant(), a.program_id(), daily_stamp_limit=5, cooldown_minutes=0)
    code = a.enroll("Ben")
    a.sync()
    b.sync()
    go_offline(a)
    for _ in range(5):
        a.services.counter.stamp(a.grant(), code)
        b.services.counter.stamp(b.grant(), code)
    with pytest.raises(LoyaltyError) as limited:
        a.services.counter.stamp(a.grant(), code)  # the till knows its own five
    assert limited.value.code is ErrorCode.DAILY_LIMIT_REACHED
    a.sync()
    b.sync()
    a.sync()

    assert a.balance(code) == b.balance(code) == hub_balance(hub_engine, code) == (10, 0)
    [flag] = [f for f in owner_flags(hub, merchant) if f["kind"] == "daily_limit"]
    assert flag["card"] == code and flag["effect_stamps"] == 5
    assert flag["detail"]["limit"] == 5 and flag["detail"]["count"] == 10
    assert len(flag["entry_ids"]) == 5, "the stamps beyond the limit"
    assert flag["detail"]["day"] == a.clock.now().astimezone(a.services.ctx.store.tz).date().isoformat()


def test_a_second_day_within_the_limit_is_not_flagged(till_pair, hub, merchant):
    a, b = till_pair(ManualClock(datetime.now(UTC)), follow=True)
    a.services.owner.edit_program(a.grant(), a.program_id(), daily_stamp_limit=5, cooldown_minutes=0)
    code = a.enroll("Cleo")
    a.sync()
    b.sync()
    go_offline(a)
    for _ in range(2):
        a.services.counter.stamp(a.grant(), code)
        b.services.counter.stamp(b.grant(), code)
    a.sync()
    b.sync()
    assert [f for f in owner_flags(hub, merchant) if f["kind"] == "daily_limit"] == []


def _stocked(a: RealTerminal, b: RealTerminal, cards: int) -> tuple[str, list[str]]:
    program = a.program_id()
    reward_id = a.services.owner.save_reward(a.grant(), program, "Mug", cost_points=50, stock=3)
    codes = [a.enroll(f"Guest {n}") for n in range(cards)]
    for code in codes:
        a.services.owner.adjust(a.grant(), code, 50, "test balance")
    a.sync()
    b.sync()
    # the program's version is stamped by SQLite's clock, a moment after the tills' manual clock
    a.go_offline_for(1)
    return reward_id, codes


def test_offline_share_of_the_stock_refuses_beyond_it(till_pair, hub, merchant, qapp):
    a, b = till_pair(ManualClock(datetime.now(UTC)), follow=True)
    reward_id, codes = _stocked(a, b, 4)
    go_offline(a)
    a.services.counter.redeem(a.grant(), codes[0], reward_id)
    with pytest.raises(LoyaltyError) as refused:
        a.services.counter.redeem(a.grant(), codes[1], reward_id)
    assert refused.value.code is ErrorCode.OFFLINE_LIMIT
    assert refused.value.details["stock_share"] == 50 and refused.value.details["allowed"] == 1
    assert "Mug" in refused.value.message and "offline" in refused.value.message
    from PySide6.QtWidgets import QApplication

    from terminal.ui.i18n import Translations
    from terminal.ui.refusals import describe

    translations = Translations(QApplication.instance())
    translations.set_language("id")
    try:
        shown = describe(refused.value)
    finally:
        translations.set_language("en")
    assert shown.startswith("Terminal ini tidak dapat menjangkau hub") and "paling banyak 1 dari 3 Mug" in shown
    b.services.counter.redeem(b.grant(), codes[2], reward_id)
    a.sync()
    b.sync()
    assert [f for f in owner_flags(hub, merchant) if f["kind"] == "stock"] == []


def test_stock_redeemed_beyond_it_on_two_offline_tills_is_flagged(till_pair, hub, hub_engine, merchant, monkeypatch):
    monkeypatch.setenv("LOYALTY_OFFLINE_STOCK_SHARE_PERCENT", "100")
    a, b = till_pair(ManualClock(datetime.now(UTC)), follow=True)
    reward_id, codes = _stocked(a, b, 4)
    go_offline(a)
    made = [a.services.counter.redeem(a.grant(), codes[0], reward_id).entry,
            a.services.counter.redeem(a.grant(), codes[1], reward_id).entry,
            b.services.counter.redeem(b.grant(), codes[2], reward_id).entry,
            b.services.counter.redeem(b.grant(), codes[3], reward_id).entry]
    a.sync()
    b.sync()
    a.sync()
    [flag] = [f for f in owner_flags(hub, merchant) if f["kind"] == "stock"]
    assert flag["reward_id"] == reward_id and flag["effect_stamps"] == 0
    assert flag["detail"] == {"stock": 3, "redeemed": 4, "reward": "Mug"}
    assert flag["entry_ids"] == [made[3].entry_id]
    # both tills now hold the stock the hub counts: none left, and beyond it by one
    for term in (a, b):
        assert term.services.counter.card(codes[0]).rewards  # the card view still lists rewards
        [option] = [o for o in term.services.counter.card(codes[0]).rewards if o.reward.reward_id == reward_id]
        assert option.reward.stock == -1 and option.why == "out_of_stock"


def test_older_terminals_still_read_overdrafts_only(till_pair, hub, merchant):
    a, b = till_pair(ManualClock(datetime.now(UTC)), follow=True)
    a.services.owner.edit_program(a.grant(), a.program_id(), daily_stamp_limit=1, cooldown_minutes=0)
    code = a.enroll("Dora")
    a.sync()
    b.sync()
    go_offline(a)
    a.services.counter.stamp(a.grant(), code)
    b.services.counter.stamp(b.grant(), code)
    a.sync()
    b.sync()
    old_shape = httpx.get(f"{hub.url}/sync/v1/overdrafts", params={"v": 1},
                          headers={"Authorization": f"Bearer {a.token()}"}).json()
    assert old_shape == [], "an older till's overdraft list carries overdrafts only, in the old shape"
    assert [f["kind"] for f in owner_flags(hub, merchant)] == ["daily_limit"]


@pytest.fixture
def runner(qtbot):
    from terminal.ui.operations import OperationRunner

    made = OperationRunner()
    yield made
    made.shutdown()


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_owner_page_shows_each_kind_with_its_effect(qtbot, runner, till_pair, monkeypatch, language):
    from PySide6.QtWidgets import QApplication

    from terminal.ui.i18n import Translations
    from terminal.ui.overdrafts_page import OverdraftsPage

    monkeypatch.setenv("LOYALTY_OFFLINE_STOCK_SHARE_PERCENT", "100")
    a, b = till_pair(ManualClock(datetime.now(UTC)), follow=True)
    a.services.owner.edit_program(a.grant(), a.program_id(), daily_stamp_limit=1, cooldown_minutes=0)
    reward_id = a.services.owner.save_reward(a.grant(), a.program_id(), "Mug", cost_points=50, stock=1)
    stamped, voided, mugs = a.enroll("Ann"), a.enroll("Ben"), [a.enroll("Cleo"), a.enroll("Dan")]
    for code in mugs:
        a.services.owner.adjust(a.grant(), code, 50, "test balance")
    points = next(o.reward for o in a.services.counter.card(voided).rewards
                  if o.reward.cost_points and o.reward.reward_id != reward_id)
    a.services.owner.adjust(a.grant(), voided, points.cost_points, "test balance")
    redemption = a.services.counter.redeem(a.grant(), voided, points.reward_id).entry
    a.sync()
    b.sync()
    go_offline(a)
    a.services.counter.stamp(a.grant(), stamped)
    b.services.counter.stamp(b.grant(), stamped)
    a.services.owner.void(a.grant(), redemption.entry_id, "given by mistake")
    b.services.owner.void(b.grant(), redemption.entry_id, "given by mistake")
    a.services.counter.redeem(a.grant(), mugs[0], reward_id)
    b.services.counter.redeem(b.grant(), mugs[1], reward_id)
    a.sync()
    b.sync()

    translations = Translations(QApplication.instance())
    translations.set_language(language)
    try:
        page = OverdraftsPage(OverdraftService(a.services.auth), runner, a.services.ctx.store.tz)
        qtbot.addWidget(page)
        page.show_for(a.grant())
        qtbot.waitUntil(lambda: page.refresh_button.isEnabled(), timeout=10000)
        assert page.table.rowCount() == 3, [page.table.item(r, 6).text() for r in range(page.table.rowCount())]
        rows = {page.table.item(r, 0).text().replace("-", ""):
                [page.table.item(r, c).text() for c in range(page.table.columnCount())]
                for r in range(3)}
    finally:
        translations.set_language("en")
    english = language == "en"
    assert rows[stamped][6] == ("Daily stamp limit" if english else "Batas stempel harian")
    assert rows[stamped][7].startswith("1 ")
    assert rows[voided][6] == ("Voided twice" if english else "Dibatalkan dua kali")
    assert f"+{points.cost_points}" in rows[voided][7].replace(",", "").replace(".", "") and rows[voided][1] == "Ben"
    assert not rows[voided][5].startswith(("settled", "selesai")), "points given back twice are not 'settled'"
    assert rows[mugs[1]][6] == ("Beyond stock" if english else "Melebihi stok")
    assert "Mug" in rows[mugs[1]][7] and "2" in rows[mugs[1]][7]
    assert rows[voided][8].split(", ")[0] == redemption.entry_id[:8]
    if english:
        assert rows[stamped][7] == (f"1 stamps beyond the daily limit of 1 on "
                                    f"{a.clock.now().astimezone(a.services.ctx.store.tz).date().isoformat()} "
                                    "(2 that day)")


def test_upgrade_from_schema_4_keeps_overdrafts_as_flags(hub_engine, merchant):
    from sync.hub import flags
    from sync.hub.migrations import SCHEMA_VERSION, migrate, schema_version
    from sync.hub.schema import hub_schema

    with hub_engine.begin() as conn:
        for column in ("kind", "effect_stamps", "effect_points", "reward_id", "detail"):
            conn.execute(sa.text(f"ALTER TABLE overdrafts DROP COLUMN {column}"))
        conn.execute(sa.text(
            "INSERT INTO overdrafts (merchant_id, card, stamps_balance, points_balance, entry_ids, terminal_id, "
            "flagged_at, change_id) VALUES (:m, 'ABCDEFGHJK', 0, -60, '[]', :m, '2026-03-10T09:00:00.000000Z', 1)"),
            {"m": merchant.merchant_id})
        conn.execute(sa.update(hub_schema).values(version=4))
    assert migrate(hub_engine) == 4
    with hub_engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
    [flag] = flags.list_flags(hub_engine, merchant.merchant_id, after=0, limit=10)
    assert (flag.kind, flag.points_balance, flag.detail) == ("overdraft", -60, {})


def test_hub_cli_lists_flags_by_kind(till_pair, hub, hub_db_url, merchant, capsys):
    from sync.hub.cli import main

    a, b = till_pair(ManualClock(datetime.now(UTC)), follow=True)
    a.services.owner.edit_program(a.grant(), a.program_id(), daily_stamp_limit=1, cooldown_minutes=0)
    code = a.enroll("Eve")
    a.sync()
    b.sync()
    go_offline(a)
    a.services.counter.stamp(a.grant(), code)
    b.services.counter.stamp(b.grant(), code)
    a.sync()
    b.sync()
    capsys.readouterr()
    assert main(["--database-url", hub_db_url, "flags", "--kind", "daily_limit"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    assert code in line and "1 stamps beyond the daily limit of 1" in line and "(2 that day)" in line
    assert main(["--database-url", hub_db_url, "flags", "--kind", "stock"]) == 0
    assert capsys.readouterr().out.strip() == "nothing flagged"


def test_a_new_till_asks_an_older_hub_for_overdrafts(till_pair, hub, hub_engine, merchant, monkeypatch):
    """An older hub has no /sync/v1/flags (404): the till falls back to its overdraft list."""
    from starlette.responses import JSONResponse

    from sync.hub.app import create_app
    from terminal.store.sync_port import write_state

    HubServer = type(hub)  # noqa: N806 - the class of the sync tests' conftest, whichever conftest is imported
    a, b = till_pair(ManualClock(datetime.now(UTC)), follow=True)
    code = a.enroll("Finn")
    reward = points_reward(a, code)
    a.services.owner.adjust(a.grant(), code, reward.cost_points, "test balance")
    a.sync()
    b.sync()
    go_offline(a)
    a.services.counter.redeem(a.grant(), code, reward.reward_id)
    b.services.counter.redeem(b.grant(), code, reward.reward_id)
    a.sync()
    b.sync()

    def older_app(engine):  # the same database behind a hub that predates flags of other kinds
        app = create_app(engine)

        async def without_flags(scope, receive, send):
            if scope["type"] == "http" and scope["path"] == "/sync/v1/flags":
                await JSONResponse({"code": "not_found", "message": "Not Found"}, 404)(scope, receive, send)
                return
            await app(scope, receive, send)

        return without_flags

    monkeypatch.setitem(HubServer.start.__globals__, "create_app", older_app)
    with HubServer(hub_engine) as older:
        assert httpx.get(f"{older.url}/sync/v1/flags", params={"v": 1},
                         headers={"Authorization": f"Bearer {a.token()}"}).status_code == 404
        with a.services.ctx.db.write() as session:
            write_state(session.connection(), "hub_url", older.url)
        listing = OverdraftService(a.services.auth).list(a.grant())
    assert listing.from_hub and listing.problem is None
    [flag] = listing.flags
    assert (flag.kind, flag.card, flag.effect_points) == ("overdraft", code, -reward.cost_points)


def test_a_restock_reaches_the_other_till_and_the_hub_counts_from_it(till_pair, hub, merchant, monkeypatch):
    monkeypatch.setenv("LOYALTY_OFFLINE_STOCK_SHARE_PERCENT", "100")
    a, b = till_pair(ManualClock(datetime.now(UTC)), follow=True)
    reward_id, codes = _stocked(a, b, 4)
    for code in codes[:3]:
        b.services.counter.redeem(b.grant(), code, reward_id)  # online: the whole stock, on B
    b.sync()
    a.sync()
    stock = {t: next(o.reward.stock for o in t.services.counter.card(codes[3]).rewards
                     if o.reward.reward_id == reward_id) for t in (a, b)}
    assert stock == {a: 0, b: 0}, "A counted B's redemptions"
    a.go_offline_for(1)  # a new minute: the restock's version comes after those redemptions
    a.services.owner.save_reward(a.grant(), a.program_id(), "Mug", cost_points=50, stock=1, reward_id=reward_id)
    a.sync()
    b.sync()
    [option] = [o for o in b.services.counter.card(codes[3]).rewards if o.reward.reward_id == reward_id]
    assert option.reward.stock == 1 and option.affordable
    b.services.counter.redeem(b.grant(), codes[3], reward_id)
    b.sync()
    assert [f for f in owner_flags(hub, merchant) if f["kind"] == "stock"] == [], "counted from the restock"


def test_the_daily_limit_is_the_cards_programs_and_a_voided_stamp_does_not_count(till_pair, hub, merchant):
    a, b = till_pair(ManualClock(datetime.now(UTC)), follow=True)
    a.services.owner.edit_program(a.grant(), a.program_id(), daily_stamp_limit=3, cooldown_minutes=0)
    code = a.enroll("Dora")
    a.sync()
    b.sync()
    go_offline(a)
    mistaken = a.services.counter.stamp(a.grant(), code).entry
    a.services.counter.stamp(a.grant(), code)
    a.services.owner.void(a.grant(), mistaken.entry_id, "stamped the wrong card")
    for _ in range(3):
        b.services.counter.stamp(b.grant(), code)
    a.sync()
    b.sync()
    # four stamps count, not five (the voided one does not), against the program's three, not the default five
    [flag] = [f for f in owner_flags(hub, merchant) if f["kind"] == "daily_limit"]
    assert flag["card"] == code and flag["detail"] == {
        "limit": 3, "count": 4, "day": a.clock.now().astimezone(a.services.ctx.store.tz).date().isoformat()}
    assert flag["effect_stamps"] == 1 and len(flag["entry_ids"]) == 1
