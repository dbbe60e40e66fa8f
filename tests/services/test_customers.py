"""Customers: contact details, search by name, phone or code, status changes and replacing a card."""

import json
import time
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from terminal.domain.codes import format_code, new_code
from terminal.domain.contact import check_birthday, check_email, check_phone, query_words
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import Balance, EntryKind
from terminal.store.models import AuditRow, CardTerm, SyncRecord

TODAY = date(2026, 11, 30)


def _audit(services, kind):
    with services.ctx.db.read() as s:
        return [(r.subject, json.loads(r.details)) for r in
                s.execute(select(AuditRow).where(AuditRow.kind == kind).order_by(AuditRow.seq)).scalars()]


# ---- input checks -------------------------------------------------------------

@pytest.mark.parametrize(("typed", "kept"), [("+62 812-3456-7890", "+62 812-3456-7890"),
                                             (" 0812 3456 789 ", "0812 3456 789"), ("(030) 1234567", "(030) 1234567")])
def test_plausible_phone_numbers_are_kept_as_typed(typed, kept):
    assert check_phone(typed) == kept


@pytest.mark.parametrize(("typed", "says"), [("12345", "5 digits"), ("1" * 16, "16 digits"),
                                             ("call me", "only digits"), ("0812\x00", "control character")])
def test_implausible_phone_numbers_say_what_is_wrong(typed, says):
    with pytest.raises(LoyaltyError) as err:
        check_phone(typed)
    assert err.value.code is ErrorCode.INVALID_INPUT and says in err.value.message


def test_email_and_birthday_checks():
    assert check_email("Ana.Lima@Example.COM") == "Ana.Lima@example.com"
    for bad in ("ana", "ana@", "ana@example", "a@b@c.d", "x" * 65 + "@example.com"):
        with pytest.raises(LoyaltyError, match=r"name@example\.com"):
            check_email(bad)
    assert check_birthday("1990-5-7", TODAY) == "1990-05-07"
    assert check_birthday("02-29", TODAY) == "02-29"  # no year: any day of the calendar
    for bad, says in (("1990-02-30", "not a date"), ("2027-01-01", "not plausible"), ("7 May", "YYYY-MM-DD"),
                      ("1850-01-01", "not plausible")):
        with pytest.raises(LoyaltyError, match=says):
            check_birthday(bad, TODAY)


@given(st.text(max_size=40))
def test_any_typed_query_gives_bounded_words(text):
    words = query_words(text)
    assert all(0 < len(w) <= 64 for w in words)


# ---- contact details and search ------------------------------------------------

def test_contact_details_are_saved_indexed_marked_for_sync_and_audited(services, owner, card):
    services.customers.update_contact(owner, card, holder="Ana Lima", phone="0812-3456-7890",
                                      email="ana@example.com", birthday="05-31", consent=True)
    view = services.customers.customer(card)
    assert view.contact.holder == "Ana Lima" and view.contact.phone == "0812-3456-7890"
    assert view.contact.birthday == "05-31" and view.contact.consent is True
    with services.ctx.db.read() as s:
        terms = set(s.execute(select(CardTerm.term).where(CardTerm.code == card)).scalars())
        dirty = s.execute(select(SyncRecord.dirty).where(SyncRecord.key == card)).scalar_one()
    assert {"ana", "lima", "081234567890", "81234567890", "ana@example.com"} <= terms and dirty == 1
    [(subject, details)] = _audit(services, "contact_changed")
    assert subject == card and set(details["fields"]) == {"holder", "phone", "email", "birthday", "consent"}
    assert "0812" not in json.dumps(details)  # the audit names fields, not the customer's number


def test_bad_contact_details_write_nothing(services, owner, card):
    with pytest.raises(LoyaltyError) as err:
        services.customers.update_contact(owner, card, holder="Ana", phone="12", email=None, birthday=None,
                                          consent=False)
    assert err.value.details["field"] == "phone"
    assert services.customers.customer(card).contact.holder == "Ann"
    assert _audit(services, "contact_changed") == []


def test_search_by_name_word_phone_email_and_code(services, owner, program_id):
    ana = services.enrollment.enroll(owner, program_id, "Ana Lima").code
    bob = services.enrollment.enroll(owner, program_id, "Bob Limão").code
    services.customers.update_contact(owner, bob, holder="Bob Limão", phone="+62 812 1111 2222",
                                      email="bob@example.org", birthday=None, consent=False)

    def found(text):
        return [m.code for m in services.customers.search(text)]

    assert found("lima") == sorted([ana, bob])  # "Limão" folds to "limao"
    assert found("ana li") == [ana] and found("LIMA ana") == [ana]
    assert found("62 812-1111") == [bob] and found("bob@ex") == [bob]
    assert found(format_code(ana)[:7].lower()) == [ana]
    assert found("zzzz") == [] and found("a") == []
    match = services.customers.search("bob")[0]
    assert match.holder == "Bob Limão" and match.phone == "+62 812 1111 2222" and match.status == "active"


def test_search_over_ten_thousand_cards_uses_the_index_and_is_fast(services, owner, program_id):
    from sqlalchemy import insert

    from terminal.store.models import CardBalance, CardRow
    now = services.ctx.clock.now()
    codes = sorted({new_code() for _ in range(10_000)})
    with services.ctx.db.write() as s:
        s.execute(insert(CardRow), [{"code": c, "program_id": program_id, "holder": f"Customer {i} Person",
                                     "status": "active", "enrolled_at": now} for i, c in enumerate(codes)])
        s.execute(insert(CardBalance), [{"code": c, "stamps": 0, "points": 0, "lifetime_points": 0}
                                        for c in codes])
        s.execute(insert(CardTerm), [{"term": t, "code": c} for i, c in enumerate(codes)
                                     for t in ("customer", str(i), "person")])
        plan = " ".join(str(r) for r in s.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT code FROM card_terms WHERE term >= '4242' AND term < '4242\U0010ffff'"))
    assert "USING" in plan and "SCAN" not in plan
    started = time.perf_counter()
    for _ in range(20):
        result = services.customers.search("4242")
    per_search = (time.perf_counter() - started) / 20
    assert [m.holder for m in result] == ["Customer 4242 Person"]
    assert per_search < 0.05, f"{per_search * 1000:.1f} ms per search"


# ---- status ----------------------------------------------------------------------

def test_suspend_block_reactivate_are_audited_with_their_reason(services, owner, card):
    services.card_status.suspend(owner, card, "customer asked for a pause")
    assert services.counter.card(card).status == "suspended"
    with pytest.raises(LoyaltyError) as err:
        services.card_status.suspend(owner, card, "again")
    assert "already suspended" in err.value.message
    services.card_status.block(owner, card, "reported stolen")
    services.card_status.reactivate(owner, card, "found it in the bag")
    audited = [(d["old"], d["new"], d["reason"]) for _, d in _audit(services, "card_status_changed")]
    assert audited == [("active", "suspended", "customer asked for a pause"),
                       ("suspended", "blocked", "reported stolen"), ("blocked", "active", "found it in the bag")]


def test_status_changes_need_an_owner_and_a_reason(services, owner, cashier, card):
    with pytest.raises(LoyaltyError) as err:
        services.card_status.block(cashier, card, "lost it")
    assert err.value.code is ErrorCode.NOT_PERMITTED
    with pytest.raises(LoyaltyError) as err:
        services.card_status.block(owner, card, " ")
    assert err.value.code is ErrorCode.REASON_REQUIRED
    assert services.counter.card(card).status == "active"


# ---- replace -------------------------------------------------------------------------

def test_replace_moves_the_balance_exactly_through_a_pair_of_entries(services, owner, card):
    services.counter.earn(owner, card, 2350)
    services.counter.stamp(owner, card)
    before = services.counter.card(card).balance
    with pytest.raises(LoyaltyError, match="block it first"):
        services.replace.replace(owner, card, new_code(), "lost")
    services.card_status.block(owner, card, "lost on the bus")
    fresh = new_code()
    done = services.replace.replace(owner, card, fresh, "lost on the bus")
    assert done.enrolled and (done.stamps, done.points) == (before.stamps, before.points)
    assert done.transfer_out.kind is EntryKind.TRANSFER_OUT and done.transfer_in.kind is EntryKind.TRANSFER_IN
    assert done.transfer_in.reverses == done.transfer_out.entry_id
    assert (done.transfer_out.stamps, done.transfer_out.points) == (-before.stamps, -before.points)
    old, new = services.counter.card(card), services.counter.card(fresh)
    assert (old.balance.stamps, old.balance.points) == (0, 0) and old.status == "blocked"
    assert (new.balance.stamps, new.balance.points) == (before.stamps, before.points) and new.holder == "Ann"
    assert services.customers.customer(card).replaced_by == fresh
    assert services.customers.customer(fresh).replaces == (card,)
    history = services.customers.customer(fresh).history
    assert [h.kind for h in history] == [EntryKind.TRANSFER_IN, EntryKind.ENROLL]
    assert (history[0].stamps_after, history[0].points_after) == (before.stamps, before.points)
    with pytest.raises(LoyaltyError, match="stays blocked"):
        services.card_status.reactivate(owner, card, "found it after all")
    with pytest.raises(LoyaltyError, match="already replaced"):
        services.replace.replace(owner, card, new_code(), "lost again")
    [(subject, details)] = _audit(services, "card_replaced")
    assert subject == card and details["new"] == fresh and details["points"] == before.points
    assert services.reports.verify().ok


def test_replace_keeps_the_tier_the_old_card_reached(services, owner, card, program_id):
    services.owner.set_tiers(owner, program_id, [("Silver", 100, 125), ("Gold", 400, 150)])
    for _ in range(3):
        services.counter.earn(owner, card, 1500)  # 150, 187, 187 points: Gold at 524 lifetime points
    services.owner.adjust(owner, card, -300, "spent at the fair")  # spending leaves the lifetime alone
    before = services.counter.card(card)
    assert before.tier.name == "Gold" and before.balance == Balance(0, 224, 524)
    services.card_status.block(owner, card, "lost")
    fresh = new_code()
    done = services.replace.replace(owner, card, fresh, "lost")
    assert done.lifetime_points == 524
    assert (done.transfer_out.amount, done.transfer_in.amount) == (-524, 524)
    new, old = services.counter.card(fresh), services.counter.card(card)
    assert new.tier.name == "Gold" and new.balance == before.balance
    assert old.tier is None and old.balance == Balance(0, 0, 0)
    services.counter.earn(owner, fresh, 1000)  # Gold's x1.5 applies on the new card at once
    assert services.counter.card(fresh).balance == Balance(0, 224 + 150, 524 + 150)
    [(_subject, details)] = _audit(services, "card_replaced")
    assert details["lifetime_points"] == 524
    assert services.reports.verify().ok


def test_verify_names_a_replacement_whose_new_card_got_more_than_the_old_one_gave(services, owner, card):
    from terminal.store import ledger

    services.counter.earn(owner, card, 1500)
    tid, now = services.ctx.store.terminal_id, services.ctx.clock.now()
    with services.ctx.db.write() as session:  # a pair with every hash right, but not mirrored
        out = ledger.append(session, terminal_id=tid, card=card, kind=EntryKind.TRANSFER_OUT, at=now,
                            points=-150, amount=-150)
        came = ledger.append(session, terminal_id=tid, card=card, kind=EntryKind.TRANSFER_IN, at=now,
                             points=150, amount=9000, reverses=out.entry_id)
    report = services.reports.verify()
    assert [p for p in report.problems if "replacement" in p] == [
        f"Ledger entry {came.entry_id} (transfer_in) does not give back what its transfer_out {out.entry_id} took "
        "(stamps, points, lifetime points): the card replacement is damaged."]


def test_replace_onto_an_enrolled_card_needs_an_empty_card_of_the_program(services, owner, card, program_id):
    services.owner.adjust(owner, card, 70, "opening balance")
    services.card_status.block(owner, card, "stolen")
    used = services.enrollment.enroll(owner, program_id, None).code
    services.owner.adjust(owner, used, 5, "opening balance")
    with pytest.raises(LoyaltyError, match="already holds"):
        services.replace.replace(owner, card, used, "stolen")
    with pytest.raises(LoyaltyError, match="different card"):
        services.replace.replace(owner, card, card, "stolen")
    blank = services.enrollment.enroll(owner, program_id, None).code
    services.replace.replace(owner, card, blank, "stolen")
    view = services.customers.customer(blank)
    assert view.card.balance.points == 70 and view.contact.holder == "Ann"  # takes the customer's name


def test_running_balance_follows_every_entry(services, owner, card, clock):
    from datetime import timedelta
    services.owner.adjust(owner, card, 100, "opening balance")
    clock.advance(timedelta(minutes=1))
    earn = services.counter.earn(owner, card, 1000).entry
    clock.advance(timedelta(minutes=1))
    services.owner.void(owner, earn.entry_id, "wrong card")
    lines = services.customers.customer(card).history
    assert [line.points_after for line in lines] == [100, 100 + earn.points, 100, 0]
    assert lines[0].staff_name == "Olga"
