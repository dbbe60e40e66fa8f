"""Kill the terminal at random moments; no action it reported as done may be lost.

A worker process (see crash_child.py) opens the real store, confirms a PIN
and stamps, earns, redeems and voids, printing each entry id once the use
case has returned, i.e. once it has committed. We SIGKILL it at a random
moment, most often in the middle of its work, sometimes while it is still
opening the store or checking the PIN, and then check the file like the
next start would find it: every reported entry is there, SQLite finds no
corruption, and the hash chains and balance cache verify. The same file is
reused across all kills, as a real terminal reopens its one database.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import signal
import sqlite3
import struct
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import CASHIER_PIN, OWNER_PIN

KILLS = 200  # the issue asks for at least 200
CARDS = 10  # crash_child's slot plan keeps stamps legal for this many cards
# A share of kills counted from the fork rather than from "ready", so some
# land while the worker opens the store or writes the PIN check.
STARTUP_KILL_SHARE = 0.2
# Seconds. Opening the store and checking the PIN take ~70 ms in a worker,
# its first (cold) action ~40 ms, later ones ~10 ms.
STARTUP_KILL_WINDOW = (0.0, 0.09)
WORK_KILL_WINDOW = (0.0, 0.12)
LINE_TIMEOUT = 20.0
CHILD = Path(__file__).with_name("crash_child.py")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash harness forks its workers")


class Lines:
    """Lines from a pipe, read without threads and with deadlines."""

    def __init__(self, stream) -> None:
        self.fd = stream.fileno()
        self.buffer = b""
        self.pending: list[str] = []

    def next(self, deadline: float) -> str | None:
        """The next line, or None once ``deadline`` (time.monotonic) has passed."""
        while not self.pending:
            timeout = deadline - time.monotonic()
            if timeout <= 0 or not select.select([self.fd], [], [], timeout)[0]:
                return None
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise EOFError("the crash server closed its stdout")
            self.buffer += chunk
            *complete, self.buffer = self.buffer.split(b"\n")
            self.pending.extend(line.decode() for line in complete)
        return self.pending.pop(0)

    def expect(self, prefix: str) -> tuple[str, list[str]]:
        """Read up to a line starting with ``prefix``; also return the lines before it."""
        before = []
        deadline = time.monotonic() + LINE_TIMEOUT
        while (line := self.next(deadline)) is not None:
            if line.startswith(prefix):
                return line, before
            before.append(line)
        raise TimeoutError(f"no {prefix!r} line within {LINE_TIMEOUT} s; got {before[-5:]}")


class Tally:
    def __init__(self) -> None:
        self.kills = 0
        self.startup_kills = 0
        self.reported: set[str] = set()
        self.kinds: Counter[str] = Counter()
        self.unreported = 0  # committed, but killed before it could say so
        self.refused = 0
        self.lost = 0
        self.torn = 0  # kills that left a half-written transaction in the WAL


def reported_ids(lines: list[str], tally: Tally) -> set[str]:
    ids = set()
    for line in lines:
        word, *rest = line.split()
        if word == "ok":
            ids.add(rest[1])
            tally.kinds[rest[0]] += 1
        elif word == "refused":
            tally.refused += 1
    return ids


def torn_transaction_in_wal(db_path: Path) -> bool:
    """True when the WAL ends in frames of a transaction that never committed.

    Evidence that a kill landed mid-commit, not only between transactions.
    Frames of the current WAL generation carry the header's salts; a commit
    frame has a non-zero database size.
    """
    wal = db_path.with_name(db_path.name + "-wal")
    data = wal.read_bytes() if wal.exists() else b""
    if len(data) < 32:
        return False
    page_size, salts = struct.unpack(">I", data[8:12])[0], data[16:24]
    last_commit = True
    for offset in range(32, len(data) - 24 - page_size + 1, 24 + page_size):
        if data[offset + 8:offset + 16] != salts:
            break
        last_commit = struct.unpack(">I", data[offset + 4:offset + 8])[0] != 0
    return not last_commit


def ledger_ids(db_path: Path) -> set[str]:
    # A plain connection, opened first after the kill, is what recovers the WAL.
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        return {row[0] for row in conn.execute("SELECT entry_id FROM ledger")}
    finally:
        conn.close()


def kill_once(server: subprocess.Popen, lines: Lines, rng: random.Random, tally: Tally) -> set[str]:
    """Start a worker, kill it at a random moment; return the ids it reported."""
    server.stdin.write(f"run {rng.getrandbits(32)}\n".encode())
    server.stdin.flush()
    line, seen = lines.expect("pid ")
    pid = int(line.split()[1])
    try:
        if rng.random() < STARTUP_KILL_SHARE:
            tally.startup_kills += 1
            deadline = time.monotonic() + rng.uniform(*STARTUP_KILL_WINDOW)
        else:
            _, more = lines.expect("ready")
            seen += more
            deadline = time.monotonic() + rng.uniform(*WORK_KILL_WINDOW)
        while (line := lines.next(deadline)) is not None:
            seen.append(line)
    finally:
        with contextlib.suppress(ProcessLookupError):  # it died on its own; the exit line says how
            os.kill(pid, signal.SIGKILL)
    exit_line, more = lines.expect(f"exit {pid} ")
    seen += more
    status = int(exit_line.split()[2])
    assert status == -signal.SIGKILL, f"the worker ended by itself (status {status}) before the kill"
    tally.kills += 1
    return reported_ids(seen, tally)


def test_no_committed_action_is_lost_across_kills(services, owner, cashier, program_id, tmp_path):
    for i in range(CARDS):
        services.enrollment.enroll(owner, program_id, f"Customer {i}")
    db_path = services.ctx.db.path
    staff = {"owner": [owner.staff_id, OWNER_PIN], "cashier": [cashier.staff_id, CASHIER_PIN]}
    known = ledger_ids(db_path)
    services.close()  # no connection of ours is open while a worker runs or dies

    seed = random.randrange(2**32)
    rng = random.Random(seed)
    tally = Tally()
    stderr_path = tmp_path / "crash-server.stderr"
    env = {**os.environ, "LOYALTY_GRANT_SECONDS": str(10**9)}  # the worker's clock runs for weeks
    started = time.monotonic()
    with stderr_path.open("wb") as stderr:
        server = subprocess.Popen(
            [sys.executable, str(CHILD), str(db_path.parent), json.dumps(staff)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env, start_new_session=True,
        )
    lines = Lines(server.stdout)
    try:
        lines.expect("server ready")
        while tally.kills < KILLS:
            ids = kill_once(server, lines, rng, tally)
            context = f"kill {tally.kills} (seed {seed})"
            tally.torn += torn_transaction_in_wal(db_path)
            now_there = ledger_ids(db_path)
            tally.reported |= ids
            lost = tally.reported - now_there
            tally.lost += len(lost)
            assert not lost, f"{context}: committed entries missing after the kill: {sorted(lost)}"
            new = now_there - known
            unreported = new - ids
            # Only the one action that committed just as the kill came may be unreported.
            assert len(unreported) <= 1, f"{context}: entries nobody committed: {sorted(unreported)}"
            tally.unreported += len(unreported)
            known = now_there
            report = services.reports.verify()
            assert report.ok, f"{context}: {report.problems[:5]}"
            services.close()
    except BaseException:
        print(stderr_path.read_text(errors="replace")[-4000:], file=sys.stderr)
        raise
    finally:
        server.stdin.close()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # the server and any worker it forked
            server.wait()
        server.stdout.close()

    print(f"\ncrash safety: {tally.kills} kills ({tally.startup_kills} counted from start-up), "
          f"{len(tally.reported)} committed actions reported ({dict(tally.kinds)}), {tally.lost} lost, "
          f"{tally.unreported} committed but killed before reporting, {tally.torn} mid-commit, "
          f"{tally.refused} refusals, "
          f"{len(known)} ledger entries, {time.monotonic() - started:.1f} s, seed {seed}")
    assert tally.kills >= KILLS >= 200
    assert tally.lost == 0
    assert len(tally.reported) > KILLS  # the workers really did work between kills
