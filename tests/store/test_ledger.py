import sqlite3

import pytest

from terminal.domain.clock import to_iso


def _raw(services):
    return sqlite3.connect(services.ctx.db.path)


@pytest.mark.parametrize("statement", [
    "UPDATE ledger SET points = 1000 WHERE kind = 'stamp'",
    "DELETE FROM ledger WHERE kind = 'stamp'",
    "UPDATE audit SET kind = 'x'",
    "DELETE FROM audit",
])
def test_update_and_delete_are_refused(services, owner, card, statement):
    services.counter.stamp(owner, card)
    conn = _raw(services)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute(statement)
    conn.close()


def _tamper(services, sql, *params):
    conn = _raw(services)
    conn.executescript("DROP TRIGGER ledger_no_update; DROP TRIGGER ledger_no_delete;")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_an_edited_entry_is_named_by_verify(services, owner, card):
    services.counter.earn(owner, card, 1000)
    target = services.counter.earn(owner, card, 2000).entry
    services.counter.earn(owner, card, 3000)
    assert services.reports.verify().ok
    _tamper(services, "UPDATE ledger SET points = 5000 WHERE entry_id = ?", target.entry_id)
    report = services.reports.verify()
    assert not report.ok
    assert target.entry_id in report.problems[0]
    assert "changed after it was written" in report.problems[0]


def test_an_edit_that_also_fixes_the_cache_and_hash_still_breaks_the_chain(services, owner, card):
    target = services.counter.earn(owner, card, 2000).entry
    services.counter.earn(owner, card, 3000)
    from ledger_chain import entry_hash
    from terminal.store.ledger import wire_fields

    forged = {**wire_fields(target), "points": 900}
    _tamper(services, "UPDATE ledger SET points = 900, hash = ? WHERE entry_id = ?",
            entry_hash(target.prev_hash, forged), target.entry_id)
    conn = _raw(services)
    conn.execute("UPDATE card_balances SET points = points + 900 - ?", (target.points,))
    conn.execute("UPDATE card_balances SET lifetime_points = lifetime_points + 900 - ?", (target.points,))
    conn.commit()
    conn.close()
    report = services.reports.verify()
    assert not report.ok
    assert "does not continue the chain" in report.problems[0]


def test_a_deleted_entry_is_detected(services, owner, card):
    services.counter.earn(owner, card, 1000)
    middle = services.counter.earn(owner, card, 2000).entry
    services.counter.earn(owner, card, 3000)
    _tamper(services, "DELETE FROM ledger WHERE entry_id = ?", middle.entry_id)
    problems = services.reports.verify().problems
    assert any("records are missing" in p for p in problems)
    assert any("Balance of card" in p for p in problems)


def test_a_balance_cache_out_of_step_is_detected(services, owner, card):
    services.counter.earn(owner, card, 1000)
    conn = _raw(services)
    conn.execute("UPDATE card_balances SET points = points + 1")
    conn.commit()
    conn.close()
    assert "Balance of card" in services.reports.verify().problems[0]


def test_entries_are_chained_and_times_are_utc_text(services, owner, card):
    first = services.counter.earn(owner, card, 1000).entry
    second = services.counter.earn(owner, card, 1000).entry
    assert second.prev_hash == first.hash and second.seq == first.seq + 1
    conn = _raw(services)
    stored = conn.execute("SELECT at FROM ledger WHERE entry_id = ?", (first.entry_id,)).fetchone()[0]
    conn.close()
    assert stored == to_iso(first.at) and stored.endswith("Z")
