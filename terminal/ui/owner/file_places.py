"""Where a save dialog starts: the folder used last, else the user's Documents folder.

Never the process's working directory: started from a desktop menu that is wherever the launcher was,
often a folder the owner never looks in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

_last_folder: Path | None = None


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def suggested_path(filename: str) -> str:
    """``filename`` in the folder a save dialog should open in."""
    folder = _last_folder if _last_folder is not None and _last_folder.is_dir() else documents_folder()
    return str(folder / filename)


def remember(path: str | Path) -> None:
    """The folder of a file just chosen, for the next save dialog of this session."""
    global _last_folder  # one place per running window, shared by every page
    _last_folder = Path(path).parent


def forget() -> None:
    global _last_folder
    _last_folder = None
