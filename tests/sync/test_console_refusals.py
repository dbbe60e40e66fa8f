"""Refusals of the hub's shared checks on the console's pages, in the page's language.

The stores, account and overdrafts pages meet ``admin.AdminError`` refusals, which carry a key;
the program page meets the till's own refusals (LoyaltyError), named by their English. On an
Indonesian page each says its Indonesian words with the details carried over; on an English
page exactly the English the CLI, the API and the till say (so the two cannot drift); nothing
is written. Through FastAPI's test client on the real hub app and database (SQLite, and
PostgreSQL with LOYALTY_TEST_PG_URL).
"""

from __future__ import annotations

import copy
import html
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from console_helpers import PASSWORD, csrf_of, form_csrf
from real_terminal import RealTerminal
from starlette.requests import Request

from sync.hub import admin, overdraft_resolution, owners
from sync.hub import console_programs as cp
from sync.hub.console import i18n, program_refusals
from sync.hub.console.card_routes import _refusal_text
from sync.hub.console.refusals import refusal_text, worded
from sync.hub.schema import overdrafts, owner_accounts, pairings, programs, stores
from terminal.domain.campaigns import MAX_CAMPAIGNS_PER_PROGRAM
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.program_settings import check_settings

ENGLISH, INDONESIAN = {"Accept-Language": "en"}, {"Accept-Language": "id"}
UNWORDED = i18n.MESSAGES["id"]["refusal_unworded"].split("{reason}")[0]


def _error(answer) -> str:
    """The page's refusal, as the owner reads it."""
    assert answer.status_code == 422, answer.text
    found = re.search(r'<p class="error" role="alert">(.*?)</p>', answer.text, re.S)
    assert found, "the page shows no refusal"
    return html.unescape(found.group(1))


def _count(engine, table, *where) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one()


def _both(web, path, data, page=None):
    """The form posted from an English and from an Indonesian page: (English refusal, Indonesian refusal)."""
    csrf = form_csrf(web, page or path)
    return tuple(_error(web.post(path, data={**data, "csrf": csrf}, headers=language))
                 for language in (ENGLISH, INDONESIAN))


# ---- the AdminError pages --------------------------------------------------------------------

def _admin_refusals(engine, merchant, taken_email) -> list[admin.AdminError]:
    """Every keyed refusal the stores, account and overdrafts pages can meet, raised by the real checks."""
    said = []
    for refuse in (lambda: admin.add_store(engine, merchant.merchant_id, " "),
                   lambda: admin.add_store(engine, merchant.merchant_id, "s" * 201),
                   lambda: admin.add_terminal(engine, merchant.store_id, ""),
                   lambda: owners.add_owner(engine, merchant.merchant_id, "not-an-email", PASSWORD),
                   lambda: owners.add_owner(engine, merchant.merchant_id, "new@corner.example", "short"),
                   lambda: owners.add_owner(engine, merchant.merchant_id, taken_email.upper(), PASSWORD),
                   lambda: overdraft_resolution.resolve_overdraft(engine, merchant.merchant_id, 1, "a@b.c", " ")):
        with pytest.raises(admin.AdminError) as refused:
            refuse()
        said.append(refused.value)
    return said


@pytest.mark.sqlite_only
def test_every_keyed_refusal_says_the_apis_english_and_has_indonesian_words(hub_engine, merchant, console_owner):
    for exc in _admin_refusals(hub_engine, merchant, console_owner.email):
        assert worded(exc), str(exc)
        assert refusal_text("en", exc) == str(exc)
        indonesian = refusal_text("id", exc)
        assert indonesian != str(exc) and not indonesian.startswith(UNWORDED), indonesian
        for value in exc.values.values():
            assert str(value) in indonesian, (value, indonesian)


def test_a_refusal_with_no_words_yet_shows_its_english_in_the_pages_sentence():
    exc = admin.AdminError("no merchant 'm-1' on this hub")   # no key: the console has no words for it
    assert not worded(exc)
    assert refusal_text("en", exc) == "no merchant 'm-1' on this hub"
    assert refusal_text("id", exc) == UNWORDED + "no merchant 'm-1' on this hub"
    unknown = admin.AdminError("a refusal from a newer hub", "no_such_words", most=3)
    assert refusal_text("id", unknown) == UNWORDED + "a refusal from a newer hub"
    short_of_a_detail = admin.AdminError("the store name must be 1 to 200 characters", "store_name_length")
    assert refusal_text("id", short_of_a_detail) == UNWORDED + "the store name must be 1 to 200 characters"


def test_a_store_and_a_till_without_a_name(web, hub_engine, merchant):
    before = _count(hub_engine, stores)
    assert _both(web, "/console/stores", {"name": "  "}) == (
        "the store name must be 1 to 200 characters", "Nama toko harus 1 sampai 200 karakter.")
    assert _both(web, f"/console/stores/{merchant.store_id}/pairing", {"name": ""}, "/console/stores") == (
        "the terminal name must be 1 to 200 characters", "Nama kasir harus 1 sampai 200 karakter.")
    assert _count(hub_engine, stores) == before and _count(hub_engine, pairings) == 0


def test_a_co_owner_refused(web, hub_engine, console_owner):
    before = _count(hub_engine, owner_accounts)
    add = "/console/account/owners"
    assert _both(web, add, {"email": "not-an-email", "password": PASSWORD}, "/console/account") == (
        "'not-an-email' is not an email address; give one like owner@example.com",
        "'not-an-email' bukan alamat email; tulis seperti owner@example.com.")
    assert _both(web, add, {"email": "budi@corner.example", "password": "short"}, "/console/account") == (
        "the password must be 10 to 1024 characters", "Kata sandi harus 10 sampai 1024 karakter.")
    assert _both(web, add, {"email": console_owner.email.upper(), "password": PASSWORD}, "/console/account") == (
        "owner@corner.example already has an account on this hub",
        "owner@corner.example sudah punya akun di hub ini.")
    assert _count(hub_engine, owner_accounts) == before


def test_an_overdraft_resolved_without_a_note(web, hub_engine, merchant):
    with hub_engine.begin() as conn:
        overdraft_id = conn.execute(sa.insert(overdrafts).values(
            merchant_id=merchant.merchant_id, card="ABCDEFGH23", stamps_balance=0, points_balance=-60,
            entry_ids="[]", terminal_id="t-1", flagged_at=admin.utc_iso(), change_id=1)).inserted_primary_key[0]
    assert _both(web, f"/console/overdrafts/{overdraft_id}/resolve", {"note": " "}, "/console/overdrafts") == (
        "write a note of 1 to 500 characters saying how it was resolved",
        "Tulis catatan 1 sampai 500 karakter tentang cara penyelesaiannya.")
    assert _count(hub_engine, overdrafts, overdrafts.c.resolved_at.is_not(None)) == 0


# ---- the program page ------------------------------------------------------------------------

NOW = datetime(2030, 3, 4, 12, 0, tzinfo=UTC)
DAY = NOW.date()
FACTS = cp.Facts("EUR", "Europe/Berlin")
DRAFT = {"name": "Kopi", "kind": "hybrid", "settings": {
    "stamps_target": 10, "points_per_unit": 1, "tiers": [], "campaigns": [],
    "rewards": [{"reward_id": "r-1", "name": "Mug", "cost_stamps": 0, "cost_points": 40, "stock": None,
                 "active": True, "valid_from": None, "valid_until": None}]}}
RULES = {"name": "Kopi", "stamps_target": "10", "points_per_unit": "1", "earn_per": "1", "min_amount": "",
         "max_points": "", "expiry_days": "", "expiry_mode": "age"}
SOON = {"kind": "fixed_bonus", "name": "Late", "first_day": str(DAY + timedelta(days=1)),
        "last_day": str(DAY + timedelta(days=2)), "points": "5"}


def _campaigns(n):
    """n campaigns to come, added one by one as the form does."""
    def edit(draft, facts, now):
        for i in range(n):
            cp.campaign_add({**SOON, "name": f"C{i}"}, [])(draft, facts, now)
    return edit


def _then(*edits):
    def edit(draft, facts, now):
        for one in edits:
            one(draft, facts, now)
    return edit


def _ended(draft, facts, now):
    cp.campaign_add(SOON, [])(draft, facts, now)
    campaign_id = draft["settings"]["campaigns"][-1]["campaign_id"]
    cp.campaign_end(campaign_id)(draft, facts, now)
    cp.campaign_end(campaign_id)(draft, facts, now)


# (edit, program kind, retired, code, a detail the Indonesian words carry over)
PROGRAM_REFUSALS = [
    (cp.rules_edit({**RULES, "expiry_mode": "forever"}), "hybrid", False, "expiry_mode", None),
    (cp.rules_edit({**RULES, "stamps_target": "ten"}), "hybrid", False, "whole", "Stempel untuk satu hadiah"),
    (cp.rules_edit({**RULES, "stamps_target": "0"}), "hybrid", False, "setting_least", "Target stempel"),
    (cp.rules_edit({**RULES, "max_points": "0"}), "hybrid", False, "setting_least", "Batas poin"),
    (cp.rules_edit({**RULES, "name": " "}), "hybrid", False, "program_name_missing", None),
    (cp.rules_edit({**RULES, "name": "K" * 121}), "hybrid", False, "name_long", "120"),
    (cp.rules_edit({**RULES, "name": "Kopi\u200b"}), "hybrid", False, "text_character", "U+200B"),
    (cp.rules_edit({**RULES, "name": "Kopi\u0007"}), "hybrid", False, "text_character", "kendali"),
    (cp.rules_edit({**RULES, "earn_per": "-1"}), "hybrid", False, "amount_negative", "Belanja untuk poin itu"),
    (cp.rules_edit({**RULES, "earn_per": "abc"}), "hybrid", False, "amount_bad", "'abc'"),
    (cp.rules_edit({**RULES, "min_amount": "1.234"}), "hybrid", False, "amount_decimals", "EUR"),
    (cp.rules_edit({**RULES, "earn_per": "0"}), "hybrid", False, "amount_zero", None),
    (cp.rules_edit({**RULES, "earn_per": "99999999999"}), "hybrid", False, "amount_most", "99.999.999.999,00 EUR"),
    (cp.reward_edit(None, {"name": "Free", "cost_points": "0"}), "hybrid", False, "reward_costs", None),
    (cp.reward_edit(None, {"name": "", "cost_points": "5"}), "hybrid", False, "reward_name_missing", None),
    (cp.reward_edit(None, {"name": "Pen", "cost_points": "5", "stock": "many"}), "hybrid", False, "whole", "Stok"),
    (cp.reward_edit("r-9", {"name": "Pen", "cost_points": "5"}), "hybrid", False, "reward_missing", None),
    (_then(cp.reward_retire("r-1"), cp.reward_retire("r-1")), "hybrid", False, "reward_retired", "Mug"),
    (cp.tiers_edit([("Gold", "10", "0.5")]), "hybrid", False, "setting_least", "Pengali tingkatan"),
    (cp.tiers_edit([("Gold", "1", "1"), ("gold", "2", "2")]), "hybrid", False, "tiers_same_name", None),
    (cp.tiers_edit([("", "5", "")]), "hybrid", False, "tier_row_name", None),
    (cp.tiers_edit([("Gold", "many", "1")]), "hybrid", False, "whole", "Gold: poin seumur hidup"),
    (cp.tiers_edit([("Gold", "1", "1,234")]), "hybrid", False, "multiplier_bad", "'1,234'"),
    (cp.tiers_edit([("Gold", "1", "1")]), "stamps", False, "tiers_stamps_only", None),
    (cp.campaign_add({**SOON, "kind": "lottery"}, []), "hybrid", False, "campaign_kind_missing", None),
    (cp.campaign_add({**SOON, "kind": "multiplier"}, []), "stamps", False, "campaign_kind_unfit", None),
    (cp.campaign_add(SOON, []), "hybrid", True, "program_retired", "Kopi"),
    (cp.campaign_add({**SOON, "last_day": str(DAY)}, []), "hybrid", False, "campaign_days_order", None),
    (cp.campaign_add({**SOON, "first_day": "2020-01-01", "last_day": "2020-01-02"}, []), "hybrid", False,
     "campaign_past", None),
    (cp.campaign_add({**SOON, "first_day": "soon"}, []), "hybrid", False, "day", "Hari pertama"),
    (cp.campaign_add({**SOON, "ends_at": "late", "starts_at": "09:00"}, []), "hybrid", False, "clock", "Sampai"),
    (cp.campaign_add({**SOON, "starts_at": "22:00"}, []), "hybrid", False, "times_both", None),
    (cp.campaign_add({**SOON, "starts_at": "22:00", "ends_at": "02:00"}, []), "hybrid", False, "times_order", None),
    (cp.campaign_add(SOON, ["9"]), "hybrid", False, "weekdays", None),
    (cp.campaign_add(SOON, ["x"]), "hybrid", False, "whole", "Hari dalam seminggu"),
    (cp.campaign_add({**SOON, "points": "5000000"}, []), "hybrid", False, "bonus_range", "1.000.000"),
    (cp.campaign_add({**SOON, "kind": "multiplier", "multiplier": "20"}, []), "hybrid", False,
     "multiplier_range", None),
    (cp.campaign_add({**SOON, "points": "0"}, []), "hybrid", False, "fixed_bonus", None),
    (cp.campaign_add({**SOON, "kind": "spend_bonus"}, []), "hybrid", False, "spend_bonus", None),
    (cp.campaign_add({**SOON, "kind": "spend_bonus", "min_spend": "abc"}, []), "hybrid", False, "amount_bad",
     "Pembelian minimal"),
    (cp.campaign_add({**SOON, "kind": "extra_stamp", "stamps": "0"}, []), "hybrid", False, "extra_stamp", None),
    (cp.campaign_add({**SOON, "kind": "first_visit", "points": ""}, []), "hybrid", False, "once_bonus", None),
    (cp.campaign_add({**SOON, "name": " "}, []), "hybrid", False, "campaign_name_missing", None),
    (_campaigns(MAX_CAMPAIGNS_PER_PROGRAM + 1), "hybrid", False, "campaigns_full", str(MAX_CAMPAIGNS_PER_PROGRAM)),
    (cp.campaign_end("c-9"), "hybrid", False, "campaign_missing", None),
    (_ended, "hybrid", False, "campaign_ended", "Late"),
]


def _refused(edit, kind, retired) -> str:
    """The English the forms' checks refuse ``edit`` with (console_programs.change, without the database)."""
    draft = copy.deepcopy(DRAFT)
    draft["kind"], draft["settings"]["active"] = kind, not retired
    with pytest.raises(LoyaltyError) as refused:
        edit(draft, FACTS, NOW)
        check_settings(draft["name"], draft["kind"], draft["settings"])
    return refused.value.message


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("edit", "kind", "retired", "code", "detail"), PROGRAM_REFUSALS,
                         ids=[f"{i}-{row[3]}" for i, row in enumerate(PROGRAM_REFUSALS)])
def test_every_program_refusal_has_a_code_whose_english_is_the_tills(edit, kind, retired, code, detail):
    english = _refused(edit, kind, retired)
    assert program_refusals.code_of(english)[0] == code, english
    assert program_refusals.say("en", english) == english
    indonesian = program_refusals.say("id", english)
    assert indonesian != english and not indonesian.startswith(UNWORDED), indonesian
    assert detail is None or detail in indonesian, (detail, indonesian)


@pytest.mark.sqlite_only
def test_every_program_code_and_field_has_words_in_both_languages():
    codes = {code for code, _pattern in program_refusals._CODES}
    # program_routes' own two (the page's test below), and two the forms cannot meet: a blank amount is
    # no amount, a blank tier row is left out
    unmet = {"tiers_form", "weekdays_twice", "amount_empty", "tier_name_missing"}
    assert {row[3] for row in PROGRAM_REFUSALS} | unmet == codes
    labels = {*program_refusals._WHOLE, *program_refusals._AMOUNTS, *program_refusals._DAYS,
              *program_refusals._CLOCKS, *program_refusals._SETTINGS, *program_refusals._BONUSES,
              "The program name", "The reward name", "The campaign name", "The tier name"}
    keys = {f"refusal_program_{c}" for c in codes} | {program_refusals.label_key(label) for label in labels}
    for language in i18n.LANGUAGES:
        assert keys <= i18n.MESSAGES[language].keys()
    for label in labels:
        assert i18n.MESSAGES["en"][program_refusals.label_key(label)] == label


@pytest.fixture
def till(hub, hub_engine, merchant, tmp_path):
    """A real till (hybrid program, EUR, Europe/Berlin) paired to the merchant's store and synced."""
    term = RealTerminal.founded(tmp_path / "till")
    term.clock.set(datetime.now(UTC))
    try:
        term.pair(hub.url, hub_engine, merchant.store_id, "Front till")
        term.sync()
        yield term
    finally:
        term.close()


def test_the_program_page_says_its_refusals_in_its_language(web, till, hub_engine):
    program_id = till.program_id()
    path = f"/console/programs/{program_id}"
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()
    with hub_engine.connect() as conn:
        before = conn.execute(sa.select(programs)).mappings().all()
    for action, data, english, indonesian in [
        ("rules", {**RULES, "stamps_target": "ten"}, "Stamps for a reward: type a whole number (digits only), like 10.",
         "Stempel untuk satu hadiah: ketik bilangan bulat (hanya angka), misalnya 10."),
        ("rewards", {"name": "Pen\u0000", "cost_points": "5"},
         "The reward name contains a control character (U+0000), which cannot be stored or synced. "
         "Retype it without that character.",
         "Nama hadiah memuat karakter kendali (U+0000) yang tidak bisa disimpan atau disinkronkan. "
         "Ketik ulang tanpa karakter itu."),
        ("tiers", {"tier_name": ["Gold"], "tier_points": ["1", "2"], "tier_multiplier": ["1"]},
         "Send the tiers form as the page shows it.", "Kirim formulir tingkatan seperti yang ditampilkan halaman."),
        ("campaigns", {**SOON, "weekday": ["1"] * 8}, "Pick each weekday at most once.",
         "Pilih setiap hari paling banyak sekali."),
        ("campaigns", {**SOON, "kind": "spend_bonus", "first_day": str(today), "last_day": str(today),
                       "min_spend": "12.345"},
         "Purchase of at least: EUR amounts have 2 decimal places at most.",
         "Pembelian minimal: jumlah dalam EUR paling banyak 2 angka desimal."),
    ]:
        csrf = csrf_of(web.get(path).text)
        shown = tuple(_error(web.post(f"{path}/{action}", data={**data, "csrf": csrf}, headers=language))
                      for language in (ENGLISH, INDONESIAN))
        assert shown == (english, indonesian), action
    with hub_engine.connect() as conn:
        assert conn.execute(sa.select(programs)).mappings().all() == before


# ---- the card page ---------------------------------------------------------------------------

def _asking(language: str) -> Request:
    return Request({"type": "http", "headers": [(b"accept-language", language.encode())]})


@pytest.mark.sqlite_only
def test_a_card_refusal_with_no_words_yet_shows_its_english_not_another_refusals_words():
    unworded = LoyaltyError(ErrorCode.NOT_VOIDABLE, "That entry cannot be undone.")
    assert _refusal_text(_asking("en"), unworded) == \
        "That entry cannot be undone. (refused: NOT_VOIDABLE; nothing was written)"
    assert _refusal_text(_asking("id"), unworded) == \
        UNWORDED + "That entry cannot be undone. (ditolak: NOT_VOIDABLE; tidak ada yang ditulis)"
    newer = LoyaltyError(ErrorCode.INVALID_INPUT, "A newer check.", why="from_a_newer_hub")
    assert _refusal_text(_asking("id"), newer).startswith(UNWORDED + "A newer check.")
    bare = LoyaltyError(ErrorCode.INVALID_INPUT, "The reason is 900 characters long; keep it to 500.",
                        why="reason_long")   # its words say a length this one does not carry
    assert _refusal_text(_asking("id"), bare).startswith(UNWORDED + "The reason is 900 characters long")
    typed = LoyaltyError(ErrorCode.INVALID_INPUT, "The reason contains a control character (U+0000), ...",
                         field="The reason")
    assert _refusal_text(_asking("id"), typed).startswith(i18n.MESSAGES["id"]["cards_refusal_bad_text"])
