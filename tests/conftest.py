"""Shared fixtures: an isolated environment, a real store in a temp dir, thread hygiene."""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

for _name in [n for n in os.environ if n.startswith("LOYALTY_") and n != "LOYALTY_TEST_PG_URL"]:
    del os.environ[_name]  # a developer's own settings must not change test outcomes
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["LOYALTY_SECRET_BACKEND"] = "file"  # never touch the machine's real keyring
# OWASP's minimum keeps the suite fast; the production default is costlier.
os.environ["LOYALTY_PIN_TIME_COST"] = "2"
os.environ["LOYALTY_PIN_MEMORY_KIB"] = "19456"

from terminal.domain.clock import ManualClock  # noqa: E402
from terminal.services.facade import Services, open_services  # noqa: E402

OWNER_PIN = "2741"
CASHIER_PIN = "5820"
START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOYALTY_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(autouse=True)
def gc_on_the_main_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """In Qt tests, collect cycles only here, never on a worker thread (see terminal/ui/gui_thread_gc.py).

    What exists before the test is frozen for its duration, so the collection at its end scans what the
    test made, not the whole heap of the run (late in a full run that scan took up to 1-3 s a test);
    unfrozen after, so older garbage is still found by the next automatic collection.
    """
    if not {"qtbot", "qapp"} & set(request.fixturenames):
        yield
        return
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.unfreeze()
        if was_enabled:
            gc.enable()


@pytest.fixture(autouse=True)
def no_thread_left_running() -> Iterator[None]:
    """Fail a test that leaves a thread of its own running (as napari's conftest does)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 3
    while True:
        left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert not left, f"threads left running: {[t.name for t in left]}"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def services(data_dir: Path, clock: ManualClock) -> Iterator[Services]:
    s = open_services(data_dir, clock=clock)
    s.init_store(name="Test Café", timezone="Europe/Berlin", currency="EUR",
                 owner_name="Olga", owner_pin=OWNER_PIN, template="hybrid")
    yield s
    s.close()


@pytest.fixture
def owner(services: Services):
    staff_id = next(s.staff_id for s in services.staff.list() if s.name == "Olga")
    return services.auth.verify_pin(staff_id, OWNER_PIN)


@pytest.fixture
def cashier(services: Services, owner):
    from terminal.domain.staff import Role

    info = services.staff.add(owner, "Carl", Role.CASHIER, CASHIER_PIN)
    return services.auth.verify_pin(info.staff_id, CASHIER_PIN)


@pytest.fixture
def program_id(services: Services) -> str:
    from terminal.services.catalog import list_programs

    with services.ctx.db.read() as session:
        return list_programs(session)[0].program_id


@pytest.fixture
def card(services: Services, owner, program_id: str) -> str:
    return services.enrollment.enroll(owner, program_id, "Ann").code
