"""Cut the power at random moments; no action the terminal acknowledged may be lost.

test_crash_safety.py kills the process, which leaves the OS page cache, and
with it every write, intact: it cannot tell ``synchronous=FULL`` from
``OFF``. Here the workers run under an LD_PRELOAD shim (powercut_shim.c,
compiled now with the system's C compiler) that logs, for every write to
the store's files, the bytes it overwrites, and notes every fsync. After
each kill the test undoes every write no fsync covered, sometimes keeping an
in-order prefix of them as a disk that flushed part of its cache would, so
the files are what a disk would hold when the power comes back. Then, as in
the kill test, every entry a worker reported as committed must be there,
SQLite must find no corruption and the ledger must verify.

The check of the check: the same run with the store weakened to
``synchronous=OFF`` (no fsync at all) or ``NORMAL`` (in WAL mode, no fsync at
commit) must lose acknowledged entries, and does, within a few cuts.

Seed: as test_crash_safety.py (``CRASH_TEST_SEED``). The default profile cuts
the power 30 times; ``python -m pytest -m slow tests/e2e`` cuts it 400 times.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from crash_harness import (
    CrashServer,
    PowerCut,
    Tally,
    build_shim,
    campaign,
    prepare_store,
    seed,
)

from terminal.services.auth import Grant
from terminal.services.facade import Services

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash harness forks its workers"),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the power-cut shim hooks glibc's write calls"),
]

CUTS = 30
SLOW_CUTS = 400
# How many cuts the weakened store gets to show a loss; it shows one in the first few.
CONTROL_CUTS = 30


@pytest.fixture(scope="module")
def shim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    library = build_shim(tmp_path_factory.mktemp("shim"))
    if library is None:
        pytest.skip("no C compiler (cc, gcc or $CC) to build the power-cut shim with")
    return library


def run(services: Services, owner: Grant, cashier: Grant, program_id: str, tmp_path: Path, shim: Path, cuts: int,
        synchronous: str | None = None) -> tuple[Tally, PowerCut]:
    db_path, staff, known = prepare_store(services, owner, cashier, program_id)
    # A store that does not fsync its commits may be torn by a partly flushed cache, which would
    # fail the integrity check before the loss is counted: its cuts drop every unsynced write.
    power = PowerCut(shim, db_path.parent, tmp_path / "undo.log", keep_prefixes=synchronous is None)
    env = dict(power.env)
    if synchronous:
        env["CRASH_SYNCHRONOUS"] = synchronous
    with CrashServer(db_path, staff, tmp_path, env) as server:
        tally = campaign(services, server, db_path, known, cuts, seed(), power=power,
                         stop_at_first_loss=synchronous is not None)
    return tally, power


def check_full(services: Services, owner: Grant, cashier: Grant, program_id: str, tmp_path: Path, shim: Path,
               cuts: int) -> None:
    started = time.monotonic()
    tally, power = run(services, owner, cashier, program_id, tmp_path, shim, cuts)
    print(f"\npower cuts: {tally.summary()}; {power.undone_writes} unsynced writes undone, "
          f"{power.kept_writes} kept as a flushed prefix, {power.synced_files} fsyncs seen; "
          f"{time.monotonic() - started:.1f} s, seed {seed()}")
    assert tally.kills == cuts and tally.lost == 0
    assert len(tally.reported) > cuts // 2  # the workers did commit between the cuts
    # The shim really saw the store's writes and syncs, and cuts really undid some.
    assert power.synced_files > len(tally.reported)
    assert power.undone_writes > 0, "no cut found an unsynced write: the shim saw nothing"
    assert tally.in_transaction >= cuts // 10, tally.summary()


def test_acknowledged_actions_survive_power_cuts(services, owner, cashier, program_id, tmp_path, shim):
    check_full(services, owner, cashier, program_id, tmp_path, shim, CUTS)


@pytest.mark.slow
def test_acknowledged_actions_survive_many_power_cuts(services, owner, cashier, program_id, tmp_path, shim):
    check_full(services, owner, cashier, program_id, tmp_path, shim, SLOW_CUTS)


@pytest.mark.parametrize("synchronous", ["OFF", "NORMAL"])
def test_power_cuts_do_lose_what_a_weaker_store_acknowledged(services, owner, cashier, program_id, tmp_path, shim,
                                                             synchronous):
    """The same check on a store that does not fsync at commit: it must catch the loss."""
    tally, power = run(services, owner, cashier, program_id, tmp_path, shim, CONTROL_CUTS, synchronous)
    print(f"\npower cuts with synchronous={synchronous}: lost {tally.lost} acknowledged entries "
          f"at cut {tally.kills}; {power.undone_writes} unsynced writes undone")
    assert tally.lost > 0, f"synchronous={synchronous} lost nothing in {tally.kills} cuts: the check is blind"
