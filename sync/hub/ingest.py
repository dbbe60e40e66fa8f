"""Push: storing a terminal's records exactly once, checking its hash chains.

A push is one transaction under the merchant's lock: either every record
of the request is stored (or found already stored) or none is, so a
refusal leaves nothing half-done and a resend after a lost answer is safe.

Duplicates are found by position: each terminal's chain is contiguous, so
a record at or below the stored head is a resend and must equal the one
stored (its hash covers its ``entry_id``); anything else must continue the
chain right after the head.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

import ledger_chain as chain
from sync.hub import daily_totals, till_status
from sync.hub import signing as chain_keys
from sync.hub.admin import utc_iso
from sync.hub.auth import TerminalPrincipal
from sync.hub.card_merge import merge_cards
from sync.hub.db import ChangeCounter, writing
from sync.hub.errors import HubError
from sync.hub.flags import raise_flags
from sync.hub.lock_merge import merge_locks
from sync.hub.overdrafts import settle_balances
from sync.hub.record_rules import after_apply, origin_values, screen
from sync.hub.refusal_log import keep_refusals
from sync.hub.schema import audit_events, entries, programs, staff, terminals
from sync.hub.time_rules import TimeRules, check_chain
from sync.hub.visibility import chunks, insert_rows, mark_seen, one_of
from sync.hub.webhooks import events_for_push
from sync.protocol import (
    PROTOCOL_VERSION,
    AuditEvent,
    Entry,
    ProgramSettings,
    PushRequest,
    PushResponse,
    Staff,
)


@dataclass(frozen=True)
class _Chain:
    stream: str
    noun: str
    table: sa.Table
    fields: tuple[str, ...]
    hash_of: Callable[[str, Any], str]
    through: str
    head: str


_ENTRIES = _Chain("entries", "entry", entries, chain.ENTRY_FIELDS, chain.entry_hash,
                  "entries_through", "entries_head")
_AUDIT = _Chain("audit", "audit event", audit_events, chain.AUDIT_FIELDS, chain.audit_hash,
                "audit_through", "audit_head")


_TERMINAL = sa.select(terminals).where(terminals.c.terminal_id == sa.bindparam("t"))
_UPDATE_TERMINAL = sa.update(terminals).where(terminals.c.terminal_id == sa.bindparam("t"))


@dataclass(frozen=True)
class Pushed:
    """The answer, and the chain heads the hub holds for the till once the push committed (for its
    receipts: read under the merchant's lock, and chains only grow, so they stay true)."""
    answer: PushResponse
    heads: dict[str, Any]


@dataclass
class _Accepted:
    new: Sequence[Entry | AuditEvent]
    duplicates: int
    through: int
    head: str


def push(engine: Engine, who: TerminalPrincipal, request: PushRequest,
         rules: TimeRules | None = None) -> Pushed:
    _check_own(who, request)
    try:
        with writing(engine) as conn:
            return _push(conn, who, request, rules or TimeRules())
    except IntegrityError as exc:
        raise HubError(409, "id_conflict",
                       "a record id in this batch is already used by a different record; "
                       "ids must be unique UUIDs") from exc


def _push(conn: Connection, who: TerminalPrincipal, request: PushRequest, rules: TimeRules) -> Pushed:
    counter = ChangeCounter(conn, who.merchant_id)
    term = conn.execute(_TERMINAL, {"t": who.terminal_id}).mappings().one()
    term = chain_keys.bind_on_push(conn, term, request)
    now = utc_iso()
    got_entries = _accept_chain(conn, _ENTRIES, term, request.entries)
    got_audit = _accept_chain(conn, _AUDIT, term, request.audit)
    check_chain(rules, "entries", "entry", got_entries.new)
    check_chain(rules, "audit", "audit event", got_audit.new)
    screened = screen(conn, who, request, rules)  # who may change what; refusals go back one by one
    request = screened.request
    base = {"merchant_id": who.merchant_id, "received_at": now}
    insert_rows(conn, entries, [{**e.model_dump(), **base, "change_id": counter.take()}
                                for e in got_entries.new])
    daily_totals.count(conn, who.merchant_id, who.store_id, got_entries.new)  # the console's period figures
    insert_rows(conn, audit_events, [{**a.model_dump(), **base} for a in got_audit.new])
    applied = _apply_records(conn, who, counter, request)
    applied += merge_locks(conn, who, counter, request.locks)  # after the audit events it may need
    after_apply(conn, who, screened)
    mark_seen(conn, who.store_id, counter,
              [e.card for e in got_entries.new] + [c.code for c in request.cards])
    flagged = settle_balances(conn, who, counter, got_entries.new, now)
    raise_flags(conn, who, counter, got_entries.new, now)  # second voids, daily limit, stock
    events_for_push(conn, who.merchant_id, who.terminal_id, got_entries.new, now)  # webhooks' outbox
    heads = {
        "entries_through": got_entries.through, "entries_head": got_entries.head,
        "audit_through": got_audit.through, "audit_head": got_audit.head,
    }
    # the moved chain heads and what the till says of itself (for the dashboard): one update of its row
    changed = {k: v for k, v in heads.items() if term[k] != v} | till_status.values(request.status, now)
    if changed:
        conn.execute(_UPDATE_TERMINAL, {"t": who.terminal_id, **changed})  # the changed keys are SET
    keep_refusals(conn, who, screened.refused, now)  # for the console's audit log
    counter.save()
    return Pushed(PushResponse(
        v=PROTOCOL_VERSION,
        entries_through=got_entries.through, audit_through=got_audit.through,
        entries_stored=len(got_entries.new), entries_duplicate=got_entries.duplicates,
        audit_stored=len(got_audit.new), audit_duplicate=got_audit.duplicates,
        records_applied=applied, overdrafts=flagged, refused=screened.refused,
    ), heads)


def _check_own(who: TerminalPrincipal, request: PushRequest) -> None:
    if request.terminal_id != who.terminal_id:
        raise HubError(403, "foreign_terminal",
                       f"this token belongs to terminal {who.terminal_id}; "
                       f"it cannot push for terminal {request.terminal_id}")
    for stream, records in (("entries", request.entries), ("audit", request.audit)):
        for record in records:
            if record.terminal_id != who.terminal_id:
                raise HubError(403, "foreign_terminal",
                               f"{stream} seq {record.seq} names terminal {record.terminal_id}; "
                               "a terminal may push only its own records", stream=stream)


def _accept_chain(conn: Connection, spec: _Chain, term: Any,
                  records: Sequence[Entry | AuditEvent]) -> _Accepted:
    through, head = term[spec.through], term[spec.head]
    if not records:
        return _Accepted((), 0, through, head)
    first = records[0].seq
    for offset, record in enumerate(records):
        if record.seq != first + offset:
            raise HubError(422, "batch_out_of_order",
                           f"{spec.noun} records must come in ascending seq without gaps: expected "
                           f"seq {first + offset} at position {offset}, got {record.seq}",
                           stream=spec.stream, expected_seq=first + offset)
    if first > through + 1:
        raise HubError(409, "chain_gap",
                       f"the hub holds this terminal's {spec.noun} chain up to seq {through}; "
                       f"expected seq {through + 1} next but the batch starts at seq {first}: "
                       f"send from seq {through + 1}",
                       stream=spec.stream, expected_seq=through + 1)
    n_dup = max(0, min(len(records), through - first + 1))
    _check_duplicates(conn, spec, term["terminal_id"], records[:n_dup], through)
    new = records[n_dup:]
    prev = head
    for record in new:
        if record.prev_hash != prev:
            raise HubError(422, "chain_broken",
                           f"{spec.noun} seq {record.seq} does not continue the chain: its prev_hash "
                           f"{record.prev_hash[:12]}… is not the hash {prev[:12]}… of seq "
                           f"{record.seq - 1} held here; the local ledger was altered — run verify "
                           "on the terminal", stream=spec.stream, expected_seq=record.seq)
        values = {name: getattr(record, name) for name in spec.fields}
        if spec.hash_of(record.prev_hash, values) != record.hash:
            raise HubError(422, "hash_mismatch",
                           f"{spec.noun} seq {record.seq}: the hash does not match the contents; "
                           "the record was changed after it was written — run verify on the terminal",
                           stream=spec.stream, expected_seq=record.seq)
        prev = record.hash
    chain_keys.check_signed(term, spec.stream, new)
    return _Accepted(new, n_dup, new[-1].seq if new else through, prev)


def _check_duplicates(conn: Connection, spec: _Chain, terminal_id: str,
                      resent: Sequence[Entry | AuditEvent], through: int) -> None:
    if not resent:
        return
    table = spec.table
    stored = dict(conn.execute(
        sa.select(table.c.seq, table.c.hash)
        .where(table.c.terminal_id == terminal_id,
               table.c.seq.between(resent[0].seq, resent[-1].seq))).all())
    for record in resent:
        if stored.get(record.seq) != record.hash:
            raise HubError(409, "chain_conflict",
                           f"the hub already holds a different {spec.noun} at seq {record.seq} for "
                           "this terminal: its ledger differs from what it pushed before (restored "
                           "from an old copy?); nothing was stored — the owner must look into it",
                           stream=spec.stream, expected_seq=through + 1)


# ---- mutable records: newest updated_at wins --------------------------------

def _apply_records(conn: Connection, who: TerminalPrincipal, counter: ChangeCounter,
                   request: PushRequest) -> int:
    return (
        merge_cards(conn, who, counter, request.cards)
        + _newest_wins(conn, who, counter, programs, "program_id", request.programs, _program_values,
                       origin_values(who))
        + _newest_wins(conn, who, counter, staff, "staff_id", request.staff, _staff_values,
                       {"store_id": who.store_id, **origin_values(who)})
    )


def _program_values(program: ProgramSettings) -> dict[str, Any]:
    values = program.model_dump(exclude={"program_id"})
    values["settings"] = json.dumps(program.settings, sort_keys=True, separators=(",", ":"),
                                    ensure_ascii=False)
    return values


def _staff_values(member: Staff) -> dict[str, Any]:
    # The dump leaves out a False pin_reset_required (as on the wire): a till's new PIN clears it here.
    return {**member.model_dump(exclude={"staff_id"}), "pin_reset_required": member.pin_reset_required}


def _newest_wins(conn: Connection, who: TerminalPrincipal, counter: ChangeCounter,
                 table: sa.Table, key: str, records: Sequence[Any],
                 values_of: Callable[[Any], dict[str, Any]], extra: dict[str, Any] | None = None) -> int:
    if not records:
        return 0
    newest: dict[str, Any] = {}
    for record in records:
        current = newest.get(getattr(record, key))
        if current is None or record.updated_at >= current.updated_at:
            newest[getattr(record, key)] = record
    key_col = table.c[key]
    stored = {
        row[0]: (row[1], row[2])
        for part in chunks(list(newest))
        for row in conn.execute(
            sa.select(key_col, table.c.updated_at, table.c.origin_terminal_id)
            .where(table.c.merchant_id == who.merchant_id, one_of(conn, key_col, part)))
    }
    applied = 0
    new_rows = []
    for ident, record in newest.items():
        version = (record.updated_at, who.terminal_id)
        if ident in stored and version <= stored[ident]:
            continue  # the hub holds a newer version; this one is acknowledged, not applied
        values = {**values_of(record), **(extra or {}), "origin_terminal_id": who.terminal_id,
                  "change_id": counter.take()}
        if ident in stored:
            conn.execute(sa.update(table)
                         .where(table.c.merchant_id == who.merchant_id, key_col == ident)
                         .values(**values))
        else:
            new_rows.append({"merchant_id": who.merchant_id, key: ident, **values})
        applied += 1
    insert_rows(conn, table, new_rows)  # one executemany: a catch-up brings thousands of new cards
    return applied
