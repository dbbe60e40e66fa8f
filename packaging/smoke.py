"""Smoke test of the bundle: ``python packaging/smoke.py``.

Builds the bundle (``build.py`` into a scratch folder, timed), then runs it
offscreen on fresh data dirs: ``--version``, ``--self-test``, and ``--demo``
until the counter window is shown (``LOYALTY_QUIT_AFTER_SHOWN=1`` makes the
app print ``counter window shown`` and exit 0). The .deb is unpacked and its
copy self-tested too. Start-up times of the bundle and of ``python -m
terminal`` are measured in the same run and printed side by side.

Exit 0 when every step passed; the last lines name what failed otherwise.
tests/bundle/test_bundle.py runs the same steps under pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WINDOW_SHOWN = "counter window shown"
STEP_TIMEOUT = 120


def window_missing_reason() -> str | None:
    """Why the window step cannot run yet, or None when it can."""
    if not (ROOT / "terminal" / "app.py").exists():
        return "terminal/app.py (the counter window) is not in this checkout yet"
    return None


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def describe(self) -> str:
        tail = (self.stdout + self.stderr).strip().splitlines()[-8:]
        return f"exit {self.returncode} after {self.seconds:.1f} s; last output:\n    " + "\n    ".join(tail)


@dataclass
class Report:
    timings: dict[str, dict[str, float]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    info: dict[str, object] = field(default_factory=dict)

    def check(self, ok: bool, what: str, run: Run | None = None) -> bool:
        if not ok:
            self.failures.append(what + (f" ({run.describe()})" if run else ""))
        return ok


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """Offscreen Qt, and a PIN key file in ``home``: a smoke run never touches the real keyring."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOYALTY_") or k.startswith("LOYALTY_PIN_")}
    env.update(QT_QPA_PLATFORM="offscreen", LOYALTY_SECRET_BACKEND="file",
               LOYALTY_CONFIG_DIR=str(home / "config"), **extra)
    return env


def run(cmd: list[str], env: dict[str, str], timeout: float = STEP_TIMEOUT) -> Run:
    started = time.perf_counter()
    try:
        done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return Run(-1, out, f"timed out after {timeout} s", time.perf_counter() - started)
    return Run(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)


def build(dist: Path, work: Path, packages: bool = True) -> tuple[dict, float]:
    """Run build.py; returns its build-info.json and the wall time."""
    cmd = [sys.executable, str(HERE / "build.py"), "--dist", str(dist), "--work", str(work)]
    if not packages:
        cmd.append("--no-packages")
    started = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    return json.loads((dist / "build-info.json").read_text(encoding="utf-8")), seconds


def _fresh(scratch: Path, name: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=scratch))
    return path / "data"


def smoke_steps(command: list[str], version: str, scratch: Path, report: Report, label: str,
                repeat: int = 1, window: bool = True) -> None:
    """--version, --self-test and the window of one way to start the app; timed ``repeat`` times."""
    env = isolated_env(scratch)
    timings = report.timings.setdefault(label, {})

    version_runs = [run([*command, "--version"], env) for _ in range(max(repeat, 1))]
    first = version_runs[0]
    report.check(first.returncode == 0 and version in first.stdout, f"{label}: --version", first)
    timings["version_first_s"] = round(first.seconds, 3)
    timings["version_median_s"] = round(statistics.median(r.seconds for r in version_runs), 3)

    test_runs = [run([*command, "--self-test", "--data-dir", str(_fresh(scratch, "selftest"))], env)
                 for _ in range(max(repeat, 1))]
    first = test_runs[0]
    report.check(first.returncode == 0 and "self-test passed" in first.stdout, f"{label}: --self-test", first)
    report.info[f"{label} self-test"] = first.stdout.strip()
    timings["self_test_median_s"] = round(statistics.median(r.seconds for r in test_runs), 3)

    if not window:
        return
    reason = window_missing_reason()
    if reason:
        report.skipped.append(f"{label}: window step skipped: {reason}")
        return
    window_env = {**env, "LOYALTY_QUIT_AFTER_SHOWN": "1"}
    window_runs = [run([*command, "--demo", "--data-dir", str(_fresh(scratch, "window"))], window_env)
                   for _ in range(max(repeat, 1))]
    first = window_runs[0]
    report.check(first.returncode == 0 and WINDOW_SHOWN in first.stdout,
                 f"{label}: --demo until '{WINDOW_SHOWN}'", first)
    timings["window_shown_median_s"] = round(statistics.median(r.seconds for r in window_runs), 3)


def smoke_deb(deb: Path, scratch: Path, report: Report) -> None:
    """Unpack the .deb (as dpkg would install it) and self-test that copy."""
    if shutil.which("dpkg-deb") is None:
        report.skipped.append("deb: dpkg-deb not installed")
        return
    root = scratch / "deb-root"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    fields = subprocess.run(["dpkg-deb", "-f", str(deb), "Package", "Version", "Depends"],
                            capture_output=True, text=True, check=True).stdout
    report.info["deb control"] = fields.strip()
    expected = [root / "opt/loyalty-terminal/loyalty-terminal", root / "usr/bin/loyalty-terminal",
                root / "usr/share/applications/loyalty-terminal.desktop",
                root / "usr/share/icons/hicolor/256x256/apps/loyalty-terminal.png",
                root / "usr/share/icons/hicolor/scalable/apps/loyalty-terminal.svg"]
    for path in expected:
        report.check(path.exists() or path.is_symlink(), f"deb: {path.relative_to(root)} is missing")
    result = run([str(expected[0]), "--self-test", "--data-dir", str(_fresh(scratch, "deb"))], isolated_env(scratch))
    report.check(result.returncode == 0 and "self-test passed" in result.stdout, "deb: --self-test", result)


def print_report(report: Report, out=sys.stdout) -> None:  # noqa: ANN001
    print("\n== smoke report ==", file=out)
    for key, value in report.info.items():
        if isinstance(value, str) and "\n" in value:
            print(f"{key}:\n    " + value.replace("\n", "\n    "), file=out)
        else:
            print(f"{key}: {value}", file=out)
    names = sorted({name for t in report.timings.values() for name in t})
    labels = list(report.timings)
    print(f"{'seconds':24}" + "".join(f"{label:>20}" for label in labels), file=out)
    for name in names:
        cells = "".join(f"{report.timings[label].get(name, float('nan')):>20.2f}" for label in labels)
        print(f"{name:24}{cells}", file=out)
    for line in report.skipped:
        print("SKIPPED", line, file=out)
    for line in report.failures:
        print("FAILED ", line, file=out)
    print("smoke test " + ("FAILED" if report.failures else "passed"), file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per step (the median is reported)")
    parser.add_argument("--no-build", action="store_true",
                        help="smoke-test the bundle in packaging/dist as built last (no build time then)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder and print where it is")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="loyalty-smoke-"))
    report = Report()
    try:
        if args.no_build:
            dist = HERE / "dist"
            info = json.loads((dist / "build-info.json").read_text(encoding="utf-8"))
        else:
            dist = scratch / "dist"
            info, seconds = build(dist, scratch / "work")
            report.info["build wall time"] = f"{seconds:.1f} s (bundle alone {info['bundle_seconds']} s)"
        report.info["bundle size"] = f"{info['bundle_bytes'] / 2**20:.1f} MiB"
        for name, size in info["packages"].items():
            report.info[name] = f"{size / 2**20:.1f} MiB"
        smoke_steps([info["executable"]], info["version"], scratch, report, "bundle", args.repeat)
        smoke_steps([sys.executable, "-m", "terminal"], info["version"], scratch, report, "python -m terminal",
                    args.repeat)
        debs = [dist / name for name in info["packages"] if name.endswith(".deb")]
        if debs:
            smoke_deb(debs[0], scratch, report)
        (dist / "smoke-report.json").write_text(json.dumps(
            {"timings": report.timings, "failures": report.failures, "skipped": report.skipped,
             "info": report.info}, indent=2) + "\n", encoding="utf-8")
    finally:
        if args.keep:
            print(f"scratch folder kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print_report(report)
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
