"""Rewriting a till's SQLite file as an attacker would, with the public chain code only.

Issue 12's attack: drop the append-only triggers, change an earn of 85
points to 8,500, delete a stamp, append a 50,000-point earn, recompute
every hash of the till's chains and fix the balance cache. ``resign`` is
the attacker who also holds the till's signing key file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from ledger_chain import GENESIS, entry_hash
from terminal.domain.ledger import EntryKind, lifetime_delta

_ENTRY = ("entry_id", "terminal_id", "seq", "card", "kind", "stamps", "points", "amount",
          "reward_id", "staff_id", "reason", "reverses", "at")
Resign = Callable[[str, str], str | None]  # (stream, hash) -> signature, or None to leave it


def _rows(con: sqlite3.Connection, terminal_id: str) -> list[dict]:
    con.row_factory = sqlite3.Row
    return [dict(r) for r in con.execute(
        "SELECT * FROM ledger WHERE terminal_id = ? ORDER BY seq", (terminal_id,))]


def rewrite(db_path: Path, terminal_id: str, change: Callable[[list[dict]], None],
            resign: Resign | None = None) -> None:
    """Drop the triggers, let ``change`` edit the till's entries, renumber, re-hash, fix balances."""
    con = sqlite3.connect(db_path)
    try:
        for name, in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                 "AND (tbl_name = 'ledger' OR tbl_name = 'audit')").fetchall():
            con.execute(f'DROP TRIGGER "{name}"')
        rows = _rows(con, terminal_id)
        change(rows)
        con.execute("DELETE FROM ledger WHERE terminal_id = ?", (terminal_id,))
        prev = GENESIS
        for seq, row in enumerate(rows, start=1):
            row["seq"], row["prev_hash"] = seq, prev
            row["hash"] = prev = entry_hash(prev, {f: row[f] for f in _ENTRY})
            if resign is not None:
                row["sig"] = resign("entries", row["hash"])
            cols = [c for c in row if c != "id"]
            con.execute(f"INSERT INTO ledger ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        [row[c] for c in cols])
        _fix_balances(con)
        con.commit()
    finally:
        con.close()


def forge(db_path: Path, terminal_id: str, resign: Resign | None = None) -> None:
    """Issue 12's attack on the till's ledger."""
    def change(rows: list[dict]) -> None:
        earn = next(r for r in rows if r["kind"] == "earn" and r["points"] == 85)
        earn["points"] = 8500
        rows.remove(next(r for r in rows if r["kind"] == "stamp"))
        rows.append({**earn, "entry_id": "f0f0f0f0-0000-4000-8000-000000000001", "points": 50_000,
                     "amount": 500_000, "at": rows[-1]["at"]})

    rewrite(db_path, terminal_id, change, resign)


def _fix_balances(con: sqlite3.Connection) -> None:
    con.row_factory = sqlite3.Row
    kinds = dict(con.execute("SELECT entry_id, kind FROM ledger").fetchall())
    sums: dict[str, list[int]] = {}
    for r in con.execute("SELECT card, kind, stamps, points, amount, reason, reverses FROM ledger"):
        total = sums.setdefault(r["card"], [0, 0, 0])
        reversed_kind = EntryKind(kinds[r["reverses"]]) if r["reverses"] in kinds else None
        total[0] += r["stamps"]
        total[1] += r["points"]
        total[2] += lifetime_delta(EntryKind(r["kind"]), r["points"], reversed_kind, reason=r["reason"],
                                   amount=r["amount"])
    for card, (stamps, points, lifetime) in sums.items():
        con.execute("UPDATE card_balances SET stamps = ?, points = ?, lifetime_points = ? WHERE code = ?",
                    (stamps, points, lifetime, card))


def resigner(private_key_b64: str) -> Resign:
    from ledger_chain import signing  # here: the attack itself needs only the public chain code

    key = signing.private_key(private_key_b64)
    return lambda stream, digest: signing.sign_record(key, stream, digest)  # type: ignore[arg-type]
