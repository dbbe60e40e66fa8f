"""The console's staff page through FastAPI's test client, on the real hub app and database
(SQLite, and PostgreSQL with LOYALTY_TEST_PG_URL): list, add, deactivate, reactivate, ask for a new PIN."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
from conftest import make_merchant
from console_helpers import client, form_csrf

from sync.hub import console_staff
from sync.hub.console import i18n
from sync.hub.schema import staff
from sync.unset_pin import is_unset_pin_hash


def _rows(engine):
    with engine.connect() as conn:
        return {r["name"]: dict(r) for r in conn.execute(sa.select(staff)).mappings()}


def _add(web, store_id, name, role="cashier"):
    return web.post(f"/console/stores/{store_id}/staff",
                    data={"name": name, "role": role, "csrf": form_csrf(web, "/console/staff")})


def test_staff_page_needs_sign_in_and_opens_in_both_languages(app, web):
    with client(app) as stranger:
        assert stranger.get("/console/staff").headers["location"].startswith("/console/sign-in?next=/console/staff")
    english = web.get("/console/staff")
    indonesian = web.get("/console/staff", headers={"Accept-Language": "id"})
    assert english.status_code == indonesian.status_code == 200
    assert "Add a staff member" in english.text and "Tambah staf" in indonesian.text


def test_add_force_reset_deactivate_and_reactivate(web, hub_engine, merchant):
    store = merchant.store_id
    added = _add(web, store, "  Sam   Lee ")
    assert (added.status_code, added.headers["location"]) == (303, "/console/staff?notice=staff_added")
    sam = _rows(hub_engine)["Sam Lee"]
    assert (sam["store_id"], sam["role"], sam["active"], sam["pin_reset_required"], sam["changed_by"]) == (
        store, "cashier", True, True, "owner@corner.example")
    assert is_unset_pin_hash(sam["pin_hash"])
    page = web.get("/console/staff").text
    assert "Sam Lee" in page and "No PIN yet" in page and "owner@corner.example" in page
    base = f"/console/stores/{store}/staff/{sam['staff_id']}"
    versions = [sam["updated_at"]]
    for action, field, value in (("deactivate", "active", False), ("reactivate", "active", True),
                                 ("reset-pin", "pin_reset_required", True)):
        answer = web.post(f"{base}/{action}", data={"csrf": form_csrf(web, "/console/staff")})
        assert answer.status_code == 303, answer.text
        row = _rows(hub_engine)["Sam Lee"]
        assert row[field] is value and row["updated_at"] > versions[-1]
        versions.append(row["updated_at"])


def test_a_form_without_csrf_or_with_bad_input_changes_nothing(web, hub_engine, merchant):
    store = merchant.store_id
    assert web.post(f"/console/stores/{store}/staff", data={"name": "Eve", "role": "cashier"}).status_code == 403
    for name, role, words in (("", "cashier", "1 to 80 characters"), ("x" * 81, "cashier", "1 to 80 characters"),
                              ("Eve\u202e", "cashier", "1 to 80 characters"), ("Eve", "manager", "Pick a role")):
        answer = _add(web, store, name, role)
        assert answer.status_code == 422 and words in answer.text, (name, role)
    assert _add(web, store, "Ann").status_code == 303
    taken = _add(web, store, "ann")
    assert taken.status_code == 422 and "already has an active staff member" in taken.text
    ann = _rows(hub_engine)["Ann"]
    owner = _add(web, store, "Olga", "owner")
    assert owner.status_code == 303
    olga = _rows(hub_engine)["Olga"]
    last = web.post(f"/console/stores/{store}/staff/{olga['staff_id']}/deactivate",
                    data={"csrf": form_csrf(web, "/console/staff")})
    assert last.status_code == 422 and "only active owner" in last.text
    assert web.post(f"/console/stores/{store}/staff/{ann['staff_id']}/deactivate", data={}).status_code == 403
    assert web.post(f"/console/stores/{store}/staff/{ann['staff_id']}/delete",
                    data={"csrf": form_csrf(web, "/console/staff")}).status_code == 404
    assert set(_rows(hub_engine)) == {"Ann", "Olga"}
    assert _rows(hub_engine)["Ann"] == ann and _rows(hub_engine)["Olga"] == olga


def test_another_merchants_staff_and_another_stores_staff_are_404(app, web, hub_engine, merchant):
    other = make_merchant(hub_engine, "Other shop", "Their store")
    theirs = console_staff.add_member(hub_engine, app.state.hub_key(), other.merchant_id, other.store_id,
                                      "Tia", "cashier", "them@other.example")
    assert _add(web, other.store_id, "Intruder").status_code == 404
    csrf = form_csrf(web, "/console/staff")
    for store in (other.store_id, merchant.store_id):   # their store, or theirs named under mine
        answer = web.post(f"/console/stores/{store}/staff/{theirs.staff_id}/deactivate", data={"csrf": csrf})
        assert answer.status_code == 404
    assert "Tia" not in web.get("/console/staff").text
    rows = _rows(hub_engine)
    assert set(rows) == {"Tia"} and rows["Tia"]["active"] is True


def test_every_refusal_is_worded_in_both_languages():
    source = Path(console_staff.__file__).read_text(encoding="utf-8")
    keys = set(re.findall(r'StaffRefused\("([a-z_]+)"\)', source))
    assert keys and keys <= set(i18n.MESSAGES["en"]) and keys <= set(i18n.MESSAGES["id"])
