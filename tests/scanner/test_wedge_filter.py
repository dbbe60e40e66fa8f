"""The application-wide key filter, with real Qt key events and a stepped clock.

Keys are sent to the widget they are aimed at, as the window system does for
the focus widget. Real timings are in tests/ui/test_wedge_typing.py.
"""

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.codes import format_code
from terminal.scanner.wedge_filter import KeyboardWedge, mark_card_field, takes_typing

from .conftest import CODES, PAYLOADS


class StepClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Form(QWidget):
    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        self.card_field, self.other_field, self.button = QLineEdit(), QLineEdit(), QPushButton("Go")
        for w in (self.card_field, self.other_field, self.button):
            layout.addWidget(w)


@pytest.fixture
def form(qtbot):
    window = Form()
    qtbot.addWidget(window)
    # not shown: the offscreen platform warns on show(), and key events reach the widgets anyway
    return window


@pytest.fixture
def wedge(qapp, form):
    clock = StepClock()
    wedge = KeyboardWedge(max_interval_s=0.025, min_length=8, clock=clock)
    wedge.clock = clock
    wedge.install(qapp)
    wedge.watch(form, form.card_field)
    yield wedge
    wedge.uninstall()


def type_into(widget, wedge, text, gap):
    for ch in text:
        wedge.clock.now += gap
        QTest.keyClicks(widget, ch)


def press_enter(widget, wedge, gap):
    wedge.clock.now += gap
    QTest.keyClick(widget, Qt.Key.Key_Return)


def record(wedge):
    seen = []
    wedge.card_scanned.connect(seen.append)
    wedge.not_a_card.connect(seen.append)
    return seen


def test_scanner_burst_aimed_at_a_button_is_a_scan(qtbot, form, wedge):
    for payload, code in [(PAYLOADS[0], CODES[0]), (PAYLOADS[1], CODES[1])]:
        with qtbot.waitSignal(wedge.card_scanned, timeout=1000) as signal:
            type_into(form.button, wedge, payload, gap=0.006)
            press_enter(form.button, wedge, gap=0.006)
        assert signal.args[0].code == code
        assert signal.args[0].source == "wedge"
    assert form.card_field.text() == "" and form.other_field.text() == ""  # swallowed


def test_azerty_scan_is_caught(qtbot, form, wedge):
    azerty = str.maketrans({"1": "&", "2": "é", "3": '"', "4": "'", "5": "(", "6": "-", "7": "è", "8": "_",
                            "9": "ç", "0": "à", "A": "Q", "Q": "A", "Z": "W", "W": "Z", "M": "?", ":": "M"})
    with qtbot.waitSignal(wedge.card_scanned, timeout=1000) as signal:
        type_into(form.button, wedge, PAYLOADS[2].translate(azerty), gap=0.004)
        press_enter(form.button, wedge, gap=0.004)
    assert signal.args[0].code == CODES[2]


def test_a_product_barcode_burst_is_refused_in_words(qtbot, form, wedge):
    with qtbot.waitSignal(wedge.not_a_card, timeout=1000) as signal:
        type_into(form.button, wedge, "4006381333931", gap=0.005)
        press_enter(form.button, wedge, gap=0.005)
    assert "not a loyalty card" in signal.args[0].message
    assert form.card_field.text() == ""


@pytest.mark.parametrize("gap", [0.002, 0.006, 0.03, 0.15])
def test_text_fields_get_every_key_at_once_whatever_the_speed(qtbot, form, wedge, gap):
    scans = record(wedge)
    for n, ch in enumerate(PAYLOADS[3]):
        wedge.clock.now += gap
        QTest.keyClicks(form.other_field, ch)
        assert form.other_field.text() == PAYLOADS[3][:n + 1]  # never held back, not even for a moment
    with qtbot.waitSignal(form.other_field.returnPressed, timeout=1000):
        press_enter(form.other_field, wedge, gap)
    assert scans == []
    assert form.card_field.text() == ""


def test_a_burst_into_the_card_field_fills_it_and_enter_is_the_fields(qtbot, form, wedge):
    scans = record(wedge)
    type_into(form.card_field, wedge, PAYLOADS[4], gap=0.004)
    with qtbot.waitSignal(form.card_field.returnPressed, timeout=1000):
        press_enter(form.card_field, wedge, gap=0.004)
    assert form.card_field.text() == PAYLOADS[4]
    assert scans == []


def test_typing_at_a_button_goes_to_the_card_field_in_order(qtbot, form, wedge):
    scans = record(wedge)
    typed = "DEM0C-AFE24"
    for ch in typed:
        wedge.clock.now += 0.04
        # the window system sends each key to the focus widget, which the first released key moved
        QTest.keyClicks(form.card_field if form.card_field.text() else form.button, ch)
        if not form.card_field.text():
            qtbot.waitUntil(lambda: form.card_field.text() != "", timeout=1000)
    assert form.card_field.text() == typed
    assert scans == []


def test_fast_keys_at_a_button_are_released_after_a_moment(qtbot, form, wedge):
    type_into(form.button, wedge, "ab", gap=0.01)  # two keys rolled together
    assert form.card_field.text() == ""  # held: they might be the start of a scan
    qtbot.waitUntil(lambda: form.card_field.text() == "ab", timeout=1000)


def test_held_keys_are_settled_before_a_click_reaches_another_field(qtbot, form, wedge):
    type_into(form.button, wedge, "K3Q", gap=0.005)
    QTest.mouseClick(form.other_field, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert form.card_field.text() == "K3Q"
    type_into(form.other_field, wedge, "8", gap=0.005)
    qtbot.wait(80)  # longer than the release timer: nothing is replayed later
    assert form.card_field.text() == "K3Q"
    assert form.other_field.text() == "8"


def test_space_and_tab_on_a_button_are_not_held(qtbot, form, wedge):
    clicks = []
    form.button.clicked.connect(lambda: clicks.append(1))
    QTest.keyClick(form.button, Qt.Key.Key_Space)
    assert clicks == [1]
    QTest.keyClick(form.button, Qt.Key.Key_Tab)
    assert form.card_field.text() == ""


def test_other_windows_are_left_alone(qtbot, form, wedge):
    other = QWidget()
    qtbot.addWidget(other)
    label = QLabel(other)
    received = []
    label.keyPressEvent = lambda event: received.append(event.text())
    scans = record(wedge)
    type_into(label, wedge, PAYLOADS[0], gap=0.004)
    press_enter(label, wedge, gap=0.004)
    assert "".join(received) == PAYLOADS[0] + "\r"
    assert scans == [] and form.card_field.text() == ""


def test_what_takes_typing(qtbot):
    read_only = QLineEdit()
    read_only.setReadOnly(True)
    combo, editable = QComboBox(), QComboBox()
    editable.setEditable(True)
    widgets = [QLineEdit(), QTextEdit(), QSpinBox(), editable, read_only, combo, QPushButton(), QLabel()]
    for w in widgets:
        qtbot.addWidget(w)
    assert [takes_typing(w) for w in widgets] == [True, True, True, True, False, False, False, False]


def test_uninstalled_filter_leaves_keys_alone(qtbot, form, wedge):
    wedge.uninstall()
    scans = record(wedge)
    type_into(form.button, wedge, PAYLOADS[0], gap=0.001)
    press_enter(form.button, wedge, gap=0.001)
    assert scans == [] and form.card_field.text() == ""


def test_a_scan_into_a_card_field_leaves_the_code_there(qtbot, form, wedge):
    mark_card_field(form.other_field)  # e.g. the card field of an owner page, in any window
    form.other_field.setText("old text")
    form.other_field.selectAll()
    type_into(form.other_field, wedge, PAYLOADS[5], gap=0.004)
    with qtbot.waitSignal(form.other_field.returnPressed, timeout=1000):
        press_enter(form.other_field, wedge, gap=0.004)
    assert form.other_field.text() == format_code(CODES[5])


@pytest.mark.parametrize("gap", [0.03, 0.06])
def test_a_payload_typed_by_hand_into_a_card_field_stays_as_typed(qtbot, form, wedge, gap):
    mark_card_field(form.other_field)
    type_into(form.other_field, wedge, PAYLOADS[6], gap=gap)
    press_enter(form.other_field, wedge, gap=gap)
    assert form.other_field.text() == PAYLOADS[6]


def test_a_field_not_marked_keeps_the_payload(qtbot, form, wedge):
    type_into(form.other_field, wedge, PAYLOADS[6], gap=0.004)
    press_enter(form.other_field, wedge, gap=0.004)
    assert form.other_field.text() == PAYLOADS[6]


def test_a_burst_ending_in_a_line_feed_is_a_scan(qtbot, form, wedge):
    # xdotool and some scanners end with a line feed (key 10, text "\\n") rather than Return
    with qtbot.waitSignal(wedge.card_scanned, timeout=1000) as signal:
        type_into(form.button, wedge, PAYLOADS[7], gap=0.004)
        wedge.clock.now += 0.004
        QTest.sendKeyEvent(QTest.KeyAction.Click, form.button, Qt.Key(10), "\n", Qt.KeyboardModifier.NoModifier)
    assert signal.args[0].code == CODES[7]
