"""Where a save dialog starts: the folder used last, else the user's Documents folder.

Never the process's working directory: started from a desktop menu that is wherever the launcher was,
often a folder the owner never looks in. The last folder outlives a restart: it is kept per till in
``window.ini`` (QSettings, INI format) in the till's data dir, not in the ledger, which is about
customers' cards and syncs to every till. A kept folder that is gone (a USB stick pulled out, a folder
deleted) falls back to Documents.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

PLACES_FILE = "window.ini"
LAST_FOLDER_KEY = "files/last_folder"

_last_folder: Path | None = None
_kept: QSettings | None = None  # the till's window.ini, once keep_in has named the data dir


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def keep_in(data_dir: Path) -> None:
    """Keep the last folder in ``data_dir``'s window.ini from now on, starting from what it holds."""
    global _last_folder, _kept  # one place per running window, shared by every page
    _kept = QSettings(str(Path(data_dir) / PLACES_FILE), QSettings.Format.IniFormat)
    saved = _kept.value(LAST_FOLDER_KEY, "")
    _last_folder = Path(saved) if isinstance(saved, str) and saved else None


def last_folder() -> Path:
    """The folder a save dialog opens in."""
    return _last_folder if _last_folder is not None and _last_folder.is_dir() else documents_folder()


def suggested_path(filename: str) -> str:
    """``filename`` in the folder a save dialog should open in."""
    return str(last_folder() / filename)


def remember(path: str | Path) -> None:
    """The folder of a file just chosen, for the next save dialog, also after a restart."""
    global _last_folder
    _last_folder = Path(path).parent
    if _kept is not None:
        _kept.setValue(LAST_FOLDER_KEY, str(_last_folder))
        _kept.sync()  # written now: a till is often switched off, not closed


def forget() -> None:
    """Forget the folder and stop keeping it (tests start from a clean slate)."""
    global _last_folder, _kept
    _last_folder, _kept = None, None
