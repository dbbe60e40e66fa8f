"""The process that tests/e2e/test_crash_safety.py kills, over and over.

Run as ``python crash_child.py DATA_DIR STAFF_JSON STATE_FILE``. It is a fork server:
it imports the app once, then for every ``run SEED`` line on stdin it forks
a worker that opens the store afresh, confirms a PIN and does counter
actions until it is SIGKILLed. Starting a new interpreter per kill costs
~0.6 s of imports, which would put 200 kills far beyond a minute; forking
keeps every worker a separate process whose own connections, transactions
and WAL writes die with it, which is what a crash is. This process never
opens the database, so no worker inherits a connection.

Every worker keeps, in the shared mapping of STATE_FILE (16 bytes: its pid,
then 0 outside a write transaction, 1 once ``BEGIN IMMEDIATE`` has returned,
2 once ``COMMIT`` was issued, back to 0 once the commit or rollback has
returned), where it is; a store to shared memory needs no system call, so a
kill cannot separate it from the moment it describes, and the page cache
keeps it for the test to read after the kill.

``CRASH_SYNCHRONOUS`` (OFF or NORMAL) weakens the store's ``synchronous``
pragma in the workers: test_power_cut.py uses it to show that the power-cut
check does catch a store that acknowledges commits it has not fsynced.

Lines on stdout, each in one write() as soon as it is true:
  worker: ``pid N``, ``ready``, ``ok KIND ENTRY_ID`` once the use case (its
          commit included) has returned, ``refused ACTION CODE``;
  server: ``server ready``, ``exit PID STATUS`` once the worker is reaped.
"""

from __future__ import annotations

import json
import mmap
import os
import random
import sqlite3
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, event, func, select
from sqlalchemy.orm import Session

from terminal.domain.clock import ManualClock
from terminal.domain.errors import LoyaltyError
from terminal.domain.ledger import VOIDABLE_KINDS, Entry
from terminal.services.facade import Services, open_services
from terminal.store import db as store_db
from terminal.store.db import DB_FILENAME, Database
from terminal.store.models import CardRow, LedgerRow

# One action per 20-minute slot from 08:00 to 20:00 store time, cards taken
# in turn by slot number: with 10 cards that is at most 4 visits per card a
# day and 200 minutes between them, so stamps never hit the cooldown (15 min)
# or the daily limit (5), however the kills cut the days up.
SLOT = timedelta(minutes=20)
SLOTS_PER_DAY = 36
OPENING_HOUR = 8
# A worker that outlives this was forgotten by a broken test run.
MAX_WORKER_SECONDS = 30
STDOUT = sys.stdout.fileno()
OUTSIDE, IN_TRANSACTION, COMMITTING = 0, 1, 2
STATE_SIZE = 16


class TransactionState:
    """Where the worker is, in memory the test can read after the kill (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        with path.open("r+b") as f:
            self.view = mmap.mmap(f.fileno(), STATE_SIZE)
        self.view[0:8] = os.getpid().to_bytes(8, "little")
        self.set(OUTSIDE)

    def set(self, state: int) -> None:
        self.view[8:16] = state.to_bytes(8, "little")

    def watch_store(self) -> None:
        """Follow every write transaction the store runs, from BEGIN IMMEDIATE to the end of COMMIT."""
        original_begin = store_db._begin

        def begin(conn: Connection) -> None:
            original_begin(conn)
            if conn.get_execution_options().get("sqlite_begin") == "IMMEDIATE":
                self.set(IN_TRANSACTION)

        def commit(conn: Connection) -> None:
            if conn.get_execution_options().get("sqlite_begin") == "IMMEDIATE":
                self.set(COMMITTING)

        # make_engine looks both up when it runs, so the engine the worker opens uses these.
        store_db._begin = begin
        original_configure = store_db._configure_connection
        weaker = os.environ.get("CRASH_SYNCHRONOUS")

        def configure(dbapi_connection: sqlite3.Connection, record: object) -> None:
            original_configure(dbapi_connection, record)
            if weaker:
                dbapi_connection.execute(f"PRAGMA synchronous = {weaker}")

        store_db._configure_connection = configure
        event.listen(Engine, "commit", commit)
        event.listen(Session, "after_commit", lambda _session: self.set(OUTSIDE))
        event.listen(Session, "after_rollback", lambda _session: self.set(OUTSIDE))


def emit(line: str) -> None:
    # One write() of a short line is atomic on a pipe; print() makes two when
    # stdout is unbuffered (PYTHONUNBUFFERED), and a kill between them would
    # glue half a line to the server's next one.
    os.write(STDOUT, (line + "\n").encode())


def next_slot(after: datetime, tz) -> tuple[datetime, int]:
    """The first slot strictly after ``after``, and its number within the day."""
    local = after.astimezone(tz)
    opening = local.replace(hour=OPENING_HOUR, minute=0, second=0, microsecond=0)
    if local < opening:
        return opening.astimezone(UTC), 0
    number = (local - opening) // SLOT + 1
    if number >= SLOTS_PER_DAY:
        # Noon avoids landing in a DST gap when stepping a day in wall time.
        tomorrow = (opening.replace(hour=12) + timedelta(days=1)).replace(hour=OPENING_HOUR)
        return tomorrow.astimezone(UTC), 0
    return (opening + number * SLOT).astimezone(UTC), number


class Worker:
    def __init__(self, data_dir: Path, staff: dict, seed: int) -> None:
        self.rng = random.Random(seed)
        self.staff = staff
        self.clock = ManualClock(datetime(2000, 1, 1, tzinfo=UTC))
        self.services: Services = open_services(data_dir, clock=self.clock)
        with self.services.ctx.db.read() as session:
            last = session.execute(select(func.max(LedgerRow.at))).scalar()
            self.cards = sorted(session.execute(select(CardRow.code)).scalars())
        self.tz = self.services.ctx.store.tz
        self.slot_number = 0
        self.advance(last)
        self.cashier = self.services.auth.verify_pin(*staff["cashier"])
        self.owner = None  # the owner confirms only when first called over to void
        self.voidable: list[Entry] = []

    def advance(self, after: datetime) -> None:
        now, self.slot_number = next_slot(after, self.tz)
        self.clock.set(now)

    def committed(self, entry: Entry) -> None:
        emit(f"ok {entry.kind} {entry.entry_id}")
        if entry.kind in VOIDABLE_KINDS:
            self.voidable.append(entry)

    def step(self) -> None:
        self.advance(self.clock.now())
        card = self.cards[self.slot_number % len(self.cards)]
        roll = self.rng.random()
        try:
            if roll < 0.1 and self.voidable:
                self.void()
                return
            if roll < 0.55:
                result = self.services.counter.stamp(self.cashier, card)
            else:
                result = self.services.counter.earn(self.cashier, card, self.rng.randrange(100, 6000))
            self.committed(result.entry)
            affordable = [o.reward for o in result.card.rewards if o.affordable]
            if affordable and self.rng.random() < 0.5:
                reward = self.rng.choice(affordable)
                self.committed(self.services.counter.redeem(self.cashier, card, reward.reward_id).entry)
        except LoyaltyError as exc:
            emit(f"refused counter {exc.code}")

    def void(self) -> None:
        if self.owner is None:
            self.owner = self.services.auth.verify_pin(*self.staff["owner"])
        target = self.voidable.pop(self.rng.randrange(len(self.voidable)))
        try:
            self.committed(self.services.owner.void(self.owner, target.entry_id, "rang up by mistake"))
        except LoyaltyError as exc:  # e.g. the points were spent since
            emit(f"refused void {exc.code}")


def run_worker(data_dir: Path, staff: dict, seed: int, server_pid: int, state_file: Path) -> None:
    TransactionState(state_file).watch_store()
    emit(f"pid {os.getpid()}")
    started = time.monotonic()
    worker = Worker(data_dir, staff, seed)
    emit("ready")
    while os.getppid() == server_pid and time.monotonic() - started < MAX_WORKER_SECONDS:
        worker.step()


def warm_up() -> None:
    """Pay once, in the server, the first-use costs every worker would pay again.

    Lazy imports, Alembic's machinery and mapper configuration survive the
    fork; a throwaway database keeps the real one unopened in this process.
    """
    with tempfile.TemporaryDirectory() as scratch:
        db = Database(Path(scratch) / DB_FILENAME)
        with db.read() as session:
            session.get(CardRow, "0" * 10)
            session.execute(select(func.max(LedgerRow.at))).scalar()
        db.close()


def serve(data_dir: Path, staff: dict, state_file: Path) -> None:
    warm_up()
    emit("server ready")
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] != "run":
            break
        server_pid = os.getpid()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                random.seed()
                run_worker(data_dir, staff, int(command[1]), server_pid, state_file)
                status = 0
            except BaseException:  # noqa: BLE001 - anything goes to stderr, never back into serve()
                traceback.print_exc()
            finally:
                sys.stderr.flush()
                os._exit(status)
        _, wait_status = os.waitpid(pid, 0)
        emit(f"exit {pid} {os.waitstatus_to_exitcode(wait_status)}")


if __name__ == "__main__":
    serve(Path(sys.argv[1]), json.loads(sys.argv[2]), Path(sys.argv[3]))
