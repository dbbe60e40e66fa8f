"""Every screen of the window, opened one after the other in a real X server, and what is wrong with each.

Used by tests/ui/test_layout_x11.py (which runs ``python tests/ui/screen_walk.py check ...`` under Xvfb
and openbox, one process per screen size) and by tests/bench/screenshots.py (``shots``).

``XServer`` starts Xvfb (it picks its own display number through ``-displayfd``) and openbox, and stops
both. ``walk`` opens the counter, every dialog and every owner page with the demo store and calls
``visit(screen, window)`` with each one on screen. ``problems`` lists what a person could not reach or
read on one window: a widget off the screen's available area, squashed below its minimum, cut by its
parent, or a label or button whose text is clipped and has no tooltip with the full text.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZES = ((1024, 600), (1366, 768), (1920, 1080))
LANGUAGES = ("en", "id")

def _owner_page_names() -> tuple[str, ...]:
    sys.path.insert(0, str(ROOT))
    from terminal.ui.owner.area import PAGE_NAMES

    return tuple(PAGE_NAMES)


# every screen the walk opens, in order; the test has one case per screen and size. Each owner page
# (terminal/ui/owner/area.py's PAGE_NAMES) is a screen of the counter window: a new page is walked as it lands.
SCREENS = (
    "counter_ready", "counter_stamp_card", "counter_points_card", "counter_kiosk", "pin_pad_stamp",
    "earn_dialog", "redeem_dialog", "owner_pin", "undo_pin", "settings_dialog", "pin_pad_locked",
    *(f"owner_{name}" for name in _owner_page_names()), "owner_adjust_confirm", "owner_no_printer",
    "pairing_dialog", "wizard_store", "wizard_owner", "wizard_program",
)
DIALOGS_CENTRED = {"pin_pad_stamp", "earn_dialog", "redeem_dialog", "owner_pin", "undo_pin", "settings_dialog",
                   "pin_pad_locked", "pairing_dialog"}
SLACK = 1  # px: rounding in Qt's layouts
SQUASH_SLACK = 3  # px: style-sheet line edits sit 2 px under their size hint in any layout
CENTRE_SLACK = 16  # px a dialog may sit off its parent's centre (a frame guessed before the window manager drew it)


def x_server_missing() -> str | None:
    """Why no X server can be started here, or None when Xvfb and openbox are both installed."""
    for program, package in (("Xvfb", "xvfb"), ("openbox", "openbox")):
        if shutil.which(program) is None:
            return f"{program} is not installed (Debian package {package}; packaging/system_deps.py installs it)"
    return None


class XServer:
    """Xvfb at ``size`` with openbox managing its windows; ``display`` is ":N". Use as a context manager."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.size = size
        self.display = ""
        self._procs: list[subprocess.Popen] = []
        self._work = Path(tempfile.mkdtemp(prefix="loyalty-x-"))

    def __enter__(self) -> XServer:
        read_end, write_end = os.pipe()
        width, height = self.size
        xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{width}x{height}x24",
                                 "-nolisten", "tcp", "-noreset"], pass_fds=(write_end,),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._procs.append(xvfb)
        os.close(write_end)
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()  # Xvfb writes its display number once it accepts clients
        if not number:
            self.__exit__(None, None, None)
            raise RuntimeError(f"Xvfb did not start (exit {xvfb.poll()})")
        self.display = f":{number}"
        ready = self._work / "openbox-ready"
        self._procs.append(subprocess.Popen(
            ["openbox", "--sm-disable", "--startup", f"touch {ready}"], env={**os.environ, "DISPLAY": self.display},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        deadline = time.monotonic() + 15
        while not ready.exists():  # openbox runs --startup once it manages the screen
            if time.monotonic() > deadline or self._procs[-1].poll() is not None:
                self.__exit__(None, None, None)
                raise RuntimeError("openbox did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in reversed(self._procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self._procs.clear()
        shutil.rmtree(self._work, ignore_errors=True)

    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}


# -- inside the Qt process ------------------------------------------------------------------------


def problems(window, screen_name: str) -> list[dict]:
    """What a person could not reach or read on ``window`` (a visible top-level widget)."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractScrollArea,
        QAbstractSpinBox,
        QComboBox,
        QLabel,
        QLineEdit,
        QWidget,
    )

    from terminal.ui.placement import available_geometry, frame_geometry

    area = available_geometry(window)
    found: list[dict] = []

    def say(widget, problem: str) -> None:
        text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
        found.append({"screen": screen_name, "window": window.objectName() or type(window).__name__,
                      "widget": type(widget).__name__, "name": widget.objectName(), "text": text[:80],
                      "problem": problem})

    frame = frame_geometry(window)
    if not area.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(frame):
        say(window, f"window {_rect(frame)} is not inside the screen's available area {_rect(area)}")
    kinds = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QLabel)
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, kinds) or not widget.isVisibleTo(window) or widget.window() is not window:
            continue
        if isinstance(widget, QLabel) and not widget.text().strip() and widget.pixmap().isNull():
            continue  # an empty message line takes no room worth checking
        if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), (QComboBox, QAbstractSpinBox)):
            continue  # the editor inside a combo box or spin box: the box itself is checked
        if isinstance(widget, QAbstractButton) and isinstance(widget.parentWidget(), QAbstractSpinBox):
            continue
        rect = QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())
        visible = _visible_part(widget, rect, QAbstractScrollArea)
        if visible is None:
            continue
        if visible != rect:
            say(widget, f"cut by its parent: {_rect(visible)} of {_rect(rect)} shows")
        if not area.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(visible):
            say(widget, f"{_rect(visible)} is not inside the screen's available area {_rect(area)}")
        # below both its minimum size hint and its size hint (a style sheet may set either lower)
        needs = min(widget.minimumSizeHint().height(), widget.sizeHint().height(), widget.maximumHeight())
        needs = max(needs, widget.minimumHeight())
        if widget.height() + SQUASH_SLACK < needs:
            say(widget, f"squashed: {widget.height()} px high, needs {needs}")
        if isinstance(widget, QLabel):
            clipped = _label_clipped(widget)
            if clipped and not widget.toolTip():
                say(widget, f"text clipped without a tooltip ({clipped})")
        elif isinstance(widget, QAbstractButton) and widget.text():
            needed = widget.fontMetrics().horizontalAdvance(widget.text().replace("&", "")) + (
                widget.iconSize().width() + 4 if not widget.icon().isNull() else 0)
            room = widget.contentsRect().width() - 4
            if needed > room and not widget.toolTip():
                say(widget, f"text clipped without a tooltip (needs {needed} px, has {room})")
    return found


def _rect(r) -> str:
    return f"{r.width()}x{r.height()}+{r.x()}+{r.y()}"


def _visible_part(widget, rect, scroll_type):
    """``rect`` cut by every ancestor's rectangle; None when it is (partly) scrolled out of a scroll area's
    view: a scroll brings it in, and the view itself is checked."""
    from PySide6.QtCore import QPoint, QRect

    visible = QRect(rect)
    parent = widget.parentWidget()
    while parent is not None and not parent.isWindow():
        bounds = QRect(parent.mapToGlobal(QPoint(0, 0)), parent.size())
        holder = parent.parentWidget()
        if isinstance(holder, scroll_type) and parent is holder.viewport():
            if not bounds.contains(visible):
                return None
        else:
            visible = visible.intersected(bounds)
        parent = holder
    return visible


def _label_clipped(label) -> str:
    from PySide6.QtCore import Qt

    if not label.pixmap().isNull():
        return ""
    margins = label.contentsMargins()
    width = label.width() - margins.left() - margins.right() - 2 * label.margin()
    height = label.height() - margins.top() - margins.bottom() - 2 * label.margin()
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height() + SLACK:
            return f"needs {needed} px high at {label.width()} px wide, has {label.height()}"
        words = label.text().split()
        longest = max((label.fontMetrics().horizontalAdvance(w) for w in words), default=0)
        if longest > width + SLACK and label.textFormat() != Qt.TextFormat.RichText:
            return f"a word needs {longest} px, has {width}"
        return ""
    hint = label.sizeHint()
    inner = hint.width() - margins.left() - margins.right() - 2 * label.margin()
    if inner > width + SLACK:
        return f"needs {inner} px wide, has {width}"
    text_height = label.fontMetrics().height() * (label.text().count("\n") + 1)
    if text_height > height + SLACK:
        return f"needs {text_height} px high, has {height}"
    return ""


def centred_on_parent(dialog) -> str:
    """Empty when ``dialog`` is centred on its parent's window (or as near as the screen allows)."""
    from terminal.ui.placement import available_geometry, frame_geometry

    parent = dialog.parentWidget()
    if parent is None:
        return "has no parent window"
    area = available_geometry(dialog)
    want = frame_geometry(parent).center()
    have = frame_geometry(dialog).center()
    frame = frame_geometry(dialog)
    # as near as the screen allows: a dialog pushed back from the screen's edge is off-centre on that axis
    room_x = frame.width() / 2 <= min(want.x() - area.left(), area.right() - want.x())
    room_y = frame.height() / 2 <= min(want.y() - area.top(), area.bottom() - want.y())
    off_x = abs(have.x() - want.x()) if room_x else 0
    off_y = abs(have.y() - want.y()) if room_y else 0
    if max(off_x, off_y) > CENTRE_SLACK:
        return (f"not centred on its parent: centre at {have.x()},{have.y()}, the parent's at "
                f"{want.x()},{want.y()}")
    return ""


def _laid_out(widget) -> tuple:
    """Where ``widget``'s window and every widget shown in it are: equal twice means nothing moved."""
    from PySide6.QtWidgets import QWidget

    from terminal.ui.placement import frame_geometry

    window = widget.window()
    return (frame_geometry(window).getRect(), window.geometry().getRect(),
            *(child.geometry().getRect() for child in window.findChildren(QWidget)
              if child.isVisibleTo(window) and child.window() is window))


class Walk:
    """The demo store, the counter window, and every screen of it opened in turn."""

    def __init__(self, work: Path) -> None:
        from PySide6.QtWidgets import QApplication

        from terminal.services.demo import seed_demo
        from terminal.services.facade import open_services
        from terminal.ui.context import UiContext
        from terminal.ui.i18n import Translations
        from terminal.ui.main_window import MainWindow
        from terminal.ui.operations import OperationRunner
        from terminal.ui.pyside_compat import make_singletons_immortal
        from terminal.ui.theme import apply_theme

        make_singletons_immortal()
        self.app = QApplication.instance() or QApplication(["screen-walk"])
        apply_theme(self.app, "light")
        self.translations = Translations(self.app)
        self.services = open_services(work / "data")
        seed_demo(self.services)
        self.runner = OperationRunner()
        self.window = MainWindow(UiContext(self.services, self.runner, self.services.ctx.store),
                                 self.services.ctx.settings, translations=self.translations)
        self.window._grant_for_owner_area = self._owner_grant  # the walk stands in for the owner's PIN

    def close(self) -> None:
        self.window.close()
        self.settle(0.1)
        self.runner.shutdown()
        self.services.close()

    # -- waiting ----------------------------------------------------------------------
    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timed out waiting for {what}")
            self.app.processEvents()
            time.sleep(0.005)

    def settle(self, seconds: float = 0.15) -> None:
        """Let the runner's calls come back, the window manager place windows and layouts settle."""
        self.wait_until(lambda: not self.runner.busy, "the background calls")
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.005)

    def shown(self, widget) -> None:
        """Wait until ``widget``'s window is on screen, framed, and has stopped moving."""
        from terminal.ui.placement import frame_geometry

        def framed() -> bool:
            # before the window manager's frame arrives, Qt reports a 1x1 frame at the window's corner
            frame, inner = frame_geometry(widget), widget.geometry()
            return frame.width() >= inner.width() and frame.height() >= inner.height()

        self.wait_until(lambda: widget.isVisible() and widget.windowHandle() is not None
                        and widget.windowHandle().isExposed() and framed(), f"{type(widget).__name__} on screen")
        self.steady(widget)

    def steady(self, widget, quiet: float = 0.15) -> None:
        """Settle until neither ``widget``'s frame nor anything laid out inside its window has moved or
        changed size for ``quiet`` seconds: a frame at rest can still hold a layout that is redone (a
        size hint that changed, a word-wrapped label re-flowing after a resize)."""
        deadline = time.monotonic() + 10
        last, since = None, time.monotonic()
        while time.monotonic() < deadline:
            self.settle(0.03)
            now = _laid_out(widget)
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def modal(self, kind: type):
        self.wait_until(lambda: isinstance(self.app.activeModalWidget(), kind), kind.__name__)
        dialog = self.app.activeModalWidget()
        shown_at = time.monotonic()
        self.shown(dialog)
        # as a person would: look once the window has been placed for good (placement.py looks again
        # after SETTLE_SECONDS, for window managers that place a window without telling)
        from terminal.ui.placement import _Placer

        self.settle(max(0.0, _Placer.SETTLE_SECONDS - (time.monotonic() - shown_at)))
        self.steady(dialog)  # the placer's last look may have moved it
        return dialog

    def _owner_grant(self, callback: Callable) -> None:
        from terminal.services.demo import DEMO_OWNER

        owner_id = next(s.staff_id for s in self.services.staff.list() if s.name == DEMO_OWNER[0])
        callback(self.services.auth.verify_pin(owner_id, DEMO_OWNER[1]))

    # -- the screens ------------------------------------------------------------------
    def run(self, visit: Callable[[str, object], None], languages=LANGUAGES) -> None:
        window = self.window
        window.show()
        self.shown(window)
        for language in languages:
            self.translations.set_language(language)
            self.settle()
            self._counter(visit)
            self._dialogs(visit)
            self._owner(visit)
            self._wizard(visit)

    def _look_up(self, code: str) -> None:
        self.window.flow.look_up(code)
        self.wait_until(lambda: self.window.page.card_panel.view is not None
                        and self.window.page.card_panel.view.code == code, f"card {code}")
        self.steady(self.window)

    def _counter(self, visit) -> None:
        from terminal.services.demo import POINTS_CARDS, STAMP_CARDS

        window = self.window
        window.flow.clear_card()
        self.settle()
        self.steady(window)
        visit("counter_ready", window)
        self._look_up(next(iter(STAMP_CARDS)))
        visit("counter_stamp_card", window)
        self._look_up(list(POINTS_CARDS)[1])
        visit("counter_points_card", window)
        window.set_kiosk(True)
        self.wait_until(window.isFullScreen, "kiosk mode")
        self.steady(window, 0.3)
        visit("counter_kiosk", window)
        window.set_kiosk(False)
        self.wait_until(lambda: not window.isFullScreen(), "the window back from kiosk mode")
        self.steady(window, 0.3)

    def _dialogs(self, visit) -> None:
        from terminal.services.demo import STAMP_CARDS
        from terminal.ui.earn_dialog import EarnDialog
        from terminal.ui.pin_pad import PinPadDialog
        from terminal.ui.redeem_dialog import RedeemDialog
        from terminal.ui.settings_dialog import SettingsDialog

        window = self.window
        window.flow.earn_points()  # the points card is on screen
        dialog = self.modal(EarnDialog)
        visit("earn_dialog", dialog)
        dialog.reject()
        self.settle()
        window.flow.redeem()
        dialog = self.modal(RedeemDialog)
        visit("redeem_dialog", dialog)
        dialog.reject()
        self.settle()
        window.flow.undo_last()
        pad = self.modal(PinPadDialog)
        self.wait_until(lambda: bool(pad.staff), "the staff list")
        self.steady(pad)
        visit("undo_pin", pad)
        pad.reject()
        self.settle()
        self._look_up(next(iter(STAMP_CARDS)))
        window.flow.add_stamp()
        pad = self.modal(PinPadDialog)
        self.wait_until(lambda: bool(pad.staff), "the staff list")
        self.steady(pad)
        visit("pin_pad_stamp", pad)
        pad.reject()
        self.settle()
        window.request_owner_grant(lambda grant: None)
        pad = self.modal(PinPadDialog)
        self.wait_until(lambda: bool(pad.staff), "the staff list")
        self.steady(pad)
        visit("owner_pin", pad)
        pad.reject()
        self.settle()
        window.open_settings()
        dialog = self.modal(SettingsDialog)
        visit("settings_dialog", dialog)
        dialog.reject()
        self.settle()
        self._locked_pad(visit)

    def _locked_pad(self, visit) -> None:
        """The PIN pad with a locked-out cashier picked: the owner's unlock button joins its rows."""
        from terminal.domain.errors import LoyaltyError
        from terminal.services.demo import DEMO_CASHIER
        from terminal.ui.pin_pad import PinPadDialog

        staff = self.services.staff
        cashier = next(s for s in staff.list() if s.name == DEMO_CASHIER[0])
        for _ in range(20):  # wrong PINs until the lockout
            try:
                self.services.auth.verify_pin(cashier.staff_id, "00000000")
            except LoyaltyError as error:
                if "locked" in str(error.code).lower():
                    break
        self.window.flow.add_stamp()
        pad = self.modal(PinPadDialog)
        self.wait_until(lambda: bool(pad.staff), "the staff list")
        pad.select_staff(DEMO_CASHIER[0])
        self.wait_until(pad.unlock.isVisible, "the unlock button")
        self.steady(pad)
        visit("pin_pad_locked", pad)
        pad.reject()
        self._owner_grant(lambda grant: staff.unlock(grant, cashier.staff_id))
        self.settle()

    def _owner(self, visit) -> None:
        from terminal.ui.owner.area import PAGE_NAMES
        from terminal.ui.owner_entry import owner_area_class
        from terminal.ui.pairing_dialog import PairingDialog

        window = self.window
        area = window.show_owner_area(owner_area_class())  # a page of the counter window, not a window
        self.steady(window)
        for name in PAGE_NAMES:
            area.show_page(name)
            self.settle(0.1)
            self.steady(window)
            visit(f"owner_{name}", window)
        self._owner_questions(area, visit)
        dialog = area.pages["sync"].open_pairing()
        self.modal(PairingDialog)
        visit("pairing_dialog", dialog)
        dialog.reject()
        self.settle()
        window.close_owner_area()
        self.wait_until(lambda: window.owner_area is None, "the owner area to close")
        self.settle()

    def _owner_questions(self, area, visit) -> None:
        """The owner area's own questions: confirming an adjustment, and no printer set up."""
        from terminal.services.demo import STAMP_CARDS
        from terminal.ui.owner.card_print import NoPrinterBox
        from terminal.ui.owner.confirm import ConfirmBox

        adjust = area.show_page("adjust")
        adjust.card_field.setText(next(iter(STAMP_CARDS)))
        adjust.amount_field.setText("2")
        adjust.reason_field.setText("missed stamps on Monday")
        adjust.apply()
        box = self.modal(ConfirmBox)
        visit("owner_adjust_confirm", box)
        box.reject()
        self.settle()
        adjust.amount_field.clear()
        adjust.reason_field.clear()
        box = NoPrinterBox(area, lambda: None)
        box.open()
        self.modal(NoPrinterBox)
        visit("owner_no_printer", box)
        box.reject()
        self.settle()

    def _wizard(self, visit) -> None:
        from terminal.ui.setup_wizard import SetupWizard

        wizard = SetupWizard(self.services, self.runner)
        wizard.show()
        self.shown(wizard)
        visit("wizard_store", wizard)
        wizard.store_page.name.setText("Demo Café")
        wizard.next()
        wizard.owner_page.name.setText("Olivia")
        wizard.owner_page.pin.setText("9157")
        wizard.owner_page.pin_again.setText("9157")
        self.settle()
        self.steady(wizard)
        visit("wizard_owner", wizard)
        wizard.next()
        self.settle()
        self.steady(wizard)
        visit("wizard_program", wizard)
        wizard.close()
        wizard.deleteLater()
        self.settle()


def _check(out: Path, languages: tuple[str, ...]) -> int:
    from PySide6.QtWidgets import QDialog

    found: list[dict] = []
    seen: set[str] = set()
    walk = Walk(Path(tempfile.mkdtemp(prefix="loyalty-walk-")))

    def visit(screen: str, window) -> None:
        seen.add(screen)
        language = walk.translations.language
        for problem in problems(window, screen):
            found.append({**problem, "language": language})
        if isinstance(window, QDialog) and screen in DIALOGS_CENTRED:
            off = centred_on_parent(window)
            if off:
                found.append({"screen": screen, "window": type(window).__name__, "widget": type(window).__name__,
                              "name": window.objectName(), "text": "", "problem": off, "language": language})

    try:
        walk.run(visit, languages)
    finally:
        walk.close()
    out.write_text(json.dumps({"problems": found, "screens": sorted(seen)}, indent=1, ensure_ascii=False))
    return 0


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    if len(argv) >= 2 and argv[0] == "check":
        return _check(Path(argv[1]), tuple(argv[2:]) or LANGUAGES)
    print("usage: screen_walk.py check OUT.json [LANGUAGE...]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def screenshot_script(script: str, doc: str | None, size: tuple[int, int], child: Callable[[Path], int],
                      env: dict[str, str] | None = None) -> int:
    """The command line of a screenshot script: ``script OUTDIR`` starts a fresh X server of
    ``size`` and runs ``script --child OUTDIR`` in it, where ``child(OUTDIR)`` takes the shots."""
    argv = sys.argv[1:]
    if argv[:1] == ["--child"]:
        return child(Path(argv[1]))
    if len(argv) != 1:
        print(doc)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    with XServer(size) as server:
        done = subprocess.run([sys.executable, script, "--child", str(out)],
                              env={**server.env(), "PYTHONPATH": str(ROOT), "HOME": os.environ.get("HOME", "/tmp"),
                                   **(env or {})})
    return done.returncode
