"""The console's cards area through FastAPI's test client, on the real hub app and database:
adjust (with its confirmation page), suspend, block, reactivate and replace, and their refusals.

Runs on SQLite and (with LOYALTY_TEST_PG_URL) PostgreSQL, like the other hub tests. The cards
here are made at the hub itself (hub_records + hub_chain), so no till is needed; the till's side
is in test_console_cards_till.py.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from conftest import make_merchant
from console_helpers import client, csrf_of, form_csrf

from sync.hub import hub_chain, hub_records
from sync.hub.db import ChangeCounter, writing
from sync.hub.schema import balances, cards, console_card_actions, entries
from sync.protocol import Card
from terminal.domain.codes import new_code

OWNER = "owner@corner.example"


def make_card(app, engine, merchant_id: str, holder: str = "Ana Lima", points: int = 120, stamps: int = 0,
              phone: str | None = "+62 812-3456-7890") -> str:
    """A card enrolled at the hub with a starting balance, as the integration API would make it."""
    code = new_code()
    key = app.state.hub_key()
    with writing(engine) as conn:
        counter = ChangeCounter(conn, merchant_id)
        now = "2026-03-10T09:00:00.000000Z"
        hub_records.write(conn, counter, key, Card(code=code, program_id="default", holder=holder, status="active",
                                                   enrolled_at=now, updated_at=now, phone=phone,
                                                   email="ana@example.com", contact_consent=True), "seed")
        hub_chain.append_locked(conn, counter, key, [hub_chain.NewEntry(code, "enroll")])
        if points or stamps:
            hub_chain.append_locked(conn, counter, key, [hub_chain.NewEntry(code, "earn", points=points,
                                                                            stamps=stamps, amount=1000)])
        counter.save()
    return code


def balance(engine, code: str) -> tuple[int, int]:
    with engine.connect() as conn:
        row = conn.execute(sa.select(balances.c.stamps, balances.c.points).where(balances.c.card == code)).one()
    return row.stamps, row.points


def written(engine) -> tuple[int, int, list]:
    """What the console could have written: entries, trail rows, card records (all of them)."""
    with engine.connect() as conn:
        return (conn.execute(sa.select(sa.func.count()).select_from(entries)).scalar_one(),
                conn.execute(sa.select(sa.func.count()).select_from(console_card_actions)).scalar_one(),
                [tuple(r) for r in conn.execute(sa.select(cards.c.code, cards.c.status, cards.c.replaced_by,
                                                          cards.c.updated_at).order_by(cards.c.code))])


def post(web, path: str, fields: dict, page: str | None = None):
    return web.post(path, data={**fields, "csrf": form_csrf(web, page or path.rsplit("/", 1)[0])})


def confirm(web, answer):
    """Press Confirm on a confirmation page: post its hidden fields back."""
    assert answer.status_code == 200, answer.text
    form = re.search(r'<form method="post" action="([^"]+)" class="row">(.*?)</form>', answer.text, re.S)
    assert form, "the page has no confirmation form"
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', form.group(2)))
    return web.post(form.group(1), data=fields)


def test_card_page_shows_contact_details_status_and_forms(app, hub_engine, merchant, web):
    code = make_card(app, hub_engine, merchant.merchant_id)
    page = web.get(f"/console/cards/{code}").text
    for shown in ("Ana Lima", "+62 812-3456-7890", "ana@example.com", "Active", "120",
                  f'action="/console/cards/{code}/adjust"', f'action="/console/cards/{code}/status"'):
        assert shown in page, shown
    assert f"/console/cards/{code}/replace" not in page    # only a blocked card is replaced
    assert ">Hub</td>" in page                               # the seed entries were made at the hub
    indonesian = web.get(f"/console/cards/{code}", headers={"Accept-Language": "id"}).text
    assert "Sesuaikan saldo" in indonesian and "Boleh dihubungi" in indonesian


def test_search_by_phone_finds_the_card(app, hub_engine, merchant, web):
    code = make_card(app, hub_engine, merchant.merchant_id)
    other = make_card(app, hub_engine, merchant.merchant_id, "Budi", phone="+62 811 000 111")
    for query in ("0812 3456", "+62 812-3456-7890", "81234567890"):
        found = web.get("/console/cards", params={"q": query}).text
        assert f'href="/console/cards/{code}"' in found and other not in found, query


def test_adjust_asks_first_then_writes_a_signed_hub_entry(app, hub_engine, merchant, web):
    code = make_card(app, hub_engine, merchant.merchant_id)
    before = written(hub_engine)
    asked = post(web, f"/console/cards/{code}/adjust", {"points": "50", "reason": "birthday gift"})
    assert "Ana Lima: 120 → 170 points" in asked.text
    assert written(hub_engine) == before                     # the confirmation page wrote nothing
    done = confirm(web, asked)
    assert done.status_code == 303
    assert done.headers["location"] == f"/console/cards/{code}?notice=cards_adjusted"
    assert balance(hub_engine, code) == (0, 170)
    with hub_engine.connect() as conn:
        entry = conn.execute(sa.select(entries).where(entries.c.card == code, entries.c.kind == "adjust")
                             ).mappings().one()
        trail = conn.execute(sa.select(console_card_actions)).mappings().one()
    assert (entry["points"], entry["stamps"], entry["reason"], entry["staff_id"]) == (50, 0, "birthday gift", None)
    assert (trail["action"], trail["owner_email"], trail["entry_id"]) == ("adjust", OWNER, entry["entry_id"])
    assert hub_chain.verify(hub_engine, merchant.merchant_id, _public_key(app)) == []
    page = web.get(f"/console/cards/{code}?notice=cards_adjusted").text
    assert "Balance adjusted" in page and f"Hub · {OWNER}" in page and "birthday gift" in page
    log = web.get("/console/audit", params={"card": code}).text   # the audit log names the owner too
    assert f"<span>{OWNER}</span>" in log and "birthday gift" in log


def _public_key(app) -> str:
    from ledger_chain import signing

    return signing.public_key_of(app.state.hub_key())


def test_stamps_are_adjusted_too(app, hub_engine, merchant, web):
    code = make_card(app, hub_engine, merchant.merchant_id, points=0, stamps=4)
    asked = post(web, f"/console/cards/{code}/adjust", {"stamps": "-3", "reason": "stamped twice by mistake"})
    assert "Ana Lima: 4 → 1 stamps" in asked.text
    assert confirm(web, asked).status_code == 303
    assert balance(hub_engine, code) == (1, 0)


REFUSALS = [
    ({"points": "-121", "reason": "returned goods"}, "has 120 points and 0 stamps", "INSUFFICIENT_BALANCE"),
    ({"points": "10", "reason": ""}, "Say why", "REASON_REQUIRED"),
    ({"points": "10", "reason": "ok"}, "Say why", "REASON_REQUIRED"),
    ({"points": "10", "reason": "x" * 301}, "301 characters long", "INVALID_INPUT"),
    ({"points": "0", "reason": "nothing at all"}, "must change points or stamps", "INVALID_INPUT"),
    ({"points": "ten", "reason": "a typo here"}, "whole numbers", "INVALID_INPUT"),
    ({"points": "99999999", "reason": "far too much"}, "between -10000000", "INVALID_INPUT"),
]


def test_adjust_refusals_write_nothing(app, hub_engine, merchant, web):
    """Refused on the confirmation step and, sent straight, on the writing step alike."""
    card = make_card(app, hub_engine, merchant.merchant_id)
    before = written(hub_engine)
    for fields, refusal, code in REFUSALS:
        for confirmed in ("", "1"):
            answer = post(web, f"/console/cards/{card}/adjust",
                          {**fields, "confirmed": confirmed, "seen_stamps": "0", "seen_points": "120"})
            assert answer.status_code == 422, (fields, confirmed)
            assert refusal in answer.text and f"refused: {code}; nothing was written" in answer.text
            assert 'value="returned goods"' in answer.text or fields["reason"] != "returned goods"  # kept
    assert written(hub_engine) == before and balance(hub_engine, card) == (0, 120)


def test_a_balance_that_moved_since_the_confirmation_is_asked_again(app, hub_engine, merchant, web):
    card = make_card(app, hub_engine, merchant.merchant_id)
    asked = post(web, f"/console/cards/{card}/adjust", {"points": "-100", "reason": "refund of order 12"})
    assert "120 → 20 points" in asked.text
    hub_chain.append(hub_engine, merchant.merchant_id, app.state.hub_key(),
                     [hub_chain.NewEntry(card, "redeem", points=-10)])     # a till's redeem arrives meanwhile
    before = written(hub_engine)
    again = confirm(web, asked)
    assert again.status_code == 200 and "The balance changed since you looked" in again.text
    assert "110 → 10 points" in again.text and written(hub_engine) == before
    assert confirm(web, again).status_code == 303
    assert balance(hub_engine, card) == (0, 10)
    hub_chain.append(hub_engine, merchant.merchant_id, app.state.hub_key(),
                     [hub_chain.NewEntry(card, "earn", points=5, amount=500)])
    late = post(web, f"/console/cards/{card}/adjust", {"points": "-15", "reason": "take it all back"})
    hub_chain.append(hub_engine, merchant.merchant_id, app.state.hub_key(),
                     [hub_chain.NewEntry(card, "redeem", points=-5)])
    refused = confirm(web, late)   # checked again under the lock: it would go negative now
    assert refused.status_code == 422 and "INSUFFICIENT_BALANCE" in refused.text
    assert balance(hub_engine, card) == (0, 10)


def test_block_then_reactivate_with_reasons_in_the_trail(app, hub_engine, merchant, web):
    code = make_card(app, hub_engine, merchant.merchant_id)
    asked = post(web, f"/console/cards/{code}/status", {"status": "blocked", "reason": "lost on the bus"})
    assert "Block card" in asked.text and "lost on the bus" in asked.text
    assert confirm(web, asked).headers["location"] == f"/console/cards/{code}?notice=cards_status_blocked"
    with hub_engine.connect() as conn:
        row = conn.execute(sa.select(cards.c.status, cards.c.changed_by).where(cards.c.code == code)).one()
    assert tuple(row) == ("blocked", OWNER)
    page = web.get(f"/console/cards/{code}").text
    assert "Blocked" in page and f"/console/cards/{code}/replace" in page
    again = post(web, f"/console/cards/{code}/status", {"status": "blocked", "reason": "twice by mistake"})
    assert again.status_code == 422 and "already has that status" in again.text
    assert confirm(web, post(web, f"/console/cards/{code}/status",
                             {"status": "active", "reason": "found in the car"})).status_code == 303
    trail = web.get(f"/console/cards/{code}").text
    assert trail.index("found in the car") < trail.index("lost on the bus")   # newest first
    assert trail.count(OWNER) >= 2


def test_status_needs_a_reason_and_a_known_status(app, hub_engine, merchant, web):
    code = make_card(app, hub_engine, merchant.merchant_id)
    before = written(hub_engine)
    for fields, code_text in (({"status": "suspended", "reason": ""}, "REASON_REQUIRED"),
                              ({"status": "gone", "reason": "no such thing"}, "INVALID_INPUT")):
        for confirmed in ("", "1"):
            answer = post(web, f"/console/cards/{code}/status", {**fields, "confirmed": confirmed})
            assert answer.status_code == 422 and code_text in answer.text
    assert written(hub_engine) == before


def test_replace_moves_the_balance_to_a_new_card_in_one_go(app, hub_engine, merchant, web):
    old = make_card(app, hub_engine, merchant.merchant_id, stamps=2)
    refused = post(web, f"/console/cards/{old}/replace", {"new_code": "", "reason": "card worn out"})
    assert refused.status_code == 422 and "Block the card first" in refused.text
    confirm(web, post(web, f"/console/cards/{old}/status", {"status": "blocked", "reason": "stolen wallet"}))
    asked = post(web, f"/console/cards/{old}/replace", {"new_code": "", "reason": "stolen wallet"})
    assert "Move 2 stamps and 120 points" in asked.text and "a new card" in asked.text
    done = confirm(web, asked)
    new = done.headers["location"].split("/")[-1].split("?")[0]
    assert done.headers["location"] == f"/console/cards/{new}?notice=cards_replaced" and new != old
    assert balance(hub_engine, old) == (0, 0) and balance(hub_engine, new) == (2, 120)
    with hub_engine.connect() as conn:
        pair = {r["kind"]: r for r in conn.execute(sa.select(entries).where(
            entries.c.kind.in_(["transfer_out", "transfer_in"]))).mappings()}
        old_row = conn.execute(sa.select(cards).where(cards.c.code == old)).mappings().one()
        new_row = conn.execute(sa.select(cards).where(cards.c.code == new)).mappings().one()
    assert (pair["transfer_out"]["card"], pair["transfer_out"]["points"]) == (old, -120)
    assert (pair["transfer_in"]["card"], pair["transfer_in"]["points"]) == (new, 120)
    assert pair["transfer_in"]["reverses"] == pair["transfer_out"]["entry_id"]
    assert (old_row["status"], old_row["replaced_by"]) == ("blocked", new)
    assert (new_row["holder"], new_row["phone"], new_row["status"]) == ("Ana Lima", "+62 812-3456-7890", "active")
    assert hub_chain.verify(hub_engine, merchant.merchant_id, _public_key(app)) == []
    page = web.get(f"/console/cards/{old}").text
    assert f'href="/console/cards/{new}"' in page and f"/console/cards/{old}/status" not in page
    again = post(web, f"/console/cards/{old}/status", {"status": "active", "reason": "found it after all"})
    assert again.status_code == 422 and "CARD_BLOCKED" in again.text


def test_replace_onto_a_card_that_holds_points_is_refused(app, hub_engine, merchant, web):
    old = make_card(app, hub_engine, merchant.merchant_id)
    taken = make_card(app, hub_engine, merchant.merchant_id, "Budi", points=5)
    confirm(web, post(web, f"/console/cards/{old}/status", {"status": "blocked", "reason": "lost it"}))
    before = written(hub_engine)
    for confirmed in ("", "1"):
        answer = post(web, f"/console/cards/{old}/replace",
                      {"new_code": taken, "reason": "new card", "confirmed": confirmed})
        assert answer.status_code == 422 and "already holds 0 stamps and 5 points" in answer.text
    assert written(hub_engine) == before


ACTIONS = [
    ("adjust", {"points": "5", "reason": "a gift for you"}),
    ("status", {"status": "blocked", "reason": "lost it"}),
    ("replace", {"new_code": "", "reason": "lost it"}),
]


def test_forms_without_csrf_are_refused_and_strangers_sent_to_sign_in(app, hub_engine, merchant, web):
    code = make_card(app, hub_engine, merchant.merchant_id)
    before = written(hub_engine)
    for (action, fields), token in ((a, t) for a in ACTIONS for t in (None, "0" * 40)):
        fields = {**fields, "confirmed": "1"}
        answer = web.post(f"/console/cards/{code}/{action}", data={**fields, **({"csrf": token} if token else {})})
        assert answer.status_code == 403
        assert "did not come from this console" in answer.text
    with client(app) as stranger:
        for action, fields in ACTIONS:
            answer = stranger.post(f"/console/cards/{code}/{action}", data={**fields, "confirmed": "1",
                                                                           "csrf": "0" * 40})
            assert answer.status_code == 303 and answer.headers["location"].startswith("/console/sign-in")
        assert stranger.get(f"/console/cards/{code}").status_code == 303
    assert written(hub_engine) == before


def test_another_merchants_card_is_404(app, hub_engine, web):
    other = make_merchant(hub_engine, "Other shop", "Their store")
    theirs = make_card(app, hub_engine, other.merchant_id, "Their customer")
    before = written(hub_engine)
    assert web.get(f"/console/cards/{theirs}").status_code == 404
    csrf = form_csrf(web, "/console/cards")
    for (action, fields), confirmed in ((a, c) for a in ACTIONS for c in ("", "1")):
        answer = web.post(f"/console/cards/{theirs}/{action}", data={**fields, "confirmed": confirmed, "csrf": csrf})
        assert answer.status_code == 404
    assert "Their customer" not in web.get("/console/cards", params={"q": "their"}).text
    assert written(hub_engine) == before


def test_confirmation_page_in_indonesian(app, hub_engine, merchant, web):
    code = make_card(app, hub_engine, merchant.merchant_id)
    page = web.get(f"/console/cards/{code}", headers={"Accept-Language": "id"})
    answer = web.post(f"/console/cards/{code}/adjust", headers={"Accept-Language": "id"},
                      data={"points": "-20", "reason": "salah input", "csrf": csrf_of(page.text)})
    assert "Ana Lima: 120 → 100 poin" in answer.text and "Konfirmasi" in answer.text


def test_two_owners_adjusting_at_once_never_overdraw(app, hub_engine, merchant):
    """Both see 120 and take 100: the check runs under the merchant's lock, so one is refused."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from sync.hub import console_cards
    from terminal.domain.errors import LoyaltyError

    card = make_card(app, hub_engine, merchant.merchant_id)
    key = app.state.hub_key()
    start = Barrier(2)

    def take(owner: str) -> str:
        start.wait()
        try:
            console_cards.adjust(hub_engine, key, merchant.merchant_id, card, 0, -100, "refund", owner,
                                 seen=None)
        except LoyaltyError as exc:
            return exc.code.value
        return "written"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(take, ["a@example.com", "b@example.com"]))
    assert outcomes == ["INSUFFICIENT_BALANCE", "written"]
    assert balance(hub_engine, card) == (0, 20)
