"""Fixtures for the sync tests: a real hub (SQLite or PostgreSQL) served over loopback.

Tests that take ``hub_url`` / ``hub`` run once per database backend. The
PostgreSQL run needs ``LOYALTY_TEST_PG_URL`` (``bash .ci/postgres.sh``
prints one) and is skipped, with the reason shown, when it is unset or
the server cannot be reached. Each test gets a fresh database.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
import uvicorn
from sqlalchemy.engine import Engine, make_url

sys.path.insert(0, str(Path(__file__).parent))

from console_helpers import CHEAP_HASHER, CHROMIUM, OWNER_EMAIL, add_owner, client, sign_in
from real_terminal import RealTerminal

from sync.hub import admin, owners
from sync.hub.app import create_app
from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate
from terminal.domain.clock import ManualClock

PG_ENV = "LOYALTY_TEST_PG_URL"
_pg_problem: str | None = None


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        pytest.skip(f"{PG_ENV} is not set: run 'export {PG_ENV}=$(bash .ci/postgres.sh)' "
                    "to run the PostgreSQL variant")
    global _pg_problem
    if _pg_problem is None:
        try:
            engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
            with engine.connect():
                pass
            engine.dispose()
            _pg_problem = ""
        except sa.exc.OperationalError as exc:
            _pg_problem = f"PostgreSQL at {PG_ENV} is unreachable: {str(exc).splitlines()[0]}"
    if _pg_problem:
        pytest.skip(_pg_problem)
    return url


def _fresh_pg_database(template: str | None = None) -> Iterator[str]:
    base = make_url(_pg_admin_url())
    name = f"loyalty_t_{uuid.uuid4().hex[:12]}"
    maintenance = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    _create_database(maintenance, name, template)
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(maintenance, name)
        maintenance.dispose()


def _create_database(maintenance: sa.Engine, name: str, template: str | None) -> None:
    # A copy of the template fails while anyone else is connected to it; nobody but an autovacuum
    # worker could be (it takes no connections), and that one leaves within a moment.
    for attempt in range(10):
        try:
            with maintenance.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
            return
        except sa.exc.DBAPIError:
            if attempt == 9 or template is None:
                raise
            time.sleep(0.2)


def _drop_database(maintenance: sa.Engine, name: str) -> None:
    # FORCE ends the test's own leftover connections, but not an autovacuum worker that happens to be
    # in the new database (a superuser's process: InsufficientPrivilege); it leaves within a moment.
    for attempt in range(10):
        try:
            with maintenance.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except sa.exc.DBAPIError:
            if attempt == 9:
                raise
            time.sleep(0.5)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the PostgreSQL variant of tests marked ``sqlite_only``: what they check (a form's CSRF field,
    a session cookie, an input rule answered before any query) is the same on either database, so that
    variant would repeat the SQLite one. Queries, locking, concurrency and migrations keep both."""
    dropped = [item for item in items if item.get_closest_marker("sqlite_only")
               and getattr(item, "callspec", None) is not None
               and item.callspec.params.get("hub_db_url") == "postgresql"]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        gone = {id(item) for item in dropped}
        items[:] = [item for item in items if id(item) not in gone]


class MigratedTemplates:
    """One database per backend migrated once a run, copied for each test that takes ``hub_engine``.

    The copy is what ``migrate`` makes of an empty database (nothing but the tables and the version
    row), so a test gets the same fresh database as before, without running the schema's DDL again.
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._made: dict[str, str] = {}

    def sqlite_file(self) -> Path:
        if "sqlite" not in self._made:
            path = self._folder / "hub-template.db"
            engine = create_hub_engine(f"sqlite:///{path}")
            migrate(engine)
            engine.dispose()
            self._made["sqlite"] = str(path)
        return Path(self._made["sqlite"])

    def pg_name(self) -> str:
        if "postgresql" not in self._made:
            base = make_url(_pg_admin_url())
            name = f"loyalty_tpl_{uuid.uuid4().hex[:12]}"
            maintenance = sa.create_engine(base, isolation_level="AUTOCOMMIT")
            _create_database(maintenance, name, None)
            engine = create_hub_engine(base.set(database=name).render_as_string(hide_password=False))
            migrate(engine)
            engine.dispose()
            with maintenance.connect() as conn:  # no connection to it from now on, so it can be copied
                conn.exec_driver_sql(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false')
            maintenance.dispose()
            self._made["postgresql"] = name
        return self._made["postgresql"]

    def drop(self) -> None:
        name = self._made.pop("postgresql", None)
        if name is None:
            return
        maintenance = sa.create_engine(make_url(_pg_admin_url()), isolation_level="AUTOCOMMIT")
        with maintenance.connect() as conn:
            conn.exec_driver_sql(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE false')
        _drop_database(maintenance, name)
        maintenance.dispose()


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedTemplates]:
    templates = MigratedTemplates(tmp_path_factory.mktemp("hub-templates"))
    yield templates
    templates.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty hub database on each backend; already migrated when the test takes ``hub_engine``."""
    migrated = "hub_engine" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "hub.db"
        if migrated:
            shutil.copyfile(request.getfixturevalue("migrated_templates").sqlite_file(), path)
            path.chmod(0o600)
        yield f"sqlite:///{path}"
    else:
        _pg_admin_url()  # skips, saying why, before any template is made
        template = request.getfixturevalue("migrated_templates").pg_name() if migrated else None
        yield from _fresh_pg_database(template)


@pytest.fixture
def hub_engine(hub_db_url: str) -> Iterator[Engine]:
    engine = create_hub_engine(hub_db_url)
    migrate(engine)
    yield engine
    engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _PromptServer(uvicorn.Server):
    """uvicorn's server, ending as soon as it is told to.

    uvicorn looks at ``should_exit`` every 0.1 s, then sleeps 0.1 s before it waits (in 0.1 s steps) for
    the connections to close: 0.2 s for every stop, paid by hundreds of test hubs. Here a stop wakes the
    main loop at once, and the wait polls often; what is waited for, and the graceful timeout, are uvicorn's.
    """

    async def main_loop(self) -> None:
        self.wake = asyncio.Event()
        counter = 0
        while not await self.on_tick(counter):
            counter = (counter + 1) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), 0.1)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.config.timeout_graceful_shutdown
        while (self.server_state.connections or self.server_state.tasks) and not self.force_exit:
            if loop.time() > deadline:
                for task in self.server_state.tasks:
                    task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
                break
            await asyncio.sleep(0.005)
        for server in self.servers:
            await server.wait_closed()
        if not self.force_exit:
            await self.lifespan.shutdown()


class HubServer:
    """The real hub app served by uvicorn on a thread, on 127.0.0.1."""

    def __init__(self, engine: Engine, port: int | None = None) -> None:
        self.engine = engine
        self.port = port or free_port()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def follow_clock(self, clock: Callable[[], datetime]) -> None:
        """Take times as of ``clock`` (a till's manual clock that tests move on to stand for days passing),
        so the hub's "not ahead of my clock" rule moves with it."""
        from sync.hub.time_rules import TimeRules

        self.app.state.time_rules = TimeRules(clock=clock)

    def start(self) -> HubServer:
        self.app = create_app(self.engine)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port,
                                log_level="warning", ws="none", lifespan="off",
                                timeout_graceful_shutdown=1)
        self._server = _PromptServer(config)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="hub-server", daemon=True)
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the hub did not start on port {self.port}")
            threading.Event().wait(0.01)
        return self

    def _run(self) -> None:
        async def serve() -> None:
            self._loop = asyncio.get_running_loop()
            await self._server.serve()

        asyncio.run(serve())

    def stop(self, *, abrupt: bool = False) -> None:
        """Stop serving; ``abrupt`` drops requests in flight instead of finishing them."""
        assert self._server is not None and self._thread is not None
        self._server.should_exit = True
        self._server.force_exit = abrupt
        if self._loop is not None and hasattr(self._server, "wake"):
            self._loop.call_soon_threadsafe(self._server.wake.set)
        self._thread.join(10)
        # The worker threads running the app's sync endpoints end with their
        # event loop; wait for this server's own.
        for thread in threading.enumerate():
            if getattr(thread, "loop", None) is self._loop:
                thread.join(5)
        self._server = None

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self.stop()


@dataclass
class Merchant:
    merchant_id: str
    owner_token: str
    store_id: str


def make_merchant(engine: Engine, name: str = "Corner Café", store: str = "Main") -> Merchant:
    made = admin.create_merchant(engine, name)
    return Merchant(made.merchant_id, made.owner_token, admin.add_store(engine, made.merchant_id, store))


@pytest.fixture
def hub(hub_engine: Engine) -> Iterator[HubServer]:
    with HubServer(hub_engine) as server:
        yield server


@pytest.fixture
def merchant(hub_engine: Engine) -> Merchant:
    return make_merchant(hub_engine)


@pytest.fixture(autouse=True)
def _cheap_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Owners' passwords hashed with Argon2id at a small cost: the console tests sign in dozens of times."""
    monkeypatch.setattr(owners, "password_hasher", CHEAP_HASHER)
    monkeypatch.setattr(owners, "_DUMMY_HASH", [])


@pytest.fixture
def app(hub_engine: Engine):
    """The hub app on the test's database, for the console's in-process test client."""
    return create_app(hub_engine, run_migrations=False)


@pytest.fixture
def console_owner(hub_engine: Engine, merchant: Merchant) -> owners.Account:
    """The merchant's owner account at the console, ``OWNER_EMAIL``."""
    return add_owner(hub_engine, merchant.merchant_id, OWNER_EMAIL)


@pytest.fixture
def web(app, console_owner: owners.Account):
    """A console client signed in as the merchant's owner."""
    with client(app) as signed_in:
        answer = sign_in(signed_in, console_owner.email)
        assert answer.status_code == 303, answer.text
        yield signed_in


@pytest.fixture
def till_pair(hub: HubServer, hub_engine: Engine, merchant: Merchant, tmp_path: Path):
    """Makes two real tills of the merchant's store: A founds the store, pairs and syncs; B joins it.

    ``clock`` is A's clock; B shares it, or with ``own_clock`` gets one of its own set to A's time.
    ``cashier``: A adds cashier Carl before its first sync. ``follow``: the hub takes its time from A's
    clock. Every till made is closed after the test.
    """
    made: list[RealTerminal] = []

    def make(clock: ManualClock | None = None, *, own_clock: bool = False, cashier: bool = False,
             follow: bool = False) -> tuple[RealTerminal, RealTerminal]:
        a = RealTerminal.founded(tmp_path / "a", clock)
        made.append(a)
        if follow:
            hub.follow_clock(a.clock.now)
        a.pair(hub.url, hub_engine, merchant.store_id, "Till A")
        if cashier:
            a.add_cashier()
        a.sync()
        b = RealTerminal.joined(tmp_path / "b", hub.url, hub_engine, merchant.store_id,
                                ManualClock(a.clock.now()) if own_clock else a.clock)
        made.append(b)
        return a, b

    yield make
    for till in made:
        till.close()


@pytest.fixture
def real_tills(till_pair) -> tuple[RealTerminal, RealTerminal]:
    """Two real tills on one manual clock: A founded the store and synced, B joined it."""
    return till_pair()


@pytest.fixture
def sync_playwright():
    """Playwright for the real-browser tests; skipped, saying why, without Chromium or Playwright."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("Chromium is not installed: run 'python packaging/system_deps.py'")
    api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' installs playwright")
    with api.sync_playwright() as playwright:
        yield playwright


@pytest.fixture(autouse=True)
def _hub_master_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never the user's config folder: each test's hub gets its own master key file.
    monkeypatch.setenv("LOYALTY_HUB_MASTER_KEY_FILE", str(tmp_path / "hub-master.key"))
    monkeypatch.setenv("LOYALTY_HUB_SIGNING_KEY_FILE", str(tmp_path / "hub-signing.key"))


@pytest.fixture(autouse=True)
def _no_thread_left() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    left = [t for t in set(threading.enumerate()) - before if t.is_alive()]
    for thread in left:
        thread.join(2)
    still = [t.name for t in left if t.is_alive()]
    assert not still, f"threads left running: {still}"
