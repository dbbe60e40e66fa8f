"""Screenshots of the counter window with the demo store: ``python tests/bench/screenshots.py OUTDIR``.

Writes counter.png (a demo card shown, camera picture with the code
outline), pin_pad.png, stamp_ok.png, refusal.png (cooldown), counter_dark.png,
counter_id.png (Indonesian) and, when this build has the owner area,
owner_area.png, report.png and hub_sync.png. Runs offscreen or under ``xvfb-run``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import isolated_env  # noqa: E402

SIZE = (1280, 800)


def wait_until(app, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def settle(app, seconds: float = 0.3) -> None:
    """Let the banner's flash finish and layouts settle before a picture is taken."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def show_camera_frame(window, code: str) -> None:
    """Put a demo camera frame with the card's outline into the preview, as a live camera would."""
    from terminal.scanner.demo_source import DemoSource
    from terminal.scanner.events import CameraState, CameraStatus, Outline, PreviewFrame

    source = DemoSource([code], size=(1280, 720), realtime=False)
    index = 20
    corners = source.symbol_corners(index)
    outlines = (Outline(tuple(map(tuple, corners.tolist())), "card"),) if corners is not None else ()
    window.page.preview.set_status(CameraStatus(CameraState.RUNNING, "Camera running", "demo camera"))
    window.page.preview.show_frame(PreviewFrame(source.render_frame(index), outlines, time.monotonic()))


def save(widget, path: Path) -> None:
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    print(path)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="loyalty-shots-"))
    isolated_env(work / "config")
    from PySide6.QtWidgets import QApplication

    from terminal.services.demo import DEMO_CASHIER, DEMO_OWNER, STAMP_CARDS, seed_demo
    from terminal.services.facade import open_services
    from terminal.ui.context import UiContext
    from terminal.ui.i18n import Translations
    from terminal.ui.main_window import MainWindow
    from terminal.ui.operations import OperationRunner
    from terminal.ui.owner_entry import owner_area_class
    from terminal.ui.pin_pad import PinPadDialog
    from terminal.ui.pyside_compat import make_singletons_immortal
    from terminal.ui.theme import apply_theme

    make_singletons_immortal()

    app = QApplication.instance() or QApplication(["screenshots"])
    apply_theme(app, "light")
    translations = Translations(app)
    services = open_services(work / "data")
    seed_demo(services)
    runner = OperationRunner()
    window = MainWindow(UiContext(services, runner, services.ctx.store), services.ctx.settings,
                        translations=translations)
    try:
        window.resize(*SIZE)
        window.show()
        code = next(iter(STAMP_CARDS))
        show_camera_frame(window, code)
        window.flow.look_up(code)
        wait_until(app, lambda: window.page.card_panel.view is not None)
        settle(app)
        save(window, out / "counter.png")

        window.flow.add_stamp()
        wait_until(app, lambda: isinstance(app.activeModalWidget(), PinPadDialog) and app.activeModalWidget().staff)
        pad = app.activeModalWidget()
        pad.select_staff(DEMO_CASHIER[0])
        pad.pin.setText(DEMO_CASHIER[1][:2])
        settle(app)
        save(pad, out / "pin_pad.png")
        pad.pin.setText(DEMO_CASHIER[1])
        pad.submit()
        wait_until(app, lambda: window.page.banner.kind == "ok")
        settle(app, 1.0)
        save(window, out / "stamp_ok.png")

        window.flow.add_stamp()
        wait_until(app, lambda: isinstance(app.activeModalWidget(), PinPadDialog) and app.activeModalWidget().staff)
        pad = app.activeModalWidget()
        pad.pin.setText(DEMO_CASHIER[1])
        pad.submit()
        wait_until(app, lambda: window.page.banner.kind == "refused")
        settle(app, 1.0)
        save(window, out / "refusal.png")

        translations.set_language("id")
        window.flow.add_stamp()  # the same refusal again, now worded in Indonesian
        wait_until(app, lambda: isinstance(app.activeModalWidget(), PinPadDialog) and app.activeModalWidget().staff)
        pad = app.activeModalWidget()
        pad.pin.setText(DEMO_CASHIER[1])
        pad.submit()
        wait_until(app, lambda: window.page.banner.kind == "refused" and "Distempel" in window.page.banner.text())
        settle(app, 1.0)
        save(window, out / "counter_id.png")
        translations.set_language("en")
        apply_theme(app, "dark")
        settle(app)
        save(window, out / "counter_dark.png")
        apply_theme(app, "light")

        area_class = owner_area_class()
        if area_class is not None:
            owner_id = next(s.staff_id for s in services.staff.list() if s.name == DEMO_OWNER[0])
            window._grant_for_owner_area = lambda callback: callback(  # the script stands in for the owner's PIN
                services.auth.verify_pin(owner_id, DEMO_OWNER[1]))
            area = window.show_owner_area(area_class, "staff")
            area.resize(*SIZE)
            settle(app, 1.5)
            save(area, out / "owner_area.png")
            area.show_page("report")
            settle(app, 2.0)
            save(area, out / "report.png")
            area.show_page("sync")
            settle(app, 1.0)
            save(area, out / "hub_sync.png")
            area.close()
    finally:
        window.close()
        runner.shutdown()
        services.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(Path(sys.argv[1])))
