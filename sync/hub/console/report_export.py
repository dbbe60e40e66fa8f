"""The period report as files an owner opens in a spreadsheet: CSV (UTF-8 with BOM) and XLSX.

Dates are the stores' local days as real dates, money is in the currency's
units with its code in the column name, staff members and campaigns by
name. Text that starts like a formula is written as text, never run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sync.hub.console.report_data import FIGURES, STAFF_FIGURES, Figures, Report
from terminal.domain.money import minor_digits

Cell = str | int | float | Decimal | date | None
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DAY_FIGURES = ("stamps", "points_earned", "points_spent", "redemptions", "active_members", "new_cards")


def money(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-minor_digits(currency)) if currency else Decimal(minor)


def value(figures: Figures, name: str) -> int | float | None:
    found = getattr(figures, name)
    return round(found, 4) if isinstance(found, float) else found


def report_table(report: Report, t: Callable[..., str]) -> tuple[list[str], list[list[Cell]]]:
    """Section, item, this period, previous period: one table holding the whole report."""
    headers = [t("report_section"), t("report_item"),
               f"{t('report_this')} {report.first.isoformat()} – {report.last.isoformat()}",
               f"{t('report_before')} {report.previous_first.isoformat()} – {report.previous_last.isoformat()}"]
    figures = t("report_figures")
    rows: list[list[Cell]] = [[figures, t("report_" + f), value(report.figures, f), value(report.previous, f)]
                              for f in FIGURES]
    currency = report.currency
    if currency is not None:
        rows.append([figures, t("report_sales", currency=currency), money(report.figures.amount, currency),
                     money(report.previous.amount, currency)])
    for store, f in report.per_store:
        section = t("report_per_store")
        rows += [[section, f"{store.name}: {t('report_' + name)}", value(f, name), None] for name in FIGURES]
        if store.currency:
            rows.append([section, f"{store.name}: {t('report_sales', currency=store.currency)}",
                         money(f.amount, store.currency), None])
    for s in report.staff:
        rows += [[t("report_per_staff"), f"{s['name']}: {t('report_' + name)}", s[name], None]
                 for name in STAFF_FIGURES]
    for c in report.campaigns:
        rows += [[t("report_per_campaign"), f"{c['name']}: {t(key)}", c[field], None]
                 for key, field in (("report_bonuses", "bonuses"), ("report_bonus_points", "points"),
                                    ("report_bonus_stamps", "stamps"), ("report_cards", "cards"))]
    return headers, rows


def day_table(report: Report, t: Callable[..., str]) -> tuple[list[str], list[list[Cell]]]:
    headers = [t("report_date"), *(t("report_" + f) for f in DAY_FIGURES)]
    return headers, [[date.fromisoformat(d["day"]), *(d[f] for f in DAY_FIGURES)] for d in report.days]


def _safe(cell: Cell) -> Cell:
    return "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS) else cell


def _csv_cell(cell: Cell) -> object:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return cell.isoformat()
    return _safe(cell)


def to_csv(report: Report, t: Callable[..., str]) -> bytes:
    """The report table, then an empty line and the per-day table."""
    out = io.StringIO()
    writer = csv.writer(out)
    for headers, rows in (report_table(report, t), day_table(report, t)):
        if out.tell():
            writer.writerow([])
        writer.writerow(headers)
        writer.writerows([[_csv_cell(c) for c in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8 (names with accents)


def to_xlsx(report: Report, t: Callable[..., str]) -> bytes:
    """Two sheets: the report and its days, headers bold and kept in view."""
    # openpyxl ships no type hints; loaded only when a file is asked for
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    first = book.active
    assert first is not None  # a new workbook has one sheet
    book.remove(first)
    for title, (headers, rows) in ((t("report_title"), report_table(report, t)),
                                   (t("report_per_day"), day_table(report, t))):
        _sheet(book.create_sheet(title[:31]), headers, rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet(sheet: Any, headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> None:
    from openpyxl.styles import Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    widths = [len(h) for h in headers]
    for column, header in enumerate(headers, start=1):
        sheet.cell(row=1, column=column, value=header).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for column, raw in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=column, value=raw)
            if isinstance(raw, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
            elif isinstance(raw, date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(raw, Decimal):
                exponent = raw.as_tuple().exponent
                digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
                cell.number_format = "#,##0" + ("." + "0" * digits if digits else "")
            widths[column - 1] = max(widths[column - 1], len(str(raw)) if raw is not None else 0)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(60, width + 2)
    sheet.freeze_panes = "A2"
