"""History filters in store-local days, and the raw ledger export (for auditors) matching the ledger."""

from __future__ import annotations

import csv
import sqlite3
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from terminal.domain.codes import format_code
from terminal.domain.ledger import EntryKind


def _show(qtbot, page, settle) -> None:
    qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
    settle()


def test_filters(qtbot, area, services, owner, cashier, card, program_id, clock, settle) -> None:
    other = services.enrollment.enroll(owner, program_id, "Bo").code
    services.counter.stamp(cashier, card)
    services.counter.earn(cashier, other, 990)
    # 23:30 in Berlin on 10 March is 22:30 UTC: still the 10th for the store
    clock.set(clock.now().replace(hour=22, minute=30))
    cashier = services.auth.verify_pin(cashier.staff_id, "5820")
    services.counter.stamp(cashier, other)
    clock.advance(timedelta(hours=1))  # 00:30 on the 11th, store time
    cashier = services.auth.verify_pin(cashier.staff_id, "5820")
    services.counter.earn(cashier, card, 500)

    page = area.show_page("history")
    settle()
    assert page.table.rowCount() == 6
    page.card_field.setText(format_code(card))
    _show(qtbot, page, settle)
    assert [e.kind for e in page.entries] == [EntryKind.EARN, EntryKind.STAMP, EntryKind.ENROLL]
    page.card_field.clear()
    page.staff_choice.setCurrentIndex(page.staff_choice.findText("Carl"))
    page.kind_choice.setCurrentIndex(page.kind_choice.findData(EntryKind.STAMP))
    _show(qtbot, page, settle)
    assert [e.card for e in page.entries] == [other, card]
    page.kind_choice.setCurrentIndex(0)
    page.from_field.setText("2026-03-10")
    page.to_field.setText("2026-03-10")
    _show(qtbot, page, settle)
    assert len(page.entries) == 3 and EntryKind.EARN in {e.kind for e in page.entries}
    assert all(e.at.astimezone(area.ctx.store.tz).day == 10 for e in page.entries)
    assert page.table.item(0, 6).text() == "Carl"
    page.from_field.setText("2026-03-11")
    page.to_field.setText("")
    _show(qtbot, page, settle)
    assert [(e.kind, e.card) for e in page.entries] == [(EntryKind.EARN, card)]
    page.from_field.setText("10.03.2026")
    _show(qtbot, page, settle)
    assert page.feedback.state == "error" and "YYYY-MM-DD" in page.feedback.text()


def test_csv_export_matches_the_ledger(qtbot, area, services, owner, card, tmp_path, monkeypatch,
                                       settle) -> None:
    services.counter.stamp(owner, card)
    services.counter.earn(owner, card, 1234)
    services.owner.adjust(owner, card, -5, "=1+1 spreadsheet trick")
    page = area.show_page("history")
    settle()
    target = tmp_path / "history.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.ledger_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.feedback.state == "ok", page.feedback.text()
    with target.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    conn = sqlite3.connect(services.ctx.db.path)
    try:
        stored = conn.execute(
            "SELECT entry_id, kind, stamps, points, amount, hash FROM ledger ORDER BY at, id").fetchall()
    finally:
        conn.close()
    assert [(r["entry_id"], r["kind"], int(r["stamps"]), int(r["points"]), int(r["amount"]) if r["amount"] else None,
             r["hash"]) for r in rows] == stored
    assert rows[-1]["reason"].startswith("'=")
    assert f"{len(stored)} entries" in page.feedback.text()

    page.card_field.setText(card)
    page.kind_choice.setCurrentIndex(page.kind_choice.findData(EntryKind.EARN))
    qtbot.mouseClick(page.ledger_button, Qt.MouseButton.LeftButton)
    settle()
    with target.open(newline="", encoding="utf-8") as f:
        assert [r["kind"] for r in csv.DictReader(f)] == ["earn"]


def test_export_to_an_unwritable_place_says_so(qtbot, area, tmp_path, monkeypatch, settle) -> None:
    page = area.show_page("history")
    settle()
    target = tmp_path / "no-such-folder" / "history.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.ledger_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.feedback.state == "error" and "Could not write" in page.feedback.text()
    assert not target.exists()
