"""A real till's lockout, void and adjustment reach the console's audit log through a real sync."""

from __future__ import annotations

import re

import pytest
from console_helpers import add_owner, client, sign_in
from real_terminal import CASHIER, OWNER, RealTerminal

from sync.hub.app import create_app
from terminal.domain.errors import ErrorCode, LoyaltyError


def _kinds(html: str) -> list[str]:
    return re.findall(r"<td data-label=\"What\"><span><strong>([^<]+)</strong>", html)


def test_a_lockout_a_void_and_an_adjustment_at_a_real_till_reach_the_audit_log(hub, hub_engine, merchant, tmp_path):
    term = RealTerminal.founded(tmp_path / "a")
    try:
        term.pair(hub.url, hub_engine, merchant.store_id, "Front till")
        carl = term.add_cashier()
        code = term.enroll("Ann")
        term.earn(code, 1000)
        earned = term.services.owner.last_entry(code)
        assert earned is not None
        term.services.owner.void(term.grant(), earned.entry_id, "Wrong card scanned")
        term.services.owner.adjust(term.grant(), code, 15, "Goodwill for a late order")
        locked = False
        for _ in range(20):   # wrong PINs until the till locks Carl out
            with pytest.raises(LoyaltyError) as refused:
                term.services.auth.verify_pin(carl, "0000")
            if refused.value.code is not ErrorCode.PIN_INVALID:
                locked = True
                break
        assert locked
        term.sync()
    finally:
        term.close()

    owner = add_owner(hub_engine, merchant.merchant_id, "owner@corner.example")
    with client(create_app(hub_engine, run_migrations=False)) as web:
        assert sign_in(web, owner.email).status_code == 303
        page = web.get("/console/audit").text
        kinds = _kinds(page)
        assert {"Wrong PIN", "Locked out", "Void", "Adjustment"} <= set(kinds)
        assert "Wrong card scanned" in page and "Goodwill for a late order" in page
        assert f"about {CASHIER[0]}" in page and OWNER[0] in page
        assert "Main · Front till" in page and f'href="/console/cards/{code}"' in page
        # each row in the store's time zone (the till's founding zone, Europe/Berlin: CET in March)
        assert re.search(r"2026-03-10 \d\d:\d\d CET", page)

        lockouts = web.get(f"/console/audit?kind=lockouts&staff={carl}").text
        assert set(_kinds(lockouts)) == {"Wrong PIN", "Locked out"}
        assert f"about {CASHIER[0]}" in lockouts and "Void" not in _kinds(lockouts)
        voids = web.get(f"/console/audit?kind=voids&card={code}").text
        assert _kinds(voids) == ["Void"] and "-100 points" in voids
        adjustments = web.get("/console/audit?kind=adjustments").text
        assert _kinds(adjustments) == ["Adjustment"] and "+15 points" in adjustments and OWNER[0] in adjustments
