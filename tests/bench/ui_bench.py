"""Counter window benchmark: ``python tests/bench/ui_bench.py [--quick]``.

- scan -> card shown: from the moment the scanner confirms a card (demo
  camera at 30 fps, real decoding) to the end of the card panel's first paint
  of it; p50/p95.
- GUI stall: a 5 ms QTimer heartbeat runs the whole time; the longest gap
  between beats while scanning at 30 fps, verifying PINs (production Argon2)
  and writing earns to the ledger through the one background runner.
- idle decode: the window open and the demo camera looking at an empty
  counter; the median decode CPU time per frame (the decode thread's own
  time, so other programs on a shared machine do not count).
- cold start: ``python -m terminal`` in a subprocess on a seeded data dir,
  spawn -> "counter window shown" (LOYALTY_QUIT_AFTER_SHOWN); median.
- memory: the started app's peak resident memory (from the kernel's account
  when it exits), and this process's RSS after scanning. Memory that cannot
  be measured is an error, never a zero. The demo store is seeded by a
  child process and the cold starts run before this process imports the
  app: Linux counts a spawning parent's peak into its child's (vfork shares
  the parent's memory until exec), and a day's start migrates nothing.

Targets: p95 <= 50 ms, stall <= 50 ms, idle decode <= 2 ms, start <= 1 s,
RSS <= 180 MB. Exits 1 when a target is missed; the last line printed is one
JSON object.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bench")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import isolated_env, percentile, print_result, print_table  # noqa: E402

HEARTBEAT_MS = 5


MIN_SCANS = 8
TARGETS = {"scan_to_card_p95_ms": 50, "max_gui_stall_ms": 50, "idle_decode_ms_median": 2, "cold_start_s": 1,
           "rss_mb": 180}


class MeasurementError(RuntimeError):
    """A figure the benchmark needs could not be measured: no result rather than a wrong one."""


def _kib(pid: int | str, field: str) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError as exc:
        raise MeasurementError(f"cannot read {field} of process {pid}: {exc}") from exc
    for line in lines:
        if line.startswith(field + ":"):
            value = int(line.split()[1])
            if value <= 0:
                raise MeasurementError(f"{field} of process {pid} reads {value} kB")
            return value
    raise MeasurementError(f"process {pid} reports no {field} (not Linux, or the process is a zombie)")


class Heartbeat:
    """Records the longest gap between beats of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._beat)
        self.last = 0.0
        self.max_gap = 0.0
        self.long_gaps = 0  # beats more than 30 ms apart

    def start(self) -> None:
        self.reset()
        self.timer.start()

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.max_gap = 0.0
        self.long_gaps = 0

    def _beat(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last)
        self.long_gaps += now - self.last > 0.030
        self.last = now


def run_for(app, seconds: float, until=None) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end and not (until and until()):
        app.processEvents()
        time.sleep(0.001)


def measure_idle(app, scanner, seconds: float) -> tuple[float, float]:
    """The window's scanner looking at an empty counter: median and mean decode CPU ms per frame."""
    from terminal.scanner.demo_source import DemoScene, DemoSource
    from terminal.scanner.synthetic import Spoilers

    class EmptyCounter(DemoSource):
        def scene(self, index: int) -> DemoScene:
            return DemoScene(None, Spoilers(), (0.0, 0.0), 0)

    scanner.stop()
    camera = scanner.source
    scanner.source = EmptyCounter(fps=30)
    try:
        scanner.start()
        run_for(app, 1.0)  # the card's engaged frames are long gone after a second
        scanner._decode.idle_cpu_ms.clear()
        run_for(app, seconds)
        costs = scanner.idle_decode_ms()
        if costs is None:
            raise MeasurementError("the scanner decoded no frame of the empty counter")
        return costs
    finally:
        scanner.stop()
        scanner.source = camera
        scanner.start()


def measure_window(data_dir: Path, scan_seconds: float, busy_seconds: float, idle_seconds: float) -> dict:
    import shiboken6
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from terminal.app import demo_codes
    from terminal.scanner.config import ScannerConfig
    from terminal.scanner.demo_source import DemoSource
    from terminal.scanner.worker import CameraScanner
    from terminal.services.demo import DEMO_CASHIER, POINTS_CARDS
    from terminal.services.facade import open_services
    from terminal.ui.context import UiContext
    from terminal.ui.main_window import MainWindow
    from terminal.ui.operations import OperationRunner
    from terminal.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(["ui-bench"])
    apply_theme(app, "light")
    services = open_services(data_dir)
    runner = OperationRunner()
    codes = demo_codes()
    source = DemoSource(codes, fps=30, shown_s=0.6, gap_s=0.3)
    scanner = CameraScanner(ScannerConfig(camera="demo", demo_codes=codes), source=source)
    window = MainWindow(UiContext(services, runner, services.ctx.store), services.ctx.settings, scanner=scanner)
    confirmed: dict[str, float] = {}
    latencies: list[float] = []
    busy_latencies: list[float] = []
    phase = {"busy": False}
    scanner.card_scanned.connect(lambda scan: confirmed.__setitem__(scan.code, scan.at))

    def painted(code: str) -> None:
        at = confirmed.pop(code, None)
        if at is not None:
            (busy_latencies if phase["busy"] else latencies).append(time.monotonic() - at)
            # One customer at a time: a card on screen stays until the cashier ends it, and the camera
            # only offers the next one. The cashier here serves each customer and presses Next customer.
            QTimer.singleShot(0, window.flow.clear_card)

    window.page.card_panel.card_painted.connect(painted)
    heartbeat = Heartbeat()
    try:
        window.resize(1280, 800)
        window.show()
        scanner.start()
        heartbeat.start()
        run_for(app, 1.0)  # camera up, first frames decoded
        heartbeat.reset()
        run_for(app, scan_seconds)
        scan_stall, scan_long_gaps = heartbeat.max_gap, heartbeat.long_gaps
        rss_scanning = _kib("self", "VmRSS") / 1024
        stats = scanner.stats()
        idle_decode_ms = measure_idle(app, scanner, idle_seconds)

        heartbeat.reset()
        phase["busy"] = True
        staff_id = next(s.staff_id for s in services.staff.list() if s.name == DEMO_CASHIER[0])
        card = next(iter(POINTS_CARDS))
        done = {"pins": 0, "writes": 0}

        def earn(grant) -> None:
            services.counter.earn(grant, card, 450)
            done["writes"] += 1

        end = time.monotonic() + busy_seconds
        def confirmed_pin(grant) -> None:
            done["pins"] += 1
            runner.run(lambda: earn(grant))

        while time.monotonic() < end:
            runner.run(lambda: services.auth.verify_pin(staff_id, DEMO_CASHIER[1]), on_success=confirmed_pin)
            run_for(app, 5.0, until=lambda: not runner.busy)
        busy_stall, busy_long_gaps = heartbeat.max_gap, heartbeat.long_gaps
    finally:
        heartbeat.timer.stop()
        scanner.stop()
        window.page.preview.detach()
        window.close()
        runner.shutdown()
        services.close()
        # delete the Qt objects now, in order, rather than leave them to the interpreter's final GC
        for obj in (window, scanner, runner, heartbeat.timer):
            shiboken6.delete(obj)
    return {"latencies": latencies, "busy_latencies": busy_latencies, "scan_stall": scan_stall,
            "busy_stall": busy_stall, "long_gaps": scan_long_gaps + busy_long_gaps, "pins": done["pins"],
            "writes": done["writes"], "rss_scanning_mb": rss_scanning, "frames": stats,
            "idle_decode_ms": idle_decode_ms}


def cold_start(data_dir: Path, runs: int) -> tuple[list[float], list[float]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LOYALTY_QUIT_AFTER_SHOWN": "1", "LOYALTY_CAMERA": "demo"}
    times, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "terminal", "--data-dir", str(data_dir)], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = child.stdout.readline()
        shown = time.perf_counter() - started
        child.stdout.read()
        # the kernel's account of the child's peak, taken as it is reaped: it cannot miss an exited child
        _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0 or "counter window shown" not in line:
            raise RuntimeError(f"the window did not start (exit {child.returncode}, said {line!r})")
        if usage.ru_maxrss <= 0:
            raise MeasurementError("the kernel reported no peak memory for the started app")
        times.append(shown)
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return times, peaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs, under a minute")
    args = parser.parse_args()
    scan_s, busy_s, idle_s, starts = (12.0, 4.0, 4.0, 3) if args.quick else (45.0, 15.0, 10.0, 5)
    work = Path(tempfile.mkdtemp(prefix="loyalty-ui-bench-"))
    isolated_env(work / "config")
    data_dir = work / "data"
    seed = ("import sys; from pathlib import Path; from terminal.services.demo import seed_demo; "
            "from terminal.services.facade import open_services; "
            "s = open_services(Path(sys.argv[1])); seed_demo(s); s.close()")
    subprocess.run([sys.executable, "-c", seed, str(data_dir)], cwd=ROOT, check=True)  # cwd: this checkout

    starts_s, peaks_mb = cold_start(data_dir, starts)  # while this process is small: see the docstring
    from terminal.app import prepare_process

    prepare_process()  # as the app does, before any thread: PySide's refcount fix, malloc settings
    window = measure_window(data_dir, scan_s, busy_s, idle_s)
    lat_ms = [x * 1000 for x in window["latencies"]]
    if os.environ.get("UI_BENCH_DEBUG"):
        print([round(x, 1) for x in lat_ms])
    result = {
        "scan_to_card_p50_ms": round(percentile(lat_ms, 50), 1),
        "scan_to_card_p95_ms": round(percentile(lat_ms, 95), 1),
        "scan_to_card_max_ms": round(max(lat_ms), 1) if lat_ms else None,
        "scans": len(lat_ms),
        # while a PIN check (Argon2) holds the one worker, a lookup waits for it; at the counter the
        # PIN pad is open then and scans are ignored, so this is for information only
        "scan_to_card_during_pin_p95_ms": round(percentile([x * 1000 for x in window["busy_latencies"]], 95), 1)
        if window["busy_latencies"] else None,
        "max_gui_stall_ms": round(max(window["scan_stall"], window["busy_stall"]) * 1000, 1),
        "gui_stall_scanning_ms": round(window["scan_stall"] * 1000, 1),
        "gui_stall_pin_and_ledger_ms": round(window["busy_stall"] * 1000, 1),
        "gui_gaps_over_30ms": window["long_gaps"],
        "pin_checks": window["pins"],
        "ledger_writes": window["writes"],
        "idle_decode_ms_median": round(window["idle_decode_ms"][0], 3),
        # the cost per frame: the decoder reads every other frame of an empty counter
        "idle_decode_ms_mean": round(window["idle_decode_ms"][1], 3),
        "cold_start_s": round(statistics.median(starts_s), 2),
        "cold_start_max_s": round(max(starts_s), 2),
        # the larger of: the started app's peak (start to exit), and this process after scanning
        "rss_mb": round(max(*peaks_mb, window["rss_scanning_mb"]), 1),
        "rss_app_peak_mb": round(max(peaks_mb), 1),
        "rss_scanning_mb": round(window["rss_scanning_mb"], 1),
        "frames_decoded": window["frames"].get("decoded", 0),
        "quick": args.quick,
    }
    missed = [k for k, t in TARGETS.items() if result[k] is None or result[k] > t]
    if len(lat_ms) < MIN_SCANS:  # a percentile of a handful of scans says nothing
        missed.append(f"scans >= {MIN_SCANS}")
    print_table(["measure", "value", "target", "ok"],
                [[k, result[k], f"<= {t}", "NO" if k in missed else "yes"] for k, t in TARGETS.items()])
    result["targets_missed"] = missed
    result["targets_met"] = not missed
    print_result(result)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
