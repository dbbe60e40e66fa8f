"""Several hub processes on one database: concurrent pushes, a pull cursor that skips nothing.

Two hub servers with their own engines (as two processes would have) share
the database. Writers push through both at once while a reader pulls
through the second the whole time. A cursor over ids that commit out of
order would make the reader miss entries for good; it must get each entry
exactly once.
"""

from __future__ import annotations

import random
import threading
from collections import Counter

from conftest import HubServer
from sync_helpers import hub_entries, pair_terminal

from sync.hub.db import create_hub_engine
from sync.port import Ack
from sync.protocol import PROTOCOL_VERSION, PushRequest

WRITERS = 4
ROUNDS = 25
PER_ROUND = 25


def test_two_hubs_concurrent_writers_reader_misses_nothing(hub_db_url, hub_engine, merchant, tmp_path):
    second_engine = create_hub_engine(hub_db_url)
    hubs = [HubServer(hub_engine).start(), HubServer(second_engine).start()]
    rng = random.Random(7)
    cards = [f"CARD{n:06d}" for n in range(30)]
    writers = [pair_terminal(hubs[i % 2].url, hub_engine, merchant.store_id, tmp_path / f"w{i}.db", f"W{i}")
               for i in range(WRITERS)]
    reader, reader_client = pair_terminal(hubs[1].url, hub_engine, merchant.store_id, tmp_path / "r.db", "R")
    errors: list[BaseException] = []
    writing_done = threading.Event()
    received: Counter[str] = Counter()

    def write(index: int) -> None:
        terminal, client = writers[index]
        try:
            for _ in range(ROUNDS):
                terminal.record([dict(card=rng.choice(cards), kind="stamp", stamps=1)
                                 for _ in range(PER_ROUND)])
                box = terminal.outbox(1000)
                answer = client.push(PushRequest(v=PROTOCOL_VERSION, terminal_id=terminal.terminal_id(),
                                                 entries=box.entries))
                terminal.record_ack(Ack(entries_through=answer.entries_through))
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)

    def pull_once() -> bool:
        page = reader_client.pull(reader.pull_cursor(), limit=40)
        received.update(e.entry_id for e in page.entries)
        reader.apply_remote(page)
        return page.has_more

    def read() -> None:
        try:
            while not writing_done.is_set():
                if not pull_once():
                    writing_done.wait(0.005)  # leave the writers some of the GIL
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
    reader_thread = threading.Thread(target=read)
    try:
        reader_thread.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        writing_done.set()
        reader_thread.join(60)
        while pull_once():
            pass
    finally:
        writing_done.set()
        for server in hubs:
            server.stop()
        for _, client in writers:
            client.close()
        reader_client.close()
        second_engine.dispose()
    assert not errors, errors
    on_hub = hub_entries(hub_engine)
    assert len(on_hub) == WRITERS * ROUNDS * PER_ROUND
    assert set(received) == {e["entry_id"] for e in on_hub}, "the reader missed entries"
    assert max(received.values()) == 1, "each entry is sent once"
    assert reader.entries() == on_hub
