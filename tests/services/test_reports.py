import csv
import io
import sqlite3

from terminal.domain.ledger import EntryKind
from terminal.services.reports import CSV_COLUMNS, HistoryFilter


def test_csv_export_matches_the_ledger(services, owner, card):
    services.counter.stamp(owner, card)
    services.counter.earn(owner, card, 1234)
    services.owner.adjust(owner, card, 5, "=HYPERLINK(\"evil\")")
    out = io.StringIO()
    count = services.reports.export_csv(owner, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    conn = sqlite3.connect(services.ctx.db.path)
    stored = conn.execute("SELECT entry_id, points, hash FROM ledger ORDER BY at, id").fetchall()
    conn.close()
    assert count == len(rows) == len(stored) == 4
    assert [(r["entry_id"], int(r["points"]), r["hash"]) for r in rows] == stored
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert rows[-1]["reason"].startswith("'=")  # spreadsheet formulas are defused
    assert rows[1]["staff_name"] == "Olga"


def test_history_filters(services, owner, card):
    services.counter.stamp(owner, card)
    services.counter.earn(owner, card, 1000)
    kinds = [e.kind for e in services.reports.history(HistoryFilter(card=card))]
    assert kinds == [EntryKind.EARN, EntryKind.STAMP, EntryKind.ENROLL]
    only = services.reports.history(HistoryFilter(kinds=(EntryKind.EARN,)))
    assert [e.kind for e in only] == [EntryKind.EARN]
