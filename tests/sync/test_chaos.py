"""Chaos between syncers and the hub over more than 10,000 entries.

Two terminals start with thousands of offline entries on shared cards and
keep making more while they sync through a transport that drops answers
after the hub committed, times out, duplicates and replays old requests,
answers 5xx/429 and delays. The hub process is SIGKILLed and restarted
mid-push; syncers "die" at random (the store fails every call from then on,
like a killed process, before its ack or pull is saved) and new ones are
started on the same files. At the end the hub holds every entry exactly
once, equal to each terminal's ledger, and every terminal holds all of them.
"""

from __future__ import annotations

import random
import time

from chaos import ChaosTransport, HubProcess
from conftest import free_port, make_merchant
from sync_helpers import hub_entries, pair_terminal
from terminal_double import TerminalDouble, new_card_code

from sync.backoff import Backoff
from sync.client import HubClient
from sync.syncer import Syncer

OFFLINE_ENTRIES = {"A": 6000, "B": 4200}
LIVE_ENTRIES = 300  # made by each terminal while syncing
SYNCER_KILLS = 3
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
    rng = random.Random(20240611)
    engine = hub_engine
    merchant = make_merchant(engine)
    hub = HubProcess(hub_db_url, free_port()).start()
    terminals: dict[str, TerminalDouble] = {}
    tokens: dict[str, str] = {}
    for name in OFFLINE_ENTRIES:
        terminal, client = pair_terminal(hub.url, engine, merchant.store_id, tmp_path / f"{name}.db", name)
        tokens[name] = client._http.headers["Authorization"].removeprefix("Bearer ")
        client.close()
        terminals[name] = terminal
    cards = [new_card_code(rng) for _ in range(150)]
    for name, count in OFFLINE_ENTRIES.items():
        _offline_work(terminals[name], cards, count, rng)

    transports = {name: ChaosTransport(rate=0.35, seed=i) for i, name in enumerate(terminals)}
    clients = {name: HubClient(hub.url, tokens[name], timeout=5, transport=transports[name])
               for name in terminals}
    running: dict[str, tuple[Syncer, KillablePort]] = {}
    kills = {"hub": 0, "syncer": 0}

    def launch(name: str) -> None:
        die_at = rng.randint(2, 12) if kills["syncer"] < SYNCER_KILLS else None
        port = KillablePort(TerminalDouble(terminals[name].path), die_at)
        syncer = Syncer(port, clients[name], batch_size=200, pull_limit=500, pull_interval=0.1,
                        backoff=Backoff(base=0.01, cap=0.2, rng=random.Random(rng.random())))
        syncer.start()
        running[name] = (syncer, port)

    total = sum(OFFLINE_ENTRIES.values()) + LIVE_ENTRIES * len(terminals)
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
            if live_made < LIVE_ENTRIES:
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
            if live_made >= LIVE_ENTRIES and _converged(engine, terminals, total):
                break
    finally:
        for syncer, _ in running.values():
            assert syncer.stop()
        for client in clients.values():
            client.close()
        hub.kill()

    assert kills["hub"] == 2 and kills["syncer"] >= SYNCER_KILLS, kills
    faults = {k: sum(t.counts.get(k, 0) for t in transports.values()) for k in transports["A"].faults}
    assert all(faults.values()), f"every kind of fault happened: {faults}"
    on_hub = hub_entries(engine)
    assert len(on_hub) == total >= 10_000
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
