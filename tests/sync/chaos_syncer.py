"""A real terminal's syncer in its own process, for test_chaos.py to SIGKILL inside a port call.

Run as ``python chaos_syncer.py DATA_DIR HUB_URL SEED METHOD DIE_AT STATEMENT LOG``
with the terminal's hub token in ``CHAOS_HUB_TOKEN``. It opens the real
store (``terminal.store.sync_port.StoreSyncPort`` over the terminal's SQLite
file) and runs the real ``Syncer`` through a ``ChaosTransport`` until its
stdin closes. On its ``DIE_AT``-th call of METHOD (``record_ack`` or
``apply_remote``; DIE_AT 0: never) it kills itself with SIGKILL right after
the call's ``STATEMENT``-th SQL statement, inside the call's write
transaction, or, when the call runs fewer statements, right after the call
returned, before the syncer could use it. Before the kill it appends ``kill METHOD inside N`` or ``kill METHOD
after`` to LOG, where the transport appends its faults too (one write each).
"""

from __future__ import annotations

import os
import random
import signal
import sys
from pathlib import Path
from typing import Any

from chaos import ChaosTransport
from sqlalchemy import event

from sync.backoff import Backoff
from sync.client import HubClient
from sync.syncer import Syncer
from terminal.store.db import DB_FILENAME, Database
from terminal.store.sync_port import StoreSyncPort


def note(log: str, line: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, f"{line}\n".encode())
    finally:
        os.close(fd)


class KillingPort:
    """The real port, with a SIGKILL of this process planted in one of its saving calls."""

    def __init__(self, port: StoreSyncPort, db: Database, method: str, die_at: int, statement: int,
                 log: str) -> None:
        self._port, self._db = port, db
        self._method, self._die_at, self._statement, self._log = method, die_at, statement, log
        self._calls = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._port, name)

    def _saving(self, method: str, *args: Any) -> None:
        self._calls += method == self._method
        if method != self._method or self._calls != self._die_at:
            getattr(self._port, method)(*args)
            return
        executed = 0

        def count(*_: Any) -> None:
            nonlocal executed
            executed += 1
            if executed == self._statement:
                note(self._log, f"kill {method} inside {executed}")
                os.kill(os.getpid(), signal.SIGKILL)

        event.listen(self._db.engine, "after_cursor_execute", count)
        getattr(self._port, method)(*args)
        note(self._log, f"kill {method} after")
        os.kill(os.getpid(), signal.SIGKILL)

    def record_ack(self, ack: Any) -> None:
        self._saving("record_ack", ack)

    def apply_remote(self, changes: Any) -> None:
        self._saving("apply_remote", changes)


def main(data_dir: Path, hub_url: str, seed: int, method: str, die_at: int, statement: int, log: str) -> None:
    db = Database(data_dir / DB_FILENAME, migrate=False)
    port = KillingPort(StoreSyncPort(db), db, method, die_at, statement, log)
    rng = random.Random(seed)
    transport = ChaosTransport(rate=0.35, seed=seed, log=log)
    client = HubClient(hub_url, os.environ["CHAOS_HUB_TOKEN"], timeout=5, transport=transport)
    syncer = Syncer(port, client, batch_size=200, pull_limit=500, pull_interval=0.1,
                    backoff=Backoff(base=0.01, cap=0.2, rng=random.Random(rng.random())))
    syncer.start()
    os.write(sys.stdout.fileno(), b"started\n")
    sys.stdin.read()  # until the test closes our stdin
    stopped = syncer.stop()
    client.close()
    db.close()
    sys.exit(0 if stopped else 3)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6]),
         sys.argv[7])
