"""Who may change which card, program and staff record, and in what form the hub keeps it.

Before the newest-version rule of ingest.py looks at a pushed record, each
one is screened here; a record that fails is set aside with its own code
(``PushResponse.refused``) while the rest of the push is stored, so one
record a till may not change never blocks its other work:

- ``record_forbidden``: a staff member belongs to the store whose till
  first pushed them (their PIN hash is keyed with that store's PIN key), so
  only tills of that store change them. A program (with its tiers and
  rewards, which travel in its settings) may be changed only from the
  stores allowed for it: the store that created it, and whichever others
  the owner allows (``loyalty-hub programs allow PROGRAM STORE``, or
  ``POST /api/v1/programs/{id}/stores/{store}``). Cards are the customer's,
  carried to every store of the merchant: any till of the merchant may
  enroll, suspend or rename one.
- ``clock_ahead`` / ``clock_too_old``: ``updated_at`` outside the times the
  hub takes (time_rules.py), so a far-future version can neither win nor
  freeze a record.
- ``record_unservable``: the record does not come back unchanged from the
  form it is stored and served in (settings JSON with NaN, say), so storing
  it could make a pull fail or hand other tills something else.

Every accepted change records the till and store that made it
(``origin_terminal_id``, ``origin_store_id``). A refusal of a card or
program carries the hub's own version, so the till can put it back.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection

from sync.hub.admin import utc_iso
from sync.hub.auth import TerminalPrincipal
from sync.hub.schema import cards, program_stores, programs, staff, stores
from sync.hub.time_rules import TimeRules, record_problem
from sync.hub.visibility import chunks, one_of
from sync.protocol import PROTOCOL_VERSION, Card, ProgramSettings, PullResponse, PushRequest, RecordRefusal, Staff

_KEYS = {"cards": "code", "programs": "program_id", "staff": "staff_id"}


@dataclass
class Screened:
    """The push with only the records the hub takes, and the refusals of the others."""

    request: PushRequest
    refused: list[RecordRefusal] = field(default_factory=list)
    new_programs: list[str] = field(default_factory=list)


def screen(conn: Connection, who: TerminalPrincipal, request: PushRequest, rules: TimeRules) -> Screened:
    latest = rules.latest()
    refused: list[RecordRefusal] = []
    kept: dict[str, list[Any]] = {}
    owners = _staff_stores(conn, who, [s.staff_id for s in request.staff])
    writers = _program_writers(conn, who, [p.program_id for p in request.programs])
    for stream, records in (("cards", request.cards), ("programs", request.programs), ("staff", request.staff)):
        kept[stream] = []
        for record in records:
            key = getattr(record, _KEYS[stream])
            found = (record_problem(rules, record.updated_at, latest, provisional_ok=stream == "cards")
                     or _ownership_problem(who, stream, key, owners, writers)
                     or _serving_problem(record))
            if found is None:
                kept[stream].append(record)
            else:
                refused.append(_refusal(conn, who, stream, record, *found))
    new_programs = sorted({p.program_id for p in kept["programs"]} - set(writers))
    return Screened(request.model_copy(update=kept), refused, new_programs)


def after_apply(conn: Connection, who: TerminalPrincipal, screened: Screened) -> None:
    """A program new to the hub may be changed from the store that created it."""
    now = utc_iso()
    rows = [{"merchant_id": who.merchant_id, "program_id": pid, "store_id": who.store_id,
             "allowed_at": now, "reason": "created"} for pid in screened.new_programs]
    if rows:
        conn.execute(sa.insert(program_stores), rows)


# ---- ownership ----------------------------------------------------------------

def _staff_stores(conn: Connection, who: TerminalPrincipal, ids: Sequence[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for part in chunks(sorted(set(ids))):
        found.update(conn.execute(sa.select(staff.c.staff_id, staff.c.store_id)
                                  .where(staff.c.merchant_id == who.merchant_id,
                                         one_of(conn, staff.c.staff_id, part))).all())
    return found


def _program_writers(conn: Connection, who: TerminalPrincipal, ids: Sequence[str]) -> dict[str, set[str]]:
    """Stored programs among ``ids`` -> the stores allowed to change them (maybe none)."""
    writers: dict[str, set[str]] = {}
    for part in chunks(sorted(set(ids))):
        for pid in conn.execute(sa.select(programs.c.program_id)
                                .where(programs.c.merchant_id == who.merchant_id,
                                       one_of(conn, programs.c.program_id, part))).scalars():
            writers[pid] = set()
        for pid, store_id in conn.execute(sa.select(program_stores.c.program_id, program_stores.c.store_id)
                                          .where(program_stores.c.merchant_id == who.merchant_id,
                                                 one_of(conn, program_stores.c.program_id, part))):
            writers.setdefault(pid, set()).add(store_id)
    return writers


def _ownership_problem(who: TerminalPrincipal, stream: str, key: str, owners: dict[str, str | None],
                       writers: dict[str, set[str]]) -> tuple[str, str] | None:
    if stream == "staff" and owners.get(key) not in (None, who.store_id):
        return ("record_forbidden",
                f"staff member {key} belongs to another store: only that store's tills may change them "
                "(their PIN works only there); change them at their own store")
    if stream == "programs" and key in writers and who.store_id not in writers[key]:
        return ("record_forbidden",
                f"program {key} may be changed only from the stores the owner allows (by default the "
                f"store that created it); change it there, or let the owner allow this store: "
                f"'loyalty-hub programs allow {key} {who.store_id}'")
    return None


# ---- the served form ------------------------------------------------------------

def _serving_problem(record: Card | ProgramSettings | Staff) -> tuple[str, str] | None:
    """None when the record, stored and served as the hub does, comes back equal to itself."""
    try:
        values = record.model_dump()
        if isinstance(record, ProgramSettings):
            values["settings"] = json.loads(json.dumps(record.settings, sort_keys=True,
                                                       separators=(",", ":"), ensure_ascii=False))
        stored = type(record).model_validate(values)
        streams = {Card: "cards", ProgramSettings: "programs", Staff: "staff"}
        one: dict[str, Any] = {streams[type(record)]: [stored]}
        page = PullResponse(v=PROTOCOL_VERSION, cursor=0, has_more=False, **one)
        served = PullResponse.model_validate_json(page.model_dump_json())
        same = getattr(served, streams[type(record)])[0] == record
    except (ValueError, ValidationError, RecursionError, TypeError) as exc:
        return ("record_unservable", f"cannot be stored in a form the hub can serve back ({_first_line(exc)}); "
                                     "check the record's values on the till")
    if not same:
        return ("record_unservable", "would not come back from the hub as it was sent (a number such as "
                                     "NaN or Infinity in its settings?); check the record's values on the till")
    return None


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:200]


# ---- refusals -------------------------------------------------------------------

def _refusal(conn: Connection, who: TerminalPrincipal, stream: str, record: Any,
             code: str, sentence: str) -> RecordRefusal:
    key = getattr(record, _KEYS[stream])
    noun = {"cards": "card", "programs": "program", "staff": "staff member"}[stream]
    message = sentence if code == "record_forbidden" else f"{noun} {key} {sentence}"
    return RecordRefusal(stream=stream, key=key, updated_at=record.updated_at, code=code,  # type: ignore[arg-type]
                         message=f"{message}; this {noun} was not changed at the hub",
                         current_card=_current_card(conn, who, key) if stream == "cards" else None,
                         current_program=_current_program(conn, who, key) if stream == "programs" else None)


def _current_card(conn: Connection, who: TerminalPrincipal, code: str) -> Card | None:
    row = conn.execute(sa.select(cards).where(cards.c.merchant_id == who.merchant_id,
                                              cards.c.code == code)).mappings().one_or_none()
    if row is None:
        return None
    try:
        return Card.model_validate({k: row[k] for k in Card.model_fields})
    except ValidationError:
        return None


def _current_program(conn: Connection, who: TerminalPrincipal, program_id: str) -> ProgramSettings | None:
    row = conn.execute(sa.select(programs).where(programs.c.merchant_id == who.merchant_id,
                                                 programs.c.program_id == program_id)).mappings().one_or_none()
    if row is None:
        return None
    try:
        values = {k: row[k] for k in ProgramSettings.model_fields}
        values["settings"] = json.loads(values["settings"])
        return ProgramSettings.model_validate(values)
    except (ValueError, RecursionError):
        return None


# ---- the owner's side: which stores may change a program -------------------------------

class ProgramRuleError(ValueError):
    """An unknown program or store; the message says which."""


def allowed_stores(conn: Connection, merchant_id: str, program_id: str) -> list[str]:
    _known_program(conn, merchant_id, program_id)
    return sorted(conn.execute(sa.select(program_stores.c.store_id)
                               .where(program_stores.c.merchant_id == merchant_id,
                                      program_stores.c.program_id == program_id)).scalars())


def allow(conn: Connection, merchant_id: str, program_id: str, store_id: str) -> list[str]:
    """Let tills of ``store_id`` change ``program_id`` too; the stores allowed now."""
    _known_program(conn, merchant_id, program_id)
    _known_store(conn, merchant_id, store_id)
    if store_id not in allowed_stores(conn, merchant_id, program_id):
        conn.execute(sa.insert(program_stores).values(merchant_id=merchant_id, program_id=program_id,
                                                      store_id=store_id, allowed_at=utc_iso(), reason="owner"))
    return allowed_stores(conn, merchant_id, program_id)


def disallow(conn: Connection, merchant_id: str, program_id: str, store_id: str) -> list[str]:
    """Tills of ``store_id`` may no longer change ``program_id``; the stores allowed now (maybe none)."""
    _known_program(conn, merchant_id, program_id)
    _known_store(conn, merchant_id, store_id)
    conn.execute(sa.delete(program_stores).where(program_stores.c.merchant_id == merchant_id,
                                                 program_stores.c.program_id == program_id,
                                                 program_stores.c.store_id == store_id))
    return allowed_stores(conn, merchant_id, program_id)


def _known_program(conn: Connection, merchant_id: str, program_id: str) -> None:
    if conn.execute(sa.select(programs.c.program_id).where(programs.c.merchant_id == merchant_id,
                                                           programs.c.program_id == program_id)).first() is None:
        raise ProgramRuleError(f"no program {program_id!r} at this merchant: a till must push it first "
                               "(see 'loyalty-hub programs list')")


def _known_store(conn: Connection, merchant_id: str, store_id: str) -> None:
    if conn.execute(sa.select(stores.c.store_id).where(stores.c.merchant_id == merchant_id,
                                                       stores.c.store_id == store_id)).first() is None:
        raise ProgramRuleError(f"no store {store_id!r} at this merchant (see 'loyalty-hub stores list')")


def list_programs(conn: Connection, merchant_id: str) -> list[dict[str, Any]]:
    """Programs with the stores allowed to change them and who changed them last."""
    allowed: dict[str, list[str]] = {}
    for pid, store_id in conn.execute(sa.select(program_stores.c.program_id, program_stores.c.store_id)
                                      .where(program_stores.c.merchant_id == merchant_id)
                                      .order_by(program_stores.c.store_id)):
        allowed.setdefault(pid, []).append(store_id)
    return [{"program_id": r.program_id, "name": r.name, "updated_at": r.updated_at,
             "origin_terminal_id": r.origin_terminal_id, "origin_store_id": r.origin_store_id,
             "allowed_stores": allowed.get(r.program_id, [])}
            for r in conn.execute(sa.select(programs).where(programs.c.merchant_id == merchant_id)
                                  .order_by(programs.c.program_id))]


def origin_values(who: TerminalPrincipal) -> dict[str, str | None]:
    """The columns that say which till and store made an accepted change (no owner at the hub)."""
    return {"origin_terminal_id": who.terminal_id, "origin_store_id": who.store_id, "changed_by": None}
