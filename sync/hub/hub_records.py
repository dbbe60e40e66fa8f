"""Cards, programs and staff changed at the hub itself: the console's edits.

A till's change to a record wins by its version (``updated_at``, origin
till). A change made here takes the merchant's hub author (hub_chain.py) as
its origin and a time later than the version it replaces, so it wins over
what the owner saw, and it reaches the tills on their next pull like any
change (a new ``change_id``). ``changed_by`` keeps the owner's e-mail, so the
console can show who made each change and when; a till's later change clears
it (its till and store then say who).

Every record is checked by its wire model before it is stored: the hub never
stores what it could not serve back.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import Connection

from sync.hub.admin import utc_iso
from sync.hub.db import ChangeCounter
from sync.hub.hub_chain import hub_author
from sync.hub.schema import cards, programs, staff
from sync.protocol import Card, ProgramSettings, Staff

HubRecord = Card | ProgramSettings | Staff

_TABLES: dict[type, tuple[sa.Table, str]] = {
    Card: (cards, "code"),
    ProgramSettings: (programs, "program_id"),
    Staff: (staff, "staff_id"),
}


def stored(conn: Connection, merchant_id: str, kind: type[HubRecord], ident: str) -> HubRecord | None:
    """The hub's current version of one record, as the wire model (None when there is none)."""
    table, key = _TABLES[kind]
    row = conn.execute(sa.select(table).where(table.c.merchant_id == merchant_id, table.c[key] == ident)
                       ).mappings().one_or_none()
    if row is None:
        return None
    values = {name: row[name] for name in kind.model_fields}
    if kind is ProgramSettings:
        values["settings"] = json.loads(values["settings"])
    return kind.model_validate(values)


def write(conn: Connection, counter: ChangeCounter, key: Ed25519PrivateKey, record: HubRecord,
          changed_by: str, store_id: str | None = None, now: datetime | None = None) -> HubRecord:
    """Store ``record`` as the hub's change by ``changed_by`` inside a write transaction holding
    ``counter``; returns it with the version it was stored under.

    ``store_id`` is required for a new staff member (staff belong to a store).
    """
    table, key_name = _TABLES[type(record)]
    ident = getattr(record, key_name)
    author = hub_author(conn, counter.merchant_id, key)
    current = conn.execute(sa.select(table.c.updated_at).where(table.c.merchant_id == counter.merchant_id,
                                                               table.c[key_name] == ident)).scalar_one_or_none()
    version = utc_iso(now)
    if current is not None and version <= current:
        # A till's clock ran ahead: still later than the version the owner replaces.
        version = utc_iso(datetime.fromisoformat(current.replace("Z", "+00:00")) + timedelta(microseconds=1))
    record = type(record).model_validate({**record.model_dump(), "updated_at": version})
    values: dict[str, Any] = {name: getattr(record, name) for name in type(record).model_fields
                              if name != key_name}
    if isinstance(record, ProgramSettings):
        values["settings"] = json.dumps(record.settings, sort_keys=True, separators=(",", ":"),
                                        ensure_ascii=False)
    values.update(origin_terminal_id=author["terminal_id"], origin_store_id=None, changed_by=changed_by,
                  change_id=counter.take())
    if current is None:
        if isinstance(record, Staff):
            if store_id is None:
                raise ValueError("a new staff member needs the store they work at")
            values["store_id"] = store_id
        conn.execute(sa.insert(table).values(merchant_id=counter.merchant_id, **{key_name: ident}, **values))
    else:
        conn.execute(sa.update(table).where(table.c.merchant_id == counter.merchant_id,
                                            table.c[key_name] == ident).values(**values))
    return record
