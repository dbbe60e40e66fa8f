"""The counter window: composes the counter page, the header, the status bar and the dialogs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QChildEvent, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QPushButton, QStackedWidget, QWidget

from terminal.scanner.wedge_filter import KeyboardWedge
from terminal.services.auth import Grant
from terminal.settings import Settings
from terminal.ui.context import UiContext
from terminal.ui.counter_flow import CounterFlow, SoundPort
from terminal.ui.counter_page import CounterPage
from terminal.ui.i18n import Translations
from terminal.ui.owner_entry import OwnerIdleLock, owner_area_class
from terminal.ui.pin_pad import PinPadDialog
from terminal.ui.placement import centre_on_parent, fit_main_window
from terminal.ui.preferences import save_preferences
from terminal.ui.refusals import describe
from terminal.ui.resources import icon_path
from terminal.ui.retranslating import Retranslating
from terminal.ui.settings_dialog import SettingsDialog
from terminal.ui.status_bar import CounterStatusBar, SyncIndicator
from terminal.ui.theme import apply_theme

if TYPE_CHECKING:  # the camera (OpenCV, numpy) loads after the first paint: terminal/app.py
    from terminal.scanner.worker import CameraScanner

log = logging.getLogger(__name__)


class MainWindow(Retranslating, QMainWindow):
    """``settings_applied(Settings)`` after the settings dialog changed something;
    ``local_change()`` after this till wrote something the hub should get soon;
    ``hub_paired(PairingResult)`` after the owner connected the till to a hub."""

    settings_applied = Signal(object)
    local_change = Signal()
    hub_paired = Signal(object)

    def __init__(self, ui: UiContext, settings: Settings, *, data_dir: Path | None = None,
                 translations: Translations | None = None, scanner: CameraScanner | None = None,
                 wedge: KeyboardWedge | None = None, sounds: SoundPort | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CounterWindow")
        self.ui = ui
        self.settings = settings
        self.data_dir = data_dir
        self.translations = translations
        self.owner_area: Any = None  # an OwnerArea, whose module loads on first use (owner_area_class)
        self._entry_grant: Grant | None = None
        self._state_before_kiosk: Qt.WindowState | None = None
        self.page = CounterPage()
        self.pages = QStackedWidget()  # the counter, and the owner area while an owner is in it
        self.owner_lock = OwnerIdleLock(settings.owner_idle_seconds, self)
        self.owner_lock.expired.connect(self._owner_area_idle)
        self._counter_shortcuts: list[QShortcut] = []
        self.flow = CounterFlow(ui, self.page, self.request_owner_grant, sounds)
        self.status = CounterStatusBar(ui.store.name, ui.store.terminal_id, ui.store.tz)
        self.flow.staff_confirmed.connect(self.status.set_last_staff)
        self.flow.ledger_changed.connect(self.local_change)
        self.owner_button = QPushButton()
        self.settings_button = QPushButton()
        for button in (self.owner_button, self.settings_button):
            button.setProperty("role", "toolbar")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.owner_button.clicked.connect(self.open_owner_area)
        self.settings_button.clicked.connect(self.open_settings)
        self._build()
        self._shortcuts()
        self.setStatusBar(self.status)
        if icon_path().exists():
            self.setWindowIcon(QIcon(str(icon_path())))
        self.attach_scanners(scanner, wedge)
        self.retranslate()
        fit_main_window(self)

    @property
    def sync_indicator(self) -> SyncIndicator:
        return self.status.sync_indicator

    def _build(self) -> None:
        # Settings and Owner sit in the status bar beside the store's name, not in a header row of their own:
        # on a 600 px till every line of height goes to the card and the actions.
        self.status.addPermanentWidget(self.settings_button)
        self.status.addPermanentWidget(self.owner_button)
        self.pages.addWidget(self.page)
        self.setCentralWidget(self.pages)

    def _shortcuts(self) -> None:
        keys: dict[str, Callable[[], object]] = {
            "F2": self.flow.add_stamp, "F3": self.flow.earn_points, "F4": self.flow.redeem,
            "F8": self.flow.undo_last, "F9": self.open_owner_area, "Ctrl+,": self.open_settings,
            "Ctrl+L": self.page.focus_code_field, "Escape": self.flow.clear_card, "F11": self.toggle_fullscreen,
            "F6": self.flow.accept_switch, "F5": self.find_customer, "Ctrl+F": self.find_customer,
        }
        for key, slot in keys.items():
            shortcut = QShortcut(QKeySequence(key), self, slot)
            if key not in ("F9", "F11", "Ctrl+,"):  # the counter's own keys rest while the owner area is shown
                self._counter_shortcuts.append(shortcut)

    def attach_scanners(self, scanner: CameraScanner | None, wedge: KeyboardWedge | None) -> None:
        if scanner is not None:
            self.page.preview.attach(scanner)
            scanner.card_scanned.connect(self.flow.on_scan)
            scanner.not_a_card.connect(self.flow.on_rejection)
        if wedge is not None:
            wedge.card_scanned.connect(self.flow.on_scan)
            wedge.not_a_card.connect(self.flow.on_rejection)

    def childEvent(self, event: QChildEvent) -> None:  # noqa: N802 (Qt's name)
        # Every dialog of this window opens centred on it and no larger than the screen, whoever made it.
        child = event.child()
        if event.type() == QEvent.Type.ChildPolished and isinstance(child, QDialog):
            centre_on_parent(child)
        super().childEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("%1 – Loyalty Terminal").replace("%1", self.ui.store.name))
        self.owner_button.setText(self.tr("Owner (F9)"))
        self.settings_button.setText(self.tr("Settings"))

    def find_customer(self) -> QDialog | None:
        """Search by name, phone or code (F5); the picked card goes on the counter."""
        return self.flow.find_customer()

    # -- owner --------------------------------------------------------------------
    def request_owner_grant(self, callback: Callable[[Grant], None], purpose: str | None = None) -> None:
        """Ask for an owner's PIN; ``callback(grant)`` on success, nothing on cancel."""
        parent = QApplication.activeModalWidget() or self
        pad = PinPadDialog(self.ui, purpose or self.tr("An owner confirms with their PIN."), owners_only=True,
                           parent=parent)
        pad.granted.connect(lambda grant: self._owner_confirmed(grant, callback))
        pad.setModal(True)
        pad.finished.connect(pad.deleteLater)
        centre_on_parent(pad)
        pad.open()

    def _owner_confirmed(self, grant: Grant, callback: Callable[[Grant], None]) -> None:
        self.status.set_last_staff(grant.name)
        callback(grant)

    def _grant_for_owner_area(self, callback: Callable[[Grant], None]) -> None:
        # The PIN that opened the owner area also serves its first action, while it lasts.
        grant, self._entry_grant = self._entry_grant, None
        fresh = grant is not None and self.ui.now() - grant.issued_at < timedelta(
            seconds=self.ui.services.ctx.settings.grant_seconds - 5)
        if fresh and grant is not None:
            callback(grant)
        else:
            self.request_owner_grant(callback)

    def open_owner_area(self, page: str | None = None) -> None:
        if self.owner_area is not None and self.owner_area.isVisible():
            self._raise_owner_area(page)  # the owner is already in: no second PIN
            return
        if self.flow.in_flow:
            return
        area_class = owner_area_class()
        if area_class is None:
            self.page.banner.show_refusal(self.tr("The owner area is not part of this build."))
            return

        def opened(grant: Grant) -> None:
            self._entry_grant = grant
            self.show_owner_area(area_class, page)

        self.request_owner_grant(opened, self.tr("Owner area: an owner confirms with their PIN."))

    def show_owner_area(self, area_class: type, page: str | None = None) -> QWidget:
        """The owner area as this window's page (not a window of its own); "Back to counter" closes it."""
        if self.owner_area is None:
            area = self.owner_area = area_class(self.ui.services, self.ui.runner, self._grant_for_owner_area,
                                                self.pages)
            area.ctx.counter_card = self._counter_card
            # Back at the counter as soon as the area closes; its deletion follows when the event loop gets to it.
            area.installEventFilter(self)
            area.destroyed.connect(lambda *_: self._owner_area_gone(area))
            self.owner_area.paired.connect(self.hub_paired)
            self.owner_area.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            self.pages.addWidget(self.owner_area)
        return self._raise_owner_area(page)

    def _raise_owner_area(self, page: str | None) -> QWidget:
        if page:
            self.owner_area.show_page(page)
        self.pages.setCurrentWidget(self.owner_area)
        self.owner_button.hide()  # "Back to counter" is the way out; a second way in would only puzzle
        for shortcut in self._counter_shortcuts:
            shortcut.setEnabled(False)
        self.owner_lock.start()
        self.raise_()
        self.activateWindow()
        return self.owner_area

    def close_owner_area(self) -> None:
        """Back to the counter: the owner area goes, and with it the owner's PIN confirmation."""
        if self.owner_area is not None:
            self.owner_area.close()

    def _counter_card(self) -> str | None:
        return self.flow.view.code if self.flow.view is not None else None

    def _owner_area_idle(self) -> None:
        if self.owner_area is None:
            return
        self.close_owner_area()
        seconds = self.owner_lock.timer.interval() // 1000
        self.page.banner.show_info(self.tr("The owner area locked itself after %1 without use; F9 opens it again "
                                           "with an owner's PIN.").replace("%1", self._duration(seconds)))

    def _duration(self, seconds: int) -> str:
        if seconds % 60:
            return self.tr("%1 s").replace("%1", str(seconds))
        return self.tr("%1 min").replace("%1", str(seconds // 60))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.owner_area and event.type() == QEvent.Type.Close:
            QTimer.singleShot(0, self, lambda area=watched: self._owner_area_closed(area))  # once the close is done
        return super().eventFilter(watched, event)

    def _owner_area_closed(self, area: QObject) -> None:
        # not when something refused the close
        if area is self.owner_area and isinstance(area, QWidget) and not area.isVisible():
            self._owner_area_gone(area)

    def _owner_area_gone(self, area: QObject) -> None:
        if area is not self.owner_area:  # an area already left
            return
        if not (shiboken6.isValid(self.owner_lock) and shiboken6.isValid(self.pages)):
            return  # the window itself is going, its parts first
        self.owner_area = None
        self.owner_lock.stop()
        if isinstance(area, QWidget) and self.pages.indexOf(area) >= 0:
            self.pages.removeWidget(area)  # gone from the window now, whenever its deletion comes
        self.pages.setCurrentWidget(self.page)
        self.page.focus_code_field()  # back at the counter, ready for the next card
        self.owner_button.show()
        for shortcut in self._counter_shortcuts:
            shortcut.setEnabled(True)
        self.local_change.emit()  # enrolments, adjustments, staff: push them now, not at the next pull
        if self.flow.view is not None:  # the owner may have changed this card
            self.flow.look_up(self.flow.view.code, announce=False)

    # -- settings -----------------------------------------------------------------
    def open_settings(self) -> SettingsDialog | None:
        if self.flow.in_flow:
            return None
        s = self.settings
        dialog = SettingsDialog(s.language, s.theme, s.kiosk == "on", self)
        dialog.chosen.connect(self.apply_settings)
        dialog.hub_requested.connect(lambda: self.open_owner_area("sync"))
        dialog.finished.connect(dialog.deleteLater)
        centre_on_parent(dialog)
        dialog.open()
        return dialog

    def apply_settings(self, values: dict) -> None:
        self.settings = self.settings.with_values(**values)
        app = QApplication.instance()
        assert isinstance(app, QApplication)  # a window exists only in a GUI application
        if self.translations is not None and values["language"] != self.translations.language:
            self.translations.set_language(values["language"])
        apply_theme(app, values["theme"])
        self.set_kiosk(values["kiosk"] == "on")
        if self.data_dir is not None:
            data_dir, settings = self.data_dir, self.settings
            self.ui.runner.run(lambda: save_preferences(data_dir, settings, **values), owner=self,
                               on_failure=lambda exc: self.page.banner.show_refusal(describe(exc)))
        self.settings_applied.emit(self.settings)

    def set_kiosk(self, on: bool) -> None:
        if on and not self.isFullScreen():
            self._state_before_kiosk = self.windowState()
            self.showFullScreen()
        elif not on and self.isFullScreen():
            # back to how it was: a window maximized to fit a small screen stays maximized
            if self._state_before_kiosk is None:  # started in kiosk mode: size it for the screen now
                self.setWindowState(Qt.WindowState.WindowNoState)
                fit_main_window(self)
            else:
                self.setWindowState(self._state_before_kiosk & ~Qt.WindowState.WindowFullScreen)
            self.show()

    def toggle_fullscreen(self) -> None:
        self.set_kiosk(not self.isFullScreen())
