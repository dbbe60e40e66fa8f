"""Kill the terminal at random moments; no action it reported as done may be lost.

A worker process (see crash_child.py) opens the real store, confirms a PIN
and stamps, earns, redeems and voids, printing each entry id once the use
case has returned, i.e. once it has committed. We SIGKILL it at a random
moment, most often in the middle of its work, sometimes while it is still
opening the store or checking the PIN, and then check the file like the
next start would find it: every reported entry is there, SQLite finds no
corruption, and the hash chains and balance cache verify. The same file is
reused across all kills, as a real terminal reopens its one database.

The test also proves that its kills hit what they are meant to: a good
share must land inside a write transaction (between ``BEGIN IMMEDIATE`` and
the end of ``COMMIT``, as the worker records in shared memory), or the run
proved nothing about torn transactions and fails.

The seed is fixed (crash_harness.DEFAULT_SEED) so a failure can be
replayed; ``CRASH_TEST_SEED=N python -m pytest tests/e2e`` runs another.
Kill timing is wall-clock, so a replay hits the same actions but not
always the same instants. The default profile kills 60 workers;
``python -m pytest -m slow tests/e2e`` runs 1,000. A SIGKILL leaves the OS
page cache intact, so these kills say nothing about fsync:
test_power_cut.py covers that.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from crash_harness import CrashServer, campaign, prepare_store, seed

from terminal.services.auth import Grant
from terminal.services.facade import Services

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash harness forks its workers")


def run(services: Services, owner: Grant, cashier: Grant, program_id: str, tmp_path: Path, kills: int) -> None:
    db_path, staff, known = prepare_store(services, owner, cashier, program_id)
    run_seed = seed()
    started = time.monotonic()
    with CrashServer(db_path, staff, tmp_path) as server:
        tally = campaign(services, server, db_path, known, kills, run_seed)
    print(f"\ncrash safety: {tally.summary()}, {time.monotonic() - started:.1f} s, seed {run_seed}")
    assert tally.kills == kills
    assert tally.lost == 0
    assert len(tally.reported) > kills  # the workers really did work between kills
    # Kills must land mid-transaction, not only between transactions: on this
    # machine about half of them do; a tenth is far from chance.
    assert tally.in_transaction >= kills // 10, tally.summary()
    assert tally.in_commit > 0, tally.summary()


def test_no_committed_action_is_lost_across_kills(services, owner, cashier, program_id, tmp_path):
    run(services, owner, cashier, program_id, tmp_path, kills=60)


@pytest.mark.slow
def test_no_committed_action_is_lost_across_many_kills(services, owner, cashier, program_id, tmp_path):
    run(services, owner, cashier, program_id, tmp_path, kills=1000)
