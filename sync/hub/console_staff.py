"""Staff as the console changes them: per store list, add, deactivate or reactivate, ask for a new PIN.

The hub never sees a PIN. A member added here gets a hash that no PIN
matches (sync/unset_pin.py) and ``pin_reset_required``: at a till an owner
approves their first PIN. "Force a PIN reset" sets the same flag; the
member chooses a new PIN at their next sign-in at a till, which clears it.
Every change goes through hub_records.write (the owner's change wins,
reaches the store's tills by pull, names the owner).

A member belongs to one store (their PIN is keyed with that store's key):
each change names the store, and a member of another store, or of another
merchant, is not found.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from sync.hub import hub_records
from sync.hub.db import ChangeCounter, reading, writing
from sync.hub.schema import staff, store_profiles, stores, terminals
from sync.protocol import Staff
from sync.unset_pin import is_unset_pin_hash, unset_pin_hash

ROLES = ("cashier", "owner")
StaffAction = Literal["deactivate", "reactivate", "reset-pin"]
ACTIONS: tuple[StaffAction, ...] = ("deactivate", "reactivate", "reset-pin")


class StaffRefused(ValueError):
    """A change the console refuses; ``key`` names the words that say why (words/staff.py)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def store_staff(engine: Engine, merchant_id: str) -> list[dict[str, Any]]:
    """The merchant's stores, each with its staff: name, role, active, whether a new PIN is asked,
    whether they have a PIN at all, and the last change (an owner's e-mail or a till's name, when)."""
    with reading(engine) as conn:
        store_rows = conn.execute(
            sa.select(stores.c.store_id, stores.c.name, store_profiles.c.timezone)
            .outerjoin(store_profiles, store_profiles.c.store_id == stores.c.store_id)
            .where(stores.c.merchant_id == merchant_id).order_by(stores.c.name)).mappings().all()
        member_rows = conn.execute(
            sa.select(staff.c.staff_id, staff.c.store_id, staff.c.name, staff.c.role, staff.c.active,
                      staff.c.pin_hash, staff.c.pin_reset_required, staff.c.updated_at, staff.c.changed_by,
                      terminals.c.name.label("till_name"))
            .outerjoin(terminals, terminals.c.terminal_id == staff.c.origin_terminal_id)
            .where(staff.c.merchant_id == merchant_id)
            .order_by(sa.desc(staff.c.active), staff.c.name)).mappings().all()
    members: dict[str, list[dict[str, Any]]] = {}
    for row in member_rows:
        members.setdefault(row["store_id"], []).append({
            "staff_id": row["staff_id"], "name": row["name"], "role": row["role"], "active": row["active"],
            "no_pin_yet": is_unset_pin_hash(row["pin_hash"]), "pin_reset_required": row["pin_reset_required"],
            "updated_at": row["updated_at"], "changed_by": row["changed_by"], "till_name": row["till_name"]})
    return [{"store_id": s["store_id"], "name": s["name"], "timezone": s["timezone"] or "UTC",
             "staff": members.get(s["store_id"], [])} for s in store_rows]


def add_member(engine: Engine, key: Ed25519PrivateKey, merchant_id: str, store_id: str, name: str, role: str,
               changed_by: str) -> Staff | None:
    """A new member of ``store_id`` with no PIN yet (None when the store is not the merchant's)."""
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise StaffRefused("staff_name_invalid")
    if role not in ROLES:
        raise StaffRefused("staff_role_invalid")
    pin_hash = unset_pin_hash()  # Argon2 before the write lock is taken
    with writing(engine) as conn:
        counter = ChangeCounter(conn, merchant_id)
        if conn.execute(sa.select(stores.c.store_id).where(stores.c.store_id == store_id,
                                                           stores.c.merchant_id == merchant_id)).first() is None:
            return None
        taken = conn.execute(sa.select(staff.c.staff_id).where(
            staff.c.merchant_id == merchant_id, staff.c.store_id == store_id, staff.c.active.is_(sa.true()),
            sa.func.lower(staff.c.name) == name.lower())).first()
        if taken is not None:
            raise StaffRefused("staff_name_taken")
        try:
            member = Staff.model_validate({
                "staff_id": str(uuid.uuid4()), "name": name, "role": role, "active": True, "pin_hash": pin_hash,
                "updated_at": "2000-01-01T00:00:00.000000Z", "pin_reset_required": True})
        except ValidationError:
            raise StaffRefused("staff_name_invalid") from None
        made = hub_records.write(conn, counter, key, member, changed_by, store_id=store_id)
        counter.save()
    assert isinstance(made, Staff)
    return made


def change_member(engine: Engine, key: Ed25519PrivateKey, merchant_id: str, store_id: str, staff_id: str,
                  action: StaffAction, changed_by: str) -> Staff | None:
    """Deactivate, reactivate or ask for a new PIN (None when no such member works at that store)."""
    with writing(engine) as conn:
        counter = ChangeCounter(conn, merchant_id)
        at_store = conn.execute(sa.select(staff.c.staff_id).where(
            staff.c.merchant_id == merchant_id, staff.c.store_id == store_id,
            staff.c.staff_id == staff_id)).first()
        current = hub_records.stored(conn, merchant_id, Staff, staff_id) if at_store else None
        if not isinstance(current, Staff):
            return None
        if action == "deactivate":
            if current.role == "owner" and current.active and _active_owners(conn, merchant_id, store_id) <= 1:
                raise StaffRefused("staff_last_owner")
            update: dict[str, Any] = {"active": False}
        elif action == "reactivate":
            update = {"active": True}
        else:
            if not current.active:
                raise StaffRefused("staff_inactive")
            update = {"pin_reset_required": True}
        made = hub_records.write(conn, counter, key, current.model_copy(update=update), changed_by)
        counter.save()
    assert isinstance(made, Staff)
    return made


def _active_owners(conn: sa.Connection, merchant_id: str, store_id: str) -> int:
    return conn.execute(sa.select(sa.func.count()).select_from(staff).where(
        staff.c.merchant_id == merchant_id, staff.c.store_id == store_id, staff.c.active.is_(sa.true()),
        staff.c.role == "owner")).scalar_one()
