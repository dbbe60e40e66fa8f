"""Nothing a caller sends can exhaust the hub or break a read (issue 12, items 1, 2 and 6).

A real hub over loopback: request bodies are capped in the hub itself
(413 before the body is read whole), and free-form JSON in records (program
settings, audit details) has depth and size limits, so one till cannot store
a record the hub then fails to serve to every other till.
"""

from __future__ import annotations

import json
import socket
import time

import httpx
import pytest
from conftest import HubServer
from sync_helpers import pair_terminal

from sync.hub.app import HubLimits, create_app
from sync.protocol import MAX_JSON_DEPTH, PROTOCOL_VERSION, PushRequest

FIFTY_MB = 50 * 1024 * 1024


def _deep(levels: int) -> dict:
    value: dict = {"stamps_target": 10}
    for _ in range(levels - 1):
        value = {"tiers": value}
    return value


def _program(settings: dict) -> dict:
    return {"program_id": "deep", "name": "Deep", "kind": "stamps", "settings": settings,
            "updated_at": "2026-01-01T00:00:00.000000Z"}


def test_a_50_mb_pair_body_is_refused_from_its_content_length_without_reading_it(hub):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", hub.port), timeout=10) as sock:
        sock.sendall(b"POST /sync/v1/pair HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {FIFTY_MB}\r\n\r\n".encode())
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    refusal = json.loads(body)
    assert refusal["code"] == "body_too_large"
    assert "8 MB" in refusal["message"]  # the default limit, named
    assert time.monotonic() - started < 5  # not a single body byte was sent or awaited


class _CountingApp:
    """Counts the body bytes the hub app takes from the server (what it could have buffered)."""

    def __init__(self, app) -> None:
        self.app = app
        self.taken = 0

    async def __call__(self, scope, receive, send) -> None:
        async def counted():
            message = await receive()
            self.taken += len(message.get("body", b""))
            return message

        await self.app(scope, counted, send)


def test_a_streamed_body_without_length_is_cut_off_at_the_limit(hub_engine, monkeypatch):

    limit = 1024 * 1024
    counting: list[_CountingApp] = []

    def factory(engine):
        counting.append(_CountingApp(create_app(engine, limits=HubLimits(max_body_bytes=limit))))
        return counting[0]

    monkeypatch.setitem(HubServer.start.__globals__, "create_app", factory)  # the module, whatever it is named
    sent = 0

    def body():  # 50 MB in 64 KiB chunks, made only as fast as the hub reads
        nonlocal sent
        chunk = b"[" + b" " * 65534 + b"]"
        while sent < FIFTY_MB:
            sent += len(chunk)
            yield chunk

    with HubServer(hub_engine) as hub, httpx.Client(timeout=20) as client:
        answer = client.post(f"{hub.url}/sync/v1/pair", content=body(),
                             headers={"Content-Type": "application/json"})
        assert answer.status_code == 413
        assert answer.json()["code"] == "body_too_large"
        assert client.get(f"{hub.url}/health").status_code == 200  # the hub serves on
    assert counting[0].taken <= limit + 256 * 1024  # stopped reading at the limit (one socket read past)
    assert sent < 20 * 1024 * 1024  # and the sender was stopped early (kernel buffers aside)


def test_a_full_syncer_batch_fits_under_the_default_limit(hub, hub_engine, merchant, tmp_path):
    # A syncer batch (1000 records a stream, reasons and audit details filled) is well under the cap.
    terminal, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
    with client:
        terminal.record([dict(card="0000000001", kind="adjust", stamps=1, reason="r" * 200)
                         for _ in range(1000)])
        for _ in range(1000):
            terminal.audit("stamp", {"card": "0000000001", "note": "n" * 200})
        outbox = terminal.outbox(1000)
        request = PushRequest(v=PROTOCOL_VERSION, terminal_id=terminal.terminal_id(),
                              entries=outbox.entries, audit=outbox.audit)
        size = len(request.model_dump_json())
        assert 1024 * 1024 < size < HubLimits().max_body_bytes / 2
        assert client.push(request).entries_through == 1000


def test_the_syncer_halves_its_batches_until_they_fit_the_cap(hub_engine, merchant, monkeypatch, tmp_path):

    from sync.syncer import Syncer

    def factory(engine):
        return create_app(engine, limits=HubLimits(max_body_bytes=64 * 1024))

    monkeypatch.setitem(HubServer.start.__globals__, "create_app", factory)  # the module, whatever it is named
    with HubServer(hub_engine) as hub:
        terminal, client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "t.db")
        with client:
            terminal.record([dict(card="0000000001", kind="stamp", stamps=1) for _ in range(400)])
            syncer = Syncer(terminal, client, batch_size=400)
            status = syncer.sync_once()  # ~250 kB at first
    assert syncer._batch_size < 400  # it met the 413 and sent smaller batches
    assert status.pending == 0 and status.last_error is None
    assert terminal.acked()[0] == 400


@pytest.fixture
def two_tills(hub, hub_engine, merchant, tmp_path):
    a, a_client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "a.db", "Till A")
    b, b_client = pair_terminal(hub.url, hub_engine, merchant.store_id, tmp_path / "b.db", "Till B")
    yield (a, a_client), (b, b_client)
    a_client.close()
    b_client.close()


def _raw_push(hub_url: str, client, terminal, **streams) -> httpx.Response:
    token = client._http.headers["Authorization"]
    body = {"v": PROTOCOL_VERSION, "terminal_id": terminal.terminal_id(), **streams}
    return httpx.post(f"{hub_url}/sync/v1/push", json=body, headers={"Authorization": token}, timeout=20)


def test_deeply_nested_program_settings_are_refused_and_pulls_keep_working(hub, two_tills):
    (a, a_client), (_b, b_client) = two_tills
    refused = _raw_push(hub.url, a_client, a, programs=[_program(_deep(500))])
    assert refused.status_code == 422
    body = refused.json()
    assert (body["code"], body["stream"]) == ("free_form_limit", "programs")
    assert f"at most {MAX_JSON_DEPTH}" in body["message"]

    page = b_client.pull(0)  # would be a 500 for every till if the record had been stored
    assert all(p.program_id != "deep" for p in page.programs)

    deepest = _deep(MAX_JSON_DEPTH)
    assert _raw_push(hub.url, a_client, a, programs=[_program(deepest)]).status_code == 200
    served = {p.program_id: p for p in b_client.pull(0).programs}
    assert served["deep"].settings == deepest


def test_oversized_program_settings_are_refused(hub, two_tills):
    (a, a_client), _ = two_tills
    huge = {f"reward_{i}": "x" * 400 for i in range(400)}  # about 170 kB
    refused = _raw_push(hub.url, a_client, a, programs=[_program(huge)])
    assert refused.status_code == 422
    assert refused.json()["code"] == "free_form_limit"


def test_deeply_nested_audit_details_are_refused(hub, two_tills):
    (a, a_client), _ = two_tills
    event = {"event_id": "00000000-0000-4000-8000-000000000001", "terminal_id": a.terminal_id(),
             "seq": 1, "kind": "login", "staff_id": None, "subject": None,
             "details": json.dumps(_deep(200)), "at": "2026-01-01T00:00:00.000000Z",
             "prev_hash": "0" * 64, "hash": "0" * 64}
    refused = _raw_push(hub.url, a_client, a, audit=[event])
    assert refused.status_code == 422
    assert (refused.json()["code"], refused.json()["stream"]) == ("free_form_limit", "audit")


def test_json_nested_past_the_parser_is_a_client_error_not_a_crash(hub, two_tills):
    (_, a_client), _ = two_tills
    token = a_client._http.headers["Authorization"]
    nested = b'{"v":1,"programs":' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    answer = httpx.post(f"{hub.url}/sync/v1/push", content=nested, timeout=20,
                        headers={"Authorization": token, "Content-Type": "application/json"})
    assert 400 <= answer.status_code < 500


def test_a_poisoned_program_stored_before_the_limits_no_longer_breaks_pulls(hub, hub_engine, merchant,
                                                                             two_tills, caplog):
    import sqlalchemy as sa

    from sync.hub.schema import programs

    (a, _), (_b, b_client) = two_tills
    with hub_engine.begin() as conn:  # what a hub without the limits stored from a 500-deep push
        conn.execute(sa.insert(programs).values(
            merchant_id=merchant.merchant_id, program_id="deep", name="Deep", kind="stamps",
            settings=json.dumps(_deep(500)), updated_at="2026-01-01T00:00:00.000000Z",
            origin_terminal_id=a.terminal_id(), change_id=1))
    page = b_client.pull(0)
    assert [p.program_id for p in page.programs] == []
    assert "program 'deep'" in caplog.text and "is not served" in caplog.text
