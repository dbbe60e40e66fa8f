"""Refusals from the real services, shown in the window's language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.pins import check_pin
from terminal.services.facade import Services
from terminal.services.setup import check_currency, check_timezone
from terminal.ui.i18n import Translations
from terminal.ui.redeem_dialog import RedeemDialog
from terminal.ui.refusals import describe, refusal_text, reward_reason

CASHIER_PIN = "5820"  # tests/conftest.py's cashier


def _refusal(call) -> LoyaltyError:
    with pytest.raises(LoyaltyError) as caught:
        call()
    return caught.value


@pytest.fixture
def indonesian(qapp) -> Iterator[Translations]:
    translations = Translations(QApplication.instance())
    translations.set_language("id")
    yield translations
    translations.set_language("en")


def test_english_keeps_the_services_own_words(qapp, services: Services, cashier, card: str) -> None:
    services.counter.stamp(cashier, card)
    error = _refusal(lambda: services.counter.stamp(cashier, card))
    assert describe(error, services.ctx.store.tz) == error.message


def test_indonesian_cooldown_names_the_local_time(indonesian, services: Services, cashier, card: str,
                                                   clock) -> None:
    services.counter.stamp(cashier, card)
    clock.advance(timedelta(minutes=4))
    carl = next(s.staff_id for s in services.staff.list() if s.name == "Carl")
    fresh = services.auth.verify_pin(carl, CASHIER_PIN)  # the first confirmation has expired by now
    error = _refusal(lambda: services.counter.stamp(fresh, card))
    assert error.code is ErrorCode.COOLDOWN_ACTIVE
    # START is 09:00 UTC = 10:00 in Berlin; stamped at 10:00, cooldown 15 minutes
    assert describe(error, services.ctx.store.tz) == "Distempel 4 menit lalu — stempel berikutnya mulai 10:15."


def test_indonesian_wrong_pin_and_balance(indonesian, services: Services, cashier, card: str) -> None:
    carl = next(s.staff_id for s in services.staff.list() if s.name == "Carl")
    wrong = _refusal(lambda: services.auth.verify_pin(carl, "0007"))
    assert describe(wrong) == "PIN salah untuk Carl. Sisa percobaan sebelum terkunci: 4."
    view = services.counter.card(card)
    option = next(o for o in view.rewards if o.reward.cost_points)
    short = _refusal(lambda: services.counter.redeem(cashier, card, option.reward.reward_id))
    cost = f"{option.reward.cost_points:,}".replace(",", ".")  # Indonesian groups with dots: 2.000
    assert describe(short) == f"{option.reward.name} butuh {cost} poin; kartu ini punya 0."
    assert reward_reason(option, view.balance) == f"Butuh {cost} poin; kartu ini punya 0."
    dialog = RedeemDialog(view)
    try:
        shown = [label.text() for label in dialog.reasons]
        assert all(text.startswith("Butuh") for text in shown), shown
    finally:
        dialog.deleteLater()


def test_missing_details_or_unknown_codes_fall_back_to_the_message(indonesian) -> None:
    assert refusal_text(ErrorCode.COOLDOWN_ACTIVE, "as said", {}) == "as said"  # no time to show
    assert refusal_text("NO_SUCH_CODE", "as said") == "as said"
    assert refusal_text(ErrorCode.NOT_A_LOYALTY_CARD, "x").startswith("Itu bukan kartu loyalitas")


@pytest.mark.parametrize(("check", "indonesian_text"), [
    (lambda: check_pin("12a4"), "PIN hanya terdiri dari angka."),
    (lambda: check_pin("12"), "PIN terdiri dari 4 sampai 8 angka."),
    (lambda: check_pin("1234"), "PIN itu termasuk yang paling umum dan mudah ditebak. Pilih PIN lain."),
    (lambda: check_timezone("Mars/Olympus"),
     "'Mars/Olympus' bukan zona waktu. Pakai nama seperti Europe/Berlin atau Asia/Jakarta."),
    (lambda: check_currency("RUPIAH"), "Mata uang adalah kode 3 huruf seperti EUR atau IDR."),
], ids=["digits", "length", "common", "time zone", "currency"])
def test_input_checks_worded_by_the_services_are_translated(indonesian, check, indonesian_text) -> None:
    # known by their exact English wording: a service that rewords one shows up here first
    assert describe(_refusal(check)) == indonesian_text


def test_input_checks_stay_in_english_without_a_catalogue(qapp) -> None:
    error = _refusal(lambda: check_pin("12"))
    assert describe(error) == error.message == "A PIN has 4 to 8 digits."


def test_owner_input_checks_of_the_services_are_translated(indonesian, services: Services, owner, cashier,
                                                          program_id: str, card: str) -> None:
    from terminal.domain.staff import Role

    refusals = {
        "Sudah ada staf bernama Carl.": lambda: services.staff.add(owner, "Carl", Role.CASHIER, "5831"),
        "Nama staf terdiri dari 1 sampai 80 karakter.": lambda: services.staff.add(owner, "x" * 81, Role.CASHIER,
                                                                                   "5831"),
        "Program perlu nama.": lambda: services.owner.edit_program(owner, program_id, name=" "),
        "Hadiah perlu nama.": lambda: services.owner.save_reward(owner, program_id, " ", cost_stamps=3),
        "Hadiah berharga stempel atau poin.": lambda: services.owner.save_reward(owner, program_id, "Kue"),
        "Setiap tingkat perlu nama.": lambda: services.owner.set_tiers(owner, program_id, [(" ", 100, 110)]),
        "Penyesuaian harus mengubah poin atau stempel.": lambda: services.owner.adjust(owner, card, 0, "tidak ada"),
    }
    for indonesian_text, call in refusals.items():
        assert describe(_refusal(call)) == indonesian_text
