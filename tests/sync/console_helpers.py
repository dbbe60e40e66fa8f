"""Helpers for the console tests: a cheap password hasher, signed-in test clients, a till's data."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy.engine import Engine
from sync_helpers import pair_terminal

from sync.hub import owners
from sync.syncer import Syncer

with warnings.catch_warnings():
    # This Starlette asks for its httpx fork (httpx2) and warns when it runs on httpx; the
    # client behaves the same, and the project's HTTP client is httpx.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

# The real-browser tests drive Debian's Chromium by its path (never 'playwright install').
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PASSWORD = "correct horse battery"
OWNER_EMAIL = "owner@corner.example"  # the owner the ``web`` fixture (conftest.py) signs in as
# Argon2id still, with a small cost: the tests sign in dozens of times on a shared machine.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def client(app) -> TestClient:
    # https: the session cookie is Secure, and a cookie jar sends it over https only.
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def sign_in(web: TestClient, email: str, password: str = PASSWORD, code: str = "") -> object:
    page = web.get("/console/sign-in")
    return web.post("/console/sign-in", data={"email": email, "password": password, "code": code,
                                              "csrf": csrf_of(page.text)})


def form_csrf(web: TestClient, path: str = "/console/dashboard") -> str:
    page = web.get(path)
    assert page.status_code == 200, page.text
    return csrf_of(page.text)


def add_owner(engine: Engine, merchant_id: str, email: str) -> owners.Account:
    return owners.add_owner(engine, merchant_id, email, PASSWORD)


def till_with_history(hub_url: str, engine: Engine, store_id: str, path: Path) -> tuple[str, str]:
    """A paired till that enrolled a card for Siti, stamped it, earned and spent points, and synced.

    Returns (terminal id, card code).
    """
    terminal, hub_client = pair_terminal(hub_url, engine, store_id, path, name="Front till")
    try:
        code = terminal.enroll(holder="Siti Rahayu")
        terminal.stamp(code, 3)
        terminal.earn(code, 120, 12000)
        terminal.redeem(code, 50)
        Syncer(terminal, hub_client).sync_once()
        return terminal.terminal_id(), code
    finally:
        hub_client.close()
        terminal.close()


def double_spend(hub_url: str, engine: Engine, store_id: str, tmp_path: Path) -> str:
    """Two tills, both offline, let the same 100 points go twice (80 each); the hub flags the card."""
    a, client_a = pair_terminal(hub_url, engine, store_id, tmp_path / "a.db", "Till A")
    b, client_b = pair_terminal(hub_url, engine, store_id, tmp_path / "b.db", "Till B")
    try:
        sync_a, sync_b = Syncer(a, client_a), Syncer(b, client_b)
        card = a.enroll(holder="Budi")
        a.earn(card, points=100, amount=1000)
        sync_a.sync_once()
        sync_b.sync_once()
        a.redeem(card, 80)
        b.redeem(card, 80)
        sync_a.sync_once()
        sync_b.sync_once()
        return card
    finally:
        for closing in (client_a, client_b, a, b):
            closing.close()
