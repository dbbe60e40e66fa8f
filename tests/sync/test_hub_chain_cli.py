"""``loyalty-hub chain verify``: the hub's own chain checks out, and a changed entry is reported."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from sync.hub import hub_chain, signing
from sync.hub.cli import main
from sync.hub.hub_chain import NewEntry
from sync.hub.schema import entries, terminals

CARD = "0123456789"


def _hub_chain(engine, merchant_id: str) -> None:
    key = signing.load_hub_key(Path(os.environ[signing.ENV_SIGNING_KEY]))
    hub_chain.append(engine, merchant_id, key, [NewEntry(card=CARD, kind="enroll"),
                                                 NewEntry(card=CARD, kind="earn", points=40, amount=4000)])
    hub_chain.append(engine, merchant_id, key, [NewEntry(card=CARD, kind="earn", points=7, amount=700)])


def test_an_intact_chain_checks_out_and_a_changed_entry_is_reported(hub_db_url, hub_engine, merchant, capsys):
    _hub_chain(hub_engine, merchant.merchant_id)
    assert main(["--database-url", hub_db_url, "chain", "verify"]) == 0
    out = capsys.readouterr().out
    assert f"({merchant.merchant_id}): hub chain of 3 entries checks out" in out

    with hub_engine.begin() as conn:
        hub_id = conn.execute(sa.select(terminals.c.terminal_id).where(terminals.c.is_hub.is_(sa.true()))
                              ).scalar_one()
        conn.execute(sa.update(entries).where(entries.c.terminal_id == hub_id, entries.c.seq == 2)
                     .values(points=4000))
    assert main(["--database-url", hub_db_url, "chain", "verify", "--merchant", merchant.merchant_id]) == 1
    out = capsys.readouterr().out
    assert "hub entry seq 2: the hash does not match the contents" in out
    assert "restore the database from a backup" in out


def test_a_chain_signed_by_another_key_is_reported(hub_db_url, hub_engine, merchant, tmp_path, capsys):
    _hub_chain(hub_engine, merchant.merchant_id)
    other = tmp_path / "other.key"
    signing.load_hub_key(other)
    assert main(["--database-url", hub_db_url, "chain", "verify", "--signing-key-file", str(other)]) == 1
    assert "not signed with the hub's key" in capsys.readouterr().out


def test_a_missing_key_file_says_what_to_do(hub_db_url, hub_engine, merchant, tmp_path, capsys):
    assert main(["--database-url", hub_db_url, "chain", "verify",
                 "--signing-key-file", str(tmp_path / "gone.key")]) == 2
    err = capsys.readouterr().err
    assert "is missing; restore it from backup" in err
    assert "Traceback" not in err
