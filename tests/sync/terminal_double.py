"""A small real terminal store for the sync tests: SQLite, chained entries, the port.

It plays the part the terminal's own store plays in production: it writes
hash-chained ledger entries and audit events with ``ledger_chain``, keeps
cards, programs and staff with a "changed here" flag, and implements
``sync.port.SyncPort`` exactly as its docstrings say, so it doubles as the
reference for the real adapter. Everything is in one SQLite file, so a
test can drop the object and open the same file again as after a crash.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ledger_chain as chain
from sync.port import Ack, Outbox
from sync.protocol import PullResponse

CARD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PIN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g"
_ENTRY_COLUMNS = (*chain.ENTRY_FIELDS, "prev_hash", "hash")
_AUDIT_COLUMNS = (*chain.AUDIT_FIELDS, "prev_hash", "hash")
_RECORDS = {
    "cards": ("code", ("code", "program_id", "holder", "status", "enrolled_at", "updated_at")),
    "programs": ("program_id", ("program_id", "name", "kind", "settings", "updated_at")),
    "staff": ("staff_id", ("staff_id", "name", "role", "active", "pin_hash", "updated_at")),
}

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    entry_id TEXT PRIMARY KEY, terminal_id TEXT NOT NULL, seq INTEGER NOT NULL,
    card TEXT NOT NULL, kind TEXT NOT NULL, stamps INTEGER NOT NULL, points INTEGER NOT NULL,
    amount INTEGER, reward_id TEXT, staff_id TEXT, reason TEXT, reverses TEXT, at TEXT NOT NULL,
    prev_hash TEXT NOT NULL, hash TEXT NOT NULL, local INTEGER NOT NULL,
    UNIQUE (terminal_id, seq));
CREATE INDEX IF NOT EXISTS ix_entries_card ON entries (card);
CREATE TABLE IF NOT EXISTS audit ({", ".join(f"{c} {'INTEGER' if c == 'seq' else 'TEXT'}"
                                             for c in _AUDIT_COLUMNS)},
    PRIMARY KEY (event_id), UNIQUE (terminal_id, seq));
CREATE TABLE IF NOT EXISTS cards (code TEXT PRIMARY KEY, program_id TEXT, holder TEXT,
    status TEXT, enrolled_at TEXT, updated_at TEXT, dirty INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS programs (program_id TEXT PRIMARY KEY, name TEXT, kind TEXT,
    settings TEXT, updated_at TEXT, dirty INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS staff (staff_id TEXT PRIMARY KEY, name TEXT, role TEXT,
    active INTEGER, pin_hash TEXT, updated_at TEXT, dirty INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS overdrafts (overdraft_id INTEGER PRIMARY KEY, card TEXT,
    stamps_balance INTEGER, points_balance INTEGER, entry_ids TEXT, flagged_at TEXT);
"""


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_card_code(rng: random.Random | None = None) -> str:
    pick = (rng or random).choice
    return "".join(pick(CARD_ALPHABET) for _ in range(10))


class TerminalDouble:
    """A terminal's local store on one SQLite file; implements ``SyncPort``."""

    def __init__(self, path: Path | str, terminal_id: str | None = None) -> None:
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._db.executescript(_SCHEMA)
        with self._tx():
            stored = self._meta("terminal_id")
            if stored is None:
                stored = terminal_id or str(uuid.uuid4())
                for key, value in (("terminal_id", stored), ("entries_acked", "0"),
                                   ("audit_acked", "0"), ("pull_cursor", "0")):
                    self._set_meta(key, value)
        self._terminal_id = stored

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ---- transactions ----------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def _set_meta(self, key: str, value: object) -> None:
        self._db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, str(value)))

    # ---- what a cashier or owner does ------------------------------------

    def enroll(self, code: str | None = None, *, holder: str | None = None,
               program_id: str = "default") -> str:
        code = code or new_card_code()
        now = utc_now()
        with self._tx() as db:
            db.execute("INSERT INTO cards VALUES (?, ?, ?, 'active', ?, ?, 1)",
                       (code, program_id, holder, now, now))
            self._append(db, [dict(card=code, kind="enroll")])
        return code

    def stamp(self, card: str, count: int = 1, staff_id: str = "s1") -> None:
        self.record([dict(card=card, kind="stamp", stamps=count, staff_id=staff_id)])

    def earn(self, card: str, points: int, amount: int) -> None:
        self.record([dict(card=card, kind="earn", points=points, amount=amount, staff_id="s1")])

    def redeem(self, card: str, points: int, reward_id: str = "coffee") -> None:
        self.record([dict(card=card, kind="redeem", points=-points, reward_id=reward_id,
                          staff_id="s1")])

    def record(self, changes: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Append ledger entries (``card``, ``kind`` and any deltas) in one transaction."""
        with self._tx() as db:
            return self._append(db, changes)

    def audit(self, kind: str, details: Mapping[str, Any] | None = None, staff_id: str = "s1") -> None:
        with self._tx() as db:
            seq, prev = self._head(db, "audit")
            event = dict(event_id=str(uuid.uuid4()), terminal_id=self._terminal_id, seq=seq + 1,
                         kind=kind, staff_id=staff_id, subject=None,
                         details=json.dumps(details or {}, sort_keys=True, separators=(",", ":")),
                         at=utc_now())
            event.update(prev_hash=prev, hash=chain.audit_hash(prev, event))
            db.execute(f"INSERT INTO audit ({', '.join(_AUDIT_COLUMNS)}) VALUES "
                       f"({', '.join('?' * len(_AUDIT_COLUMNS))})", [event[c] for c in _AUDIT_COLUMNS])

    def set_program(self, program_id: str, name: str, settings: Mapping[str, Any],
                    kind: str = "hybrid") -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO programs VALUES (?, ?, ?, ?, ?, 1)",
                       (program_id, name, kind, json.dumps(settings), utc_now()))

    def set_staff(self, staff_id: str, name: str, role: str = "cashier", active: bool = True) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO staff VALUES (?, ?, ?, ?, ?, ?, 1)",
                       (staff_id, name, role, int(active), PIN_HASH, utc_now()))

    def set_card_status(self, code: str, status: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE cards SET status = ?, updated_at = ?, dirty = 1 WHERE code = ?",
                       (status, utc_now(), code))

    def _head(self, db: sqlite3.Connection, table: str) -> tuple[int, str]:
        row = db.execute(f"SELECT seq, hash FROM {table} WHERE terminal_id = ? "
                         "ORDER BY seq DESC LIMIT 1", (self._terminal_id,)).fetchone()
        return (0, chain.GENESIS) if row is None else (row[0], row[1])

    def _append(self, db: sqlite3.Connection, changes: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        seq, prev = self._head(db, "entries")
        made = []
        for change in changes:
            seq += 1
            entry = dict(entry_id=str(uuid.uuid4()), terminal_id=self._terminal_id, seq=seq,
                         card=change["card"], kind=change["kind"], stamps=change.get("stamps", 0),
                         points=change.get("points", 0), amount=change.get("amount"),
                         reward_id=change.get("reward_id"), staff_id=change.get("staff_id"),
                         reason=change.get("reason"), reverses=change.get("reverses"),
                         at=change.get("at") or utc_now())
            entry["prev_hash"] = prev
            entry["hash"] = prev = chain.entry_hash(prev, entry)
            made.append(entry)
        db.executemany(f"INSERT INTO entries VALUES ({', '.join('?' * (len(_ENTRY_COLUMNS) + 1))})",
                       [[e[c] for c in _ENTRY_COLUMNS] + [1] for e in made])
        return made

    # ---- what a test checks ----------------------------------------------

    def balance(self, card: str) -> tuple[int, int]:
        with self._lock:
            row = self._db.execute("SELECT COALESCE(SUM(stamps), 0), COALESCE(SUM(points), 0) "
                                   "FROM entries WHERE card = ?", (card,)).fetchone()
        return row[0], row[1]

    def entries(self, *, local: bool | None = None) -> list[dict[str, Any]]:
        where = "" if local is None else f"WHERE local = {int(local)}"
        with self._lock:
            rows = self._db.execute(f"SELECT {', '.join(_ENTRY_COLUMNS)} FROM entries {where} "
                                    "ORDER BY terminal_id, seq").fetchall()
        return [dict(r) for r in rows]

    def audit_events(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM audit ORDER BY seq").fetchall()
        return [dict(r) for r in rows]

    def table(self, name: str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self._db.execute(f"SELECT * FROM {name}")]

    def acked(self) -> tuple[int, int]:
        with self._lock:
            return int(self._meta("entries_acked") or 0), int(self._meta("audit_acked") or 0)

    # ---- the port --------------------------------------------------------

    def terminal_id(self) -> str:
        return self._terminal_id

    def outbox(self, max_records: int) -> Outbox:
        with self._tx() as db:  # one snapshot for every stream
            entries_acked, audit_acked = (int(self._meta(k) or 0) for k in ("entries_acked", "audit_acked"))
            found: dict[str, list[dict[str, Any]]] = {
                "entries": self._rows(db, f"SELECT {', '.join(_ENTRY_COLUMNS)} FROM entries "
                                      "WHERE terminal_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                                      (self._terminal_id, entries_acked, max_records)),
                "audit": self._rows(db, f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM audit "
                                    "WHERE terminal_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                                    (self._terminal_id, audit_acked, max_records)),
            }
            for table, (_key, columns) in _RECORDS.items():
                found[table] = self._rows(db, f"SELECT {', '.join(columns)} FROM {table} "
                                          "WHERE dirty = 1 ORDER BY updated_at LIMIT ?", (max_records,))
        for program in found["programs"]:
            program["settings"] = json.loads(program["settings"])
        for member in found["staff"]:
            member["active"] = bool(member["active"])
        return Outbox(entries=found["entries"], audit=found["audit"], cards=found.get("cards", ()),
                      programs=found.get("programs", ()), staff=found.get("staff", ()))

    @staticmethod
    def _rows(db: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        return [dict(r) for r in db.execute(sql, params)]

    def record_ack(self, ack: Ack) -> None:
        with self._tx() as db:
            if ack.entries_through is not None:
                self._set_meta("entries_acked", ack.entries_through)
            if ack.audit_through is not None:
                self._set_meta("audit_acked", ack.audit_through)
            for record in ack.records:
                key = _RECORDS[record.kind][0]
                db.execute(f"UPDATE {record.kind} SET dirty = 0 WHERE {key} = ? AND updated_at = ?",
                           (record.key, record.updated_at))

    def pending_count(self) -> int:
        with self._lock:
            entries_acked, audit_acked = (int(self._meta(k) or 0) for k in ("entries_acked", "audit_acked"))
            last_entry = self._head(self._db, "entries")[0]
            last_audit = self._head(self._db, "audit")[0]
            dirty = sum(self._db.execute(f"SELECT COUNT(*) FROM {t} WHERE dirty = 1").fetchone()[0]
                        for t in _RECORDS)
        return max(0, last_entry - entries_acked) + max(0, last_audit - audit_acked) + dirty

    def pull_cursor(self) -> int:
        with self._lock:
            return int(self._meta("pull_cursor") or 0)

    def apply_remote(self, changes: PullResponse) -> None:
        with self._tx() as db:
            db.executemany(
                f"INSERT OR IGNORE INTO entries VALUES ({', '.join('?' * (len(_ENTRY_COLUMNS) + 1))})",
                [[getattr(e, c) for c in _ENTRY_COLUMNS] + [0] for e in changes.entries
                 if e.terminal_id != self._terminal_id])
            for table, records in (("cards", changes.cards), ("programs", changes.programs),
                                   ("staff", changes.staff)):
                key, columns = _RECORDS[table]
                for record in records:
                    values = record.model_dump()
                    if table == "programs":
                        values["settings"] = json.dumps(values["settings"])
                    mine = db.execute(f"SELECT updated_at FROM {table} WHERE {key} = ?",
                                      (values[key],)).fetchone()
                    if mine is not None and mine[0] >= values["updated_at"]:
                        continue  # ours is newer or the same: keep it
                    db.execute(f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}, dirty) "
                               f"VALUES ({', '.join('?' * len(columns))}, 0)",
                               [values[c] for c in columns])
            for flag in changes.overdrafts:
                db.execute("INSERT OR REPLACE INTO overdrafts VALUES (?, ?, ?, ?, ?, ?)",
                           (flag.overdraft_id, flag.card, flag.stamps_balance, flag.points_balance,
                            json.dumps(flag.entry_ids), flag.flagged_at))
            self._set_meta("pull_cursor", changes.cursor)
