"""Writing a table an owner can open: CSV (UTF-8 with BOM) or XLSX (openpyxl).

One function for every export meant for people (history, period reports), so
they all agree on what a spreadsheet gets: a bold header row that stays in
view, dates as real dates, numbers as numbers, and text that never runs as a
formula. Files are created readable by their owner only, like every export.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from terminal.services.private_files import open_private_binary, open_private_text

FORMATS = ("csv", "xlsx")
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
MAX_SHEET_TITLE = 31  # Excel's limit
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | Decimal | datetime | date | None


def write_table(path: str | Path, fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]], *,
                sheet_title: str, number_formats: Mapping[int, str] | None = None) -> int:
    """Write ``headers`` then ``rows`` to ``path`` as ``fmt`` ("csv" or "xlsx"); returns the count of rows.

    Datetimes are written as they are given (pass them in the store's time zone): a spreadsheet has no
    time zones, so an aware datetime keeps its wall-clock time and loses its offset. ``number_formats``
    maps a column index to an Excel number format for XLSX (e.g. ``"#,##0.00"``); CSV ignores it.
    Raises ValueError for an unknown format and OSError when the file cannot be written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown table format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt == "csv":
        return _write_csv(path, headers, rows)
    return _write_xlsx(path, headers, rows, sheet_title, number_formats or {})


def _open_private(path: str | Path, binary: bool) -> IO[Any]:
    # The BOM makes Excel read the file as UTF-8 (names with accents), other programs skip it.
    return open_private_binary(path) if binary else open_private_text(path, encoding="utf-8-sig")


def _plain(value: Cell) -> Cell:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def _safe_text(value: str) -> str:
    # Text starting like a formula would run as one when the file is opened.
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _csv_cell(value: Cell) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return _safe_text(value)
    return value


def _write_csv(path: str | Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
    count = 0
    with _open_private(path, binary=False) as out:
        writer = csv.writer(out)
        writer.writerow([_csv_cell(h) for h in headers])
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
            count += 1
    return count


def sheet_name(title: str) -> str:
    """``title`` as Excel accepts a sheet name: no ``[]:*?/\\``, at most 31 characters, not empty."""
    cleaned = " ".join(title.translate(_SHEET_FORBIDDEN).split())[:MAX_SHEET_TITLE].strip("'")
    return cleaned or "Sheet"


def _write_xlsx(path: str | Path, headers: Sequence[str], rows: Iterable[Sequence[Cell]], sheet_title: str,
                number_formats: Mapping[int, str]) -> int:
    # loads only when a spreadsheet is written (start-up stays quick); openpyxl ships no type hints
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = sheet_name(sheet_title)
    bold = Font(bold=True)
    widths = [len(str(h)) for h in headers]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column, value=str(header))
        cell.font = bold
    count = 0
    for count, row in enumerate(rows, start=1):
        for column, raw in enumerate(row, start=1):
            value = _plain(raw)
            _set_cell(sheet.cell(row=count + 1, column=column), value, number_formats.get(column - 1))
            if column <= len(widths):
                shown = 16 if isinstance(value, datetime) else len(str(value)) if value is not None else 0
                widths[column - 1] = max(widths[column - 1], shown)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(60, width + 2)
    sheet.freeze_panes = "A2"  # the header stays in view while scrolling
    if headers:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    with _open_private(path, binary=True) as out:
        workbook.save(out)
    return count


def _set_cell(cell: Any, value: Cell, number_format: str | None) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever it starts with
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif number_format is not None:
        cell.number_format = number_format
