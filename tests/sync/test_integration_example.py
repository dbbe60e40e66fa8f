"""docs/examples/post_orders.py against the real hub over loopback: running it twice writes once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from real_terminal import RealTerminal

from sync.hub import integration_credentials
from sync.hub.schema import balances, entries

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "examples" / "post_orders.py"


def _run(hub_url: str, credential: str, csv_file: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LOYALTY_INTEGRATION_CREDENTIAL": credential}
    return subprocess.run([sys.executable, str(SCRIPT), "--hub", hub_url, "--source", "register-1", str(csv_file)],
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def till_card(hub, hub_engine, merchant, tmp_path):
    till = RealTerminal.founded(tmp_path / "till")
    till.pair(hub.url, hub_engine, merchant.store_id, "Till A")
    card = till.enroll("Ann")
    till.sync()
    yield till, card
    till.close()


def test_posting_a_csv_twice_earns_and_refunds_once(hub, hub_engine, merchant, till_card, tmp_path):
    till, card = till_card
    credential = integration_credentials.create(hub_engine, merchant.merchant_id, "register", "write").secret
    csv_file = tmp_path / "orders.csv"
    csv_file.write_text("order_id,card,amount,refund_id\n"
                        f"R-1,{card},1500,\n"
                        f"R-2,{card},2500,\n"
                        f"R-2,{card},1000,r1\n", encoding="utf-8")
    first = _run(hub.url, credential, csv_file)
    assert first.returncode == 0, first.stderr
    state = _state(hub_engine, card)
    second = _run(hub.url, credential, csv_file)
    assert second.returncode == 0, second.stderr
    assert _state(hub_engine, card) == state
    assert first.stdout == second.stdout  # the hub answered the first answers again
    till.sync()
    assert till.balance(card)[1] == state[1] > 0


def test_refused_rows_and_bad_files_are_reported(hub, hub_engine, merchant, till_card, tmp_path):
    _, card = till_card
    credential = integration_credentials.create(hub_engine, merchant.merchant_id, "register", "write").secret
    csv_file = tmp_path / "orders.csv"
    csv_file.write_text(f"order_id,card,amount\nS-1,{card},1\n", encoding="utf-8")
    refused = _run(hub.url, credential, csv_file)
    assert refused.returncode == 1 and "AMOUNT_BELOW_MINIMUM" in refused.stderr
    csv_file.write_text("order,amount\n1,2\n", encoding="utf-8")
    bad = _run(hub.url, credential, csv_file)
    assert bad.returncode == 2 and "order_id,card,amount" in bad.stderr
    assert _run(hub.url, "nope", csv_file).returncode == 2


def _state(engine, card: str) -> tuple[int, int]:
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(entries).where(entries.c.card == card)).scalar_one()
        points = conn.execute(sa.select(balances.c.points).where(balances.c.card == card)).scalar_one()
    return count, points
