"""Writing a table an owner can open: CSV or XLSX (openpyxl), readable by its owner only.

A minimal stand-in with the shared signature; the owner-page branch brings
the full module (the lead reconciles them at merge).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from terminal.services.private_files import open_private_text

FORMATS = ("csv", "xlsx")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | datetime | date | None


def _safe(value: Cell) -> Cell:
    # Text starting like a formula would run as one when the file is opened.
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def write_table(path: str | Path, fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]], *,
                sheet_title: str) -> int:
    """Write ``headers`` then ``rows`` to ``path`` as ``fmt`` ("csv" or "xlsx"); returns the count of rows."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(FORMATS)}")
    rows = [[_safe(v) for v in row] for row in rows]
    if fmt == "csv":
        with open_private_text(path) as fh:
            writer = csv.writer(fh)
            writer.writerow(headers)
            writer.writerows([["" if v is None else v for v in row] for row in rows])
        return len(rows)
    from openpyxl import Workbook  # only when a workbook is written

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    with open_private_text(path) as fh:  # created 0600 before anything is in it
        fh.close()
    book.save(path)
    os.chmod(path, 0o600)
    return len(rows)
