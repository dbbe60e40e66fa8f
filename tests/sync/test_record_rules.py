"""Who may change what, and which times the hub takes (issue 12, items 3 and 5 at the hub).

A real hub over loopback; the tills are TerminalDoubles pushing exactly what
an attacker with a paired till could send. Each attack below was accepted
before record_rules.py and time_rules.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from conftest import HubServer
from sync_helpers import pair_terminal

from sync.client import HubRefused
from sync.hub import admin
from sync.hub.cli import main as hub_cli
from sync.hub.schema import entries, program_stores, programs, staff
from sync.protocol import PROTOCOL_VERSION, PushRequest, Staff
from sync.syncer import Syncer

FAR_FUTURE = "9999-12-31T23:59:59.999999Z"
EPOCH = "1970-01-01T00:00:00.000000Z"
PIN_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"


def _now(offset: timedelta = timedelta()) -> str:
    return (datetime.now(UTC) + offset).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _staff(name: str, updated_at: str, active: bool = True) -> Staff:
    return Staff(staff_id="rita", name=name, role="cashier", active=active, pin_hash=PIN_HASH,
                 updated_at=updated_at)


def _push(client, terminal, **streams):
    return client.push(PushRequest(v=PROTOCOL_VERSION, terminal_id=terminal.terminal_id(), **streams))


def _row(engine, table, key_col, key):
    with engine.connect() as conn:
        return conn.execute(sa.select(table).where(table.c[key_col] == key)).mappings().one()


@pytest.fixture
def two_stores(hub, hub_engine, merchant, tmp_path):
    """A till of store A, a second till of store A, and a till of store B, all paired."""
    store_b = admin.add_store(hub_engine, merchant.merchant_id, "Station kiosk")
    made = [pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "A1"),
            pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a2.db", "A2"),
            pair_terminal(hub.url, hub_engine, store_b, tmp_path / "b.db", "B1")]
    yield made, store_b
    for terminal, client in made:
        client.close()
        terminal.close()


def test_a_till_of_store_b_cannot_overwrite_store_as_staff_member(two_stores, hub_engine, merchant):
    ((a, client_a), (_a2, client_a2), (b, client_b)), _ = two_stores
    _push(client_a, a, staff=[_staff("Rita", _now())])
    client_a2.pull(0)  # A's second till has Rita
    # the attack of the issue: another name, inactive, a far-future version
    answer = _push(client_b, b, staff=[_staff("Mallory", FAR_FUTURE, active=False)])
    assert [(r.key, r.code) for r in answer.refused] == [("rita", "clock_ahead")]
    # the same with a plausible time: refused because Rita is store A's
    answer = _push(client_b, b, staff=[_staff("Mallory", _now(), active=False)])
    assert [(r.key, r.code) for r in answer.refused] == [("rita", "record_forbidden")]
    assert answer.refused[0].current_card is None and answer.refused[0].current_program is None
    assert "another store" in answer.refused[0].message
    row = _row(hub_engine, staff, "staff_id", "rita")
    assert (row["name"], row["active"], row["store_id"]) == ("Rita", True, merchant.store_id)
    assert row["origin_terminal_id"] == a.terminal_id() and row["origin_store_id"] == merchant.store_id
    # store A's tills still get Rita, and A's later real change is applied
    page = client_a2.pull(0)
    assert [(s.name, s.active) for s in page.staff] == [("Rita", True)]
    answer = _push(client_a, a, staff=[_staff("Rita K.", _now(timedelta(seconds=1)))])
    assert answer.records_applied == 1 and answer.refused == []
    assert [s.name for s in client_a2.pull(0).staff] == ["Rita K."]
    assert client_b.pull(0).staff == []  # B never gets A's staff


def test_one_refused_record_does_not_block_the_tills_other_records(two_stores, hub_engine):
    ((a, client_a), _, (b, client_b)), _ = two_stores
    _push(client_a, a, staff=[_staff("Rita", _now())])
    b.set_staff("bob", "Bob")
    b.set_program("kiosk", "Kiosk stamps", {"stamps_target": 8})
    code = b.enroll(holder="Ann")
    request = b.outbox(100)
    answer = _push(client_b, b, staff=[*request.staff, _staff("Mallory", _now()).model_dump()],
                   programs=request.programs, cards=request.cards, entries=request.entries)
    assert [r.key for r in answer.refused] == ["rita"]
    assert answer.records_applied == 3 and answer.entries_stored == 1
    assert _row(hub_engine, staff, "staff_id", "bob")["origin_store_id"] == b_store(hub_engine, b)
    assert code in {c.code for c in client_a.pull(0).cards}


def b_store(engine, terminal) -> str:
    from sync.hub.schema import terminals
    with engine.connect() as conn:
        return conn.execute(sa.select(terminals.c.store_id)
                            .where(terminals.c.terminal_id == terminal.terminal_id())).scalar_one()


def test_a_far_future_program_version_neither_wins_nor_freezes_the_program(two_stores, hub_engine):
    ((a, client_a), (a2, client_a2), (_b, client_b)), _store_b = two_stores
    a.set_program("default", "Coffee card", {"stamps_target": 10})
    Syncer(a, client_a).sync_once()
    frozen = {"program_id": "default", "name": "Frozen", "kind": "stamps",
              "settings": {"stamps_target": 1}, "updated_at": FAR_FUTURE}
    answer = _push(client_a2, a2, programs=[frozen])  # an allowed store, a wrong clock
    assert [(r.code, r.current_program.name) for r in answer.refused] == [("clock_ahead", "Coffee card")]
    assert "check the computer's clock" in answer.refused[0].message
    assert _row(hub_engine, programs, "program_id", "default")["name"] == "Coffee card"
    # the next real change wins, and every till gets it
    a.set_program("default", "Coffee card 2", {"stamps_target": 9})
    Syncer(a, client_a).sync_once()
    assert [p.name for p in client_b.pull(0).programs] == ["Coffee card 2"]


def test_programs_change_only_from_stores_the_owner_allows(two_stores, hub_engine, merchant, capsys):
    ((a, client_a), _, (b, client_b)), store_b = two_stores
    a.set_program("default", "Coffee card", {"stamps_target": 10})
    Syncer(a, client_a).sync_once()
    change = {"program_id": "default", "name": "Free coffee for all", "kind": "stamps",
              "settings": {"stamps_target": 1}, "updated_at": _now()}
    answer = _push(client_b, b, programs=[change])
    assert [(r.code, r.current_program.name) for r in answer.refused] == [("record_forbidden", "Coffee card")]
    assert f"loyalty-hub programs allow default {store_b}" in answer.refused[0].message
    url = hub_engine.url.render_as_string(hide_password=False)
    assert hub_cli(["--database-url", url, "programs", "allow", "default", store_b]) == 0
    change["updated_at"] = _now(timedelta(seconds=1))
    answer = _push(client_b, b, programs=[change])
    assert answer.refused == [] and answer.records_applied == 1
    row = _row(hub_engine, programs, "program_id", "default")
    assert (row["name"], row["origin_store_id"], row["origin_terminal_id"]) == (
        "Free coffee for all", store_b, b.terminal_id())
    assert hub_cli(["--database-url", url, "programs", "disallow", "default", store_b]) == 0
    change["updated_at"] = _now(timedelta(seconds=2))
    assert [r.code for r in _push(client_b, b, programs=[change]).refused] == ["record_forbidden"]
    assert hub_cli(["--database-url", url, "programs", "list"]) == 0
    listed = capsys.readouterr().out
    assert f"may be changed from: {merchant.store_id}" in listed
    assert hub_cli(["--database-url", url, "programs", "allow", "nope", store_b]) == 2
    assert "no program 'nope'" in capsys.readouterr().err
    with hub_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(program_stores)).scalar_one() == 1


def test_the_owner_api_allows_and_disallows_stores(two_stores, hub, merchant):
    import httpx
    ((a, client_a), _, _), store_b = two_stores
    a.set_program("default", "Coffee card", {"stamps_target": 10})
    Syncer(a, client_a).sync_once()
    owner = {"Authorization": f"Bearer {merchant.owner_token}"}
    with httpx.Client(base_url=hub.url, headers=owner) as http:
        assert http.get("/api/v1/programs/default/stores").json()["allowed_stores"] == [merchant.store_id]
        allowed = http.post(f"/api/v1/programs/default/stores/{store_b}").json()["allowed_stores"]
        assert sorted(allowed) == sorted([merchant.store_id, store_b])
        answer = http.delete(f"/api/v1/programs/default/stores/{merchant.store_id}")
        assert answer.json()["allowed_stores"] == [store_b]
        assert http.post("/api/v1/programs/nope/stores/x").status_code == 404
        [rule] = http.get("/api/v1/programs").json()
        assert (rule["program_id"], rule["origin_store_id"], rule["allowed_stores"]) == (
            "default", merchant.store_id, [store_b])


@pytest.mark.sqlite_only
@pytest.mark.parametrize(("at", "code"), [(FAR_FUTURE, "clock_ahead"), (EPOCH, "clock_too_old"),
                                          ("2019-12-31T23:59:59.999999Z", "clock_too_old")])
def test_entries_dated_far_ahead_or_before_2020_are_refused_and_nothing_is_stored(
        two_stores, hub_engine, at, code):
    ((a, client_a), (_a2, client_a2), _), _ = two_stores
    card = a.enroll()
    a.record([dict(card=card, kind="stamp", stamps=1, at=at)])
    outbox = a.outbox(100)
    with pytest.raises(HubRefused) as refused:
        _push(client_a, a, entries=outbox.entries)
    assert (refused.value.status, refused.value.code) == (422, code)
    assert refused.value.body.stream == "entries" and refused.value.body.expected_seq == 2
    assert "clock" in refused.value.body.message
    with hub_engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(entries)).scalar_one() == 0
    # the entries before it go alone, and other tills never get the wrongly dated one
    assert _push(client_a, a, entries=outbox.entries[:1]).entries_stored == 1
    assert all(e.at != at for e in client_a2.pull(0).entries)


def test_a_till_that_was_minutes_fast_is_taken_once_the_hubs_clock_catches_up(two_stores, hub_engine):
    ((a, client_a), _, _), _ = two_stores
    card = a.enroll()
    a.record([dict(card=card, kind="stamp", stamps=1, at=_now(timedelta(minutes=4)))])
    assert _push(client_a, a, entries=a.outbox(100).entries).entries_stored == 2
    a.record([dict(card=card, kind="stamp", stamps=1, at=_now(timedelta(minutes=6)))])
    with pytest.raises(HubRefused, match="clock_ahead"):
        _push(client_a, a, entries=a.outbox(100).entries)


def test_audit_events_far_ahead_are_refused(two_stores):
    ((a, client_a), _, _), _ = two_stores
    a.audit("pin_failed")
    events = [dict(e) for e in a.outbox(100).audit]
    # re-date and re-hash, as a till with a wrong clock would have written it
    import ledger_chain as chain
    events[0]["at"] = FAR_FUTURE
    events[0]["hash"] = chain.audit_hash(events[0]["prev_hash"], events[0])
    with pytest.raises(HubRefused) as refused:
        _push(client_a, a, audit=events)
    assert (refused.value.code, refused.value.body.stream) == ("clock_ahead", "audit")


def test_the_clock_limit_is_configurable(hub_engine, merchant, monkeypatch, tmp_path):
    from sync.hub.app import HubLimits, create_app

    def factory(engine):
        return create_app(engine, limits=HubLimits(max_clock_ahead_minutes=1))

    monkeypatch.setitem(HubServer.start.__globals__, "create_app", factory)
    with HubServer(hub_engine) as hub:
        terminal, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
        try:
            answer = _push(client, terminal, staff=[_staff("Rita", _now(timedelta(minutes=3)))])
            assert [r.code for r in answer.refused] == ["clock_ahead"]
            assert "more than 1 minutes ahead" in answer.refused[0].message
        finally:
            client.close()
            terminal.close()


def test_serve_refuses_a_clock_limit_out_of_range(hub_engine, capsys):
    url = hub_engine.url.render_as_string(hide_password=False)
    assert hub_cli(["--database-url", url, "serve", "--max-clock-ahead-minutes", "0"]) == 2
    assert "--max-clock-ahead-minutes must be from 1 to 1440" in capsys.readouterr().err


def test_a_provisional_card_version_is_still_taken(two_stores, hub_engine):
    ((a, client_a), _, _), _ = two_stores
    card = {"code": "ABCDEFGH12", "program_id": "default", "holder": None, "status": "active",
            "enrolled_at": _now(), "updated_at": EPOCH}
    answer = _push(client_a, a, cards=[card])
    assert answer.refused == [] and answer.records_applied == 1


def test_a_record_that_would_not_come_back_as_sent_is_refused(two_stores, hub):
    import httpx
    ((a, client_a), _, _), _ = two_stores
    token = client_a._http.headers["Authorization"]
    program = ('{"program_id": "p", "name": "P", "kind": "stamps", "settings": {"rate": NaN}, '
               f'"updated_at": "{_now()}"}}')
    body = f'{{"v": 1, "terminal_id": "{a.terminal_id()}", "programs": [{program}]}}'
    answer = httpx.post(f"{hub.url}/sync/v1/push", content=body,
                        headers={"Authorization": token, "Content-Type": "application/json"})
    assert answer.status_code == 200, answer.text
    assert [r["code"] for r in answer.json()["refused"]] == ["record_unservable"]
    assert client_a.pull(0).programs == []


def test_upgrade_to_schema_5_records_origins_allows_the_programs_store_and_unfreezes_versions(
        hub_engine, merchant):
    from sync_helpers import undo_schema_5

    from sync.hub.migrations import SCHEMA_VERSION, migrate
    from sync.hub.schema import hub_schema, terminals
    terminal_id = "0b7a3c1e-4d5f-4a6b-8c9d-0e1f2a3b4c5d"
    with hub_engine.begin() as conn:
        conn.execute(sa.insert(terminals).values(
            terminal_id=terminal_id, merchant_id=merchant.merchant_id, store_id=merchant.store_id, name="T",
            token_hash="x" * 64, paired_at="2026-01-01T00:00:00Z", entries_head="0" * 64, audit_head="0" * 64))
        undo_schema_5(conn)
        conn.execute(sa.text(
            "INSERT INTO programs (merchant_id, program_id, name, kind, settings, updated_at, origin_terminal_id, "
            "change_id) VALUES (:m, 'default', 'Frozen', 'stamps', '{}', :t, :term, 1)"),
            {"m": merchant.merchant_id, "t": FAR_FUTURE, "term": terminal_id})
        conn.execute(sa.update(hub_schema).values(version=4))
    assert migrate(hub_engine) == 4
    with hub_engine.connect() as conn:
        assert conn.execute(sa.select(hub_schema.c.version)).scalar_one() == SCHEMA_VERSION
        row = conn.execute(sa.select(programs)).mappings().one()
        assert row["origin_store_id"] == merchant.store_id and row["updated_at"] <= _now()
        assert conn.execute(sa.select(program_stores.c.store_id)).scalars().all() == [merchant.store_id]


def test_the_syncer_sends_the_entries_before_a_wrongly_dated_one_and_holds_the_rest(two_stores):
    ((a, client_a), _, _), _ = two_stores
    card = a.enroll()
    a.stamp(card)
    a.record([dict(card=card, kind="stamp", stamps=1, at=FAR_FUTURE)])
    a.stamp(card)
    a.set_staff("bob", "Bob")
    status = Syncer(a, client_a).sync_once()
    assert a.acked()[0] == 2  # enroll and the first stamp
    assert status.set_aside == ("entries",) and status.clock_refused
    assert "[clock_ahead]" in status.last_error
    assert a.outbox(100).staff == []  # the other streams went on
