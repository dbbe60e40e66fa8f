"""Scanner input never steals typing: real key events at real speeds, with the wedge wired as the app wires it.

A fast typist leaves 30-60 ms between keys, a wedge scanner 2-10 ms. Each
key goes to the focus widget, as the window system sends it, after a real
pause in which Qt's timers run.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from terminal.app import attach_wedge
from terminal.domain.codes import payload_for
from terminal.scanner.wedge_filter import KeyboardWedge
from terminal.ui.main_window import MainWindow
from terminal.ui.owner_entry import owner_area_class
from tests.ui.conftest import IGNORE_OFFSCREEN

pytestmark = IGNORE_OFFSCREEN

HUMAN = (30, 60)  # ms between keys
SCANNER = (2, 10)
SPEEDS = pytest.mark.parametrize("speed", [HUMAN, SCANNER], ids=["typist", "scanner"])


@pytest.fixture
def wedge(window: MainWindow) -> Iterator[KeyboardWedge]:
    w = attach_wedge(QApplication.instance(), window)
    yield w
    w.uninstall()


@pytest.fixture
def scans(wedge: KeyboardWedge) -> list:
    seen: list = []
    wedge.card_scanned.connect(seen.append)
    wedge.not_a_card.connect(seen.append)
    return seen


def type_text(text: str, speed: tuple[int, int], seed: int = 7, enter: bool = False) -> None:
    """Type ``text`` key by key, each key after a pause of ``speed`` ms.

    Keys go to the focused window, as the window system sends them: Qt hands
    each to the window first, then to its focus widget (the real path, with
    the application filter seeing both).
    """
    rng = random.Random(seed)
    keys = list(text) + ([Qt.Key.Key_Return] if enter else [])
    for key in keys:
        QTest.qWait(rng.randint(*speed))
        target = QApplication.focusWindow()
        assert target is not None and QApplication.focusWidget() is not None
        QTest.keyClick(target, key)


def focus(qtbot, widget: QWidget) -> None:
    widget.window().activateWindow()
    qtbot.waitActive(widget.window())
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def click(qtbot, widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


@pytest.fixture
def dialog(qtbot, window: MainWindow) -> Iterator[tuple[QDialog, QLineEdit, QLineEdit]]:
    box = QDialog(window)
    layout = QVBoxLayout(box)
    first, second = QLineEdit(), QLineEdit()
    layout.addWidget(first)
    layout.addWidget(second)
    box.open()
    qtbot.waitActive(box)
    yield box, first, second
    box.close()


@SPEEDS
def test_a_dialog_field_gets_every_key_in_order(qtbot, window, scans, dialog, card, speed) -> None:
    _box, first, second = dialog
    focus(qtbot, first)
    type_text("Warung Kopi Sari 12", speed)
    click(qtbot, second)
    type_text(payload_for(card), speed, enter=True)
    assert first.text() == "Warung Kopi Sari 12"
    assert second.text() == payload_for(card)
    assert scans == [] and window.page.card_panel.view is None


@SPEEDS
def test_owner_adjust_page_fields_fill_in_order_across_clicks(qtbot, window, scans, card, speed) -> None:
    area = window.show_owner_area(owner_area_class(), "adjust")
    page = area.pages["adjust"]
    focus(qtbot, page.card_field)
    type_text("DEM0P-TS02", speed)
    click(qtbot, page.amount_field)
    type_text("+50", speed)
    click(qtbot, page.reason_field)
    type_text("missed stamp", speed)
    assert (page.card_field.text(), page.amount_field.text(), page.reason_field.text()) == (
        "DEM0P-TS02", "+50", "missed stamp")
    qtbot.wait(80)  # longer than the wedge's release timer: nothing arrives late
    assert page.amount_field.text() == "+50" and page.reason_field.text() == "missed stamp"
    assert scans == []
    area.close()


@SPEEDS
def test_a_scanner_burst_into_the_owner_card_field_fills_it(qtbot, window, scans, card, speed) -> None:
    area = window.show_owner_area(owner_area_class(), "adjust")
    page = area.pages["adjust"]
    focus(qtbot, page.card_field)
    type_text(payload_for(card), speed)
    assert page.card_field.text() == payload_for(card)
    assert scans == [] and window.page.card_panel.view is None
    area.close()


@SPEEDS
def test_a_path_typed_into_a_file_dialog_stays_a_path(qtbot, window, scans, tmp_path, speed) -> None:
    box = QFileDialog(window, "Save report", str(tmp_path))
    box.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    box.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    box.open()
    qtbot.waitActive(box)
    name = box.findChild(QLineEdit, "fileNameEdit")
    focus(qtbot, name)
    name.clear()
    type_text("report-2026-11-30.csv", speed)
    assert name.text() == "report-2026-11-30.csv"
    assert scans == []
    box.reject()


@SPEEDS
def test_the_counter_code_field_takes_typing_and_bursts(qtbot, window, scans, card, speed) -> None:
    focus(qtbot, window.page.code_field)
    type_text(payload_for(card) if speed == SCANNER else card, speed, enter=True)
    qtbot.waitUntil(lambda: window.page.card_panel.view is not None)
    assert window.page.card_panel.view.code == card
    assert window.page.code_field.text() == ""


def test_a_burst_on_the_counter_without_a_text_field_looks_the_card_up(qtbot, window, scans, card) -> None:
    focus(qtbot, window.page.look_up)
    type_text(payload_for(card), SCANNER, enter=True)
    qtbot.waitUntil(lambda: window.page.card_panel.view is not None)
    assert window.page.card_panel.view.code == card
    assert window.page.code_field.text() == ""
    assert [scan.code for scan in scans] == [card]  # the wedge saw a scan (not typing that found the field)


def test_typing_on_the_counter_without_a_text_field_goes_to_the_code_field(qtbot, window, scans, card) -> None:
    focus(qtbot, window.page.look_up)
    type_text(card, HUMAN)
    qtbot.waitUntil(lambda: window.page.code_field.text() == card)
    assert QApplication.focusWidget() is window.page.code_field
    type_text("", HUMAN, enter=True)
    qtbot.waitUntil(lambda: window.page.card_panel.view is not None)
    assert window.page.card_panel.view.code == card
    assert scans == []


def test_held_keys_on_the_counter_go_to_the_code_field_not_the_clicked_one(qtbot, window, scans) -> None:
    extra = QLineEdit(window.page)  # any other field on the counter
    extra.show()
    focus(qtbot, window.page.look_up)
    for ch in "K3Q":
        QTest.keyClicks(QApplication.focusWidget(), ch)  # no pause: a burst in progress, held
    QTest.mouseClick(extra, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    QTest.keyClicks(QApplication.focusWidget(), "8")
    qtbot.wait(80)
    assert window.page.code_field.text() == "K3Q"
    assert extra.text() == "8"
