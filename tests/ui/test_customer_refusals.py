"""The customers' refusals in Indonesian: the service's English message matched, the template translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from terminal.domain.contact import check_email, check_phone
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.ui.customer_refusals import describe_customer

I18N = Path(__file__).resolve().parents[2] / "resources" / "i18n"


@pytest.fixture
def indonesian(qapp):
    translator = QTranslator()
    assert translator.load(str(I18N / "loyalty_id.qm"))
    QCoreApplication.installTranslator(translator)
    yield
    QCoreApplication.removeTranslator(translator)


def _refusal(call) -> LoyaltyError:
    with pytest.raises(LoyaltyError) as err:
        call()
    return err.value


def test_english_without_a_catalogue(qapp):
    error = _refusal(lambda: check_phone("12345"))
    assert describe_customer(error) == error.message


def test_phone_and_email_refusals_in_indonesian(indonesian):
    assert describe_customer(_refusal(lambda: check_phone("12345"))) == (
        "Nomor telepon berisi 5 angka; nomor telepon berisi 6 sampai 15 angka.")
    assert "nama@contoh.id" in describe_customer(_refusal(lambda: check_email("ana@")))


def test_a_status_word_inside_a_refusal_is_translated(indonesian):
    error = LoyaltyError(ErrorCode.INVALID_INPUT, "Card DEM0P-TS01E is already suspended; nothing changed.")
    assert describe_customer(error) == "Kartu DEM0P-TS01E sudah ditangguhkan; tidak ada yang berubah."
