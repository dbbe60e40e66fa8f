"""Pairing cannot take over a till; revocation ends access at once (issue 12, item 4).

A real hub over loopback: an ordinary pairing code redeemed with an existing
till's id is refused; recovering a till is the owner's explicit action (a code
bound to that till, which ends the old token when used); the owner revokes a
till or an owner token from the command line or the owner API; pairing
attempts are limited per client address.
"""

from __future__ import annotations

import re

import httpx
import pytest
from conftest import make_merchant
from real_terminal import RealTerminal
from sync_helpers import pair_terminal, wait_for
from terminal_double import TerminalDouble

from sync.client import HubClient, HubRefused, HubUnavailable
from sync.hub import admin
from sync.hub.cli import main as hub_cli
from sync.protocol import PROTOCOL_VERSION, PushRequest
from sync.status import SyncState
from terminal.services.sync_link import SyncLink, pair_existing


def _push(client: HubClient, terminal: TerminalDouble, entries: list[dict]):
    return client.push(PushRequest(v=PROTOCOL_VERSION, terminal_id=terminal.terminal_id(), entries=entries))


def _made(terminal: TerminalDouble, n: int) -> list[dict]:
    return terminal.record([dict(card="0000000001", kind="stamp", stamps=1) for _ in range(n)])


@pytest.fixture
def till(hub, hub_engine, merchant, tmp_path):
    terminal, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
    with client:
        _push(client, terminal, _made(terminal, 2))
        yield terminal, client


def test_an_ordinary_code_cannot_claim_an_existing_till_id(hub, hub_engine, merchant, till, tmp_path):
    terminal, client = till
    code = admin.add_terminal(hub_engine, merchant.store_id, "Impostor").code
    with HubClient(hub.url) as anonymous, pytest.raises(HubRefused) as refused:
        anonymous.pair(code, terminal.terminal_id())
    assert (refused.value.status, refused.value.code) == (409, "terminal_already_paired")
    assert "loyalty-hub terminals recover" in refused.value.body.message
    assert client.pull(0).cursor > 0  # the real till keeps its access
    assert _push(client, terminal, _made(terminal, 1)).entries_through == 3
    with HubClient(hub.url) as anonymous:  # the code was not used up: a new till can take it
        assert anonymous.pair(code, TerminalDouble(tmp_path / "new.db").terminal_id()).token


def test_a_recovery_code_rebinds_only_its_own_till_and_ends_the_old_token(hub, hub_engine, merchant,
                                                                          till, tmp_path):
    terminal, old_client = till
    recovery = admin.recover_terminal(hub_engine, terminal.terminal_id()[:8])
    other = TerminalDouble(tmp_path / "other.db")
    with HubClient(hub.url) as anonymous:
        with pytest.raises(HubRefused) as wrong_till:
            anonymous.pair(recovery.code, other.terminal_id())
        assert (wrong_till.value.status, wrong_till.value.code) == (403, "pairing_code_other_terminal")
        token = anonymous.pair(recovery.code, terminal.terminal_id()).token
    with pytest.raises(HubRefused) as old:
        old_client.pull(0)
    assert old.value.status == 401
    with HubClient(hub.url, token) as client:  # the chain stays: the next entry continues it
        assert _push(client, terminal, _made(terminal, 1)).entries_through == 3


def _cli(hub_engine, *args: str) -> int:
    url = hub_engine.url.render_as_string(hide_password=False)
    return hub_cli(["--database-url", url, *args])


def test_revoking_a_till_ends_its_access_at_once_and_recovery_brings_it_back(hub, hub_engine, till, capsys):
    terminal, client = till
    assert _cli(hub_engine, "terminals", "revoke", terminal.terminal_id()[:8]) == 0
    assert "revoked" in capsys.readouterr().out
    assert _cli(hub_engine, "stores", "list") == 0
    assert f"{terminal.terminal_id()}  Till  entries through seq 2  REVOKED" in capsys.readouterr().out
    assert _cli(hub_engine, "terminals", "revoke", "ffffff") == 2
    assert "no paired terminal 'ffffff'" in capsys.readouterr().err
    for call in (lambda: client.pull(0), lambda: _push(client, terminal, _made(terminal, 1))):
        with pytest.raises(HubRefused) as refused:
            call()
        assert (refused.value.status, refused.value.code) == (401, "terminal_revoked")
        assert "recover" in refused.value.body.message
    assert _cli(hub_engine, "terminals", "recover", terminal.terminal_id()) == 0
    code = re.search(r"recovery code: (\S+)", capsys.readouterr().out).group(1)
    with HubClient(hub.url) as anonymous:
        token = anonymous.pair(code, terminal.terminal_id()).token
    with HubClient(hub.url, token) as again:  # its unsent entry goes up with the new token
        assert again.push(PushRequest(v=PROTOCOL_VERSION, terminal_id=terminal.terminal_id(),
                                      entries=terminal.outbox(10).entries)).entries_through == 3


def test_revoking_an_owner_token_ends_it_at_once(hub, hub_engine, merchant, capsys):
    second = admin.add_owner_token(hub_engine, merchant.merchant_id)
    headers = {"Authorization": f"Bearer {second}"}
    assert httpx.get(f"{hub.url}/api/v1/stats", headers=headers).status_code == 200
    assert _cli(hub_engine, "tokens", "list") == 0
    listed = capsys.readouterr().out
    ids = re.findall(r"^([0-9a-f]{12})\s", listed, re.M)
    assert len(ids) == 2 and "active" in listed
    token_id = admin.owner_token_id(second)
    assert token_id in ids
    assert _cli(hub_engine, "tokens", "revoke", token_id[:8]) == 0
    refused = httpx.get(f"{hub.url}/api/v1/stats", headers=headers)
    assert refused.status_code == 401 and refused.json()["code"] == "unauthorized"
    first = {"Authorization": f"Bearer {merchant.owner_token}"}
    assert httpx.get(f"{hub.url}/api/v1/stats", headers=first).status_code == 200  # the other one works
    assert _cli(hub_engine, "tokens", "revoke", "abc") == 2  # too short to name one token
    assert "at least 6" in capsys.readouterr().err


def test_the_owner_api_revokes_and_recovers_tills_and_revokes_tokens(hub, hub_engine, merchant, till):
    terminal, client = till
    owner = {"Authorization": f"Bearer {merchant.owner_token}"}
    tid = terminal.terminal_id()
    revoked = httpx.post(f"{hub.url}/api/v1/terminals/{tid}/revoke", headers=owner)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    with pytest.raises(HubRefused) as refused:
        client.pull(0)
    assert refused.value.code == "terminal_revoked"
    stores = httpx.get(f"{hub.url}/api/v1/stores", headers=owner).json()
    assert stores[0]["terminals"][0]["revoked_at"] == revoked.json()["revoked_at"]
    recovered = httpx.post(f"{hub.url}/api/v1/terminals/{tid}/recover", headers=owner)
    assert recovered.status_code == 200
    with HubClient(hub.url) as anonymous:
        assert anonymous.pair(recovered.json()["code"], tid).token
    unknown = httpx.post(f"{hub.url}/api/v1/terminals/00000000-0000-4000-8000-000000000000/revoke",
                         headers=owner)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "terminal_not_found")

    second = admin.add_owner_token(hub_engine, merchant.merchant_id)
    listed = httpx.get(f"{hub.url}/api/v1/tokens", headers=owner).json()
    assert {t["token_id"] for t in listed} >= {admin.owner_token_id(second)}
    gone = httpx.post(f"{hub.url}/api/v1/tokens/{admin.owner_token_id(second)}/revoke", headers=owner)
    assert gone.status_code == 200
    assert httpx.get(f"{hub.url}/api/v1/stats",
                     headers={"Authorization": f"Bearer {second}"}).status_code == 401


def test_another_merchants_owner_cannot_revoke_a_till(hub, hub_engine, till):

    terminal, client = till
    stranger = make_merchant(hub_engine, "Other shop")
    answer = httpx.post(f"{hub.url}/api/v1/terminals/{terminal.terminal_id()}/revoke",
                        headers={"Authorization": f"Bearer {stranger.owner_token}"})
    assert answer.status_code == 404
    assert client.pull(0).cursor > 0


def test_failed_pairing_attempts_are_limited_per_address(hub, hub_engine, merchant, tmp_path):
    with HubClient(hub.url) as anonymous:  # pairing many tills is not guessing: none of these count
        for n in range(12):
            code = admin.add_terminal(hub_engine, merchant.store_id, f"Till {n}").code
            assert anonymous.pair(code, TerminalDouble(tmp_path / f"t{n}.db").terminal_id()).token
    terminal_id = TerminalDouble(tmp_path / "t.db").terminal_id()
    with HubClient(hub.url) as anonymous:
        for _ in range(10):
            with pytest.raises(HubRefused) as wrong:
                anonymous.pair("ABCDE-FGHJK", terminal_id)
            assert wrong.value.code == "pairing_code_invalid"
    good = admin.add_terminal(hub_engine, merchant.store_id, "Till").code
    answer = httpx.post(f"{hub.url}/sync/v1/pair",
                        json={"v": PROTOCOL_VERSION, "code": good, "terminal_id": terminal_id})
    assert answer.status_code == 429
    assert answer.json()["code"] == "too_many_pairing_attempts"
    assert 1 <= int(answer.headers["Retry-After"]) <= 600
    with HubClient(hub.url) as anonymous, pytest.raises(HubUnavailable) as later:
        anonymous.pair(good, terminal_id)  # the client treats it as "try again later"
    assert later.value.retry_after is not None
    owner = {"Authorization": f"Bearer {merchant.owner_token}"}
    assert httpx.get(f"{hub.url}/api/v1/stats", headers=owner).status_code == 200  # others unaffected


def test_a_revoked_till_shows_a_clear_status_and_keeps_its_data(hub, hub_engine, merchant, tmp_path):
    term = RealTerminal.founded(tmp_path / "till")
    try:
        term.pair(hub.url, hub_engine, merchant.store_id)
        code = term.enroll("Ann")
        term.sync()
        admin.revoke_terminal(hub_engine, term.terminal_id)
        term.earn(code)  # works offline-style: the till keeps working and keeps its data
        term.link = SyncLink(term.services)
        seen = []
        term.link.add_listener(seen.append)
        assert term.link.start()
        wait_for(lambda: any(s.state is SyncState.ERROR for s in seen), what="a refused sync")
        status = term.link.status
        assert status.state is SyncState.ERROR
        assert status.last_error.startswith("The owner has ended this till's access to the hub")
        assert seen[-1].last_error == status.last_error
        assert term.balance(code)[1] > 0
        term.link.stop()
        term.link = None
        # The owner lets it back in: a recovery code, entered as for the first pairing.
        pair_existing(term.services, hub.url, admin.recover_terminal(hub_engine, term.terminal_id).code)
        term.sync()
        owner = {"Authorization": f"Bearer {merchant.owner_token}"}
        held = httpx.get(f"{hub.url}/api/v1/cards/{code}", headers=owner).json()
        assert held["card"]["points"] == term.balance(code)[1]  # the earn made while revoked arrived
    finally:
        term.close()


def test_upgrade_from_schema_3_adds_recovery_and_revocation(hub_engine, merchant):
    import sqlalchemy as sa

    from sync.hub.migrations import SCHEMA_VERSION, migrate, schema_version
    from sync.hub.schema import hub_schema

    with hub_engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE pairings DROP COLUMN recover_terminal_id"))
        conn.execute(sa.text("ALTER TABLE terminals DROP COLUMN revoked_at"))
        conn.execute(sa.update(hub_schema).values(version=3))
    assert migrate(hub_engine) == 3
    with hub_engine.connect() as conn:
        assert schema_version(conn) == SCHEMA_VERSION >= 4
    pairing = admin.add_terminal(hub_engine, merchant.store_id, "Till")
    assert pairing.code  # the upgraded tables take new rows
