"""Install the system libraries the terminal needs from the OS, where they are missing.

    python packaging/system_deps.py

Qt (PySide6 wheels) needs EGL, OpenGL, fontconfig, xkbcommon, GLib and D-Bus
from the system, and its X11 plugin needs xcb-cursor; pyzbar needs libzbar.
Desktop Linux usually has them, a fresh server or container does not. On
Debian and Ubuntu this installs what is missing with apt-get (through sudo
when not root); with everything present, or on Windows and macOS (where the
wheels carry what they need), it does nothing. The README's two commands
start with it, so they work on a fresh machine.
"""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys

# library name for ctypes.util.find_library -> Debian package that ships it
ALWAYS = {
    "EGL": "libegl1", "GL": "libgl1", "fontconfig": "libfontconfig1", "xkbcommon": "libxkbcommon0",
    "glib-2.0": "libglib2.0-0", "dbus-1": "libdbus-1-3", "zbar": "libzbar0",
}
# only with a screen to show the window on (X11); offscreen runs and tests need none of these
# (what Qt's xcb plugin links to, from ldd; libxcb itself comes with every X11 system)
ON_A_DISPLAY = {
    "xkbcommon-x11": "libxkbcommon-x11-0", "xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0", "xcb-keysyms": "libxcb-keysyms1", "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0", "xcb-render": "libxcb-render0", "xcb-shape": "libxcb-shape0",
    "xcb-shm": "libxcb-shm0", "xcb-sync": "libxcb-sync1", "xcb-util": "libxcb-util1",
    "xcb-xfixes": "libxcb-xfixes0", "xcb-xkb": "libxcb-xkb1",
}


def missing_packages(display: bool) -> list[str]:
    wanted = {**ALWAYS, **(ON_A_DISPLAY if display else {})}
    return sorted({package for library, package in wanted.items() if ctypes.util.find_library(library) is None})


def main() -> int:
    if not sys.platform.startswith("linux"):
        return 0
    missing = missing_packages(display=bool(os.environ.get("DISPLAY")))
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
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing]):
        done = subprocess.run(prefix + command, env=env, stdout=subprocess.DEVNULL)
        if done.returncode != 0:
            print(f"system_deps: '{' '.join(command)}' failed (exit {done.returncode}); install "
                  f"{' '.join(missing)} by hand, then run the command again.", file=sys.stderr)
            return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
