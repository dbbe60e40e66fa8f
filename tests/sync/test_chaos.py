"""Chaos between syncers and the hub: thousands of entries in the default run, more than 10,000 in the slow one.

Two terminals start with thousands of offline entries on shared cards and
keep making more while they sync through a transport that drops answers
after the hub committed, times out, duplicates and replays old requests,
answers 5xx/429 and delays. The hub process is SIGKILLed and restarted
mid-push; syncers "die" at random (the store fails every call from then on,
like a killed process, before its ack or pull is saved) and new ones are
started on the same files. At the end the hub holds every entry exactly
once, equal to each terminal's ledger, and every terminal holds all of them.
The real-terminal runs check signatures end to end too (issue 12): every
entry carries its till's Ed25519 signature on the till, at the hub and on
the other till, and each till holds the hub's signed receipt of its head.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from chaos import FAULTS, ChaosTransport, FaultTurns, HubProcess
from conftest import free_port, make_merchant
from real_terminal import RealTerminal
from sqlalchemy.engine import Engine
from sync_helpers import hub_entries, pair_terminal
from terminal_double import TerminalDouble, new_card_code

from sync.backoff import Backoff
from sync.client import HubClient
from sync.syncer import Syncer

DEADLINE_S = 150


class SimulatedKill(Exception):
    """The terminal process 'died': from now on its store answers nothing."""


class KillablePort:
    """Delegates to a TerminalDouble until killed at its ``die_at``-th ack or pull."""

    def __init__(self, terminal: TerminalDouble, die_at: int | None) -> None:
        self._terminal, self._die_at = terminal, die_at
        self._calls = 0
        self.dead = False

    def __getattr__(self, name):
        if self.dead:
            raise SimulatedKill("this terminal was killed")
        return getattr(self._terminal, name)

    def _maybe_die(self) -> None:
        self._calls += 1
        if self.dead or self._calls == self._die_at:
            self.dead = True
            raise SimulatedKill("killed before saving")

    def record_ack(self, ack) -> None:
        self._maybe_die()
        self._terminal.record_ack(ack)

    def apply_remote(self, changes) -> None:
        self._maybe_die()
        self._terminal.apply_remote(changes)


def _offline_work(terminal: TerminalDouble, cards: list[str], n: int, rng: random.Random) -> None:
    for start in range(0, n, 2000):
        terminal.record([
            dict(card=rng.choice(cards), kind=rng.choice(["stamp", "earn"]), stamps=1, points=5,
                 amount=rng.randrange(100, 5000))
            for _ in range(min(2000, n - start))])


def test_chaos_every_entry_exactly_once(hub_db_url, hub_engine, tmp_path, caplog):
    caplog.set_level("CRITICAL", logger="sync.syncer")  # expected failures, thousands of them
    run_double_chaos(hub_db_url, hub_engine, tmp_path, offline={"A": 2400, "B": 1700}, live=120, syncer_kills=3)


@pytest.mark.slow
def test_chaos_every_entry_exactly_once_over_10000_entries(hub_db_url, hub_engine, tmp_path, caplog):
    caplog.set_level("CRITICAL", logger="sync.syncer")
    run_double_chaos(hub_db_url, hub_engine, tmp_path, offline={"A": 6000, "B": 4200}, live=300, syncer_kills=3)
    assert len(hub_entries(hub_engine)) >= 10_000


def run_double_chaos(hub_db_url: str, engine: Engine, tmp_path: Path, offline: dict[str, int], live: int,
                     syncer_kills: int) -> None:
    """Two terminal doubles with ``offline`` entries each, ``live`` more made while their syncers run."""
    rng = random.Random(20240611)
    merchant = make_merchant(engine)
    hub = HubProcess(hub_db_url, free_port()).start()
    terminals: dict[str, TerminalDouble] = {}
    tokens: dict[str, str] = {}
    for name in offline:
        terminal, client = pair_terminal(hub.url, engine, merchant.store_id, tmp_path / f"{name}.db", name)
        tokens[name] = client._http.headers["Authorization"].removeprefix("Bearer ")
        client.close()
        terminals[name] = terminal
    cards = [new_card_code(rng) for _ in range(150)]
    for name, count in offline.items():
        _offline_work(terminals[name], cards, count, rng)

    turns = FaultTurns()  # the two tills go through every kind of fault between them
    transports = {name: ChaosTransport(rate=0.35, seed=i, turns=turns) for i, name in enumerate(terminals)}
    clients = {name: HubClient(hub.url, tokens[name], timeout=5, transport=transports[name])
               for name in terminals}
    running: dict[str, tuple[Syncer, KillablePort]] = {}
    kills = {"hub": 0, "syncer": 0}

    def launch(name: str) -> None:
        die_at = rng.randint(2, 12) if kills["syncer"] < syncer_kills else None
        port = KillablePort(TerminalDouble(terminals[name].path), die_at)
        syncer = Syncer(port, clients[name], batch_size=200, pull_limit=500, pull_interval=0.1,
                        backoff=Backoff(base=0.01, cap=0.2, rng=random.Random(rng.random())))
        syncer.start()
        running[name] = (syncer, port)

    total = sum(offline.values()) + live * len(terminals)
    live_made = 0
    try:
        for name in terminals:
            launch(name)
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            time.sleep(0.05)
            stored = len(hub_entries(engine)) if kills["hub"] < 2 else None
            if stored is not None and stored >= total * (0.3 + 0.35 * kills["hub"]):
                hub.kill()  # mid-push: the syncers are busy catching up
                kills["hub"] += 1
                time.sleep(rng.uniform(0.1, 0.5))
                hub.start()
            if live_made < live:
                for terminal in terminals.values():
                    terminal.record([dict(card=rng.choice(cards), kind="redeem", points=-1)
                                     for _ in range(10)])
                for syncer, _ in running.values():
                    syncer.notify()
                live_made += 10
            for name, (syncer, port) in list(running.items()):
                if port.dead:
                    assert syncer.stop()
                    kills["syncer"] += 1
                    launch(name)
            if live_made >= live and _converged(engine, terminals, total):
                break
    finally:
        for syncer, _ in running.values():
            assert syncer.stop()
        for client in clients.values():
            client.close()
        hub.kill()

    assert kills["hub"] == 2 and kills["syncer"] >= syncer_kills, kills
    faults = {k: sum(t.counts.get(k, 0) for t in transports.values()) for k in transports["A"].faults}
    assert all(faults.values()), f"every kind of fault happened: {faults}"
    on_hub = hub_entries(engine)
    assert len(on_hub) == total
    assert len({e["entry_id"] for e in on_hub}) == total, "each entry stored once"
    for name, terminal in terminals.items():
        assert hub_entries(engine, terminal.terminal_id()) == terminal.entries(local=True), name
        assert terminal.entries() == on_hub, f"{name} holds every terminal's entries"
    for card in cards[:20]:
        assert terminals["A"].balance(card) == terminals["B"].balance(card)


def _converged(engine, terminals: dict[str, TerminalDouble], total: int) -> bool:
    if any(t.pending_count() for t in terminals.values()):
        return False
    counts = {len(t.entries()) for t in terminals.values()}
    return counts == {total} and len(hub_entries(engine)) == total


# -- two real terminal stores, syncers in processes killed inside port calls ---------

CHILD = Path(__file__).with_name("chaos_syncer.py")
ROOT = Path(__file__).resolve().parents[2]


class SyncerProcess:
    """chaos_syncer.py for one real terminal: the real StoreSyncPort and Syncer, killable mid-call."""

    def __init__(self, term: RealTerminal, hub_url: str, token: str, seed: int, plan: tuple[str, int, int],
                 log: Path) -> None:
        env = {**os.environ, "CHAOS_HUB_TOKEN": token,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), str(term.data_dir), hub_url, str(seed), *map(str, plan), str(log)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        line = self.process.stdout.readline()
        assert line == b"started\n", f"the syncer process did not start: {line!r}"

    def killed(self) -> bool:
        code = self.process.poll()
        assert code in (None, -signal.SIGKILL), f"the syncer process ended by itself with {code}"
        return code == -signal.SIGKILL

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            assert self.process.wait(30) == 0, "the syncer did not stop cleanly"
        self.process.stdout.close()

    def abort(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if not stream.closed:
                stream.close()


def read_log(log: Path) -> tuple[Counter[str], list[str]]:
    """Faults the transports made, and the kill lines, from every syncer process's log."""
    faults: Counter[str] = Counter()
    kills = []
    for line in log.read_text().splitlines() if log.exists() else []:
        if line.startswith("kill "):
            kills.append(line)
        else:
            faults[line] += 1
    return faults, kills


def run_real_chaos(hub_db_url: str, engine: Engine, tmp_path: Path, offline: dict[str, int], live: int,
                   syncer_kills: int, seed: int) -> None:
    rng = random.Random(seed)
    merchant = make_merchant(engine)
    hub = HubProcess(hub_db_url, free_port()).start()
    terms: dict[str, RealTerminal] = {}
    running: dict[str, SyncerProcess] = {}
    try:
        terms["A"] = RealTerminal.founded(tmp_path / "A")
        terms["A"].pair(hub.url, engine, merchant.store_id, "Till A")
        grant = terms["A"].grant()
        cards = [terms["A"].services.enrollment.enroll(grant, terms["A"].program_id(), f"Guest {n}").code
                 for n in range(12)]
        terms["A"].sync()
        terms["B"] = RealTerminal.joined(tmp_path / "B", hub.url, engine, merchant.store_id)
        assert {c for c in cards if terms["B"].balance(c) == terms["A"].balance(c)} == set(cards)
        for name, count in offline.items():
            terms[name].bulk_earn(cards, count, rng)
        tokens = {name: term.token() for name, term in terms.items()}
        grants = {name: term.grant() for name, term in terms.items()}
        logs = {name: tmp_path / f"syncer-{name}.log" for name in terms}
        kills = {"hub": 0, "syncer": 0, "planted": 0}

        def launch(name: str) -> None:
            plan = ("record_ack", 0, 0)
            if kills["planted"] < syncer_kills:  # the first launches die in a saving port call, taking turns
                # An ack writes a statement or two; a page of remote entries a few per entry.
                plan = (("record_ack", rng.randint(1, 5), rng.randint(1, 2)) if kills["planted"] % 2 else
                        ("apply_remote", rng.randint(1, 3), rng.randint(1, 40)))
                kills["planted"] += 1
            running[name] = SyncerProcess(terms[name], hub.url, tokens[name], rng.getrandbits(32), plan, logs[name])

        for name in terms:
            launch(name)
        made_live = 0
        deadline = time.monotonic() + REAL_DEADLINE_S
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if kills["hub"] == 0 and len(hub_entries(engine)) >= sum(offline.values()) * 0.4:
                hub.kill()  # mid-push
                kills["hub"] += 1
                time.sleep(rng.uniform(0.1, 0.5))
                hub.start()
            if made_live < live:
                for name, term in terms.items():  # real use cases, while the syncer processes write too
                    term.services.counter.earn(grants[name], rng.choice(cards), rng.randrange(100, 5000))
                made_live += 1
            for name, process in list(running.items()):
                if process.killed():
                    process.abort()
                    kills["syncer"] += 1
                    launch(name)
            if made_live >= live and kills["syncer"] >= syncer_kills and _real_converged(engine, terms):
                break
        for process in running.values():
            process.stop()
        running.clear()
    finally:
        for process in running.values():
            process.abort()
        hub.kill()

    faults, kill_lines = Counter(), []
    for log in logs.values():
        more_faults, more_kills = read_log(log)
        faults += more_faults
        kill_lines += more_kills
    try:
        assert _real_converged(engine, terms), "the terminals and the hub did not converge in time"
        assert kills["hub"] == 1 and kills["syncer"] == len(kill_lines) == syncer_kills, (kills, kill_lines)
        assert any(" inside " in line for line in kill_lines), f"no kill landed inside a port call: {kill_lines}"
        assert set(faults) == set(FAULTS), f"every kind of fault happened: {dict(faults)}"
        on_hub = sorted((e["terminal_id"], e["entry_id"], e["seq"], e["hash"]) for e in hub_entries(engine))
        assert len({e[1] for e in on_hub}) == len(on_hub), "each entry stored once"
        for name, term in terms.items():
            assert term.ledger() == on_hub, f"{name} holds exactly the hub's entries"
            report = term.services.reports.verify()  # hashes, links, signatures and the hub's receipts
            assert report.ok, f"{name}: {report.problems[:5]}"
        _signed_end_to_end(engine, terms)
        for card in cards:
            assert terms["A"].balance(card) == terms["B"].balance(card), card
        print(f"\nreal chaos: {len(on_hub)} entries, kills {kills} ({kill_lines}), faults {dict(faults)}")
    finally:
        for term in terms.values():
            term.close()


def _signed_end_to_end(engine: Engine, terms: dict[str, RealTerminal]) -> None:
    """Every entry is signed by its till's key: on the till, at the hub, and as pulled by the other till;
    each till holds a receipt, signed by the hub, for the head of its chains."""
    from ledger_chain import signing
    from sync.hub.schema import entries, terminals

    with engine.connect() as conn:
        bound = dict(conn.execute(sa.select(terminals.c.terminal_id, terminals.c.signing_key)).all())
        on_hub = {(r.entry_id): (r.terminal_id, r.hash, r.sig)
                  for r in conn.execute(sa.select(entries.c.entry_id, entries.c.terminal_id,
                                                  entries.c.hash, entries.c.sig))}
    keys = {tid: signing.public_key(key) for tid, key in bound.items()}
    assert set(keys) == {t.terminal_id for t in terms.values()}, "each till's key is bound at the hub"
    for tid, digest, sig in on_hub.values():
        assert signing.record_signed(keys[tid], "entries", digest, sig)
    for name, term in terms.items():
        with term.services.ctx.db.read() as session:
            held = {r.entry_id: (r.terminal_id, r.hash, r.sig)
                    for r in session.execute(sa.text("SELECT entry_id, terminal_id, hash, sig FROM ledger"))}
            receipt = session.execute(sa.text(
                "SELECT max(seq) FROM chain_receipts WHERE stream = 'entries'")).scalar()
        assert held == on_hub, f"{name} holds every entry with its author's signature"
        own = max(seq for _, _, seq, _ in term.ledger(local=True))
        assert receipt == own, f"{name}: the hub's receipt covers its chain head"


def _real_converged(engine: Engine, terms: dict[str, RealTerminal]) -> bool:
    if any(t.port.pending_count() for t in terms.values()):
        return False
    ledgers = [t.ledger() for t in terms.values()]
    on_hub = sorted((e["terminal_id"], e["entry_id"], e["seq"], e["hash"]) for e in hub_entries(engine))
    return all(ledger == on_hub for ledger in ledgers)


REAL_DEADLINE_S = 120


def test_chaos_two_real_terminals_syncers_killed_inside_port_calls(hub_db_url, hub_engine, tmp_path):
    run_real_chaos(hub_db_url, hub_engine, tmp_path, offline={"A": 1500, "B": 1000}, live=40,
                   syncer_kills=4, seed=20261130)


@pytest.mark.slow
def test_chaos_two_real_terminals_long(hub_db_url, hub_engine, tmp_path):
    run_real_chaos(hub_db_url, hub_engine, tmp_path, offline={"A": 6000, "B": 4200}, live=300,
                   syncer_kills=12, seed=20261201)
