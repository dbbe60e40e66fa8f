"""The console's Programs pages and forms through FastAPI's test client, on the real hub app and database,
with the program a real till pushed; and a reward and a campaign changed there reaching that till by pull.

Runs on SQLite and (with LOYALTY_TEST_PG_URL) PostgreSQL, like the other hub tests.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from conftest import make_merchant
from console_helpers import add_owner, client, csrf_of, sign_in
from real_terminal import RealTerminal

from sync.hub.app import create_app
from sync.hub.schema import program_stores, programs
from terminal.services.catalog import rewards_of

EMAIL = "owner@corner.example"


@pytest.fixture
def till(hub, hub_engine, merchant, tmp_path):
    """A real till (hybrid program, EUR, Europe/Berlin) paired to the merchant's store and synced,
    its clock at the hub's real time."""
    term = RealTerminal.founded(tmp_path / "till")
    term.clock.set(datetime.now(UTC))
    try:
        term.pair(hub.url, hub_engine, merchant.store_id, "Front till")
        term.sync()
        yield term
    finally:
        term.close()


def _row(engine, program_id):
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(programs).where(programs.c.program_id == program_id)).mappings().one())


def _post(web, program_id, action, data, *, csrf=True):
    page = web.get(f"/console/programs/{program_id}")
    assert page.status_code == 200, page.text
    return web.post(f"/console/programs/{program_id}/{action}",
                    data={**data, **({"csrf": csrf_of(page.text)} if csrf else {})})


def _reward(engine, program_id, name):
    settings = json.loads(_row(engine, program_id)["settings"])
    return next(r for r in settings["rewards"] if r["name"] == name)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_pages_need_a_signed_in_owner(hub_engine):
    with client(create_app(hub_engine, run_migrations=False)) as stranger:
        for path in ("/console/programs", "/console/programs/p1"):
            answer = stranger.get(path)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/console/sign-in")


def test_list_and_page_show_the_program_as_the_till_pushed_it(web, till, hub_engine):
    program_id = till.program_id()
    program = till.services.programs.program(program_id)
    row = _row(hub_engine, program_id)
    english = _text(web.get("/console/programs").text)
    when = datetime.fromisoformat(row["updated_at"].replace("Z", "+00:00")).astimezone(ZoneInfo("Europe/Berlin"))
    assert f"{program.name} Stamps and points Active at Front till (Main), {when:%Y-%m-%d %H:%M} CE" in english
    indonesian = _text(web.get("/console/programs", headers={"Accept-Language": "id"}).text)
    assert "Stempel dan poin Aktif di Front till (Main)" in indonesian
    page = web.get(f"/console/programs/{program_id}")
    assert page.status_code == 200
    shown = _text(page.text)
    rule = program.earning
    assert f"{rule.points_per_unit} points per 1.00 EUR" in shown
    with till.services.ctx.db.read() as session:
        names = [reward.name for reward in rewards_of(session, program_id)]
    assert names and all(f'value="{name}"' in page.text for name in names)
    assert "Extra stamps" in page.text and "Points multiplier" in page.text   # a hybrid runs both kinds


def test_a_reward_edited_names_the_owner_and_the_time(web, till, hub_engine):
    program_id = till.program_id()
    reward = json.loads(_row(hub_engine, program_id)["settings"])["rewards"][0]
    before = _row(hub_engine, program_id)
    answer = _post(web, program_id, f"rewards/{reward['reward_id']}",
                   {"name": "Big tote bag", "cost_stamps": "3", "cost_points": "250", "stock": "12"})
    assert answer.status_code == 303 and "notice=programs_saved" in answer.headers["location"]
    after = _row(hub_engine, program_id)
    assert after["changed_by"] == EMAIL and after["updated_at"] > before["updated_at"]
    assert after["change_id"] > before["change_id"]
    edited = _reward(hub_engine, program_id, "Big tote bag")
    assert (edited["reward_id"], edited["cost_points"], edited["stock"]) == (reward["reward_id"], 250, 12)
    listed = _text(web.get("/console/programs").text)
    assert f"by {EMAIL}" in listed
    with hub_engine.connect() as conn:   # the stores allowed to change it at their tills stay as they were
        assert conn.execute(sa.select(sa.func.count()).select_from(program_stores)).scalar_one() == 1


def test_rules_tiers_rewards_and_campaigns_save(web, till, hub_engine):
    program_id = till.program_id()
    assert _post(web, program_id, "rules", {
        "name": "Kopi club", "stamps_target": "8", "points_per_unit": "1", "earn_per": "2.50", "min_amount": "1",
        "max_points": "", "expiry_days": "365", "expiry_mode": "inactivity"}).status_code == 303
    assert _post(web, program_id, "tiers", {"tier_name": ["Silver", "Gold", ""],
                                            "tier_points": ["100", "500", ""],
                                            "tier_multiplier": ["1.25", "\u00d71.5", ""]}).status_code == 303
    assert _post(web, program_id, "rewards", {"name": "Mug", "cost_points": "40", "stock": ""}).status_code == 303
    mug = _reward(hub_engine, program_id, "Mug")
    assert _post(web, program_id, f"rewards/{mug['reward_id']}/retire", {}).status_code == 303
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    assert _post(web, program_id, "campaigns", {
        "kind": "multiplier", "name": "Double Fridays", "first_day": today.isoformat(),
        "last_day": (today + timedelta(days=30)).isoformat(), "weekday": ["4"], "starts_at": "09:00",
        "ends_at": "17:00", "multiplier": "2", "points": "99"}).status_code == 303
    row = _row(hub_engine, program_id)
    s = json.loads(row["settings"])
    assert row["name"] == "Kopi club"
    assert (s["stamps_target"], s["points_per_unit"], s["earn_per_minor"], s["min_amount_minor"],
            s["max_points_per_event"], s["points_expiry_days"], s["points_expiry_mode"]) == (
        8, 1, 250, 100, None, 365, "inactivity")
    assert [(t["name"], t["min_lifetime_points"], t["multiplier_percent"]) for t in s["tiers"]] == [
        ("Silver", 100, 125), ("Gold", 500, 150)]
    assert _reward(hub_engine, program_id, "Mug")["active"] is False
    campaign = s["campaigns"][-1]
    assert (campaign["name"], campaign["weekdays"], campaign["starts_at"], campaign["multiplier_percent"],
            campaign["points"]) == ("Double Fridays", [4], "09:00", 200, 0)   # points do not fit a multiplier
    html = web.get(f"/console/programs/{program_id}").text
    page = _text(html)
    assert "1 point per 2.50 EUR" in page and 'value="\u00d71.25"' in html and 'value="\u00d71.5"' in html
    assert "Double Fridays Points multiplier \u00d72" in page and "Fri · 09:00–17:00" in page
    assert _post(web, program_id, f"campaigns/{campaign['campaign_id']}/end", {}).status_code == 303
    ended = json.loads(_row(hub_engine, program_id)["settings"])["campaigns"][-1]
    assert ended["ended"] is not None
    assert "Ended early" in _text(web.get(f"/console/programs/{program_id}").text)


REFUSED = [
    ("rules", {"name": "X", "stamps_target": "0", "points_per_unit": "10", "earn_per": "1"}, "at least 1"),
    ("rules", {"name": "X", "stamps_target": "ten", "points_per_unit": "10", "earn_per": "1"}, "whole number"),
    ("rules", {"name": " ", "stamps_target": "10", "points_per_unit": "10", "earn_per": "1"}, "needs a name"),
    ("rules", {"name": "X", "stamps_target": "10", "points_per_unit": "10", "earn_per": "-1"}, "negative"),
    ("rewards", {"name": "Free", "cost_stamps": "0", "cost_points": "0"}, "costs stamps or points"),
    ("rewards", {"name": "Pen\u0000", "cost_points": "5"}, "cannot be stored"),
    ("tiers", {"tier_name": ["Gold"], "tier_points": ["10"], "tier_multiplier": ["0.5"]}, "at least 100"),
    ("tiers", {"tier_name": ["Gold", "gold"], "tier_points": ["1", "2"], "tier_multiplier": ["1", "2"]},
     "same name"),
    ("tiers", {"tier_name": ["Gold"], "tier_points": ["1", "2"], "tier_multiplier": ["1"]}, "as the page shows"),
    ("campaigns", {"kind": "fixed_bonus", "name": "Late", "first_day": "2026-01-02", "last_day": "2026-01-01",
                   "points": "5"}, "cannot be before"),
    ("campaigns", {"kind": "fixed_bonus", "name": "Past", "first_day": "2020-01-01", "last_day": "2020-01-02",
                   "points": "5"}, "has passed"),
    ("campaigns", {"kind": "spend_bonus", "name": "Big", "first_day": "2030-01-01", "last_day": "2030-01-02",
                   "points": "5"}, "amount a purchase must reach"),
    ("campaigns", {"kind": "lottery", "name": "?", "first_day": "2030-01-01", "last_day": "2030-01-02"},
     "Pick what the campaign gives"),
    ("campaigns", {"kind": "fixed_bonus", "name": "Night", "first_day": "2030-01-01", "last_day": "2030-01-02",
                   "points": "5", "starts_at": "22:00", "ends_at": "02:00"}, "end time must be after"),
    ("rewards/no-such-reward", {"name": "Ghost", "cost_points": "5"}, "not in this program"),
    ("campaigns/no-such-campaign/end", {}, "not in this program"),
]


def test_invalid_values_are_refused_and_nothing_is_written(web, till, hub_engine):
    program_id = till.program_id()
    before = _row(hub_engine, program_id)
    for action, data, says in REFUSED:
        answer = _post(web, program_id, action, data)
        assert answer.status_code == 422, (action, data)
        assert says in answer.text.replace("&#39;", "'"), (action, says)
        assert 'role="alert"' in answer.text
        assert _row(hub_engine, program_id) == before


def test_forms_without_their_token_change_nothing(web, till, hub_engine):
    program_id = till.program_id()
    reward = json.loads(_row(hub_engine, program_id)["settings"])["rewards"][0]["reward_id"]
    before = _row(hub_engine, program_id)
    for action, data in (("rules", {"name": "Stolen"}), ("rewards", {"name": "Free", "cost_points": "1"}),
                         (f"rewards/{reward}", {"name": "Stolen", "cost_points": "1"}),
                         (f"rewards/{reward}/retire", {}), ("tiers", {"tier_name": ["A"]}),
                         ("campaigns", {"kind": "fixed_bonus"}), ("campaigns/x/end", {})):
        assert _post(web, program_id, action, data, csrf=False).status_code == 403
        assert web.post(f"/console/programs/{program_id}/{action}",
                        data={**data, "csrf": "0" * 64}).status_code == 403
    assert _row(hub_engine, program_id) == before


def test_another_merchants_program_is_not_found(till, hub_engine):
    program_id = till.program_id()
    other = make_merchant(hub_engine, "Other shop", "Elsewhere")
    add_owner(hub_engine, other.merchant_id, "other@shop.example")
    before = _row(hub_engine, program_id)
    with client(create_app(hub_engine, run_migrations=False)) as web:
        assert sign_in(web, "other@shop.example").status_code == 303
        assert web.get(f"/console/programs/{program_id}").status_code == 404
        listed = web.get("/console/programs").text
        assert program_id not in listed and "No programs yet" in listed
        csrf = csrf_of(web.get("/console/programs").text)
        for action in ("rules", "rewards", "rewards/r1/retire", "tiers", "campaigns", "campaigns/c1/end"):
            answer = web.post(f"/console/programs/{program_id}/{action}", data={"csrf": csrf, "name": "Mine"})
            assert answer.status_code == 404, action
    assert _row(hub_engine, program_id) == before


def test_a_reward_and_a_campaign_changed_at_the_console_reach_the_till(web, till, hub_engine):
    program_id = till.program_id()
    code = till.enroll("Ann")
    till.earn(code, 1000)
    base = till.balance(code)[1]
    with till.services.ctx.db.read() as session:
        reward = next(r for r in rewards_of(session, program_id) if r.cost_points)
    assert _post(web, program_id, f"rewards/{reward.reward_id}",
                 {"name": "Tote bag (hub)", "cost_stamps": "0", "cost_points": str(base + 50)}).status_code == 303
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    assert _post(web, program_id, "campaigns", {
        "kind": "fixed_bonus", "name": "Opening week", "first_day": today.isoformat(),
        "last_day": (today + timedelta(days=6)).isoformat(), "points": "50"}).status_code == 303
    till.sync()
    with till.services.ctx.db.read() as session:
        pulled = next(r for r in rewards_of(session, program_id) if r.reward_id == reward.reward_id)
    assert (pulled.name, pulled.cost_points) == ("Tote bag (hub)", base + 50)
    assert [c.name for c in till.services.programs.program(program_id).campaigns][-1] == "Opening week"
    till.earn(code, 1000)   # the campaign runs at the till: +50 on top of the purchase's points
    assert till.balance(code)[1] == 2 * base + 50
    till.services.counter.redeem(till.grant(), code, reward.reward_id)   # at the cost set at the hub
    assert till.balance(code)[1] == base
    campaign = json.loads(_row(hub_engine, program_id)["settings"])["campaigns"][-1]["campaign_id"]
    assert _post(web, program_id, f"campaigns/{campaign}/end", {}).status_code == 303
    till.sync()
    till.clock.set(datetime.now(UTC))
    till.earn(code, 1000)   # ended at the hub: no bonus any more
    assert till.balance(code)[1] == 2 * base


def test_a_new_version_restates_stock_as_what_is_left(web, till, hub_engine):
    """Stock is stated as of the program's version: after a redemption, a console change of anything
    else states what is left, so the till's figure does not jump back."""
    program_id = till.program_id()
    code = till.enroll("Ann")
    with till.services.ctx.db.read() as session:
        reward = next(r for r in rewards_of(session, program_id) if r.cost_points)
    assert _post(web, program_id, f"rewards/{reward.reward_id}",
                 {"name": reward.name, "cost_stamps": "0", "cost_points": "1", "stock": "5"}).status_code == 303
    till.sync()
    till.clock.set(datetime.now(UTC))
    till.earn(code, 1000)
    till.services.counter.redeem(till.grant(), code, reward.reward_id)
    till.sync()
    assert 'name="stock" value="4"' in web.get(f"/console/programs/{program_id}").text
    assert _post(web, program_id, "rules", {"name": "Renamed", "stamps_target": "10", "points_per_unit": "10",
                                            "earn_per": "1.00"}).status_code == 303
    assert _reward(hub_engine, program_id, reward.name)["stock"] == 4
    till.sync()
    with till.services.ctx.db.read() as session:
        assert next(r for r in rewards_of(session, program_id) if r.reward_id == reward.reward_id).stock == 4


def test_the_forms_fit_the_program_and_a_retired_one_takes_no_campaign(web, till, hub_engine):
    program_id = till.program_id()
    grant = till.grant()
    coffee = till.services.programs.add(grant, "coffee")
    till.services.programs.retire(grant, program_id)
    till.sync()
    stamps_only = web.get(f"/console/programs/{coffee}").text
    assert 'name="stamps_target"' in stamps_only and 'name="points_per_unit"' not in stamps_only
    assert 'id="tiers"' not in stamps_only and 'name="cost_points"' not in stamps_only
    assert re.findall(r'<option value="(\w+)">', stamps_only.split('name="kind"')[1].split("</select>")[0]) == [
        "extra_stamp", "first_visit", "birthday"]
    coffee_before = _row(hub_engine, coffee)
    refused = _post(web, coffee, "tiers", {"tier_name": ["Gold"], "tier_points": ["1"], "tier_multiplier": ["2"]})
    assert refused.status_code == 422 and "Tiers need points" in refused.text
    today = datetime.now(ZoneInfo("Europe/Berlin")).date().isoformat()
    refused = _post(web, coffee, "campaigns", {"kind": "multiplier", "name": "Double", "first_day": today,
                                               "last_day": today, "multiplier": "2"})
    assert refused.status_code == 422 and "does not fit this program" in refused.text
    assert _row(hub_engine, coffee) == coffee_before
    before = _row(hub_engine, program_id)
    answer = _post(web, program_id, "campaigns", {"kind": "fixed_bonus", "name": "Late", "first_day": today,
                                                  "last_day": today, "points": "5"})
    assert answer.status_code == 422 and "was retired" in answer.text
    assert _row(hub_engine, program_id) == before
    listed = _text(web.get("/console/programs").text)
    assert "Retired" in listed and "Active" in listed
