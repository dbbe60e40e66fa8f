"""Hub benchmark: hundreds of tills and integration clients against ``loyalty-hub serve --workers N``.

    LOYALTY_TEST_PG_URL=... python tests/bench/hub_bench.py           # 500 tills; 1, 2, 4 workers
    LOYALTY_TEST_PG_URL=... python tests/bench/hub_bench.py --quick   # 100 tills, under a minute

PostgreSQL only (several workers need it): a fresh database on the server of
``LOYALTY_TEST_PG_URL``, dropped at the end. Everything runs on this machine
over loopback; the load generator shares its cores with the hub, so the
figures are a floor for a hub with cores of its own.

The load, the same for each worker count (1, 2, 4), run one after the other
on the same database (the tills carry on their chains, so later runs meet
bigger tables):

- tills: async clients in this process, each with its own Ed25519 key and
  signed hash chain (``ledger_chain``), paired like a real till (its key
  bound at pairing). Five tills per store, two stores per merchant: the hub
  of a platform carrying many small businesses (500 tills: 50 merchants);
  each store's tills stamp and earn on the store's 5,000 cards, so they pull
  each other's entries (a card sees a few entries a day, as in a shop: with
  200 cards a store's every card was stamped dozens of times a day, so each
  push re-read a growing day of stamps and flagged nearly every stamp over the
  daily limit). Each till pushes once a second what it made since its last
  push (at most the syncer's batch of 1,000); together they offer the target
  rate (10,000 entries/s), so ``entries_per_s`` is what the hub took in of it.
  The entries are hashed and signed before the timed window, as a real till
  does it on its own machine, not on the hub's cores. Each till pulls every
  30 s (its first pull at a random moment of the first 30 s, or of the run
  when shorter), page by page until the hub has no more.
- integration clients: 50, spread over the merchants (a register or web shop
  each), each with its own credential, posting an order a second with an
  idempotency key; one post in twenty is sent again with its key and must get
  the first answer. Every merchant has the program and store profile a real
  till (the first merchant's) brought.
- a webhook receiver on loopback subscribed to ``points.earned`` of the first
  merchant (its orders and its tills' earns): lag is from the event's
  ``created_at`` at the hub to its arrival.

Writes of one merchant take its row lock (sync/hub/db.py), so one merchant's
ingest does not grow with workers; merchants write in parallel. (A first
version put 100 tills under one merchant: every push queued on that one
lock, and more workers only made the queue wait for pool connections.)

Lost and doubled, checked in the database after each run: first every till
asks the hub how far it holds its chain (an empty push, so a push stored
whose answer was lost counts), then what the hub did not acknowledge is taken
back (the till's chain goes on from its last acknowledged entry: the next run
starts without a backlog). Till entries held must equal those acknowledged;
each order acknowledged must be held once with its entries; each webhook event
must arrive exactly once (the outbox drained first).

Where the CPU goes: each run reports the CPU seconds of the hub's processes,
of this database's PostgreSQL backends and of this bench in the window, and
per entry stored. The fair reference, measured in the same run: PostgreSQL
alone storing the same entries into a copy of the hub's entries table with
its indexes, one connection, batches of 1,000 (``reference_entries_per_s``).

Targets with 4 workers: >= 10,000 entries/s, push p99 <= 100 ms, pull p99
<= 200 ms, webhook lag p99 <= 2 s, nothing lost or doubled; the bench exits
1 when one is missed. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

import httpx
import sqlalchemy as sa
import uvicorn
from _common import exit_status, fresh_pg, isolated_env, percentile, print_result, print_table
from terminal_double import new_card_code

import ledger_chain as chain
from ledger_chain import signing
from sync.hub import admin, integration_credentials, webhooks
from sync.hub.db import create_hub_engine, writing
from sync.hub.migrations import migrate
from sync.hub.schema import entries, integration_orders, programs, store_profiles, webhook_deliveries
from sync.protocol import PROTOCOL_VERSION

PG_ENV = "LOYALTY_TEST_PG_URL"
TARGET_ENTRIES_PER_S = 10_000
TARGET_PUSH_P99_MS = 100
TARGET_PULL_P99_MS = 200
TARGET_WEBHOOK_LAG_P99_S = 2.0
TILLS_PER_STORE = 5
STORES_PER_MERCHANT = 2
CARDS_PER_STORE = 5000  # a card sees a few entries a day, as in a shop (see the docstring)
PULL_EVERY_S = 30.0
PUSH_EVERY_S = 1.0
MAX_PUSH = 1000  # the syncer's batch
INTEGRATION_CLIENTS = 50  # spread over the merchants: each one's register or web shop
CARDS_PER_CLIENT_MERCHANT = 50  # enrolled through the API at each merchant with integration clients
ORDER_EVERY_S = 1.0  # per integration client
SOURCE = "bench"
ROOT = Path(__file__).resolve().parents[2]


def p(values: list[float], q: float, scale: float = 1.0) -> float | None:
    """A percentile, scaled and rounded; None (JSON null) when nothing was measured."""
    return round(percentile(values, q) * scale, 3) if values else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wire_time() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")




# ---- a simulated till ----------------------------------------------------------------------

@dataclass
class Till:
    """A till's signed chain. Entries are made (hashed and signed) ahead of the timed window, as a real
    till does it on its own machine, not on the hub's cores; the window releases them at the till's rate."""

    terminal_id: str
    code: str
    cards: list[str]
    key: object = field(default_factory=lambda: signing.private_key(signing.new_private_key()))
    token: str = ""
    seq: int = 0              # the last entry made
    head: str = chain.GENESIS
    acked: int = 0            # the last entry the hub acknowledged
    acked_head: str = chain.GENESIS
    ready: deque = field(default_factory=deque)          # made ahead, not released yet
    pending: list[dict] = field(default_factory=list)    # released, not acknowledged
    cursor: int = 0

    def make(self, count: int, rng: random.Random) -> None:
        at = wire_time()
        for _ in range(count):
            self.seq += 1
            card = rng.choice(self.cards)
            if rng.random() < 0.7:
                amount = rng.randrange(100, 9000)
                change = {"kind": "earn", "stamps": 0, "points": amount // 100, "amount": amount}
            else:
                change = {"kind": "stamp", "stamps": 1, "points": 0, "amount": None}
            fields = {"entry_id": str(uuid.uuid4()), "terminal_id": self.terminal_id, "seq": self.seq,
                      "card": card, **change, "reward_id": None, "staff_id": "bench", "reason": None,
                      "reverses": None, "at": at}
            digest = chain.entry_hash(self.head, fields)
            self.ready.append({**fields, "prev_hash": self.head, "hash": digest,
                               "sig": signing.sign_record(self.key, "entries", digest)})
            self.head = digest

    def release(self, count: int, rng: random.Random) -> None:
        """What the cashier did since the last push, from the entries made ahead (more if they ran out)."""
        if len(self.ready) < count:
            self.make(count - len(self.ready), rng)
        self.pending.extend(self.ready.popleft() for _ in range(count))

    def acknowledged(self, through: int) -> None:
        for entry in self.pending:
            if entry["seq"] == through:
                self.acked_head = entry["hash"]
        self.acked = max(self.acked, through)
        self.pending = [e for e in self.pending if e["seq"] > through]

    def take_back(self) -> None:
        """Forget what the hub did not acknowledge: the chain goes on from its last acknowledged entry
        (the next run starts without a backlog; lost and doubled are judged on what the hub took)."""
        self.ready.clear()
        self.pending.clear()
        self.seq, self.head = self.acked, self.acked_head


@dataclass
class Stats:
    push_s: list[float] = field(default_factory=list)
    pull_s: list[float] = field(default_factory=list)
    order_s: list[float] = field(default_factory=list)
    lag_s: list[float] = field(default_factory=list)
    received: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    pushed_in_window: int = 0
    orders_ok: set = field(default_factory=set)
    order_entries: int = 0
    replays_differing: int = 0


# ---- the webhook receiver ------------------------------------------------------------------

class Receiver:
    """A loopback ASGI receiver that notes each event's arrival (run by uvicorn in the bench's loop)."""

    def __init__(self, stats: Stats) -> None:
        self.stats = stats
        self.port = free_port()
        self.recording = False
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", ws="none", access_log=False, interface="asgi3")
        self.server = uvicorn.Server(config)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def app(self, scope, receive, send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        arrived = time.time()
        event = json.loads(body)
        self.stats.received[event["id"]] += 1
        if self.recording:
            created = datetime.strptime(event["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            self.stats.lag_s.append(arrived - created.timestamp())
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
        await send({"type": "http.response.body", "body": b"ok"})


# ---- the hub process -----------------------------------------------------------------------

class Hub:
    def __init__(self, url: str, workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        connections = max(6, 60 // workers)  # the server's max_connections is shared with others
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "sync.hub.cli", "--database-url", url, "serve", "--workers", str(workers),
             "--port", str(self.port), "--log-level", "warning", "--pairing-attempts", "1000000",
             "--db-connections", str(connections)],
            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdin=subprocess.DEVNULL)
        started = time.monotonic()
        while time.monotonic() < started + 600:  # a loaded machine imports slowly
            if self.proc.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.proc.returncode}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    print(f"[{workers} workers] hub up in {time.monotonic() - started:.1f} s", flush=True)
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the hub did not start in time")

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            return -9


# ---- CPU used, per process ------------------------------------------------------------------

def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _process_tree(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # a process that ended meanwhile
        parents.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += parents.get(current, [])
    return found


class CpuMeter:
    """CPU seconds the hub's processes, this database's PostgreSQL backends and this bench spend from
    now on: where an entry's cost goes, for a machine where they do not share cores.

    The pool opens and closes connections in the window, so the processes are read every quarter of a
    second on a thread, each one's last reading kept (a backend that lived less than that is missed)."""

    EVERY_S = 0.25

    def __init__(self, hub_pid: int, engine: sa.Engine) -> None:
        self.hub_pid, self.engine = hub_pid, engine
        self.start = self._snapshot()
        self.last = {part: dict(seen) for part, seen in self.start.items()}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="cpu-meter", daemon=True)
        self._thread.start()

    def _backends(self) -> list[int]:
        with self.engine.connect() as conn:
            return list(conn.execute(sa.text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                             "AND pid <> pg_backend_pid()")).scalars())

    def _snapshot(self) -> dict[str, dict[int, float]]:
        return {"hub": {p: _cpu_seconds(p) for p in _process_tree(self.hub_pid)},
                "postgresql": {p: _cpu_seconds(p) for p in self._backends()},
                "bench": {0: time.process_time()}}

    def _watch(self) -> None:
        while not self._stop.wait(self.EVERY_S):
            for part, now in self._snapshot().items():
                self.last[part].update({p: v for p, v in now.items() if v > 0})

    def used(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        for part, now in self._snapshot().items():
            self.last[part].update({p: v for p, v in now.items() if v > 0})
        return {part: round(sum(v - self.start[part].get(p, 0.0) for p, v in seen.items()), 2)
                for part, seen in self.last.items()}


# ---- setting up ----------------------------------------------------------------------------

@dataclass
class World:
    url: str
    engine: sa.Engine
    tills: list[Till]
    shop_merchant: str                   # the real till's merchant; its webhook endpoint is measured
    first_stores: dict[str, str]         # merchant -> its first store
    credentials: list[tuple[str, str]]   # (merchant, secret): the integration clients, spread over merchants
    cards: dict[str, list[str]] = field(default_factory=dict)  # merchant -> cards enrolled through the API
    endpoint_id: str | None = None


def build_world(url: str, till_count: int, workdir: Path, rng: random.Random) -> World:
    engine = create_hub_engine(url)
    migrate(engine)
    merchants = max(1, till_count // (TILLS_PER_STORE * STORES_PER_MERCHANT))
    tills: list[Till] = []
    shop_merchant = ""
    first_stores: dict[str, str] = {}
    for m in range(merchants):
        made = admin.create_merchant(engine, f"Chain {m}")
        if m == 0:
            shop_merchant = made.merchant_id
            first_stores[made.merchant_id] = real_till_store(engine, made.merchant_id, workdir)
        for s in range(STORES_PER_MERCHANT):
            if len(tills) >= till_count:
                break
            store_id = admin.add_store(engine, made.merchant_id, f"Shop {m}-{s}")
            first_stores.setdefault(made.merchant_id, store_id)
            cards = [new_card_code(rng) for _ in range(CARDS_PER_STORE)]
            for t in range(TILLS_PER_STORE):
                if len(tills) >= till_count:
                    break
                code = admin.add_terminal(engine, store_id, f"Till {m}-{s}-{t}").code
                tills.append(Till(str(uuid.uuid4()), code, cards))
    ids = list(first_stores)
    credentials = [(ids[n % len(ids)],
                    integration_credentials.create(engine, ids[n % len(ids)], f"client {n}", "write").secret)
                   for n in range(INTEGRATION_CLIENTS)]
    return World(url, engine, tills, shop_merchant, first_stores, credentials)


def share_program(world: World) -> None:
    """Every merchant gets the program and store profile (currency, zone) the real till brought, as if
    a till of each had synced: the integration clients of every merchant earn by the same rules."""
    with writing(world.engine) as conn:
        program_rows = conn.execute(sa.select(programs).where(programs.c.merchant_id == world.shop_merchant)
                                    ).mappings().all()
        profile = conn.execute(sa.select(store_profiles).where(
            store_profiles.c.store_id == world.first_stores[world.shop_merchant])).mappings().one()
        for merchant, store_id in world.first_stores.items():
            if merchant == world.shop_merchant:
                continue
            conn.execute(sa.insert(programs), [{**row, "merchant_id": merchant} for row in program_rows])
            conn.execute(sa.insert(store_profiles).values({**profile, "store_id": store_id}))


def real_till_store(engine: sa.Engine, merchant_id: str, workdir: Path) -> str:
    """The shop merchant's first store is a real till's: it brings the program and the store profile
    (currency, time zone) the integration API earns with. Paired and synced once the hub runs."""
    store_id = admin.add_store(engine, merchant_id, "Web shop")
    REAL_TILL.update(store_id=store_id, code=admin.add_terminal(engine, store_id, "Real till").code,
                     data_dir=str(workdir / "real-till"))
    return store_id


REAL_TILL: dict[str, str] = {}


def sync_real_till(hub_url: str) -> None:
    from sync.client import HubClient
    from sync.syncer import Syncer
    from terminal.services.facade import open_services
    from terminal.services.sync_link import pair_existing
    from terminal.services.sync_secrets import load_token
    from terminal.store.sync_port import StoreSyncPort

    services = open_services(Path(REAL_TILL["data_dir"]))
    try:
        if "paired" not in REAL_TILL:
            services.init_store(name="Web shop", timezone="Europe/Berlin", currency="EUR",
                                owner_name="Olga", owner_pin="2741", template="points")
            pair_existing(services, hub_url, REAL_TILL["code"])
            REAL_TILL["paired"] = "yes"
        port = StoreSyncPort(services.ctx.db, services.ctx.clock)
        with HubClient(hub_url, load_token(services.ctx.settings, port.terminal_id()), timeout=60) as client:
            Syncer(port, client).sync_once()
    finally:
        services.close()


# ---- the load ------------------------------------------------------------------------------

async def pair_all(client: httpx.AsyncClient, tills: list[Till]) -> None:
    gate = asyncio.Semaphore(20)

    async def pair(till: Till) -> None:
        async with gate:
            answer = await client.post("/sync/v1/pair", json={
                "v": PROTOCOL_VERSION, "code": till.code, "terminal_id": till.terminal_id,
                "signing_key": signing.public_key_of(till.key)})
            answer.raise_for_status()
            till.token = answer.json()["token"]

    await asyncio.gather(*(pair(t) for t in tills if not t.token))


async def push(client: httpx.AsyncClient, till: Till, stats: Stats | None) -> None:
    batch = till.pending[:MAX_PUSH]
    if not batch:
        return
    started = time.perf_counter()
    try:
        answer = await client.post("/sync/v1/push", headers={"Authorization": f"Bearer {till.token}"},
                                   json={"v": PROTOCOL_VERSION, "terminal_id": till.terminal_id, "entries": batch})
    except httpx.HTTPError as exc:
        if stats:
            stats.errors[f"push {type(exc).__name__}"] += 1
        return
    if stats:
        stats.push_s.append(time.perf_counter() - started)
    if answer.status_code != 200:
        if stats:
            stats.errors[f"push HTTP {answer.status_code}"] += 1
        return
    through = answer.json()["entries_through"]
    if stats:
        stats.pushed_in_window += max(0, through - till.acked)
    till.acknowledged(through)


async def learn_through(client: httpx.AsyncClient, till: Till) -> None:
    """An empty push: the hub answers how far it holds the till's chain (a push it stored whose answer
    was lost shows here), so lost and doubled are judged on what the hub really took."""
    for _ in range(3):
        try:
            answer = await client.post("/sync/v1/push", headers={"Authorization": f"Bearer {till.token}"},
                                       json={"v": PROTOCOL_VERSION, "terminal_id": till.terminal_id, "entries": []})
        except httpx.HTTPError:
            continue
        if answer.status_code == 200:
            through = answer.json()["entries_through"]
            if through > till.seq:
                raise RuntimeError(f"the hub holds {through} entries of a till that made {till.seq}")
            till.acknowledged(through)
            return
    raise RuntimeError(f"the hub did not say how far it holds till {till.terminal_id}")


async def pull(client: httpx.AsyncClient, till: Till, stats: Stats) -> None:
    while True:
        started = time.perf_counter()
        try:
            answer = await client.get("/sync/v1/pull", params={"cursor": till.cursor, "limit": 1000},
                                      headers={"Authorization": f"Bearer {till.token}"})
        except httpx.HTTPError as exc:
            stats.errors[f"pull {type(exc).__name__}"] += 1
            return
        stats.pull_s.append(time.perf_counter() - started)
        if answer.status_code != 200:
            stats.errors[f"pull HTTP {answer.status_code}"] += 1
            return
        page = answer.json()
        till.cursor = page["cursor"]
        if not page["has_more"]:
            return


async def till_loop(client: httpx.AsyncClient, till: Till, rate: float, until: float, stats: Stats,
                    rng: random.Random, pull_phase: float) -> None:
    start = time.monotonic()
    next_push = start + rng.random() * PUSH_EVERY_S
    next_pull = start + pull_phase
    owed = 0.0
    while True:
        now = time.monotonic()
        if now >= until:
            return
        if now >= next_pull:
            await pull(client, till, stats)
            next_pull += PULL_EVERY_S
            continue
        if now >= next_push:
            owed += rate * PUSH_EVERY_S
            till.release(int(owed), rng)
            owed -= int(owed)
            await push(client, till, stats)
            next_push += PUSH_EVERY_S
            continue
        await asyncio.sleep(min(next_push, next_pull, until) - now)


async def order_loop(client: httpx.AsyncClient, credential: str, cards: list[str], until: float, stats: Stats,
                     rng: random.Random, index: int) -> None:
    headers = {"Authorization": f"Bearer {credential}"}
    next_at = time.monotonic() + rng.random() * ORDER_EVERY_S
    n = 0
    while next_at < until:
        await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        next_at += ORDER_EVERY_S
        n += 1
        order_id = f"c{index}-{n}-{uuid.uuid4().hex[:6]}"
        body = {"card": rng.choice(cards), "amount": rng.randrange(500, 20000), "source": SOURCE,
                "order_id": order_id}
        key = {"Idempotency-Key": order_id, **headers}
        started = time.perf_counter()
        first = None
        for _ in range(3):  # a connection the server closed as idle: send again, with the same key
            try:
                first = await client.post("/api/v1/integration/orders", json=body, headers=key)
                break
            except httpx.HTTPError as exc:
                stats.errors[f"order {type(exc).__name__} (sent again)"] += 1
        if first is None:
            continue
        stats.order_s.append(time.perf_counter() - started)
        if first.status_code != 201:
            stats.errors[f"order HTTP {first.status_code}"] += 1
            continue
        stats.orders_ok.add(order_id)
        stats.order_entries += len(first.json()["entries"])
        if rng.random() < 0.05:  # the register did not see the answer and sends again
            again = await client.post("/api/v1/integration/orders", json=body, headers=key)
            if again.status_code != 201 or again.json() != first.json():
                stats.replays_differing += 1


async def enroll_cards(client: httpx.AsyncClient, credential: str, count: int) -> list[str]:
    codes = []
    for n in range(count):
        answer = await client.post("/api/v1/integration/cards", json={"source": SOURCE, "order_id": f"enroll-{n}"},
                                   headers={"Authorization": f"Bearer {credential}",
                                            "Idempotency-Key": f"enroll-{n}"})
        answer.raise_for_status()
        codes.append(answer.json()["code"])
    return codes


# ---- the fair reference -------------------------------------------------------------------

def reference_rate(world: World, entries_count: int, rng: random.Random) -> int:
    """PostgreSQL alone storing till entries, in batches of the syncer's size from one connection, into
    a copy of the hub's entries table with all its indexes: the bound of any hub on this machine."""
    till = world.tills[0]
    made = Till(str(uuid.uuid4()), "", till.cards)
    made.make(entries_count, rng)  # not timed, as for the tills
    rows = [{**e, "merchant_id": world.shop_merchant, "received_at": e["at"], "change_id": n}
            for n, e in enumerate(made.ready, start=1)]
    with world.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE bench_reference (LIKE entries INCLUDING ALL)")
        table = sa.Table("bench_reference", sa.MetaData(), autoload_with=conn)
    try:
        with world.engine.connect() as conn:
            started = time.perf_counter()
            for at in range(0, len(rows), MAX_PUSH):
                with conn.begin():
                    conn.execute(sa.insert(table), rows[at:at + MAX_PUSH])
            took = time.perf_counter() - started
    finally:
        with world.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE bench_reference")
    return round(len(rows) / took)


# ---- one run per worker count ---------------------------------------------------------------

def run_workers(world: World, workers: int, seconds: float, rate: float, rng: random.Random) -> dict:
    hub = Hub(world.url, workers)
    try:
        if "paired" not in REAL_TILL:
            sync_real_till(hub.url)
            share_program(world)
        return asyncio.run(_run(world, hub, workers, seconds, rate, rng))
    finally:
        code = hub.stop()
        if code not in (0, -signal.SIGTERM):  # one worker ends by the signal re-raised after a clean stop
            print(f"[{workers} workers] the hub exited with {code} on SIGTERM", flush=True)


async def _run(world: World, hub: Hub, workers: int, seconds: float, rate: float, rng: random.Random) -> dict:
    stats = Stats()
    receiver = Receiver(stats)
    serving = asyncio.create_task(receiver.server.serve())
    while not receiver.server.started:
        await asyncio.sleep(0.01)
    with writing(world.engine) as conn:  # this run's receiver only
        if world.endpoint_id:
            webhooks.remove_endpoint(conn, world.shop_merchant, world.endpoint_id)
        world.endpoint_id = webhooks.add_endpoint(conn, world.shop_merchant, receiver.url,
                                                  ["points.earned"]).endpoint_id
    limits = httpx.Limits(max_connections=len(world.tills) + INTEGRATION_CLIENTS + 20,
                          max_keepalive_connections=len(world.tills) + INTEGRATION_CLIENTS + 20)
    try:
        async with httpx.AsyncClient(base_url=hub.url, limits=limits, timeout=60) as client:
            await pair_all(client, world.tills)
            if not world.cards:
                firsts = {m: secret for m, secret in reversed(world.credentials)}
                made = await asyncio.gather(*(enroll_cards(client, secret, CARDS_PER_CLIENT_MERCHANT)
                                              for secret in firsts.values()))
                world.cards = dict(zip(firsts, made, strict=True))
            for till in world.tills:  # ahead of the window, as each till does on its own machine
                till.make(int(rate * (seconds + PUSH_EVERY_S)) + 1, rng)
            receiver.recording = True
            cpu = CpuMeter(hub.proc.pid, world.engine)
            started = time.monotonic()
            until = started + seconds
            phase_span = min(PULL_EVERY_S, seconds)
            tasks = [till_loop(client, t, rate, until, stats, random.Random(rng.random()),
                               rng.random() * phase_span) for t in world.tills]
            tasks += [order_loop(client, secret, world.cards[m], until, stats, random.Random(rng.random()), n)
                      for n, (m, secret) in enumerate(world.credentials)]
            await asyncio.gather(*tasks)
            window = time.monotonic() - started
            used = cpu.used()
            # The rest (not timed): what the hub took of a push whose answer was lost, then the backlog
            # is taken back; the outbox drained.
            await asyncio.gather(*(learn_through(client, t) for t in world.tills))
            for till in world.tills:
                till.take_back()
            expected = _events_expected(world)
            deadline = time.monotonic() + 60
            while len(_received_of(stats, expected)) < len(expected) and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            await asyncio.sleep(2 * 1.0)  # two delivery polls: a second send of anything would show now
    finally:
        receiver.server.should_exit = True
        await serving
    return _figures(world, workers, stats, window, rate, expected, used)


def _events_expected(world: World) -> set[str]:
    with world.engine.connect() as conn:
        return set(conn.execute(sa.select(webhook_deliveries.c.event_id).where(
            webhook_deliveries.c.endpoint_id == world.endpoint_id)).scalars())


def _received_of(stats: Stats, expected: set[str]) -> set[str]:
    return expected & set(stats.received)


def _per_entry(seconds: float, stored: int) -> float | None:
    return round(seconds * 1e6 / stored, 1) if stored else None


def _figures(world: World, workers: int, stats: Stats, window: float, rate: float, expected: set[str],
             cpu: dict[str, float]) -> dict:
    with world.engine.connect() as conn:
        held = {t: n for t, n in conn.execute(sa.select(entries.c.terminal_id, sa.func.count())
                                              .group_by(entries.c.terminal_id))}
        orders = set(conn.execute(sa.select(integration_orders.c.order_id).where(
            integration_orders.c.source == SOURCE)).scalars())
        order_entries = Counter(conn.execute(sa.select(entries.c.reason).where(
            entries.c.kind == "earn", entries.c.reason.like(f"order:{SOURCE}:%"))).scalars())
    lost = doubled = 0
    for till in world.tills:
        have = held.get(till.terminal_id, 0)
        lost += max(0, till.seq - have)
        doubled += max(0, have - till.seq)
    lost += len(stats.orders_ok - orders)
    doubled += sum(n - 1 for n in order_entries.values() if n > 1) + stats.replays_differing
    received = _received_of(stats, expected)
    lost += len(expected - received)
    doubled += sum(n - 1 for e, n in stats.received.items() if n > 1)
    result = {
        "workers": workers,
        "entries_per_s": round(stats.pushed_in_window / window),
        "offered_entries_per_s": round(rate * len(world.tills)),
        "push_p99_ms": p(stats.push_s, 99, 1000), "push_p50_ms": p(stats.push_s, 50, 1000),
        "pull_p99_ms": p(stats.pull_s, 99, 1000), "pull_p50_ms": p(stats.pull_s, 50, 1000),
        "order_p99_ms": p(stats.order_s, 99, 1000),
        "webhook_lag_p99_s": p(stats.lag_s, 99),
        "pushes": len(stats.push_s), "pulls": len(stats.pull_s), "orders": len(stats.orders_ok),
        "webhook_events": len(expected), "lost": lost, "doubled": doubled,
        "errors": dict(stats.errors),
        "cpu_s": cpu,  # in the window: the hub's processes, its PostgreSQL backends, this bench
        # per entry stored: a till's or an order's (an order's cost is shared out over the entries)
        "hub_cpu_us_per_entry": _per_entry(cpu["hub"], stats.pushed_in_window + stats.order_entries),
        "pg_cpu_us_per_entry": _per_entry(cpu["postgresql"], stats.pushed_in_window + stats.order_entries),
    }
    print(f"[{workers} workers] {result['entries_per_s']:,} entries/s of {result['offered_entries_per_s']:,} "
          f"offered; push p99 {result['push_p99_ms']} ms, pull p99 {result['pull_p99_ms']} ms, order p99 "
          f"{result['order_p99_ms']} ms, webhook lag p99 {result['webhook_lag_p99_s']} s; "
          f"lost {lost}, doubled {doubled}; errors {dict(stats.errors) or 'none'}; CPU s {cpu} "
          f"({result['hub_cpu_us_per_entry']} us hub, {result['pg_cpu_us_per_entry']} us PostgreSQL per entry)",
          flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 tills, a few seconds per worker count")
    parser.add_argument("--tills", type=int)
    parser.add_argument("--seconds", type=float, help="load per worker count")
    parser.add_argument("--workers", default="1,2,4", help="worker counts to run, in order (default 1,2,4)")
    parser.add_argument("--offered", type=int, default=TARGET_ENTRIES_PER_S,
                        help="entries/s all tills offer together (default: the target); lower it to see "
                             "latencies below saturation (the entries/s target then cannot be met)")
    args = parser.parse_args()
    pg_url = os.environ.get(PG_ENV, "").strip()
    if not pg_url:
        print(f"hub bench: set {PG_ENV} to a PostgreSQL server (bash .ci/postgres.sh prints one)", file=sys.stderr)
        return 2
    till_count = args.tills or (100 if args.quick else 500)
    seconds = args.seconds or (8.0 if args.quick else 60.0)
    counts = [int(n) for n in args.workers.split(",")]
    rate = args.offered / till_count  # the tills together offer the target, unless told otherwise
    rng = random.Random(14)
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
        workdir = Path(tmp)
        isolated_env(workdir / "config")
        os.environ["LOYALTY_PIN_TIME_COST"] = "2"  # the real till's owner PIN: not what is measured
        os.environ["LOYALTY_PIN_MEMORY_KIB"] = "19456"
        os.environ["LOYALTY_HUB_MASTER_KEY_FILE"] = str(workdir / "hub-master.key")
        os.environ["LOYALTY_HUB_SIGNING_KEY_FILE"] = str(workdir / "hub-signing.key")
        with fresh_pg(pg_url, "loyalty_hubbench") as url:
            world = build_world(url, till_count, workdir, rng)
            try:
                reference = reference_rate(world, 20_000 if args.quick else 100_000, rng)
                print(f"reference: PostgreSQL alone stores {reference:,} entries/s (one connection, "
                      f"batches of {MAX_PUSH})", flush=True)
                for workers in counts:
                    runs.append(run_workers(world, workers, seconds, rate, rng))
            finally:
                world.engine.dispose()
    print_table(["workers", "entries/s", "push p99 ms", "pull p99 ms", "lag p99 s", "lost", "doubled"],
                [[r["workers"], r["entries_per_s"], r["push_p99_ms"], r["pull_p99_ms"], r["webhook_lag_p99_s"],
                  r["lost"], r["doubled"]] for r in runs])
    last = max(runs, key=lambda r: r["workers"])
    first = min(runs, key=lambda r: r["workers"])
    result = {
        "mode": "quick" if args.quick else "full", "tills": till_count, "seconds_per_run": seconds,
        "offered_entries_per_s": args.offered,
        "integration_clients": INTEGRATION_CLIENTS, "cores": os.cpu_count(),
        "entries_per_s": last["entries_per_s"], "push_p99_ms": last["push_p99_ms"],
        "pull_p99_ms": last["pull_p99_ms"], "webhook_lag_p99_s": last["webhook_lag_p99_s"],
        "lost": sum(r["lost"] for r in runs), "doubled": sum(r["doubled"] for r in runs),
        "hub_cpu_us_per_entry": last["hub_cpu_us_per_entry"], "pg_cpu_us_per_entry": last["pg_cpu_us_per_entry"],
        "reference_entries_per_s": reference,
        "scaling": round(last["entries_per_s"] / first["entries_per_s"], 2) if first["entries_per_s"] else None,
        "by_workers": {str(r["workers"]): {k: v for k, v in r.items() if k != "workers"} for r in runs},
    }
    print(f"scaling {first['workers']} -> {last['workers']} workers: x{result['scaling']}", flush=True)
    def within(value: float | None, limit: float) -> bool:
        return value is not None and value <= limit

    targets = {
        f"entries/s >= {TARGET_ENTRIES_PER_S:,} with {last['workers']} workers":
            last["entries_per_s"] >= TARGET_ENTRIES_PER_S,
        f"push p99 <= {TARGET_PUSH_P99_MS} ms": within(last["push_p99_ms"], TARGET_PUSH_P99_MS),
        f"pull p99 <= {TARGET_PULL_P99_MS} ms": within(last["pull_p99_ms"], TARGET_PULL_P99_MS),
        f"webhook lag p99 <= {TARGET_WEBHOOK_LAG_P99_S} s": within(last["webhook_lag_p99_s"],
                                                                   TARGET_WEBHOOK_LAG_P99_S),
        "nothing lost": result["lost"] == 0,
        "nothing doubled": result["doubled"] == 0,
        "4 workers measured": 4 in counts,
    }
    result["meets_targets"] = all(targets.values())
    print_result(result)
    return exit_status(targets)


if __name__ == "__main__":
    sys.exit(main())
