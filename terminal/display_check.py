"""Before the window: can Qt show one here? One sentence naming the fix, instead of Qt's abort.

When Qt cannot load its platform plugin it prints "could not load the Qt
platform plugin" and aborts the process, which a cashier cannot act on. The
usual causes are checked first, cheaply (no subprocess): a platform name
that does not exist, an X11 session without a display, and an X11 plugin
whose system libraries are missing (loading the plugin names the first one).
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

FIX = "python packaging/system_deps.py"


def chosen_platform(environ: Mapping[str, str]) -> str | None:
    """The platform plugin Qt will try first, or None where the wheel brings its own (Windows, macOS)."""
    raw = environ.get("QT_QPA_PLATFORM", "").strip()
    if raw:
        return re.split(r"[;:]", raw, maxsplit=1)[0].strip() or None
    if not sys.platform.startswith("linux"):
        return None
    if environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"):
        return None  # Qt tries Wayland first and falls back to X11 by itself
    return "xcb"


def default_plugins_dir() -> Path:
    from PySide6.QtCore import QLibraryInfo

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))


def plugin_file(plugins_dir: Path, name: str) -> Path | None:
    folder = plugins_dir / "platforms"
    if not folder.is_dir():
        return None
    for path in folder.iterdir():
        stem = path.name.split(".")[0]
        if stem.removeprefix("lib") == f"q{name}":
            return path
    return None


def _missing_library(error: OSError) -> str:
    # glibc: "libxcb-cursor.so.0: cannot open shared object file: No such file or directory"
    text = str(error)
    names = re.findall(r"([\w.+-]+\.so[\w.]*): cannot open shared object file", text)
    return names[0] if names else text


def display_problem(environ: Mapping[str, str] | None = None, plugins_dir: Path | None = None) -> str | None:
    """What stops the window from opening here, as one sentence naming the fix; None when nothing does."""
    environ = os.environ if environ is None else environ
    name = chosen_platform(environ)
    if name is None:
        return None
    plugins_dir = plugins_dir or default_plugins_dir()
    plugin = plugin_file(plugins_dir, name)
    if plugin is None:
        return (f"The window cannot open: Qt has no display plugin called {name!r} (QT_QPA_PLATFORM). "
                f"Unset QT_QPA_PLATFORM, or set it to xcb or wayland, and install the system libraries with "
                f"`{FIX}`.")
    if name != "xcb":
        return None
    if not environ.get("DISPLAY"):
        return ("The window cannot open: there is no X display (DISPLAY is not set). Start the terminal from "
                f"the desktop session, or set DISPLAY; `{FIX}` installs the X libraries it needs.")
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        return (f"The window cannot open: Qt's X11 display plugin needs {_missing_library(exc)}, which is not "
                f"installed. Install the system libraries with `{FIX}`, then start again.")
    return None
