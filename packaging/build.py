"""Build the self-contained Loyalty Terminal bundle: ``python packaging/build.py``.

Steps: install what the build needs (the project's dependencies when
missing, PyInstaller), compile translations, run the PyInstaller spec, run
the bundle's own ``--self-test``, then wrap it for the platform:

- Linux: ``loyalty-terminal_<version>_<arch>.deb`` (dpkg-deb) and a ``.tar.gz``
  of the folder (for distributions without dpkg);
- Windows: a ``.zip``, and the Inno Setup installer when ``iscc`` is on PATH;
- macOS: ``Loyalty Terminal.app`` zipped, and a ``.dmg`` when ``hdiutil`` is there.

Everything lands in ``packaging/dist/`` (``packaging/build/`` is scratch).
``build-info.json`` there records the version, the build time and the sizes.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NAME = "loyalty-terminal"
PYINSTALLER = "pyinstaller>=6.10,<7"
# What Qt's xcb/wayland plugins and Python need from the system; PyInstaller
# leaves the C library, GL and X11 to the target on purpose (they must match its drivers).
DEB_DEPENDS = ("libc6 (>= 2.31), libegl1, libgl1, libfontconfig1, libxkbcommon0, libxkbcommon-x11-0, "
               "libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-shape0, libxcb-xkb1, libdbus-1-3")


def log(message: str) -> None:
    print(f"[build] {message}", flush=True)


def version() -> str:
    text = (ROOT / "terminal" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def du(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


# -- preparing ----------------------------------------------------------------
def _requirement_names() -> list[str]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    return [re.split(r"[<>=!~\[; ]", dep, maxsplit=1)[0] for dep in deps]


def ensure_tools() -> None:
    """Install the project's runtime dependencies (if any is missing) and PyInstaller."""
    missing = []
    for name in _requirement_names():
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(name)
    if missing:
        log(f"installing the project's dependencies (missing: {', '.join(missing)})")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-e", str(ROOT)], check=True)
    try:
        import PyInstaller  # noqa: F401

        have = importlib.metadata.version("pyinstaller")
        if not have.startswith("6."):
            raise ImportError(have)
    except ImportError:
        log(f"installing {PYINSTALLER}")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", PYINSTALLER], check=True)


def stage_resources(work: Path) -> Path:
    """A copy of resources/ with every .ts compiled to .qm (a .qm already there is kept if newer)."""
    staged = work / "resources"
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(ROOT / "resources", staged)
    for ts in sorted(staged.rglob("*.ts")):
        qm = ts.with_suffix(".qm")
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        lrelease = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
        if lrelease is None:
            sys.exit(f"{ts.name} needs compiling but pyside6-lrelease is missing: pip install PySide6-Essentials")
        subprocess.run([lrelease, "-silent", str(ts), "-qm", str(qm)], check=True)
        log(f"compiled {ts.relative_to(staged)} -> {qm.name}")
    return staged


# -- building -------------------------------------------------------------------
def run_pyinstaller(work: Path, dist: Path, resources: Path, clean: bool) -> Path:
    env = {**os.environ, "LOYALTY_BUILD_RESOURCES": str(resources)}
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work / "pyinstaller"), str(HERE / "loyalty_terminal.spec")]
    if clean:
        cmd.insert(4, "--clean")
    subprocess.run(cmd, check=True, env=env, cwd=ROOT)
    if sys.platform == "darwin":
        return dist / "Loyalty Terminal.app"
    return dist / NAME


def strip_debug_info(bundle: Path) -> int:
    """Drop debug sections from libraries built with them (libpython, lib-dynload, Cython modules).

    PyInstaller's own ``strip`` is all or nothing and corrupts the wheels'
    auditwheel-patched libraries (numpy's OpenBLAS fails to load), so those
    (``*.libs/`` folders) are left alone. Returns the bytes saved.
    """
    strip = shutil.which("strip")
    if not sys.platform.startswith("linux") or strip is None:
        return 0
    saved = 0
    for lib in bundle.rglob("*.so*"):
        if lib.is_symlink() or not lib.is_file() or any(part.endswith(".libs") for part in lib.parts):
            continue
        with lib.open("rb") as fh:
            if fh.read(4) != b"\x7fELF" or b".debug_info" not in lib.read_bytes():
                continue
        before = lib.stat().st_size
        if subprocess.run([strip, "--strip-debug", str(lib)], capture_output=True).returncode == 0:
            saved += before - lib.stat().st_size
    return saved


def bundle_executable(bundle: Path) -> Path:
    """The executable that prints (the console twin on Windows and macOS)."""
    if sys.platform == "win32":
        return bundle / f"{NAME}-cli.exe"
    if sys.platform == "darwin":
        return bundle / "Contents" / "MacOS" / f"{NAME}-cli"
    return bundle / NAME


def self_test(executable: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory(prefix="loyalty-bundle-") as data:
        result = subprocess.run([str(executable), "--self-test", "--data-dir", data], env=env,
                                capture_output=True, text=True, timeout=120)
    print(result.stdout, end="")
    if result.returncode != 0:
        print(result.stderr, end="", file=sys.stderr)
        sys.exit(f"the bundle's self-test failed (exit {result.returncode}); see above")


# -- wrapping -------------------------------------------------------------------
def _deb_arch() -> str:
    try:
        return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())


def build_deb(bundle: Path, dist: Path, ver: str, work: Path) -> Path | None:
    if shutil.which("dpkg-deb") is None:
        log("dpkg-deb not found: no .deb (install the dpkg package); the .tar.gz is still built")
        return None
    root = work / "deb"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(bundle, root / "opt" / NAME, symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / NAME).symlink_to(f"/opt/{NAME}/{NAME}")
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    shutil.copy2(HERE / "linux" / f"{NAME}.desktop", apps)
    icons = root / "usr" / "share" / "icons" / "hicolor"
    for png in sorted((HERE / "icons").glob(f"{NAME}-*.png")):
        size = png.stem.rsplit("-", 1)[1]
        target = icons / f"{size}x{size}" / "apps"
        target.mkdir(parents=True)
        shutil.copy2(png, target / f"{NAME}.png")
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(ROOT / "resources" / "icons" / f"{NAME}.svg", icons / "scalable" / "apps" / f"{NAME}.svg")
    control = (HERE / "linux" / "control.in").read_text(encoding="utf-8").format(
        version=ver, arch=_deb_arch(), depends=DEB_DEPENDS, installed_kib=du(root) // 1024)
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(control, encoding="utf-8")
    for path in [root, *root.rglob("*")]:  # dpkg-deb refuses group/world-writable control dirs
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o022)
    out = dist / f"{NAME}_{ver}_{_deb_arch()}.deb"
    # gzip: a third of xz's build time for a few MB more; every dpkg reads it
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", str(root), str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    return out


def build_tarball(bundle: Path, dist: Path, ver: str) -> Path:
    out = dist / f"{NAME}-{ver}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=f"{NAME}-{ver}")
        tar.add(HERE / "linux" / f"{NAME}.desktop", arcname=f"{NAME}-{ver}/{NAME}.desktop")
    return out


def build_zip(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, Path(folder.name) / path.relative_to(folder))
    return out


def wrap(bundle: Path, dist: Path, ver: str, work: Path, skip_packages: bool) -> list[Path]:
    if skip_packages:
        return []
    if sys.platform.startswith("linux"):
        return [p for p in (build_deb(bundle, dist, ver, work), build_tarball(bundle, dist, ver)) if p]
    if sys.platform == "win32":
        made = [build_zip(bundle, dist / f"{NAME}-{ver}-windows.zip")]
        iscc = shutil.which("iscc")
        if iscc:
            subprocess.run([iscc, f"/DAppVersion={ver}", f"/DSourceDir={bundle}", f"/O{dist}",
                            str(HERE / "windows" / "loyalty-terminal.iss")], check=True)
            made.append(dist / f"{NAME}-{ver}-setup.exe")
        else:
            log("iscc (Inno Setup) not on PATH: only the .zip was made")
        return made
    if sys.platform == "darwin":
        made = [dist / f"{NAME}-{ver}-macos.zip"]
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(bundle), str(made[0])], check=True)
        if shutil.which("hdiutil"):
            dmg = dist / f"{NAME}-{ver}-macos.dmg"
            dmg.unlink(missing_ok=True)
            subprocess.run(["hdiutil", "create", "-volname", "Loyalty Terminal", "-srcfolder", str(bundle),
                            "-ov", "-format", "UDZO", str(dmg)], check=True)
            made.append(dmg)
        return made
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=HERE / "dist", help="where the bundle and packages go")
    parser.add_argument("--work", type=Path, default=HERE / "build", help="scratch folder")
    parser.add_argument("--no-clean", action="store_true", help="reuse PyInstaller's cache from the last build")
    parser.add_argument("--no-packages", action="store_true", help="the bundle folder only (no .deb/.tar.gz/...)")
    parser.add_argument("--no-self-test", action="store_true", help="do not run the bundle's --self-test")
    parser.add_argument("--no-install", action="store_true", help="do not pip-install missing build tools")
    args = parser.parse_args(argv)
    ver = version()
    started = time.monotonic()
    if not args.no_install:
        ensure_tools()
    args.work.mkdir(parents=True, exist_ok=True)
    args.dist.mkdir(parents=True, exist_ok=True)
    log(f"building {NAME} {ver} for {sys.platform} with PyInstaller")
    bundle = run_pyinstaller(args.work, args.dist, stage_resources(args.work), clean=not args.no_clean)
    log(f"stripped {mib(strip_debug_info(bundle))} of debug info")
    bundle_seconds = time.monotonic() - started
    if not args.no_self_test:
        self_test(bundle_executable(bundle))
    packages = wrap(bundle, args.dist, ver, args.work, args.no_packages)
    info = {
        "version": ver,
        "platform": sys.platform,
        "bundle": str(bundle),
        "executable": str(bundle_executable(bundle)),
        "bundle_bytes": du(bundle),
        "bundle_seconds": round(bundle_seconds, 1),
        "total_seconds": round(time.monotonic() - started, 1),
        "packages": {p.name: p.stat().st_size for p in packages},
    }
    (args.dist / "build-info.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    log(f"bundle {bundle} ({mib(info['bundle_bytes'])}) in {info['bundle_seconds']} s")
    for name, size in info["packages"].items():
        log(f"package {args.dist / name} ({mib(size)})")
    log(f"done in {info['total_seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
