"""The machinery shared by the crash tests: the fork server, kills, and power cuts.

``CrashServer`` runs crash_child.py; ``kill_once`` starts a worker and
SIGKILLs it at a random moment; ``read_state`` tells whether that moment
was inside a write transaction. ``PowerCut`` compiles the LD_PRELOAD shim
(powercut_shim.c) and, after a kill, undoes every write that was not
fsynced, leaving the files as a disk would hold them after a power cut.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from terminal.services.auth import Grant
from terminal.services.facade import Services
from tests.conftest import CASHIER_PIN, OWNER_PIN

DEFAULT_SEED = 20261130
SEED_VARIABLE = "CRASH_TEST_SEED"
LINE_TIMEOUT = 20.0
CHILD = Path(__file__).with_name("crash_child.py")
SHIM_SOURCE = Path(__file__).with_name("powercut_shim.c")
# A share of kills counted from the fork rather than from "ready", so some
# land while the worker opens the store or writes the PIN check.
STARTUP_KILL_SHARE = 0.2
# Seconds. Opening the store and checking the PIN take ~70 ms in a worker,
# its first (cold) action ~40 ms, later ones ~10 ms.
STARTUP_KILL_WINDOW = (0.0, 0.09)
WORK_KILL_WINDOW = (0.0, 0.12)
OUTSIDE, IN_TRANSACTION, COMMITTING = 0, 1, 2  # crash_child.TransactionState


def seed() -> int:
    """The run's seed: fixed, so a failure can be replayed; ``CRASH_TEST_SEED`` picks another."""
    return int(os.environ.get(SEED_VARIABLE) or DEFAULT_SEED)


class Lines:
    """Lines from a pipe, read without threads and with deadlines."""

    def __init__(self, stream: IO[bytes]) -> None:
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


@dataclass
class Tally:
    kills: int = 0
    startup_kills: int = 0
    reported: set[str] = field(default_factory=set)
    kinds: Counter[str] = field(default_factory=Counter)
    unreported: int = 0  # committed, but killed before it could say so
    refused: int = 0
    lost: int = 0
    in_transaction: int = 0  # kills between BEGIN IMMEDIATE and the end of COMMIT
    in_commit: int = 0  # of those, kills while COMMIT (and its fsync) ran
    torn: int = 0  # kills that left a half-written transaction in the WAL

    def summary(self) -> str:
        return (f"{self.kills} kills ({self.startup_kills} counted from start-up, {self.in_transaction} "
                f"inside a write transaction, {self.in_commit} of them in COMMIT, {self.torn} leaving a torn "
                f"WAL), {len(self.reported)} committed actions reported ({dict(self.kinds)}), {self.lost} lost, "
                f"{self.unreported} committed but killed before reporting, {self.refused} refusals")


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


class CrashServer:
    """crash_child.py as a fork server, with the file its workers report their transaction state in."""

    def __init__(self, db_path: Path, staff: dict, workdir: Path, env: dict[str, str] | None = None) -> None:
        self.state_file = workdir / "crash-state"
        self.state_file.write_bytes(bytes(16))
        self.stderr_path = workdir / "crash-server.stderr"
        full_env = {**os.environ, "LOYALTY_GRANT_SECONDS": str(10**9), **(env or {})}  # worker clocks run for weeks
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, str(CHILD), str(db_path.parent), json.dumps(staff), str(self.state_file)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=full_env,
                start_new_session=True,
            )
        self.lines = Lines(self.process.stdout)

    def __enter__(self) -> CrashServer:
        try:
            self.lines.expect("server ready")
        except BaseException:
            self.__exit__()
            raise
        return self

    def read_state(self, pid: int) -> int:
        data = self.state_file.read_bytes()
        owner, state = struct.unpack("<QQ", data)
        return state if owner == pid else OUTSIDE

    def stderr_tail(self) -> str:
        return self.stderr_path.read_text(errors="replace")[-4000:]

    def __exit__(self, *exc: object) -> None:
        if exc and exc[0] is not None:
            print(self.stderr_tail(), file=sys.stderr)
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the server and any worker it forked
            self.process.wait()
        self.process.stdout.close()


def kill_once(server: CrashServer, rng: random.Random, tally: Tally) -> set[str]:
    """Start a worker, kill it at a random moment; return the ids it reported."""
    lines = server.lines
    server.process.stdin.write(f"run {rng.getrandbits(32)}\n".encode())
    server.process.stdin.flush()
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
    exit_prefix = f"exit {pid} "
    exit_line = next((line for line in seen if line.startswith(exit_prefix)), None)  # it died on its own
    if exit_line is None:
        exit_line, more = lines.expect(exit_prefix)
        seen += more
    status = int(exit_line.split()[2])
    assert status == -signal.SIGKILL, f"the worker ended by itself (status {status}) before the kill"
    tally.kills += 1
    state = server.read_state(pid)
    tally.in_transaction += state in (IN_TRANSACTION, COMMITTING)
    tally.in_commit += state == COMMITTING
    return reported_ids(seen, tally)


# -- power cuts -----------------------------------------------------------------


def build_shim(workdir: Path) -> Path | None:
    """Compile powercut_shim.c with the system's C compiler; None when there is none."""
    compiler = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc")
    if not compiler or not sys.platform.startswith("linux"):
        return None
    library = workdir / "powercut_shim.so"
    subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", str(library), str(SHIM_SOURCE), "-ldl", "-lpthread"],
                   check=True, capture_output=True, timeout=120)
    return library


@dataclass
class Write:
    path: str
    offset: int
    size_before: int
    old: bytes


class PowerCut:
    """The shim's undo log for one data folder, and the power cut that applies it."""

    def __init__(self, library: Path, data_dir: Path, log: Path, keep_prefixes: bool = True) -> None:
        self.data_dir, self.log, self.keep_prefixes = data_dir, log, keep_prefixes
        self.env = {"LD_PRELOAD": str(library), "POWERCUT_DIR": str(data_dir.resolve()), "POWERCUT_LOG": str(log)}
        self.log.write_bytes(b"")
        self.cuts = 0
        self.undone_writes = 0
        self.kept_writes = 0
        self.synced_files = 0

    def unsynced_writes(self) -> list[Write]:
        """Writes no later fsync of their file covered, in the order they happened."""
        data, at = self.log.read_bytes(), 0
        pending: list[Write] = []
        while at < len(data):
            try:
                kind = data[at:at + 1]
                (path_len,) = struct.unpack_from("<I", data, at + 1)
                path = data[at + 5:at + 5 + path_len].decode()
                at += 5 + path_len
                if kind == b"S":
                    self.synced_files += 1
                    pending = [w for w in pending if w.path != path]
                    continue
                offset, size_before, old_len = struct.unpack_from("<QQI", data, at)
                old = data[at + 20:at + 20 + old_len]
                if len(old) != old_len:
                    break
                at += 20 + old_len
            except struct.error:
                break  # the last record was cut short by the kill: its write never began
            pending.append(Write(path, offset, size_before, old))
        return pending

    def cut(self, rng: random.Random) -> int:
        """Turn the power off: lose unsynced writes, keeping at most an in-order prefix of them.

        Most cuts lose every unsynced write; some (when ``keep_prefixes``) keep
        a random prefix, as a disk that wrote back part of its cache before
        the power went. Returns the number of writes undone.
        """
        pending = self.unsynced_writes()
        keep = 0
        if self.keep_prefixes and pending and rng.random() < 0.3:
            keep = rng.randrange(len(pending) + 1)
        undo = pending[keep:]
        sizes: dict[str, int] = {}
        for write in reversed(undo):
            with open(write.path, "r+b") as f:
                f.seek(write.offset)
                f.write(write.old)
            sizes[write.path] = write.size_before  # the earliest undone write's size wins
        for path, size in sizes.items():
            os.truncate(path, size)
        for shm in self.data_dir.glob("*-shm"):
            shm.unlink()  # shared memory does not outlive a power cut
        self.log.write_bytes(b"")
        self.cuts += 1
        self.undone_writes += len(undo)
        self.kept_writes += keep
        return len(undo)


# -- the campaign both tests run ---------------------------------------------------

CARDS = 10  # crash_child's slot plan keeps stamps legal for this many cards


def prepare_store(services: Services, owner: Grant, cashier: Grant, program_id: str) -> tuple[Path, dict, set[str]]:
    """Enroll the cards, close the store; its file, the staff the workers confirm as, and its entries."""
    for i in range(CARDS):
        services.enrollment.enroll(owner, program_id, f"Customer {i}")
    db_path = services.ctx.db.path
    staff = {"owner": [owner.staff_id, OWNER_PIN], "cashier": [cashier.staff_id, CASHIER_PIN]}
    services.close()  # no connection of ours is open while a worker runs or dies
    return db_path, staff, ledger_ids(db_path)


def campaign(services: Services, server: CrashServer, db_path: Path, known: set[str], kills: int,
             run_seed: int, power: PowerCut | None = None, stop_at_first_loss: bool = False) -> Tally:
    """Kill ``kills`` workers (cutting the power after each when ``power`` is given) and check the file each time.

    Every entry a worker reported must be in the file afterwards, SQLite
    must find no corruption, and the chains and balances must verify. With
    ``stop_at_first_loss`` a loss ends the run instead of failing it (the
    check of the check, on a store that does not fsync its commits).
    """
    rng = random.Random(run_seed)
    tally = Tally()
    while tally.kills < kills:
        ids = kill_once(server, rng, tally)
        context = f"kill {tally.kills} (seed {run_seed}; {SEED_VARIABLE}={run_seed} replays it)"
        tally.torn += torn_transaction_in_wal(db_path)
        if power is not None:
            power.cut(rng)
        now_there = ledger_ids(db_path)
        tally.reported |= ids
        lost = tally.reported - now_there
        tally.lost += len(lost)
        if lost and stop_at_first_loss:
            return tally
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
    return tally
