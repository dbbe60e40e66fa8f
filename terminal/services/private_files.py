"""Files the app writes for people (CSV exports, backups): readable by their owner only.

An export holds customers' names and the ledger; under the usual umask a
plain ``open(path, "w")`` makes it 0644, readable by every account on the
computer. The folder is the user's choice and is left as it is.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, TextIO


def open_private_text(path: str | Path, encoding: str = "utf-8") -> TextIO:
    """``path`` opened for writing text (CSV-ready newlines), created or truncated, mode 0600."""
    return os.fdopen(_private_fd(path), "w", newline="", encoding=encoding)


def open_private_binary(path: str | Path) -> BinaryIO:
    """``path`` opened for writing bytes (a PDF, a workbook), created or truncated, mode 0600."""
    return os.fdopen(_private_fd(path), "wb")


def _private_fd(path: str | Path) -> int:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        if os.name == "posix" and stat.S_IMODE(os.fstat(fd).st_mode) != 0o600:
            os.fchmod(fd, 0o600)  # an older file keeps its mode through O_TRUNC
    except BaseException:
        os.close(fd)
        raise
    return fd
