"""Guessing budgets shared by every hub process: console sign-ins (with TOTP) and pairing.

Two apps on one database stand for two ``serve --workers`` processes: they share one budget,
with the same refusal codes and Retry-After as before. A burst of concurrent attempts through
separate engines never takes more than the budget; and ``serve --workers 2`` on PostgreSQL shares
the pairing budget (and seals a clear secret left by an older hub as its workers start). SQLite
and, with ``LOYALTY_TEST_PG_URL``, PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from conftest import free_port
from console_helpers import PASSWORD, add_owner, client, sign_in
from sync_helpers import stop_served_hub, wait_for

from sync.hub import owners, secret_store
from sync.hub.app import create_app
from sync.hub.attempts import Attempts, Budget
from sync.hub.db import create_hub_engine, reading, writing
from sync.hub.limits import HubLimits
from sync.hub.schema import hub_attempts, owner_accounts
from sync.protocol import PROTOCOL_VERSION

ROOT = Path(__file__).resolve().parents[2]


def test_the_window_slides_and_attempts_are_given_back(hub_engine):
    now = [1_000_000.0]
    attempts, budget = Attempts(hub_engine, clock=lambda: now[0]), Budget("test", 2, 60)
    assert attempts.take((budget, "a")) == 0
    now[0] += 30
    assert attempts.take((budget, "a")) == 0
    assert attempts.take((budget, "a")) == 30 and attempts.wait_seconds(budget, "b") == 0
    now[0] += 30   # the first attempt leaves the window
    assert attempts.wait_seconds(budget, "a") == 0
    assert attempts.take((budget, "a")) == 0
    assert attempts.wait_seconds(budget, "a") == 30
    attempts.give_back(budget, "a")
    assert attempts.wait_seconds(budget, "a") == 0
    assert attempts.take((budget, "a")) == 0 and attempts.wait_seconds(budget, "a") == 30
    attempts.forget(budget, "a")
    assert attempts.wait_seconds(budget, "a") == 0
    now[0] += 3600
    assert attempts.take((budget, "c")) == 0
    with reading(hub_engine) as conn:   # nothing of "a" outlives its window once looked at again
        attempts.wait_seconds(budget, "a")
        rows = conn.execute(sa.select(sa.func.count()).select_from(hub_attempts)).scalar_one()
    assert rows <= 2


def test_a_spent_budget_counts_nothing_against_the_others(hub_engine):
    attempts = Attempts(hub_engine)
    tight, loose = Budget("tight", 1, 600), Budget("loose", 5, 600)
    assert attempts.take((tight, "x"), (loose, "y")) == 0
    assert attempts.take((tight, "x"), (loose, "y")) > 0
    for _ in range(4):   # "y" spent one try only: the refused take did not count
        assert attempts.take((loose, "y")) == 0
    assert attempts.take((loose, "y")) > 0


def test_concurrent_attempts_from_separate_processes_never_exceed_the_budget(hub_db_url, hub_engine):
    engines = [create_hub_engine(hub_db_url) for _ in range(2)]   # one per "worker process"
    budget, results, start = Budget("burst", 5, 600), [], threading.Barrier(16)

    def attempt(engine) -> None:
        start.wait()
        results.append(Attempts(engine).take((budget, "203.0.113.9")))

    threads = [threading.Thread(target=attempt, args=(engines[n % 2],)) for n in range(16)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for engine in engines:
            engine.dispose()
    assert len(results) == 16 and results.count(0) == budget.limit


def test_two_hub_processes_share_the_sign_in_budget_of_an_account(hub_engine, merchant):
    owner = add_owner(hub_engine, merchant.merchant_id, "owner@corner.example")
    secret = owners.new_totp_secret()
    owners.set_totp_secret(hub_engine, owner.account_id, secret)
    first, second = create_app(hub_engine, run_migrations=False), create_app(hub_engine, run_migrations=False)
    wrong_code = "000000" if owners.totp(secret) != "000000" else "111111"
    with client(first) as one, client(second) as two:
        for web in (one, two, one, two, one):   # five wrong TOTP codes, spread over both processes
            assert sign_in(web, owner.email, PASSWORD, code=wrong_code).status_code == 401
        for web in (one, two):   # per process each would still have tries left; shared, none
            blocked = sign_in(web, owner.email, PASSWORD, code=owners.totp(secret))
            assert blocked.status_code == 429 and "Too many sign-in attempts" in blocked.text
            assert 0 < int(blocked.headers["retry-after"]) <= 15 * 60


def test_a_successful_sign_in_costs_its_address_nothing(hub_engine, merchant):
    owner = add_owner(hub_engine, merchant.merchant_id, "owner@corner.example")
    first, second = create_app(hub_engine, run_migrations=False), create_app(hub_engine, run_migrations=False)
    for n in range(12):   # more than the address's 10 tries: none was a guess
        with client(first if n % 2 else second) as web:
            assert sign_in(web, owner.email).status_code == 303
    with client(first) as one, client(second) as two:
        for n in range(5):
            assert sign_in(one, f"nobody{n}@example.com", "wrong password!").status_code == 401
        for n in range(5, 10):
            assert sign_in(two, f"nobody{n}@example.com", "wrong password!").status_code == 401
        assert sign_in(one, owner.email).status_code == 429   # the address's ten guesses are spent


def _pair(web, code: str = "ABCDE-FGHJK"):
    return web.post("/sync/v1/pair", json={"v": PROTOCOL_VERSION, "code": code, "terminal_id": str(uuid.uuid4())})


def test_two_hub_processes_share_the_pairing_budget_of_an_address(hub_engine):
    limits = HubLimits(pairing_attempts=4)
    first, second = (create_app(hub_engine, run_migrations=False, limits=limits) for _ in range(2))
    with client(first) as one, client(second) as two:
        for web in (one, two, one, two):
            assert _pair(web).json()["code"] == "pairing_code_invalid"
        for web in (one, two):
            refused = _pair(web)
            assert refused.status_code == 429 and refused.json()["code"] == "too_many_pairing_attempts"
            assert 1 <= int(refused.headers["retry-after"]) <= limits.pairing_window_seconds


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="a POSIX host, as test_hub_workers.py")
@pytest.mark.parametrize("hub_db_url", ["postgresql"], indirect=True)
def test_serve_with_two_workers_seals_old_secrets_and_shares_the_pairing_budget(hub_db_url, hub_engine, merchant):
    owner = add_owner(hub_engine, merchant.merchant_id, "owner@corner.example")
    with writing(hub_engine) as conn:   # a clear TOTP secret, as a hub from before schema 20 kept it
        conn.execute(sa.update(owner_accounts).where(owner_accounts.c.account_id == owner.account_id)
                     .values(totp_secret=owners.new_totp_secret()))
    assert secret_store.clear_secrets_left(hub_engine) == 1
    port = free_port()
    hub_url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "sync.hub.cli", "--database-url", hub_db_url, "serve",
                             "--workers", "2", "--port", str(port), "--log-level", "warning",
                             "--db-connections", "8", "--pairing-attempts", "6", "--no-webhooks"],
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: _healthy(hub_url) or proc.poll() is not None, timeout=60, what="the hub to answer")
        assert proc.poll() is None, proc.communicate()
        codes = []
        for _ in range(8):   # a new connection each: the workers take them as they come
            with httpx.Client(base_url=hub_url, timeout=10) as web:
                codes.append(_pair(web).json()["code"])
        assert codes == ["pairing_code_invalid"] * 6 + ["too_many_pairing_attempts"] * 2
        wait_for(lambda: secret_store.clear_secrets_left(hub_engine) == 0, timeout=30, what="the sealing")
    finally:
        err = stop_served_hub(proc)
    assert proc.returncode == 0 and "Traceback" not in err, err


def _healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False
