"""Signed chains (issue 12): a database rewritten without the till's key is found, with it the receipts find it.

The attack (tests/sync/forgery.py) beats today's hash check: the control
in each test shows ``verify`` without signatures still says "every chain
checks out", so these tests fail on the code before signing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from forgery import forge, resigner, rewrite
from real_terminal import RealTerminal

from ledger_chain import signing
from sync.client import HubClient, HubRefused
from sync.hub.schema import terminals
from sync.hub.signing import ENV_SIGNING_KEY, load_hub_key
from sync.protocol import PROTOCOL_VERSION, AuditEvent, Entry, PushRequest, SignedFrom
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.services.sync_secrets import load_token
from terminal.settings import resolve_config_dir
from terminal.store import chain_key
from terminal.store.verify import verify


def _work(term: RealTerminal) -> str:
    code = term.enroll("Ann")
    term.earn(code, 850)
    assert term.balance(code) == (0, 85)
    term.services.counter.stamp(term.grant(), code)
    term.earn(code, 300)
    return code


def _reopen(term: RealTerminal) -> RealTerminal:
    term.close()
    return RealTerminal(term.data_dir, term.clock)


def _forged(term: RealTerminal, resign=None) -> RealTerminal:
    tid = term.terminal_id
    term.close()
    forge(term.data_dir / "loyalty.sqlite3", tid, resign)
    return RealTerminal(term.data_dir, term.clock)


def _plain_verify(term: RealTerminal):
    with term.services.ctx.db.read() as session:
        return verify(session, term.terminal_id)


def _key_file(term: RealTerminal) -> Path:
    return chain_key.key_file(resolve_config_dir(term.services.ctx.settings), term.terminal_id)


def _push_outbox(term: RealTerminal, hub_url: str, mutate=None):
    box = term.port.outbox(1000)
    entries = [Entry.model_validate(dict(e)) for e in box.entries]
    if mutate:
        entries = mutate(entries)
    request = PushRequest(v=PROTOCOL_VERSION, terminal_id=term.terminal_id, entries=entries,
                          audit=[AuditEvent.model_validate(dict(a)) for a in box.audit])
    with HubClient(hub_url, load_token(term.services.ctx.settings, term.terminal_id), timeout=10) as client:
        return client.push(request)


@pytest.fixture
def terms():
    made: list[RealTerminal] = []
    yield made
    for term in made:
        term.close()


def test_forged_chain_without_the_key_is_reported_by_verify(tmp_path, terms):
    term = RealTerminal.founded(tmp_path / "a")
    code = _work(term)
    term = _forged(term)
    terms.append(term)
    assert term.balance(code) == (0, 85 * 100 + 30 + 50_000)  # the balance cache agrees with the forgery
    assert _plain_verify(term).ok, "the attack beats the hash chain alone"
    report = term.services.reports.verify()
    assert not report.ok
    assert any("not signed with this till's key" in p for p in report.problems), report.problems
    with pytest.raises(LoyaltyError) as refused:  # the till will not sign on top of the forgery
        term.earn(code, 100)
    assert refused.value.code is ErrorCode.STORE_UNUSABLE and "changed outside" in refused.value.message


def test_forged_chain_is_refused_by_the_hub(tmp_path, hub, hub_engine, merchant, terms):
    term = RealTerminal.founded(tmp_path / "a")
    term.pair(hub.url, hub_engine, merchant.store_id, "Till A")  # binds the key; nothing pushed yet
    _work(term)
    term = _forged(term)
    terms.append(term)
    with pytest.raises(HubRefused) as refused:
        _push_outbox(term, hub.url)
    assert refused.value.code in ("signature_missing", "signature_invalid"), refused.value.body
    with hub_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM entries")).scalar() == 0


def test_resigned_forgery_of_pushed_entries_disagrees_with_the_receipts(tmp_path, hub, hub_engine, merchant, terms):
    term = RealTerminal.founded(tmp_path / "a")
    term.pair(hub.url, hub_engine, merchant.store_id, "Till A")
    _work(term)
    term.sync()
    with term.services.ctx.db.read() as session:
        receipts = session.execute(sa.text("SELECT stream, seq FROM chain_receipts")).all()
    assert ("entries", 4) in [tuple(r) for r in receipts]
    assert term.services.reports.verify().ok
    secret = json.loads(_key_file(term).read_text())  # the attacker holds the key file too
    term = _forged(term, resigner(secret["key"]))
    terms.append(term)
    report = term.services.reports.verify()
    assert not any("not signed" in p for p in report.problems), "re-signed with the real key"
    assert any("differs from what the hub confirmed" in p for p in report.problems), report.problems
    with pytest.raises(HubRefused) as refused:
        _push_outbox_all(term, hub.url)
    assert refused.value.code == "chain_conflict"


def _push_outbox_all(term: RealTerminal, hub_url: str):
    from terminal.store.sync_port import write_state

    with term.services.ctx.db.write() as session:  # resend from the start, as a restored copy would
        write_state(session.connection(), "entries_acked", 0)
    return _push_outbox(term, hub_url)


def test_pairing_binds_the_key_and_hands_over_the_hub_key(tmp_path, hub, hub_engine, merchant, terms):
    term = RealTerminal.founded(tmp_path / "a")
    terms.append(term)
    term.pair(hub.url, hub_engine, merchant.store_id, "Till A")
    own = chain_key.load_chain_key("file", resolve_config_dir(term.services.ctx.settings), term.terminal_id)
    with hub_engine.connect() as conn:
        row = conn.execute(sa.select(terminals).where(terminals.c.terminal_id == term.terminal_id)).mappings().one()
    assert row["signing_key"] == own.public
    assert (row["entries_signed_from"], row["audit_signed_from"]) == (1, 1)
    hub_public = chain_key.load_hub_key("file", resolve_config_dir(term.services.ctx.settings), term.terminal_id)
    hub_file = Path(os.environ[ENV_SIGNING_KEY])  # per test (tests/sync/conftest.py)
    assert hub_public == signing.public_key_of(load_hub_key(hub_file, create=False))
    assert hub_file.stat().st_mode & 0o777 == 0o600
    b = RealTerminal.joined(tmp_path / "b", hub.url, hub_engine, merchant.store_id)
    terms.append(b)
    with hub_engine.connect() as conn:
        b_key = conn.execute(sa.select(terminals.c.signing_key)
                             .where(terminals.c.terminal_id == b.terminal_id)).scalar_one()
    assert b_key == chain_key.load_chain_key("file", resolve_config_dir(b.services.ctx.settings),
                                             b.terminal_id).public != own.public
    b.sync()
    assert b.services.reports.verify().ok  # B's receipts check out with the hub key it was given


def test_entry_signed_with_another_tills_key_is_refused(tmp_path, hub, hub_engine, merchant, terms):
    a = RealTerminal.founded(tmp_path / "a")
    terms.append(a)
    a.pair(hub.url, hub_engine, merchant.store_id, "Till A")
    a.sync()
    b = RealTerminal.joined(tmp_path / "b", hub.url, hub_engine, merchant.store_id)
    terms.append(b)
    a.enroll("Ann")
    other = chain_key.load_chain_key("file", resolve_config_dir(b.services.ctx.settings), b.terminal_id)

    def signed_by_b(entries: list[Entry]) -> list[Entry]:
        last = entries[-1]
        return [*entries[:-1], last.model_copy(
            update={"sig": signing.sign_record(other.private, "entries", last.hash)})]

    with pytest.raises(HubRefused) as refused:
        _push_outbox(a, hub.url, signed_by_b)
    assert refused.value.code == "signature_invalid"
    assert refused.value.body.stream == "entries"
    a.sync()  # the real signatures pass
    assert a.port.pending_count() == 0


def test_old_unsigned_chain_migrates_and_registers_its_key_once(tmp_path, hub, hub_engine, merchant, terms):
    old = RealTerminal(tmp_path / "a")
    old.services.ctx.db.session_info.clear()  # the version before signing: no signer
    old.services.init_store(name="Old Café", timezone="Europe/Berlin", currency="EUR",
                            owner_name="Olga", owner_pin="2741", template="hybrid")
    code = old.enroll("Ann")
    old.earn(code, 850)
    old.pair(hub.url, hub_engine, merchant.store_id, "Old till")  # an old till pairs without a key
    old.sync()
    tid = old.terminal_id
    with old.services.ctx.db.read() as session:
        unsigned = session.execute(sa.text("SELECT max(seq) FROM ledger WHERE sig IS NULL")).scalar()
        audit_unsigned = session.execute(sa.text("SELECT max(seq) FROM audit WHERE sig IS NULL")).scalar()
    assert unsigned == 2 and audit_unsigned >= 1
    term = _reopen(old)  # the new version: signing from its first new record on
    terms.append(term)
    assert chain_key.load_chain_key("file", resolve_config_dir(term.services.ctx.settings), tid) is None
    term.earn(code, 300)
    key = chain_key.load_chain_key("file", resolve_config_dir(term.services.ctx.settings), tid)
    assert key.entries_from == 3 and key.audit_from >= audit_unsigned + 1
    term.sync()  # trust on first use: the push registers the key with its boundary, the answer the hub's key
    assert term.services.reports.verify().ok
    with hub_engine.connect() as conn:
        row = conn.execute(sa.select(terminals).where(terminals.c.terminal_id == tid)).mappings().one()
    assert (row["signing_key"], row["entries_signed_from"]) == (key.public, 3)
    assert term.port.pending_count() == 0
    # After that only a recovery changes it: a push offering another key is refused.
    stranger = signing.public_key_of(signing.private_key(signing.new_private_key()))
    with HubClient(hub.url, load_token(term.services.ctx.settings, tid), timeout=10) as client, \
            pytest.raises(HubRefused) as refused:
        client.push(PushRequest(v=PROTOCOL_VERSION, terminal_id=tid, signing_key=stranger,
                                signed_from=SignedFrom(entries=1, audit=1)))
    assert refused.value.code == "signing_key_mismatch"
    # The unsigned records before the boundary are still covered: the first signed entry's
    # hash chains through them, so rewriting one and re-hashing breaks that signature.
    term.close()
    terms.remove(term)

    def inflate(rows: list[dict]) -> None:
        rows[1]["points"] = 8500  # the unsigned earn of 85

    rewrite(term.data_dir / "loyalty.sqlite3", tid, inflate)
    again = RealTerminal(term.data_dir, term.clock)
    terms.append(again)
    assert _plain_verify(again).ok
    problems = again.services.reports.verify().problems
    assert any("seq 3" in p and "not signed" in p for p in problems), problems


def test_hub_upgrade_from_schema_4_adds_the_signing_columns(hub_engine):
    from sync.hub.migrations import SCHEMA_VERSION, migrate, schema_version
    from sync.hub.schema import hub_schema

    with hub_engine.begin() as conn:
        for table, column in (("terminals", "signing_key"), ("terminals", "entries_signed_from"),
                              ("terminals", "audit_signed_from"), ("entries", "sig"), ("audit_events", "sig")):
            conn.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        conn.execute(sa.update(hub_schema).values(version=4))
    assert migrate(hub_engine) == 4
    with hub_engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION
        columns = {c["name"] for c in sa.inspect(conn).get_columns("terminals")}
    assert {"signing_key", "entries_signed_from", "audit_signed_from"} <= columns


def test_a_lost_key_is_refused_until_the_owner_recovers_the_till(tmp_path, hub, hub_engine, merchant, terms):
    from sync.hub import admin
    from terminal.services.sync_link import pair_existing

    term = RealTerminal.founded(tmp_path / "a")
    term.pair(hub.url, hub_engine, merchant.store_id, "Till A")
    code = term.enroll("Ann")
    term.sync()
    old_public = chain_key.load_chain_key("file", resolve_config_dir(term.services.ctx.settings),
                                          term.terminal_id).public
    _key_file(term).unlink()  # the key is lost (or removed): the till makes a new one at its next record
    term = _reopen(term)
    terms.append(term)
    term.earn(code, 400)
    new = chain_key.load_chain_key("file", resolve_config_dir(term.services.ctx.settings), term.terminal_id)
    assert new.public != old_public and new.entries_from == 2
    with pytest.raises(HubRefused) as refused, HubClient(hub.url, term.token(), timeout=10) as client:
        client.push(PushRequest(v=PROTOCOL_VERSION, terminal_id=term.terminal_id, signing_key=new.public,
                                signed_from=SignedFrom(entries=new.entries_from, audit=new.audit_from)))
    assert refused.value.code == "signing_key_mismatch" and "recover" in refused.value.body.message
    recovery = admin.recover_terminal(hub_engine, term.terminal_id)
    pair_existing(term.services, hub.url, recovery.code)  # rebinds the key with its boundary
    term.sync()
    assert term.port.pending_count() == 0
    with hub_engine.connect() as conn:
        row = conn.execute(sa.select(terminals).where(terminals.c.terminal_id == term.terminal_id)).mappings().one()
    assert (row["signing_key"], row["entries_signed_from"], row["entries_through"]) == (new.public, 2, 2)
