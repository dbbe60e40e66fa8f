"""Every screen in Indonesian, widget by widget: no English text left over.

The demo store (the app's own ``seed_demo``) gives a stamp card and a points
card. Each screen is walked in the states a cashier or owner meets (empty, a
card loaded, after a stamp, after a refusal, each dialog, each owner page, the
setup wizard, pairing, a live language switch), and every visible text is
read: labels, buttons, tooltips, placeholders and filled-in fields, window
titles, group boxes, table headers and cells, list and combo items, tabs,
spin box texts, wizard titles, accessible names, and what the camera preview
and the report chart paint. A text fails when it has an English word or a
number written the English way (1,500 / 12.50); how that is told is in
``tests/ui/english_text.py``. A window without a title fails too.
"""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
import zoneinfo
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QLocale, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QTabBar,
    QWidget,
    QWizard,
)
from sqlalchemy import select

from sync.status import SyncState, SyncStatus
from terminal.domain.errors import ErrorCode
from terminal.scanner.events import CardScan, Rejection
from terminal.scanner.pipeline import _TWO_CARDS
from terminal.services.demo import DEMO_CASHIER, DEMO_OWNER, POINTS_CARDS, STAMP_CARDS, seed_demo
from terminal.services.facade import Services, open_services
from terminal.store.models import CardRow, ProgramRow, RewardRow, StaffRow, StoreInfo, TierRow
from terminal.ui.context import UiContext
from terminal.ui.earn_dialog import EarnDialog
from terminal.ui.i18n import Translations
from terminal.ui.main_window import MainWindow
from terminal.ui.owner import OwnerArea
from terminal.ui.owner.area import PAGE_NAMES
from terminal.ui.owner.bar_chart import BarChart
from terminal.ui.pin_pad import PinPadDialog
from terminal.ui.redeem_dialog import RedeemDialog
from terminal.ui.scanner_preview import ScannerPreview
from terminal.ui.settings_dialog import LANGUAGE_NAMES
from terminal.ui.setup_wizard import CURRENCIES, SetupWizard
from tests.ui.conftest import IGNORE_OFFSCREEN, enter_pin, look_up, press
from tests.ui.english_text import I18N, english_numbers, english_vocabulary, english_words

pytestmark = IGNORE_OFFSCREEN

STAMP_CARD = next(code for code, holder in STAMP_CARDS.items() if holder)
POINTS_CARD = next(iter(POINTS_CARDS))
VOCABULARY = english_vocabulary()

# Texts other branches translate; the lead removes these once they are merged. Narrow on purpose:
# one widget's one kind of text each, never a word list.
OTHER_BRANCHES: dict[tuple[str, str], str] = {}  # (widget, which text) -> why it is let through


# -- walking the widgets ---------------------------------------------------------------------
def texts_of(top: QWidget) -> Iterator[tuple[str, str, str]]:
    """(widget, which text, text) for every visible widget in ``top``, ``top`` included."""
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        where = type(widget).__name__ + (f"#{widget.objectName()}" if widget.objectName() else "")
        if widget.isWindow():
            yield where, "window title", widget.windowTitle()
        yield where, "tooltip", widget.toolTip()
        yield where, "accessible name", widget.accessibleName()
        yield where, "accessible description", widget.accessibleDescription()
        if isinstance(widget, QLabel | QAbstractButton):
            yield where, "text", widget.text()
        if isinstance(widget, QLineEdit):
            yield where, "placeholder", widget.placeholderText()
            if widget.echoMode() == QLineEdit.EchoMode.Normal:  # filled in by the window, or as a user types
                yield where, "field text", widget.text()
        if isinstance(widget, QGroupBox):
            yield where, "title", widget.title()
        if isinstance(widget, QAbstractSpinBox):
            yield where, "special value", widget.specialValueText()
        if isinstance(widget, QSpinBox | QDoubleSpinBox):
            yield where, "prefix", widget.prefix()
            yield where, "suffix", widget.suffix()
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield where, "item", widget.itemText(i)
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield where, "tab", widget.tabText(i)
                yield where, "tab tooltip", widget.tabToolTip(i)
        if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            yield from _item_texts(where, widget)
        if isinstance(widget, QWizard) and widget.currentPage() is not None:
            yield where, "page title", widget.currentPage().title()
            yield where, "page subtitle", widget.currentPage().subTitle()
        if isinstance(widget, BarChart):
            for name in widget.series:
                yield where, "painted legend", name
        if isinstance(widget, ScannerPreview):
            yield where, "painted headline", widget.status_text()
            yield where, "painted detail", widget.detail_text()  # drawn under the headline


def _item_texts(where: str, view: QAbstractItemView) -> Iterator[tuple[str, str, str]]:
    model = view.model()
    if model is None:
        return
    root = QModelIndex()
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(root)  # a list hides it
    for column in range(columns):
        yield where, "header", str(model.headerData(column, Qt.Orientation.Horizontal) or "")
    for row in range(min(model.rowCount(root), 50)):
        for column in range(columns):
            index = model.index(row, column)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    yield where, "cell", value


class Leftovers:
    """Collects the English texts of every screen walked; the test asserts there are none."""

    def __init__(self, data: list[str], exact: set[str]) -> None:
        self.data = data
        self.exact = exact
        self.found: list[str] = []
        self.excluded: list[str] = []
        self.walked = 0
        self.walked_screens: list[str] = []

    def walk(self, screen: str, top: QWidget) -> None:
        assert top.isVisible(), f"{screen}: not on screen"
        self.walked_screens.append(screen)
        if not top.window().windowTitle():  # the window manager would show the program's name instead
            self.found.append(f"{screen}: the window has no title")
        for where, kind, text in texts_of(top):
            self.walked += 1
            if not text or text in self.exact:
                continue
            english = english_words(text, VOCABULARY, self.data) + english_numbers(text, self.data)
            if not english:
                continue
            line = f"{screen}: {where} {kind}: {text!r} (English: {', '.join(english)})"
            (self.excluded if (where, kind) in OTHER_BRANCHES else self.found).append(line)

    def assert_none(self) -> None:
        assert self.walked > 0
        assert not self.found, "English left on Indonesian screens:\n" + "\n".join(self.found)


# -- the checker itself ----------------------------------------------------------------------
def test_the_checker_tells_english_from_indonesian() -> None:
    assert english_words("Enter the PIN.", VOCABULARY) == ["enter", "the"]
    assert english_words("<b>Cancel</b>", VOCABULARY) == ["cancel"]
    assert english_words("&Next >", VOCABULARY) == ["next"]
    assert english_words("Masukkan PIN.", VOCABULARY) == []
    assert english_words("Tekan Enter untuk mencari.", VOCABULARY) == []
    assert english_words("Free coffee", VOCABULARY) == ["coffee", "free"]
    assert english_words("Tukar Free coffee untuk Ana", VOCABULARY, ["Free coffee"]) == []  # the owner's name
    assert english_words("Zona waktu Asia/Jakarta, berkas /tmp/riwayat.csv", VOCABULARY) == []
    assert english_numbers("1,500 poin; 12.50 EUR") == ["1,500", "12.50"]
    assert english_numbers("1.500 poin; 12,50 EUR; pukul 09:35 pada 2026-03-10; kartu DEM0P-TS01E") == []


@pytest.mark.parametrize("ts", sorted(I18N.glob("*_id.ts")), ids=lambda p: p.stem)
def test_no_translation_is_english(ts: Path) -> None:
    english = []
    for context in ET.parse(ts).getroot():
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") in {"vanished", "obsolete"}:
                continue
            if words := english_words(translation.text or "", VOCABULARY, CURRENCIES):
                english.append(f"{context.findtext('name')}: {translation.text!r} ({', '.join(words)})")
    assert not english, "\n".join(english)


# -- fixtures -------------------------------------------------------------------------------
@pytest.fixture
def services(data_dir: Path, clock) -> Iterator[Services]:
    s = open_services(data_dir, clock=clock)
    seed_demo(s)
    yield s
    s.close()


@pytest.fixture
def indonesian(qapp) -> Iterator[Translations]:
    translations = Translations(qapp)
    assert translations.set_language("id")
    yield translations
    translations.set_language("en")
    QLocale.setDefault(QLocale(QLocale.Language.C))


def _data_of(services: Services) -> list[str]:
    """What people typed (or the demo seeded): names are theirs, in whatever language they wrote them."""
    with services.ctx.db.read() as session:
        names = [*session.scalars(select(StoreInfo.name)), *session.scalars(select(StaffRow.name)),
                 *session.scalars(select(ProgramRow.name)), *session.scalars(select(RewardRow.name)),
                 *session.scalars(select(TierRow.name)), *session.scalars(select(CardRow.holder))]
    return [n for n in names if n]


@pytest.fixture
def leftovers(services: Services, indonesian) -> Leftovers:
    exact = set(zoneinfo.available_timezones()) | set(LANGUAGE_NAMES.values())
    return Leftovers([*_data_of(services), *CURRENCIES], exact)


@pytest.fixture
def counter(qtbot, ui: UiContext, indonesian) -> Iterator[MainWindow]:
    w = MainWindow(ui, ui.services.ctx.settings, translations=indonesian)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitActive(w)
    yield w
    if w.owner_area is not None:  # a failed test left it open: gone before the language switches back
        w.owner_area.close()
        qtbot.waitUntil(lambda: w.owner_area is None)
    w.close()


def _modal(qtbot, kind: type) -> QWidget:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind))
    return QApplication.activeModalWidget()


def _pad(qtbot) -> PinPadDialog:
    pad = _modal(qtbot, PinPadDialog)
    qtbot.waitUntil(lambda: bool(pad.staff), timeout=10_000)  # a loaded machine: the staff list may lag
    return pad


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


# -- the counter ----------------------------------------------------------------------------
def test_counter_with_a_stamp_card(qtbot, counter, leftovers) -> None:
    page = counter.page
    leftovers.walk("counter, no card", counter)
    look_up(qtbot, counter, STAMP_CARD)
    leftovers.walk("counter, stamp card", counter)
    press(qtbot, counter, Qt.Key.Key_F2)
    pad = _pad(qtbot)
    leftovers.walk("PIN pad for a stamp", pad)
    enter_pin(qtbot, pad, DEMO_CASHIER[0], "0000")
    qtbot.waitUntil(lambda: not pad.checking and pad.message.property("kind") == "error")
    leftovers.walk("PIN pad, wrong PIN", pad)
    enter_pin(qtbot, pad, DEMO_CASHIER[0], DEMO_CASHIER[1])
    qtbot.waitUntil(lambda: page.banner.kind == "ok")
    leftovers.walk("counter, after a stamp", counter)
    press(qtbot, counter, Qt.Key.Key_F2)  # in the cooldown: refused with the reason, no PIN asked
    qtbot.waitUntil(lambda: page.banner.kind == "refused")
    leftovers.walk("counter, stamp refused in the cooldown", counter)
    press(qtbot, counter, Qt.Key.Key_F8)
    pad = _pad(qtbot)
    leftovers.walk("PIN pad for the cashier's undo", pad)
    enter_pin(qtbot, pad, DEMO_CASHIER[0], DEMO_CASHIER[1])
    qtbot.waitUntil(lambda: page.banner.kind == "ok" and not counter.flow.in_flow)
    leftovers.walk("counter, the stamp undone", counter)
    press(qtbot, counter, Qt.Key.Key_F9)  # the undo's reason, as the owner reads it in the history
    enter_pin(qtbot, _pad(qtbot), DEMO_OWNER[0], DEMO_OWNER[1])
    qtbot.waitUntil(lambda: counter.owner_area is not None and counter.owner_area.isVisible())
    counter.owner_area.pages["history"].card_field.setText(STAMP_CARD)
    counter.owner_area.show_page("history")
    qtbot.waitUntil(lambda: counter.owner_area.pages["history"].table.rowCount() > 0, timeout=10_000)
    leftovers.walk("owner area, history of the card with the undone stamp", counter.owner_area)
    counter.owner_area.close()
    qtbot.waitUntil(lambda: counter.owner_area is None)
    press(qtbot, counter, Qt.Key.Key_F8)
    leftovers.walk("PIN pad for an owner's undo of the demo history", _pad(qtbot))
    QApplication.activeModalWidget().reject()
    qtbot.waitUntil(lambda: not counter.flow.in_flow)
    before = page.banner.text()
    page.code_field.setText("DEM0X-XXXXX")
    qtbot.keyClick(page.code_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.banner.kind == "refused" and page.banner.text() != before)
    leftovers.walk("counter, unknown code typed", counter)
    leftovers.assert_none()


def test_counter_with_a_points_card(qtbot, counter, leftovers, runner) -> None:
    look_up(qtbot, counter, POINTS_CARD)
    leftovers.walk("counter, points card", counter)
    press(qtbot, counter, Qt.Key.Key_F3)
    earn = _modal(qtbot, EarnDialog)
    leftovers.walk("amount pad, empty", earn)
    qtbot.keyClicks(earn.amount, "0,01")
    qtbot.waitUntil(lambda: not runner.busy)
    leftovers.walk("amount pad, too small", earn)
    earn.amount.clear()
    qtbot.keyClicks(earn.amount, "12,50")
    qtbot.waitUntil(lambda: bool(earn.preview_points))
    leftovers.walk("amount pad, 12,50", earn)
    earn.amount.clear()
    qtbot.keyClicks(earn.amount, "abc")
    leftovers.walk("amount pad, not a number", earn)
    earn.amount.clear()
    qtbot.keyClicks(earn.amount, "12,50")
    qtbot.waitUntil(lambda: bool(earn.preview_points))
    earn.confirm()
    pad = _pad(qtbot)
    leftovers.walk("PIN pad for points earned", pad)
    enter_pin(qtbot, pad, DEMO_CASHIER[0], DEMO_CASHIER[1])
    qtbot.waitUntil(lambda: counter.page.banner.kind == "ok" and not counter.flow.in_flow)
    leftovers.walk("counter, points earned", counter)
    earned = counter.page.banner.text()
    press(qtbot, counter, Qt.Key.Key_F4)
    redeem = _modal(qtbot, RedeemDialog)
    leftovers.walk("redeem dialog", redeem)
    next(b for b in redeem.buttons if b.isEnabled()).click()
    pad = _pad(qtbot)
    leftovers.walk("PIN pad for a redemption", pad)
    enter_pin(qtbot, pad, DEMO_CASHIER[0], DEMO_CASHIER[1])
    qtbot.waitUntil(lambda: counter.page.banner.kind == "ok" and not counter.flow.in_flow
                    and counter.page.banner.text() != earned)
    leftovers.walk("counter, reward redeemed", counter)
    press(qtbot, counter, Qt.Key.Key_F8)  # the demo's earn was the owner's, days ago: the owner confirms
    pad = _pad(qtbot)
    leftovers.walk("PIN pad for the owner's undo", pad)
    pad.reject()
    leftovers.assert_none()


def test_counter_dialogs_and_the_owner_area(qtbot, counter, leftovers, runner) -> None:
    settings = counter.open_settings()
    qtbot.waitUntil(settings.isVisible)
    leftovers.walk("settings dialog", settings)
    settings.reject()
    press(qtbot, counter, Qt.Key.Key_F9)
    pad = _pad(qtbot)
    leftovers.walk("owner PIN pad for the owner area", pad)
    enter_pin(qtbot, pad, DEMO_OWNER[0], DEMO_OWNER[1])
    qtbot.waitUntil(lambda: counter.owner_area is not None and counter.owner_area.isVisible())
    area = counter.owner_area
    _walk_owner_pages(qtbot, area, runner, leftovers)
    area.close()  # gone before the language switches back, which would rebuild its pages
    qtbot.waitUntil(lambda: counter.owner_area is None)
    leftovers.assert_none()


def _walk_owner_pages(qtbot, area: OwnerArea, runner, leftovers: Leftovers) -> None:
    settle: Callable[[], None] = lambda: qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)  # noqa: E731
    for name in PAGE_NAMES:
        area.show_page(name)
        settle()
        leftovers.walk(f"owner area, {name}", area)
    adjust = area.show_page("adjust")
    adjust.apply()
    leftovers.walk("owner area, adjust without a card", area)
    staff = area.show_page("staff")
    settle()
    staff.table.selectRow(0)
    leftovers.walk("owner area, staff member selected", area)
    staff.new_name.setText("Budi")
    staff.new_pin.setText("1234")
    staff.add()  # the grant that opened the area serves this first call
    qtbot.waitUntil(lambda: staff.feedback.state == "error", timeout=10_000)
    leftovers.walk("owner area, staff PIN too easy", area)
    staff.new_name.setText(DEMO_CASHIER[0])
    staff.new_pin.setText("5831")
    staff.feedback.clear_message()
    staff.add()
    qtbot.waitUntil(lambda: staff.feedback.state == "error", timeout=10_000)
    leftovers.walk("owner area, a staff name taken", area)
    void = area.show_page("void")
    void.card_field.setText(POINTS_CARD)
    void.find()
    qtbot.waitUntil(lambda: void.table.rowCount() > 0, timeout=10_000)
    void.table.selectRow(0)
    leftovers.walk("owner area, a card's entries to void", area)
    enroll = area.show_page("enroll")
    settle()
    enroll.holder_field.setText("Sari")
    enroll.enroll()
    qtbot.waitUntil(lambda: enroll.card is not None, timeout=10_000)
    leftovers.walk("owner area, card enrolled", area)
    history = area.show_page("history")
    history.from_field.setText("10 Maret")
    history.search()
    leftovers.walk("owner area, history with a bad date", area)
    folder = area.ctx.services.ctx.db.path.parent.parent / "exports"  # beside the data folder, in tmp
    folder.mkdir()
    _walk_save_dialog(qtbot, history, history.tr("Export history for a spreadsheet"),
                      f'{history.tr("Excel workbook (*.xlsx)")};;{history.tr("CSV, comma-separated (*.csv)")}',
                      leftovers, folder)
    sync = area.show_page("sync")
    settle()
    dialog = sync.open_pairing()
    qtbot.waitUntil(dialog.isVisible)
    leftovers.walk("pairing dialog from the owner area", dialog)
    dialog.reject()


def _walk_save_dialog(qtbot, parent: QWidget, title: str, filters: str, leftovers: Leftovers,
                      folder: Path) -> None:
    """The dialog QFileDialog.getSaveFileName shows here (Qt's own: no platform dialog offscreen)."""
    dialog = QFileDialog(parent, title, str(folder), filters)  # an empty folder: no file names to read
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.open()
    qtbot.waitUntil(dialog.isVisible)
    leftovers.walk("save-file dialog", dialog)
    dialog.reject()


def test_counter_camera_offer_rejection_and_sync_states(qtbot, counter, leftovers, clock) -> None:
    page, flow = counter.page, counter.flow
    look_up(qtbot, counter, STAMP_CARD)
    flow.on_scan(CardScan(code=POINTS_CARD, source="camera"))  # another card in the camera's view
    qtbot.waitUntil(lambda: page.switch_offer.holder is not None)
    leftovers.walk("counter, the camera offers another card", counter)
    flow.clear_card()
    flow.on_rejection(Rejection("wedge", ErrorCode.NOT_A_LOYALTY_CARD.value, "That QR code is not a loyalty card."))
    leftovers.walk("counter, a scanned code that is not a card", counter)
    flow.on_rejection(Rejection("camera", ErrorCode.INVALID_INPUT.value, _TWO_CARDS))
    leftovers.walk("counter, two cards in the camera's view", counter)
    synced = (clock.now() - timedelta(days=2)).isoformat()
    for status in (SyncStatus(SyncState.ONLINE, pending=1500, last_sync_at=synced),
                   SyncStatus(SyncState.ONLINE, pending=600, catchup_done=200, catchup_total=800,
                              last_sync_at=clock.now().isoformat()),
                   SyncStatus(SyncState.OFFLINE, pending=12, last_error="[Errno 111] Connection refused")):
        counter.sync_indicator.show_status(status)
        leftovers.walk(f"counter, sync {status.state}", counter)
    leftovers.assert_none()


def test_offline_card_question(qtbot, counter, leftovers, services) -> None:
    programs = services.owner_views.programs()
    counter.flow._offer_offline_card("DEM0X-XXXXX", programs)  # what an unknown card meets with no hub in reach
    box = _modal(qtbot, QMessageBox)
    leftovers.walk("unknown card while offline", box)
    box.button(QMessageBox.StandardButton.No).click()
    qtbot.waitUntil(lambda: counter.page.banner.kind == "refused")
    leftovers.walk("counter, offline card refused", counter)
    assert len(programs) > 1  # the demo's two programs: the cashier is asked which one

    def walk_the_question() -> None:  # QInputDialog.getItem runs its own loop: walk it from inside
        question = QApplication.activeModalWidget()
        leftovers.walk("which program for an offline card", question)
        question.reject()

    counter.flow._offer_offline_card("DEM0X-XXXXX", programs)
    box = _modal(qtbot, QMessageBox)
    QTimer.singleShot(300, walk_the_question)
    box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    assert any("which program" in line for line in leftovers.walked_screens)
    leftovers.assert_none()


def test_pin_pad_locked_out(qtbot, counter, leftovers, services) -> None:
    look_up(qtbot, counter, STAMP_CARD)
    press(qtbot, counter, Qt.Key.Key_F2)
    pad = _pad(qtbot)
    for _ in range(services.ctx.settings.pin_max_failed_attempts):
        enter_pin(qtbot, pad, DEMO_CASHIER[0], "0000")
        qtbot.waitUntil(lambda: not pad.checking)
    qtbot.waitUntil(pad.unlock.isVisible)
    leftovers.walk("PIN pad, cashier locked out", pad)
    pad.reject()
    leftovers.assert_none()


def test_pin_pad_new_pin_asked_and_no_pin_yet(qtbot, counter, leftovers, services) -> None:
    """The hub's staff changes at the PIN pad (console staff page): a member with no PIN, a new PIN asked."""
    from sync.unset_pin import unset_pin_hash
    from terminal.ui.new_pin_dialog import NewPinDialog

    with services.ctx.db.write() as session:
        session.add(StaffRow(staff_id="hub-added", name="Nadia", role="cashier", active=True,
                             pin_hash=unset_pin_hash(), failed_attempts=0, locked_until=None,
                             updated_at=services.ctx.clock.now(), pin_reset_required=True))
        session.execute(StaffRow.__table__.update().where(StaffRow.name == DEMO_CASHIER[0])
                        .values(pin_reset_required=True))
    leftovers.data.append("Nadia")
    look_up(qtbot, counter, STAMP_CARD)
    press(qtbot, counter, Qt.Key.Key_F2)
    pad = _pad(qtbot)
    pad.select_staff("Nadia")
    leftovers.walk("PIN pad, a member with no PIN yet", pad)
    enter_pin(qtbot, pad, DEMO_CASHIER[0], DEMO_CASHIER[1])
    choose = _modal(qtbot, NewPinDialog)
    leftovers.walk("new PIN asked at the hub", choose)
    choose.reject()
    qtbot.waitUntil(lambda: pad.ok.isEnabled())
    leftovers.walk("PIN pad, new PIN refused", pad)
    pad.reject()
    leftovers.assert_none()


def test_switching_language_live(qtbot, ui, runner, services, qapp) -> None:
    """Built in English, then switched in the settings: every text must follow, none set only once."""
    translations = Translations(qapp)
    window = MainWindow(ui, ui.services.ctx.settings, translations=translations)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitActive(window)
    try:
        look_up(qtbot, window, POINTS_CARD)
        area = window.show_owner_area(OwnerArea, "report")
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
        window.apply_settings({"language": "id", "theme": "light", "kiosk": "off"})
        qtbot.waitUntil(lambda: area.nav.item(0).text() != "Reports")
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
        leftovers = Leftovers([*_data_of(services), *CURRENCIES], set(LANGUAGE_NAMES.values()))
        leftovers.walk("counter after switching to Indonesian", window)
        leftovers.walk("owner area after switching to Indonesian", window.owner_area)
        window.owner_area.close()
        qtbot.waitUntil(lambda: window.owner_area is None)
    finally:
        translations.set_language("en")
        QLocale.setDefault(QLocale(QLocale.Language.C))
        window.close()
    leftovers.assert_none()


# -- first run -----------------------------------------------------------------------------
def test_setup_wizard_and_joining_a_hub(qtbot, tmp_path, clock, runner, leftovers) -> None:
    fresh = open_services(tmp_path / "fresh", clock=clock)
    try:
        wizard = SetupWizard(fresh, runner)
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        leftovers.walk("setup wizard, store", wizard)
        wizard.store_page.name.setText("Toko Kopi")
        wizard.store_page.timezone.setCurrentText("Mars/Olympus")
        wizard.next()
        leftovers.walk("setup wizard, store with a bad time zone", wizard)
        wizard.store_page.timezone.setCurrentText("Asia/Jakarta")
        wizard.store_page.currency.setCurrentText("RUPIAH")
        wizard.next()
        leftovers.walk("setup wizard, store with a bad currency", wizard)
        wizard.store_page.currency.setCurrentText("IDR")
        wizard.next()
        assert wizard.currentPage() is wizard.owner_page
        leftovers.walk("setup wizard, owner", wizard)
        owner = wizard.owner_page
        owner.name.setText("Wati")
        owner.pin.setText("2741")
        owner.pin_again.setText("2742")
        wizard.next()
        leftovers.walk("setup wizard, owner PINs differ", wizard)
        for pin, problem in (("12", "too short"), ("1234", "too easy")):
            owner.pin.setText(pin)
            owner.pin_again.setText(pin)
            wizard.next()
            leftovers.walk(f"setup wizard, owner PIN {problem}", wizard)
        owner.pin.setText("2741")
        owner.pin_again.setText("2741")
        wizard.next()
        assert wizard.currentPage() is wizard.program_page
        leftovers.walk("setup wizard, program", wizard)
        join = wizard.open_join()  # a second till of a store on a hub joins it instead
        qtbot.waitUntil(join.isVisible)
        leftovers.walk("pairing dialog, joining a store", join)
        join.url_edit.setText(f"http://127.0.0.1:{_closed_port()}")
        join.code_edit.setText("K7QM2-XR9TB")
        join.pair_button.click()
        qtbot.waitUntil(lambda: join.pair_button.isEnabled(), timeout=10_000)
        leftovers.walk("pairing dialog, hub not answering", join)
        join.reject()
        qtbot.waitUntil(lambda: not join.isVisible())
        store_created = []
        wizard.store_created.connect(lambda: store_created.append(True))
        wizard.button(QWizard.WizardButton.FinishButton).click()
        if wizard.isVisible():
            leftovers.walk("setup wizard, creating the store", wizard)
        qtbot.waitUntil(lambda: bool(store_created), timeout=10_000)
    finally:
        qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
        fresh.close()
    leftovers.assert_none()
