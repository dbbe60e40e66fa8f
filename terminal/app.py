"""Composition root: settings -> services -> runner -> scanners -> window.

``run_window(args)`` is what ``loyalty-terminal`` runs without an admin
command. A data dir without a store opens the setup wizard (or, with
``--demo``, gets the demo store). With ``LOYALTY_QUIT_AFTER_SHOWN=1`` the
app prints ``counter window shown`` once the first window has painted and
exits cleanly: the packaging smoke test relies on it.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from terminal.display_check import display_problem
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.memory import lean_pyside_imports, tame_malloc
from terminal.scanner.config import ScannerConfig
from terminal.scanner.wedge_filter import KeyboardWedge, mark_card_field
from terminal.services.facade import Services, open_services
from terminal.services.sync_link import SyncLink
from terminal.settings import Settings, load_settings, resolve_data_dir
from terminal.ui.context import UiContext
from terminal.ui.gui_thread_gc import GuiThreadCollector
from terminal.ui.i18n import Translations
from terminal.ui.main_window import MainWindow
from terminal.ui.operations import OperationRunner
from terminal.ui.pyside_compat import make_singletons_immortal
from terminal.ui.setup_wizard import SetupWizard
from terminal.ui.sounds import make_sounds
from terminal.ui.sync_bridge import SyncBridge
from terminal.ui.theme import apply_theme

if TYPE_CHECKING:  # OpenCV and numpy load with the camera, after the first paint
    from terminal.scanner.worker import CameraScanner

SHOWN_LINE = "counter window shown"
EXPIRY_INTERVAL_MS = 6 * 3600 * 1000  # points expire by the day; a few checks a day are plenty
# what the camera needs and the window does not: OpenCV and numpy, a few tenths of a second to import
CAMERA_MODULES = ("terminal.scanner.sources", "terminal.scanner.worker")


def load_camera_modules() -> None:
    for name in CAMERA_MODULES:
        importlib.import_module(name)


def demo_codes() -> tuple[str, ...]:
    from terminal.services.demo import POINTS_CARDS, STAMP_CARDS

    stamps, points = list(STAMP_CARDS), list(POINTS_CARDS)
    mixed = [c for pair in zip(stamps, points, strict=False) for c in pair]
    return tuple(mixed + stamps[len(points):])


def make_scanner(settings: Settings, demo: bool) -> CameraScanner:
    """The camera the settings name; in demo mode the demo camera stands in when no webcam answers."""
    from terminal.scanner.sources import camera_or_demo
    from terminal.scanner.worker import CameraScanner

    codes = demo_codes() if demo else ()
    config = ScannerConfig(decoder=settings.decoder, camera=settings.camera, demo_codes=codes)
    if settings.camera == "auto":
        if demo:
            return CameraScanner(config, source=camera_or_demo(0, codes, (config.frame_width, config.frame_height)))
        # without --demo a missing webcam is reported as such, not replaced by made-up cards
        config = ScannerConfig(decoder=settings.decoder, camera="0")
    return CameraScanner(config)


def attach_wedge(app: QObject, window: MainWindow) -> KeyboardWedge:
    """The keyboard-wedge scanner on the counter window: bursts there look cards up, typing goes to the code field."""
    config = ScannerConfig()
    wedge = KeyboardWedge(config.wedge_max_interval_s, config.wedge_min_length)
    wedge.install(app)
    wedge.watch(window, window.page.code_field)
    mark_card_field(window.page.code_field)
    window.attach_scanners(None, wedge)
    return wedge


class _FirstPaint(QObject):
    """Calls ``then()`` once, just after the watched window's first paint."""

    def __init__(self, widget: QWidget, then) -> None:  # noqa: ANN001
        super().__init__(widget)
        self.then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if self.then is not None and event.type() == QEvent.Type.Paint:
            then, self.then = self.then, None
            watched.removeEventFilter(self)
            QTimer.singleShot(0, then)
        return False


class TerminalApp:
    """Owns what the window needs and shuts it all down in order."""

    def __init__(self, app: QApplication, args: argparse.Namespace, data_dir: Path, settings: Settings,
                 services: Services) -> None:
        self.app = app
        self.args = args
        self.data_dir = data_dir
        self.settings = settings
        self.services = services
        self.demo = bool(getattr(args, "demo", False))
        self.kiosk = bool(getattr(args, "kiosk", False)) or settings.kiosk == "on"
        self.translations = Translations(app)
        self.translations.set_language(settings.language)
        apply_theme(app, settings.theme)
        self.collector = GuiThreadCollector()  # before any worker thread starts
        self.runner = OperationRunner()
        self.link = SyncLink(services)
        self.bridge = SyncBridge(self.link, self.runner)
        self.scanner: CameraScanner | None = None
        self.wedge: KeyboardWedge | None = None
        self.window: MainWindow | None = None
        self.wizard: SetupWizard | None = None
        self.sounds = make_sounds(settings.sounds)
        self.expiry_timer = QTimer()
        self.expiry_timer.setInterval(EXPIRY_INTERVAL_MS)
        self.expiry_timer.timeout.connect(self.expire_points)
        self.quit_after_shown = os.environ.get("LOYALTY_QUIT_AFTER_SHOWN") == "1"
        self.shut_down = False

    def start(self) -> None:
        if not self.services.initialised and self.demo:
            from terminal.services.demo import seed_demo

            seed_demo(self.services)  # before any window exists: nothing on screen waits for it
        if self.services.initialised:
            self.show_counter()
        else:
            self.wizard = SetupWizard(self.services, self.runner)
            self.wizard.store_created.connect(self.show_counter)
            self._show(self.wizard, fullscreen=False)

    def show_counter(self) -> MainWindow:
        store = self.services.ctx.store
        link = self.link
        ui = UiContext(self.services, self.runner, store,
                       fetch_card=lambda code: link.ensure_card(code, timeout=4.0))
        self.window = MainWindow(ui, self.settings, data_dir=self.data_dir, translations=self.translations,
                                 sounds=self.sounds)
        self.wedge = attach_wedge(self.app, self.window)
        self.window.settings_applied.connect(self._settings_applied)
        self.bridge.status_changed.connect(self.window.sync_indicator.show_status)
        self.window.local_change.connect(self.bridge.notify_local_change)
        self.window.hub_paired.connect(lambda _result: self.bridge.restart())
        # the camera, decoder and syncer start after the first paint: the window appears sooner
        _FirstPaint(self.window, self._after_first_paint)
        self._show(self.window, fullscreen=self.kiosk)
        return self.window

    def _settings_applied(self, settings: Settings) -> None:
        if settings.sounds != self.settings.sounds and self.window is not None:
            self.sounds.close()
            self.sounds = make_sounds(settings.sounds)
            self.window.flow.sounds = self.sounds
        self.settings = settings

    def _after_first_paint(self) -> None:
        # imported on the runner's thread, so the painted window answers meanwhile; a failure
        # to import is met again by start_camera, on the GUI thread, as before
        self.runner.run(load_camera_modules, on_success=lambda _none: self.start_camera(),
                        on_failure=lambda _error: self.start_camera(), owner=self.window)
        self.bridge.start()
        self.expire_points()
        self.expiry_timer.start()

    def expire_points(self) -> None:
        """Expire points past their program's expiry, as ledger entries, in the background."""
        def done(written: list) -> None:
            if written:
                self.bridge.notify_local_change()

        self.runner.run(self.services.owner.expire_points, on_success=done, owner=self.window)

    def start_camera(self) -> None:
        if self.window is None or self.scanner is not None or self.shut_down:
            return
        self.scanner = make_scanner(self.settings, self.demo)
        self.window.attach_scanners(self.scanner, None)
        self.scanner.start()

    def _shown(self) -> None:
        print(SHOWN_LINE, flush=True)
        self.app.quit()

    def _show(self, widget: QWidget, fullscreen: bool) -> None:
        if self.quit_after_shown:
            _FirstPaint(widget, self._shown)
        if fullscreen:
            widget.showFullScreen()
        else:
            widget.show()

    def shutdown(self) -> None:
        self.shut_down = True  # a camera whose modules finish loading now must not start
        self.expiry_timer.stop()
        if self.scanner is not None:
            self.scanner.stop()
        if self.wedge is not None:
            self.wedge.uninstall()
        for widget in (self.window, self.wizard):
            if widget is not None:
                widget.close()
                widget.deleteLater()
        self.sounds.close()
        self.runner.shutdown()
        self.bridge.stop()  # after the runner: a queued start cannot begin a syncer behind our back
        self.services.close()
        self.collector.stop()


def prepare_process() -> None:
    """Process-wide fixes, before any thread or signal exists."""
    make_singletons_immortal()  # see terminal/ui/pyside_compat.py
    tame_malloc()  # see terminal/memory.py
    lean_pyside_imports()  # done on importing terminal.memory already, when PySide6 came first


def show_start_error(message: str) -> int:
    """Say why the window cannot start (also on stderr, for logs and scripts); exit status 2.

    The message is the store's own English sentence: the catalogues are not loaded this early.
    """
    print(f"error: {message}", file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Critical, "Loyalty Terminal", message, QMessageBox.StandardButton.Close)
    if os.environ.get("LOYALTY_QUIT_AFTER_SHOWN") == "1":
        QTimer.singleShot(0, box.accept)
    box.exec()
    return 2


def run_window(args: argparse.Namespace) -> int:
    if QApplication.instance() is None:
        problem = display_problem()  # Qt would abort with its own words, before any of ours
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
    prepare_process()
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "loyalty-terminal"])
    if not isinstance(app, QApplication):  # a host made a non-GUI QCoreApplication: no window can open
        raise RuntimeError("the counter window needs a QApplication, not a QCoreApplication")
    app.setApplicationName("Loyalty Terminal")
    app.setQuitOnLastWindowClosed(True)
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    settings = load_settings(data_dir)
    try:
        services = open_services(data_dir, settings)
    except LoyaltyError as exc:  # before anything else: no setup wizard or demo data on top of a store
        if exc.code is not ErrorCode.STORE_UNUSABLE:
            raise
        return show_start_error(exc.message)
    shell = TerminalApp(app, args, data_dir, settings, services)
    try:
        shell.start()
        return app.exec()
    finally:
        shell.shutdown()
