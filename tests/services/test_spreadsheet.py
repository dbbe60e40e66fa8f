import csv
import os
import stat
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from terminal.services.spreadsheet import sheet_name, write_table

HEADERS = ["When", "Who", "Amount", "Points"]
JAKARTA = timezone(timedelta(hours=7))
ROWS = [
    [datetime(2026, 3, 10, 16, 5, tzinfo=JAKARTA), "Ana Lima", Decimal("12.50"), 12],
    [datetime(2026, 3, 11, 9, 0), "=HYPERLINK(\"x\")", None, -3],
]


def test_xlsx_keeps_types_wall_clock_times_and_defuses_formulas(tmp_path):
    path = tmp_path / "t.xlsx"
    assert write_table(path, "xlsx", HEADERS, ROWS, sheet_title="History: March/April") == 2
    sheet = load_workbook(path).active
    assert sheet.title == "History March April"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == HEADERS
    assert values[1] == [datetime(2026, 3, 10, 16, 5), "Ana Lima", 12.5, 12]
    assert values[2][1] == "=HYPERLINK(\"x\")" and sheet["B3"].data_type == "s"  # text, not a formula
    assert values[2][2:] == [None, -3]
    assert sheet["A2"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet.freeze_panes == "A2"
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_csv_is_utf8_with_bom_and_formulas_defused(tmp_path):
    path = tmp_path / "t.csv"
    assert write_table(path, "csv", HEADERS, ROWS, sheet_title="ignored") == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows == [HEADERS, ["2026-03-10 16:05", "Ana Lima", "12.50", "12"],
                    ["2026-03-11 09:00", "'=HYPERLINK(\"x\")", "", "-3"]]


def test_unknown_format_is_refused_and_nothing_written(tmp_path):
    with pytest.raises(ValueError, match="csv, xlsx"):
        write_table(tmp_path / "t.ods", "ods", HEADERS, ROWS, sheet_title="x")
    assert not (tmp_path / "t.ods").exists()


def test_sheet_names_follow_excel_rules():
    assert sheet_name("") == "Sheet"
    assert len(sheet_name("x" * 80)) == 31
    assert sheet_name("a[b]*c?") == "a b c"
