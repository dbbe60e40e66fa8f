"""Sync benchmark: offline catch-up to a local hub, and hub ingest from 20 terminals.

    python tests/bench/sync_bench.py            # 100,000 entries (a few minutes)
    python tests/bench/sync_bench.py --quick    # 10,000 entries, under a minute

The headline, and the target, is catch-up through the terminal's real
store: its ledger, pairing and ``StoreSyncPort`` with the real syncer
(``catchup_entries_per_s``). In the same run the same catch-up goes through
the test double (tests/sync/terminal_double.py), a port with almost no cost
of its own, as the reference: what the protocol, client and hub allow
(``double_catchup_entries_per_s``); their ratio shows what the real store
costs.

The hub runs as its own process (``loyalty-hub serve``) on 127.0.0.1, on
SQLite and, when ``LOYALTY_TEST_PG_URL`` is set, also on PostgreSQL (in a
fresh database). The terminal side runs in this process; its peak RSS is
measured for each catch-up alone (the kernel's high-water mark is reset
before each), and the bench stops with an error where it cannot be read.
Target: real catch-up at 5,000 entries/s or more; the bench exits 1 when it
is missed. The last line is one JSON object with the numbers.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

import sqlalchemy as sa
from _common import MemoryUnmeasurable, exit_status, fresh_pg, measured_peak_rss, print_result
from chaos import HubProcess
from terminal_double import TerminalDouble, new_card_code

from sync.client import HubClient
from sync.hub import admin
from sync.hub.db import create_hub_engine
from sync.hub.migrations import migrate
from sync.hub.schema import entries
from sync.syncer import Syncer

TARGET = 5000
PG_ENV = "LOYALTY_TEST_PG_URL"


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]




class Hub:
    """A hub database with one merchant and store, served by its own process."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_hub_engine(url)
        migrate(self.engine)
        made = admin.create_merchant(self.engine, "Bench Café")
        self.merchant_id = made.merchant_id
        self.store_id = admin.add_store(self.engine, made.merchant_id, "Main")
        self.process = HubProcess(url, free_port()).start()

    def paired(self, path: Path, store_id: str | None = None) -> tuple[TerminalDouble, HubClient]:
        terminal = TerminalDouble(path)
        code = admin.add_terminal(self.engine, store_id or self.store_id, path.stem).code
        with HubClient(self.process.url) as anonymous:
            token = anonymous.pair(code, terminal.terminal_id()).token
        return terminal, HubClient(self.process.url, token, timeout=60)

    def stored(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(entries)).scalar_one()

    def close(self) -> None:
        self.process.kill()
        self.engine.dispose()


def make_offline_entries(terminal: TerminalDouble, count: int, rng: random.Random) -> None:
    cards = [new_card_code(rng) for _ in range(max(10, count // 20))]
    for start in range(0, count, 5000):
        terminal.record([
            dict(card=rng.choice(cards), kind="earn", points=rng.randrange(1, 50),
                 amount=rng.randrange(100, 9000), staff_id="s1")
            for _ in range(min(5000, count - start))])


def catch_up(hub_url: str, workdir: Path, count: int, label: str) -> dict:
    hub = Hub(hub_url)
    try:
        terminal, client = hub.paired(workdir / f"catchup-{label}.db")
        started = time.perf_counter()
        make_offline_entries(terminal, count, random.Random(1))
        made_s = time.perf_counter() - started
        with client, measured_peak_rss() as memory:
            started = time.perf_counter()
            Syncer(terminal, client, batch_size=1000).sync_once()
            elapsed = time.perf_counter() - started
        assert hub.stored() == count, f"hub holds {hub.stored()} of {count} entries"
        terminal.close()
    finally:
        hub.close()
    rate = count / elapsed
    print(f"[{label}] test double catch-up of {count:,} offline entries: {elapsed:.2f} s = {rate:,.0f} entries/s, "
          f"peak RSS {memory['peak_rss_mb']} MiB (made offline in {made_s:.1f} s)", flush=True)
    return {"entries_per_s": round(rate), "seconds": round(elapsed, 2), "peak_rss_mb": memory["peak_rss_mb"]}


def make_real_offline_entries(services, count: int, rng: random.Random) -> int:
    """Enroll cards and earn on them through the real store's ledger (5,000 per transaction)."""
    from terminal.domain.ledger import EntryKind
    from terminal.services.catalog import list_programs
    from terminal.store import ledger
    from terminal.store.models import CardBalance, CardRow

    ctx = services.ctx
    tid, now = ctx.store.terminal_id, ctx.clock.now()
    with ctx.db.read() as session:
        program_id = list_programs(session)[0].program_id
    cards = [new_card_code(rng) for _ in range(max(10, count // 20))]
    made = 0
    with ctx.db.write() as session:
        for code in cards:
            session.add(CardRow(code=code, program_id=program_id, holder=None, status="active", enrolled_at=now))
        session.flush()
        for code in cards:
            session.add(CardBalance(code=code, stamps=0, points=0, lifetime_points=0))
        session.flush()
        for code in cards:
            ledger.append(session, terminal_id=tid, card=code, kind=EntryKind.ENROLL, at=now)
            made += 1
    while made < count:
        with ctx.db.write() as session:
            for _ in range(min(5000, count - made)):
                ledger.append(session, terminal_id=tid, card=rng.choice(cards), kind=EntryKind.EARN, at=now,
                              points=rng.randrange(1, 50), amount=rng.randrange(100, 9000), staff_id="bench")
                made += 1
    return len(cards)


def catch_up_real(hub_url: str, workdir: Path, count: int, label: str) -> dict:
    """The same catch-up through the terminal's real store, pairing and adapter."""
    from terminal.services.facade import open_services
    from terminal.services.sync_link import pair_existing
    from terminal.services.sync_secrets import load_token
    from terminal.store.sync_port import StoreSyncPort

    os.environ.setdefault("LOYALTY_SECRET_BACKEND", "file")
    os.environ["LOYALTY_CONFIG_DIR"] = str(workdir / f"config-{label}")
    os.environ.setdefault("LOYALTY_PIN_TIME_COST", "2")
    os.environ.setdefault("LOYALTY_PIN_MEMORY_KIB", "19456")
    hub = Hub(hub_url)
    services = open_services(workdir / f"terminal-{label}")
    try:
        services.init_store(name="Bench Café", timezone="Europe/Berlin", currency="EUR",
                            owner_name="Olga", owner_pin="2741", template="points")
        started = time.perf_counter()
        cards = make_real_offline_entries(services, count, random.Random(2))
        made_s = time.perf_counter() - started
        pair_existing(services, hub.process.url, admin.add_terminal(hub.engine, hub.store_id, "Bench till").code)
        port = StoreSyncPort(services.ctx.db, services.ctx.clock)
        token = load_token(services.ctx.settings, port.terminal_id())
        with HubClient(hub.process.url, token, timeout=60) as client, measured_peak_rss() as memory:
            started = time.perf_counter()
            Syncer(port, client, batch_size=1000).sync_once()
            elapsed = time.perf_counter() - started
        assert hub.stored() == count, f"hub holds {hub.stored()} of {count} entries"
        assert port.pending_count() == 0
    finally:
        services.close()
        hub.close()
    rate = count / elapsed
    print(f"[{label}] real store catch-up of {count:,} offline entries on {cards:,} cards: {elapsed:.2f} s = "
          f"{rate:,.0f} entries/s, peak RSS {memory['peak_rss_mb']} MiB (written in {made_s:.1f} s)", flush=True)
    return {"entries_per_s": round(rate), "seconds": round(elapsed, 2), "peak_rss_mb": memory["peak_rss_mb"]}


def ingest(hub_url: str, workdir: Path, terminals: int, per_terminal: int, label: str) -> dict:
    hub = Hub(hub_url)
    try:
        # One store each, like 20 shops: each terminal pulls only its own cards'
        # news, so this measures the hub taking entries in, not fan-out.
        pairs = [hub.paired(workdir / f"ingest-{label}-{n}.db",
                            admin.add_store(hub.engine, hub.merchant_id, f"Shop {n}"))
                 for n in range(terminals)]
        for n, (terminal, _) in enumerate(pairs):
            make_offline_entries(terminal, per_terminal, random.Random(n))
        errors: list[BaseException] = []

        def run(terminal: TerminalDouble, client: HubClient) -> None:
            try:
                Syncer(terminal, client, batch_size=500).sync_once()
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=pair) for pair in pairs]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        for terminal, client in pairs:
            client.close()
            terminal.close()
        if errors:
            raise errors[0]
        total = terminals * per_terminal
        assert hub.stored() == total, f"hub holds {hub.stored()} of {total} entries"
    finally:
        hub.close()
    rate = total / elapsed
    print(f"[{label}] ingest from {terminals} concurrent terminals, {total:,} entries: "
          f"{elapsed:.2f} s = {rate:,.0f} entries/s", flush=True)
    return {"entries_per_s": round(rate), "seconds": round(elapsed, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer entries; under a minute")
    parser.add_argument("--entries", type=int, help="offline entries to catch up")
    parser.add_argument("--terminals", type=int, default=20)
    args = parser.parse_args()
    count = args.entries or (10_000 if args.quick else 100_000)
    per_terminal = 400 if args.quick else 2_500
    pg_url = os.environ.get(PG_ENV, "").strip()
    result: dict = {"mode": "quick" if args.quick else "full", "entries": count, "target_entries_per_s": TARGET}
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as tmp:
        workdir = Path(tmp)
        # The hub processes keep their master key (for stores' PIN keys) here, not in ~/.config.
        os.environ["LOYALTY_HUB_MASTER_KEY_FILE"] = str(workdir / "hub-master.key")
        real = catch_up_real(f"sqlite:///{workdir / 'hub-real.db'}", workdir, count, "sqlite")
        double = catch_up(f"sqlite:///{workdir / 'hub-catchup.db'}", workdir, count, "sqlite")
        result["catchup_entries_per_s"] = real["entries_per_s"]
        result["catchup_peak_rss_mb"] = real["peak_rss_mb"]
        result["double_catchup_entries_per_s"] = double["entries_per_s"]
        result["double_catchup_peak_rss_mb"] = double["peak_rss_mb"]
        result["real_vs_double"] = round(real["entries_per_s"] / double["entries_per_s"], 2)
        result["ingest_terminals"] = args.terminals
        result["ingest_entries"] = args.terminals * per_terminal
        result["ingest_entries_per_s"] = ingest(
            f"sqlite:///{workdir / 'hub-ingest.db'}", workdir, args.terminals, per_terminal,
            "sqlite")["entries_per_s"]
        if pg_url:
            with fresh_pg(pg_url, "loyalty_bench") as url:
                pg = catch_up_real(url, workdir, count, "postgresql")
                result["catchup_pg_entries_per_s"] = pg["entries_per_s"]
                result["catchup_pg_peak_rss_mb"] = pg["peak_rss_mb"]
            with fresh_pg(pg_url, "loyalty_bench") as url:
                result["ingest_pg_entries_per_s"] = ingest(
                    url, workdir, args.terminals, per_terminal, "postgresql")["entries_per_s"]
        else:
            print(f"[postgresql] skipped: set {PG_ENV} (bash .ci/postgres.sh prints one)", flush=True)
    targets = {f"real store catch-up >= {TARGET:,}/s": result["catchup_entries_per_s"] >= TARGET}
    if "catchup_pg_entries_per_s" in result:
        targets[f"real store catch-up on PostgreSQL >= {TARGET:,}/s"] = result["catchup_pg_entries_per_s"] >= TARGET
    result["meets_target"] = all(targets.values())
    print(f"headline: real store catch-up {result['catchup_entries_per_s']:,}/s "
          f"(test double {result['double_catchup_entries_per_s']:,}/s, ratio {result['real_vs_double']}); "
          f"target {TARGET:,}/s: {'met' if result['meets_target'] else 'MISSED'}", flush=True)
    print_result(result)
    return exit_status(targets)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except MemoryUnmeasurable as exc:
        sys.exit(f"sync bench: no figures without memory: {exc}")
