"""The owner's history export, read back with openpyxl and csv, checked against the ledger itself."""

import csv
import sqlite3
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from terminal.domain.codes import format_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.services.history_export import HistoryLabels, export_history
from terminal.services.reports import HistoryFilter
from tests.conftest import CASHIER_PIN, OWNER_PIN

BERLIN = ZoneInfo("Europe/Berlin")


def _fresh(services, name, pin):
    staff_id = next(s.staff_id for s in services.staff.list() if s.name == name)
    return services.auth.verify_pin(staff_id, pin)


@pytest.fixture
def busy(services, owner, cashier, card, program_id, clock):
    other = services.enrollment.enroll(owner, program_id, "Bea").code
    services.counter.stamp(cashier, card)
    clock.advance(timedelta(minutes=20))
    services.counter.earn(_fresh(services, "Carl", CASHIER_PIN), other, 1250)
    clock.advance(timedelta(minutes=20))
    owner = _fresh(services, "Olga", OWNER_PIN)
    services.counter.stamp(owner, card)
    last = services.counter.earn(owner, card, 999).entry
    services.owner.void(owner, last.entry_id, "typed the wrong amount")
    services.owner.adjust(owner, other, -3, "=SUM(A1)")
    return card, other


def _ledger(services):
    conn = sqlite3.connect(services.ctx.db.path)
    try:
        return conn.execute("SELECT card, kind, stamps, points, amount FROM ledger ORDER BY at, id").fetchall()
    finally:
        conn.close()


def test_xlsx_matches_the_ledger_with_balances_after_each_entry(services, busy, tmp_path):
    owner = _fresh(services, "Olga", OWNER_PIN)
    path = tmp_path / "history.xlsx"
    count = export_history(services.reports, owner, path, "xlsx")
    ledger = _ledger(services)
    sheet = load_workbook(path).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][0] == "When (Europe/Berlin)" and rows[0][-2:] == ["Stamps after", "Points after"]
    body = rows[1:]
    assert count == len(body) == len(ledger) == 8
    running: dict[str, tuple[int, int]] = {}
    for row, (code, _kind, stamps, points, amount) in zip(body, ledger, strict=True):
        before = running.get(code, (0, 0))
        running[code] = (before[0] + stamps, before[1] + points)
        assert row[1] == format_code(code)
        assert (row[4] or 0, row[5] or 0) == (stamps, points)
        assert tuple(row[10:12]) == running[code]
        assert row[6] == (float(Decimal(amount) / 100) if amount else None)
        assert row[7] == ("EUR" if amount else None)
    for code, (stamps, points) in running.items():  # the last balance is the card's balance
        balance = services.counter.card(code).balance
        assert (balance.stamps, balance.points) == (stamps, points)
    first = services.reports.history(HistoryFilter(limit=None))[-1]
    assert body[0][0] == first.at.astimezone(BERLIN).replace(tzinfo=None)
    assert body[0][0].hour == 10  # 09:00 UTC is 10:00 in Berlin in March
    assert {r[2] for r in body} == {"Ann", "Bea"}
    assert {r[8] for r in body} == {"Olga", "Carl"}
    assert body[-1][9] == "=SUM(A1)" and sheet.cell(row=len(rows), column=10).data_type == "s"
    earn_row = next(i for i, r in enumerate(rows, start=1) if r[6] == 12.5)
    assert sheet.cell(row=earn_row, column=7).number_format == "#,##0.00"


def test_filtered_rows_keep_the_card_balance_of_the_whole_history(services, busy, tmp_path):
    owner = _fresh(services, "Olga", OWNER_PIN)
    card, _other = busy
    path = tmp_path / "voids.csv"
    f = HistoryFilter(card=card, kinds=(EntryKind.VOID,), limit=None)
    labels = HistoryLabels(kinds={**HistoryLabels().kinds, EntryKind.VOID: "Batal"})
    assert export_history(services.reports, owner, path, "csv", f, labels) == 1
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    balance = services.counter.card(card).balance
    assert rows[1][1] == format_code(card) and rows[1][3] == "Batal"
    assert rows[1][10:] == [str(balance.stamps), str(balance.points)]


def test_a_cashier_cannot_export(services, busy, tmp_path):
    cashier = _fresh(services, "Carl", CASHIER_PIN)
    with pytest.raises(LoyaltyError) as caught:
        export_history(services.reports, cashier, tmp_path / "x.xlsx", "xlsx")
    assert caught.value.code is ErrorCode.NOT_PERMITTED
    assert not (tmp_path / "x.xlsx").exists()
