"""A hub backed up with pg_dump and restored with pg_restore carries on (docs/production.md).

Two real tills sync with a hub on PostgreSQL; the database is dumped; a till
goes on pushing to the old hub (what the backup will lack), then the hub is
restored into a fresh database and started on it, on the same address. The
till's chain continues: the restored hub asks for what it lacks and the till
sends it again; the other till pulls it; a third till pairs and joins the
store (its PIN key unwraps with the same master key file); the hub's own
chain still verifies.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import HubServer, _drop_database, _pg_admin_url
from real_terminal import RealTerminal
from sqlalchemy.engine import make_url
from sync_helpers import hub_entries

from sync.hub import hub_chain, signing
from sync.hub.cli import main
from sync.hub.db import create_hub_engine
from sync.hub.hub_chain import NewEntry

pytestmark = [
    pytest.mark.parametrize("hub_db_url", ["postgresql"], indirect=True),
    pytest.mark.skipif(not (shutil.which("pg_dump") and shutil.which("pg_restore")),
                       reason="pg_dump and pg_restore are not installed (apt-get install postgresql-client)"),
]


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _dump(url: str, target: Path) -> None:
    subprocess.run(["pg_dump", "--format=custom", f"--file={target}", f"--dbname={_libpq(url)}"],
                   check=True, capture_output=True, timeout=120)


def _restore(backup: Path, url: str) -> None:
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(url)}", str(backup)],
                   check=True, capture_output=True, timeout=120)


def test_a_restored_hub_lets_the_tills_chains_continue(hub_db_url, hub_engine, merchant, tmp_path):
    hub = HubServer(hub_engine).start()
    till_a = RealTerminal.founded(tmp_path / "a")
    till_b = till_c = None
    maintenance = sa.create_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    restored_name = f"loyalty_r_{uuid.uuid4().hex[:12]}"
    restored_url = make_url(hub_db_url).set(database=restored_name).render_as_string(hide_password=False)
    restored_engine = restored_hub = None
    try:
        till_a.pair(hub.url, hub_engine, merchant.store_id, "Till A")
        card = till_a.enroll("Ann")
        till_a.earn(card, 1000)
        till_a.sync()
        till_b = RealTerminal.joined(tmp_path / "b", hub.url, hub_engine, merchant.store_id, name="Till B")
        key = signing.load_hub_key(signing.default_signing_key_path(hub_engine))
        hub_chain.append(hub_engine, merchant.merchant_id, key, [NewEntry(card, "adjust", points=5,
                                                                          reason="goodwill")])
        till_a.sync()
        till_b.sync()

        backup = tmp_path / "hub.dump"
        _dump(hub_db_url, backup)
        till_a.earn(card, 2000)  # reaches the old hub only: the backup lacks it
        till_a.sync()
        till_b.sync()
        hub.stop()

        with maintenance.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{restored_name}"')
        _restore(backup, restored_url)
        restored_engine = create_hub_engine(restored_url)
        restored_hub = HubServer(restored_engine, port=hub.port).start()  # the address the tills know

        till_a.earn(card, 500)
        till_a.sync()  # the restored hub asks for the entries it lacks; the till sends them again
        assert [e["entry_id"] for e in hub_entries(restored_engine, till_a.terminal_id)] == \
            [entry_id for _, entry_id, _, _ in sorted(till_a.ledger(local=True), key=lambda r: r[2])]
        till_b.sync()
        assert till_b.balance(card) == till_a.balance(card)
        till_c = RealTerminal.joined(tmp_path / "c", restored_hub.url, restored_engine, merchant.store_id,
                                     name="Till C")
        till_c.sync()
        assert till_c.services.counter.card(card).balance.points == till_a.balance(card)[1]
        for till in (till_a, till_b, till_c):
            report = till.services.reports.verify()
            assert report.ok, report.problems
        assert main(["--database-url", restored_url, "chain", "verify"]) == 0
    finally:
        for till in (till_a, till_b, till_c):
            if till is not None:
                till.close()
        if restored_hub is not None:
            restored_hub.stop()
        elif hub._server is not None:
            hub.stop()
        if restored_engine is not None:
            restored_engine.dispose()
        _drop_database(maintenance, restored_name)
        maintenance.dispose()
