"""The till's chain key: made at the first record, kept 0600 outside the database; every record signed."""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest
import sqlalchemy as sa

from ledger_chain import entry_hash, signing
from terminal.cli import main
from terminal.settings import resolve_config_dir
from terminal.store import chain_key
from terminal.store.db import DB_FILENAME, Database
from terminal.store.ledger import wire_fields
from terminal.store.secret_key import SecretKeyError


def _key(services):
    return chain_key.load_chain_key("file", resolve_config_dir(services.ctx.settings),
                                    services.ctx.store.terminal_id)


def test_the_key_is_made_with_the_first_record_private_and_outside_the_database(services, data_dir):
    key = _key(services)
    assert key is not None and (key.entries_from, key.audit_from) == (1, 1)
    path = chain_key.key_file(resolve_config_dir(services.ctx.settings), services.ctx.store.terminal_id)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    raw = b"".join(p.read_bytes() for p in data_dir.iterdir() if p.name.startswith(DB_FILENAME))
    assert json.loads(path.read_text())["key"].encode() not in raw


def test_every_entry_and_audit_event_is_signed_with_the_till_key(services, owner, program_id):
    card = services.enrollment.enroll(owner, program_id, "Ann").code
    services.counter.earn(owner, card, 1200)
    public = signing.public_key(_key(services).public)
    with services.ctx.db.read() as session:
        entries = session.execute(sa.text("SELECT hash, sig FROM ledger")).all()
        audit = session.execute(sa.text("SELECT hash, sig FROM audit")).all()
    assert len(entries) == 2 and audit
    assert all(signing.record_signed(public, "entries", h, s) for h, s in entries)
    assert all(signing.record_signed(public, "audit", h, s) for h, s in audit)
    assert not signing.record_signed(public, "audit", entries[0][0], entries[0][1]), "streams are separated"
    report = services.reports.verify()
    assert report.ok and report.signatures == len(entries) + len(audit)


def test_admin_verify_reports_an_edited_and_rehashed_entry(services, owner, program_id, data_dir, capsys):
    card = services.enrollment.enroll(owner, program_id, "Ann").code
    services.counter.earn(owner, card, 850)
    tid = services.ctx.store.terminal_id
    services.close()
    con = sqlite3.connect(data_dir / DB_FILENAME)
    con.row_factory = sqlite3.Row
    con.execute("DROP TRIGGER ledger_no_update")
    row = dict(con.execute("SELECT * FROM ledger WHERE terminal_id = ? ORDER BY seq DESC LIMIT 1",
                           (tid,)).fetchone())
    row["points"] = 8500
    digest = entry_hash(row["prev_hash"], wire_fields(row))
    con.execute("UPDATE ledger SET points = 8500, hash = ? WHERE entry_id = ?", (digest, row["entry_id"]))
    con.execute("UPDATE card_balances SET points = 8500, lifetime_points = 8500 WHERE code = ?", (card,))
    con.commit()
    con.close()
    code = main(["--data-dir", str(data_dir), "admin", "verify"])
    out = capsys.readouterr()
    assert code == 2
    assert f"seq {row['seq']}) is not signed with this till's key" in out.out
    assert "Traceback" not in out.err


def test_migration_adds_signature_columns_and_the_receipts_table(tmp_path):
    db = Database(tmp_path / DB_FILENAME, migrate=False)
    try:
        db.migrate("0002")
        with db.engine.connect() as conn:
            assert "sig" not in {c["name"] for c in sa.inspect(conn).get_columns("ledger")}
        db.migrate()
        with db.engine.connect() as conn:
            inspector = sa.inspect(conn)
            assert "sig" in {c["name"] for c in inspector.get_columns("ledger")}
            assert "sig" in {c["name"] for c in inspector.get_columns("audit")}
            assert inspector.has_table("chain_receipts")
            triggers = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
        assert {"ledger_no_update", "ledger_no_delete", "audit_no_update", "audit_no_delete"} <= triggers
    finally:
        db.close()


def test_a_damaged_key_file_is_a_clear_error(tmp_path):
    path = chain_key.key_file(tmp_path, "t1")
    path.write_text("{}")
    os.chmod(path, 0o600)
    with pytest.raises(SecretKeyError, match=r"damaged.*recover"):
        chain_key.load_chain_key("file", tmp_path, "t1")
