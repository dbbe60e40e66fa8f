"""The console's card actions reach a real till by pull: a real till (open_services, its own
SQLite) pairs with the real hub over loopback and syncs; the owner adjusts, blocks and replaces
in the console; the till's next sync shows the new balance, status and replacement.

Runs on SQLite and (with LOYALTY_TEST_PG_URL) PostgreSQL.
"""

from __future__ import annotations

from console_helpers import add_owner, client, sign_in
from real_terminal import RealTerminal
from test_console_cards import OWNER, confirm, post

from sync.hub.app import create_app


def test_console_adjust_block_and_replace_reach_a_real_till(hub, hub_engine, merchant, tmp_path):
    till = RealTerminal.founded(tmp_path / "till")
    add_owner(hub_engine, merchant.merchant_id, OWNER)
    try:
        till.pair(hub.url, hub_engine, merchant.store_id, "Front till")
        till.services.owner.set_tiers(till.grant(), till.program_id(), [("Silver", 1, 100), ("Gold", 100_000, 150)])
        code = till.enroll("Ana Lima")
        till.earn(code, 1200)
        till.sync()
        stamps, points = till.balance(code)
        assert points > 0
        with client(create_app(hub_engine, run_migrations=False)) as web:
            assert sign_in(web, OWNER).status_code == 303
            page = web.get(f"/console/cards/{code}").text
            assert "Front till · Olga" in page                 # the till's and the staff member's names
            assert "Silver" in page and "Gold" not in page   # the tier from the till's program and earnings
            asked = post(web, f"/console/cards/{code}/adjust", {"points": "50", "reason": "sorry for the wait"})
            assert f"Ana Lima: {points} → {points + 50} points" in asked.text
            assert confirm(web, asked).status_code == 303

            till.sync()
            assert till.balance(code) == (stamps, points + 50)

            assert confirm(web, post(web, f"/console/cards/{code}/status",
                                     {"status": "blocked", "reason": "lost on the bus"})).status_code == 303
            till.sync()
            assert till.services.counter.card(code).status == "blocked"

            done = confirm(web, post(web, f"/console/cards/{code}/replace",
                                     {"new_code": "", "reason": "lost on the bus"}))
            new = done.headers["location"].split("/")[-1].split("?")[0]
        till.sync()
        assert till.balance(new) == (stamps, points + 50)
        assert till.balance(code) == (0, 0)
        assert till.services.counter.card(new).holder == "Ana Lima"
    finally:
        till.close()
