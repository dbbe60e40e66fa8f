"""The application-wide key filter, with real Qt key events."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from terminal.scanner.wedge_filter import KeyboardWedge

from .conftest import CODES, PAYLOADS


class StepClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


@pytest.fixture
def form(qtbot):
    window = QWidget()
    layout = QVBoxLayout(window)
    first, second = QLineEdit(), QLineEdit()
    layout.addWidget(first)
    layout.addWidget(second)
    qtbot.addWidget(window)
    # not shown: the offscreen platform warns on show(), and key events reach the fields anyway
    yield first, second


@pytest.fixture
def wedge(qapp):
    clock = StepClock()
    wedge = KeyboardWedge(max_interval_s=0.05, min_length=8, clock=clock)
    wedge.clock = clock
    wedge.install(qapp)
    yield wedge
    wedge.uninstall()


def type_into(widget, wedge, text, gap):
    for ch in text:
        wedge.clock.now += gap
        QTest.keyClicks(widget, ch)


def press_enter(widget, wedge, gap):
    wedge.clock.now += gap
    QTest.keyClick(widget, Qt.Key.Key_Return)


def test_scanner_burst_is_caught_wherever_the_focus_is(qtbot, form, wedge):
    first, second = form
    for field, payload, code in [(first, PAYLOADS[0], CODES[0]), (second, PAYLOADS[1], CODES[1])]:
        with qtbot.waitSignal(wedge.card_scanned, timeout=1000) as signal:
            type_into(field, wedge, payload, gap=0.006)
            press_enter(field, wedge, gap=0.006)
        assert signal.args[0].code == code
        assert field.text() == ""  # the payload never lands in the text field


def test_azerty_scan_is_caught(qtbot, form, wedge):
    azerty = str.maketrans({"1": "&", "2": "é", "3": '"', "4": "'", "5": "(", "6": "-", "7": "è", "8": "_",
                            "9": "ç", "0": "à", "A": "Q", "Q": "A", "Z": "W", "W": "Z", "M": "?", ":": "M"})
    with qtbot.waitSignal(wedge.card_scanned, timeout=1000) as signal:
        type_into(form[0], wedge, PAYLOADS[2].translate(azerty), gap=0.004)
        press_enter(form[0], wedge, gap=0.004)
    assert signal.args[0].code == CODES[2]


def test_slow_typing_reaches_the_field_and_enter_still_works(qtbot, form, wedge):
    field = form[0]
    scans = []
    wedge.card_scanned.connect(scans.append)
    wedge.not_a_card.connect(scans.append)
    with qtbot.waitSignal(field.returnPressed, timeout=1000):
        type_into(field, wedge, PAYLOADS[3], gap=0.15)
        press_enter(field, wedge, gap=0.2)
    assert field.text() == PAYLOADS[3]
    assert scans == []


def test_fast_human_keys_are_released_after_a_moment(qtbot, form, wedge):
    field = form[0]
    type_into(field, wedge, "ab", gap=0.01)  # two keys rolled together
    qtbot.waitUntil(lambda: field.text() == "ab", timeout=1000)


def test_a_product_barcode_burst_is_refused_in_words(qtbot, form, wedge):
    with qtbot.waitSignal(wedge.not_a_card, timeout=1000) as signal:
        type_into(form[0], wedge, "4006381333931", gap=0.005)
        press_enter(form[0], wedge, gap=0.005)
    assert "not a loyalty card" in signal.args[0].message
    assert form[0].text() == ""


def test_uninstalled_filter_leaves_keys_alone(qtbot, form, wedge):
    wedge.uninstall()
    type_into(form[0], wedge, PAYLOADS[0], gap=0.001)
    assert form[0].text() == PAYLOADS[0]
