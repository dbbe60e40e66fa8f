"""Screenshots of the counter window with the demo store, at three screen sizes.

    python tests/bench/screenshots.py OUTDIR [--all]

For each of 1024x600, 1366x768 and 1920x1080 it starts Xvfb with openbox
(tests/ui/screen_walk.py's XServer) and takes the whole screen, window frame
and all, so the pictures show how the window fits a till of that size:
counter (a demo card shown, camera picture with the code outline), pin_pad,
stamp_ok, refusal (cooldown), counter_id (Indonesian), counter_dark,
owner_area (staff), report, owner_void_confirm, owner_history and hub_sync,
as ``NAME-WxH.png``. ``--all`` also
writes every screen the layout test opens (``walk-SCREEN-LANG-WxH.png``).
Without Xvfb it falls back to the offscreen platform and grabs the window
alone, resized to each size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench"), str(ROOT / "tests" / "ui")]

from _common import isolated_env  # noqa: E402
from screen_walk import SIZES, Walk, XServer, x_server_missing  # noqa: E402


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


class Camera:
    """Saves pictures: the whole X screen, or (offscreen) the window itself."""

    def __init__(self, walk: Walk, out: Path, size: tuple[int, int]) -> None:
        self.walk, self.out, self.size = walk, out, size
        self.on_x = walk.app.platformName() == "xcb"

    def save(self, name: str, widget) -> None:
        self.walk.steady(widget, 0.3)
        picture = (self.walk.app.primaryScreen().grabWindow(0) if self.on_x else widget.window().grab())
        path = self.out / f"{name}-{self.size[0]}x{self.size[1]}.png"
        if not picture.save(str(path)):
            raise OSError(f"could not write {path}")
        print(path, flush=True)


def scenes(walk: Walk, camera: Camera) -> None:
    from terminal.services.demo import DEMO_CASHIER, STAMP_CARDS
    from terminal.ui.owner_entry import owner_area_class
    from terminal.ui.pin_pad import PinPadDialog
    from terminal.ui.theme import apply_theme

    app, window = walk.app, walk.window
    if not camera.on_x:
        window.resize(*camera.size)
    window.show()
    walk.shown(window)
    code = next(iter(STAMP_CARDS))
    show_camera_frame(window, code)
    walk._look_up(code)
    camera.save("counter", window)

    def stamp_pad() -> PinPadDialog:
        window.flow.add_stamp()
        pad = walk.modal(PinPadDialog)
        walk.wait_until(lambda: bool(pad.staff), "the staff list")
        return pad

    pad = stamp_pad()
    pad.select_staff(DEMO_CASHIER[0])
    pad.pin.setText(DEMO_CASHIER[1][:2])
    camera.save("pin_pad", pad)
    pad.pin.setText(DEMO_CASHIER[1])
    pad.submit()
    walk.wait_until(lambda: window.page.banner.kind == "ok", "the stamp")
    walk.settle(1.0)  # the banner's flash is over
    camera.save("stamp_ok", window)

    # In the cooldown Add stamp is disabled with its countdown; F2 then says why, with no PIN asked.
    window.flow.add_stamp()
    walk.wait_until(lambda: window.page.banner.kind == "refused", "the refusal")
    walk.settle(1.0)
    camera.save("refusal", window)
    english = window.page.banner.text()

    walk.translations.set_language("id")
    window.flow.add_stamp()  # the same refusal again, now worded in Indonesian
    walk.wait_until(lambda: window.page.banner.kind == "refused" and window.page.banner.text() != english,
                    "the Indonesian refusal")
    walk.settle(1.0)
    camera.save("counter_id", window)
    walk.translations.set_language("en")
    apply_theme(app, "dark")
    window.flow.look_up(code)  # the banner speaks English again
    walk.wait_until(lambda: window.page.banner.kind == "idle", "the card found again")
    walk.settle(0.3)
    camera.save("counter_dark", window)
    apply_theme(app, "light")

    area_class = owner_area_class()
    if area_class is not None:
        owner_scenes(walk, camera, area_class, code)


def owner_scenes(walk: Walk, camera: Camera, area_class: type, code: str) -> None:
    """The owner area, a page of the counter window: staff, report, a void's confirmation, history, sync."""
    from terminal.ui.owner.confirm import ConfirmBox

    window = walk.window
    area = window.show_owner_area(area_class, "staff")
    walk.steady(window)
    walk.settle(0.5)
    camera.save("owner_area", window)
    area.show_page("report")
    walk.settle(0.5)
    camera.save("report", window)
    void = area.show_page("void")  # the counter's card is filled in and its entries listed
    walk.settle(0.5)
    walk.wait_until(lambda: void.table.rowCount() > 0, "the card's entries")
    void.select_entry(void.entries[0].entry_id)
    void.reason_field.setText("stamped the wrong card")
    void.void_selected()
    box = walk.modal(ConfirmBox)
    camera.save("owner_void_confirm", box)
    box.reject()
    walk.settle()
    area.show_page("history")
    walk.settle(0.5)
    camera.save("owner_history", window)
    area.show_page("sync")
    walk.settle(0.5)
    camera.save("hub_sync", window)
    window.close_owner_area()
    walk.wait_until(lambda: window.owner_area is None, "the owner area to close")


def every_screen(walk: Walk, camera: Camera) -> None:
    def visit(screen: str, widget) -> None:
        camera.save(f"walk-{screen}-{walk.translations.language}", widget)

    walk.run(visit)


def child(out: Path, size: tuple[int, int], everything: bool) -> int:
    isolated_env(Path(tempfile.mkdtemp(prefix="loyalty-shots-config-")))
    walk = Walk(Path(tempfile.mkdtemp(prefix="loyalty-shots-")))
    camera = Camera(walk, out, size)
    try:
        scenes(walk, camera)
        if everything:
            every_screen(walk, camera)
    finally:
        walk.close()
    return 0


def main(out: Path, everything: bool) -> int:
    out.mkdir(parents=True, exist_ok=True)
    missing = x_server_missing()
    if missing:
        print(f"screenshots: {missing}; taking them offscreen (window only)", file=sys.stderr)
    for size in SIZES:
        args = [sys.executable, __file__, "--child", f"{size[0]}x{size[1]}", str(out)] + (
            ["--all"] if everything else [])
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        if missing:
            done = subprocess.run(args, env={**env, "QT_QPA_PLATFORM": "offscreen"})
        else:
            with XServer(size) as server:
                done = subprocess.run(args, env={**server.env(), "PYTHONPATH": str(ROOT)})
        if done.returncode != 0:
            return done.returncode
    return 0


if __name__ == "__main__":
    argv = sys.argv[1:]
    if argv[:1] == ["--child"]:
        width, height = (int(n) for n in argv[1].split("x"))
        sys.exit(child(Path(argv[2]), (width, height), "--all" in argv))
    flags = [a for a in argv if a.startswith("--")]
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) != 1 or set(flags) - {"--all"}:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(Path(paths[0]), "--all" in flags))
