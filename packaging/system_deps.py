"""Install the system libraries and tools the terminal needs from the OS, where they are missing.

    python packaging/system_deps.py

Qt (PySide6 wheels) needs EGL, OpenGL, fontconfig, xkbcommon, GLib and D-Bus
from the system, and its X11 plugin needs the xcb libraries; pyzbar needs
libzbar. The tests open the window in a real X server, so Xvfb and a small
window manager (openbox) come too. Desktop Linux usually has the libraries,
a fresh server or container does not. On Debian and Ubuntu this installs
what is missing with apt-get (through sudo when not root); with everything
present, or on Windows and macOS (where the wheels carry what they need), it
does nothing. The README's two commands start with it, so they work on a
fresh machine.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys

# library name for ctypes.util.find_library -> Debian package that ships it
LIBRARIES = {
    "EGL": "libegl1", "GL": "libgl1", "fontconfig": "libfontconfig1", "xkbcommon": "libxkbcommon0",
    "glib-2.0": "libglib2.0-0", "dbus-1": "libdbus-1-3", "zbar": "libzbar0",
    # what Qt's xcb plugin links to (from ldd). Installed whether or not DISPLAY is set here: the
    # window may be shown later, from another session, and without them Qt cannot start on X11.
    "xkbcommon-x11": "libxkbcommon-x11-0", "xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0", "xcb-keysyms": "libxcb-keysyms1", "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0", "xcb-render": "libxcb-render0", "xcb-shape": "libxcb-shape0",
    "xcb-shm": "libxcb-shm0", "xcb-sync": "libxcb-sync1", "xcb-util": "libxcb-util1",
    "xcb-xfixes": "libxcb-xfixes0", "xcb-xkb": "libxcb-xkb1",
}
# program on PATH -> Debian package: the X server and window manager the layout test runs the window in
PROGRAMS = {"Xvfb": "xvfb", "openbox": "openbox",
            # the hub console's browser tests drive it through Playwright (never 'playwright install')
            "chromium": "chromium"}


def missing_packages() -> list[str]:
    libraries = {package for library, package in LIBRARIES.items() if ctypes.util.find_library(library) is None}
    programs = {package for program, package in PROGRAMS.items() if shutil.which(program) is None}
    return sorted(libraries | programs)


def main() -> int:
    if not sys.platform.startswith("linux"):
        return 0
    missing = missing_packages()
    if not missing:
        return 0
    if shutil.which("apt-get") is None:
        print(f"system_deps: please install the libraries of these Debian packages with your package manager: "
              f"{', '.join(missing)}", file=sys.stderr)
        return 0  # not a Debian system: the user's package manager knows best
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            print(f"system_deps: run as root: apt-get install {' '.join(missing)}", file=sys.stderr)
            return 1
        prefix = ["sudo"]
    print(f"system_deps: installing {' '.join(missing)}", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    wait_for_lock = ["-o", "DPkg::Lock::Timeout=300"]  # another apt run (unattended upgrades) may hold it
    for command in (["apt-get", *wait_for_lock, "update", "-qq"],
                    ["apt-get", *wait_for_lock, "install", "-y", "-qq", "--no-install-recommends", *missing]):
        done = subprocess.run(prefix + command, env=env, stdout=subprocess.DEVNULL)
        if done.returncode != 0:
            print(f"system_deps: '{' '.join(command)}' failed (exit {done.returncode}); install "
                  f"{' '.join(missing)} by hand, then run the command again.", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
