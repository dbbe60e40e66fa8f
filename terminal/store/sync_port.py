"""The terminal's store as the syncer sees it: ``sync.port.SyncPort`` over SQLAlchemy.

Own ledger entries and audit events leave in ``seq`` order after the
acknowledged position (kept in ``sync_state``); cards, programs and staff
leave when their ``sync_records`` row is dirty (migration 0002's triggers
set it on every local change). Remote entries are inserted into the same
ledger and the balance cache, so they count toward balances, cooldowns
and daily limits like local ones. Every method is one transaction.

A program travels as one record: its columns, tiers and rewards in
``settings``. Reward stock is merchant-wide: a program states it as of its
version and every till's redemptions since count against it, here as at
the hub (``reward_stock``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from sync.port import Ack, Outbox
from sync.protocol import Card, Entry, Overdraft, ProgramSettings, PullResponse, Staff
from terminal import __version__
from terminal.domain.clock import Clock, SystemClock, from_iso, to_iso
from terminal.domain.ledger import EntryKind, lifetime_delta
from terminal.domain.policy import LockoutPolicy, effective_now
from terminal.store import ledger, reward_stock, staff_locks
from terminal.store.card_search import card_extras, index_card
from terminal.store.chain_key import signer_of
from terminal.store.db import Database
from terminal.store.expiry_keys import keyed_changes
from terminal.store.models import (
    AuditRow,
    CardBalance,
    CardRow,
    ChainReceipt,
    LedgerRow,
    ProgramRow,
    ProvisionalCard,
    RewardRow,
    StaffRow,
    StoreInfo,
    SyncOverdraft,
    SyncParked,
    SyncRecord,
    SyncState,
    TierRow,
)

_L, _A, _C, _B = LedgerRow.__table__, AuditRow.__table__, CardRow.__table__, CardBalance.__table__
_P, _T, _R, _S = ProgramRow.__table__, TierRow.__table__, RewardRow.__table__, StaffRow.__table__
_SR, _SS, _PK, _OD = SyncRecord.__table__, SyncState.__table__, SyncParked.__table__, SyncOverdraft.__table__
_PC = ProvisionalCard.__table__
_RC = ChainReceipt.__table__

# The oldest possible version: a provisional card made offline loses to any real enrollment.
PROVISIONAL_VERSION = "1970-01-01T00:00:00.000000Z"
_ENTRY_WIRE = ("entry_id", "terminal_id", "seq", "card", "kind", "stamps", "points", "amount",
               "reward_id", "staff_id", "reason", "reverses", "at", "prev_hash", "hash", "sig")
_AUDIT_WIRE = ("event_id", "terminal_id", "seq", "kind", "staff_id", "subject", "details", "at",
               "prev_hash", "hash", "sig")
_PROGRAM_COLUMNS = ("stamps_target", "points_per_unit", "min_amount_minor", "max_points_per_event",
                    "points_expiry_days", "cooldown_minutes", "daily_stamp_limit", "active",
                    "earn_per_minor", "money_points", "money_value_minor", "money_max_percent",
                    "points_expiry_mode")
_CHUNK = 500


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _iso(value: datetime | None) -> str | None:
    return None if value is None else to_iso(value)


def _time(value: str | None) -> datetime | None:
    return None if value is None else from_iso(value)


# ---- sync_state helpers (also used by the services) --------------------------

def read_state(conn: Connection, key: str) -> str | None:
    return conn.execute(select(_SS.c.value).where(_SS.c.key == key)).scalar_one_or_none()


def write_state(conn: Connection, key: str, value: object) -> None:
    if conn.execute(update(_SS).where(_SS.c.key == key).values(value=str(value))).rowcount == 0:
        conn.execute(insert(_SS).values(key=key, value=str(value)))


def mark_record(conn: Connection, kind: str, key: str, version: str, dirty: bool) -> None:
    """Set a record's version and flag (after the triggers stamped their own)."""
    conn.execute(delete(_SR).where(_SR.c.kind == kind, _SR.c.key == key))
    conn.execute(insert(_SR).values(kind=kind, key=key, version=version, dirty=int(dirty)))


REFUSALS_KEY = "record_refusals"
MAX_REFUSALS_KEPT = 50


def record_refusals(conn: Connection) -> list[dict[str, Any]]:
    """Records the hub did not take, oldest first (see ``StoreSyncPort._keep_refusals``)."""
    text = read_state(conn, REFUSALS_KEY)
    return list(json.loads(text)) if text else []


def clear_refusals(conn: Connection) -> None:
    write_state(conn, REFUSALS_KEY, "[]")


def _record_name(conn: Connection, refusal: Any) -> str:
    """What the owner calls the record: a program's or staff member's name, a card's code."""
    if refusal.stream == "programs":
        found = conn.execute(select(_P.c.name).where(_P.c.program_id == refusal.key)).scalar()
    elif refusal.stream == "staff":
        found = conn.execute(select(_S.c.name).where(_S.c.staff_id == refusal.key)).scalar()
    else:
        found = None
    return str(found or refusal.key)


def is_provisional(conn: Connection, code: str) -> bool:
    """A card made offline (here or on another till) and not yet replaced by the hub's real record.

    Told by its own table, not by the card's version: a local status change stamps a new version
    and must not make the card real (it would redeem offline and beat the real holder at the hub).
    """
    return conn.execute(select(_PC.c.code).where(_PC.c.code == code)).first() is not None


def mark_provisional(conn: Connection, code: str) -> None:
    conn.execute(insert(_PC).prefix_with("OR IGNORE").values(code=code))


def make_real(conn: Connection, code: str) -> None:
    """A provisional card enrolled here becomes a real record: no longer provisional, and pending
    push with a new version (as migration 0002's triggers stamp one) even if no column changed."""
    conn.execute(delete(_PC).where(_PC.c.code == code))
    last = conn.execute(select(_SR.c.version).where(_SR.c.kind == "cards", _SR.c.key == code)).scalar()
    now = to_iso(datetime.now(UTC))  # the triggers' clock: SQLite's, the real time
    later = None if last is None else to_iso(from_iso(last) + timedelta(milliseconds=1))
    mark_record(conn, "cards", code, max(now, later or now), dirty=True)


class StoreSyncPort:
    """``SyncPort`` over the terminal's database. See the module docstring."""

    def __init__(self, db: Database, clock: Clock | None = None, lockout: LockoutPolicy | None = None) -> None:
        self._db = db
        self._clock = clock or SystemClock()
        # Locks a staff member whose store-wide count crossed a threshold by pulled failures.
        self._lockout = lockout
        self._terminal_id: str | None = None

    # ---- identity and positions ----------------------------------------------

    def terminal_id(self) -> str:
        if self._terminal_id is None:
            with self._db.read() as session:
                found = session.execute(select(StoreInfo.terminal_id)).scalar_one_or_none()
            if found is None:
                raise RuntimeError("this terminal has no store yet: set it up or join one first")
            self._terminal_id = found
        return self._terminal_id

    def _acked(self, conn: Connection) -> tuple[int, int]:
        return (int(read_state(conn, "entries_acked") or 0), int(read_state(conn, "audit_acked") or 0))

    def acked(self) -> tuple[int, int]:
        with self._db.read() as session:
            return self._acked(session.connection())

    def pull_cursor(self) -> int:
        with self._db.read() as session:
            return int(read_state(session.connection(), "pull_cursor") or 0)

    # ---- outbox ---------------------------------------------------------------

    def outbox(self, max_records: int) -> Outbox:
        tid = self.terminal_id()
        with self._db.read() as session:  # one snapshot for every stream
            conn = session.connection()
            entries_acked, audit_acked = self._acked(conn)
            entries = [
                {**row, "at": to_iso(row["at"])}
                for row in conn.execute(
                    select(*(_L.c[c] for c in _ENTRY_WIRE))
                    .where(_L.c.terminal_id == tid, _L.c.seq > entries_acked)
                    .order_by(_L.c.seq).limit(max_records)).mappings()
            ]
            audit = [
                {**row, "at": to_iso(row["at"])}
                for row in conn.execute(
                    select(*(_A.c[c] for c in _AUDIT_WIRE))
                    .where(_A.c.terminal_id == tid, _A.c.seq > audit_acked)
                    .order_by(_A.c.seq).limit(max_records)).mappings()
            ]
            cards = [
                {"code": r.code, "program_id": r.program_id, "holder": r.holder, "status": r.status,
                 "enrolled_at": to_iso(r.enrolled_at), "updated_at": r.version, **card_extras(r),
                 **({"provisional": True} if r.provisional is not None else {})}
                for r in conn.execute(
                    select(_C, _SR.c.version, _PC.c.code.label("provisional"))
                    .join(_SR, and_(_SR.c.kind == "cards", _SR.c.key == _C.c.code))
                    .outerjoin(_PC, _PC.c.code == _C.c.code)
                    .where(_SR.c.dirty == 1).order_by(_SR.c.version).limit(max_records))
            ]
            staff = [
                {"staff_id": r.staff_id, "name": r.name, "role": r.role, "active": bool(r.active),
                 "pin_hash": r.pin_hash, "updated_at": r.version,
                 **({"pin_reset_required": True} if r.pin_reset_required else {})}
                for r in conn.execute(
                    select(_S, _SR.c.version).join(_SR, and_(_SR.c.kind == "staff", _SR.c.key == _S.c.staff_id))
                    .where(_SR.c.dirty == 1).order_by(_SR.c.version).limit(max_records))
            ]
            programs = [
                self._program_record(conn, r)
                for r in conn.execute(
                    select(_P, _SR.c.version)
                    .join(_SR, and_(_SR.c.kind == "programs", _SR.c.key == _P.c.program_id))
                    .where(_SR.c.dirty == 1).order_by(_SR.c.version).limit(max_records))
            ]
            # A lock row may start a new epoch, which the hub takes only with its audit event:
            # it waits while audit events are left out of this push.
            audit_pending = max(0, (conn.execute(select(func.max(_A.c.seq)).where(_A.c.terminal_id == tid))
                                    .scalar() or 0) - audit_acked)
            audit_left = audit_pending > len(audit)
            locks = [] if audit_left else staff_locks.pending_rows(conn, tid, max_records)
            entries_pending = max(0, (conn.execute(select(func.max(_L.c.seq)).where(_L.c.terminal_id == tid))
                                      .scalar() or 0) - entries_acked)
        signer = signer_of(self._db.session_info)
        offer = None if signer is None else signer.offer(tid)
        return Outbox(entries=entries, audit=audit, cards=cards, programs=programs, staff=staff, locks=locks,
                      signing_key=offer[0] if offer else None, signed_from=offer[1] if offer else None,
                      pending_entries=entries_pending, pending_audit=audit_pending, app_version=__version__)

    @staticmethod
    def _program_record(conn: Connection, row: Any) -> dict[str, Any]:
        tiers = [{"name": t.name, "min_lifetime_points": t.min_lifetime_points,
                  "multiplier_percent": t.multiplier_percent}
                 for t in conn.execute(select(_T).where(_T.c.program_id == row.program_id)
                                       .order_by(_T.c.min_lifetime_points, _T.c.name))]
        rewards = [{"reward_id": r.reward_id, "name": r.name, "cost_stamps": r.cost_stamps,
                    "cost_points": r.cost_points, "valid_from": _iso(r.valid_from),
                    "stock": reward_stock.as_of_version(conn, r.reward_id, r.stock, row.version),
                    "valid_until": _iso(r.valid_until), "active": bool(r.active)}
                   for r in conn.execute(select(_R).where(_R.c.program_id == row.program_id)
                                         .order_by(_R.c.reward_id))]
        settings = {c: (bool(row._mapping[c]) if c == "active" else row._mapping[c]) for c in _PROGRAM_COLUMNS}
        settings.update(tiers=tiers, rewards=rewards, campaigns=json.loads(row.campaigns or "[]"))
        return {"program_id": row.program_id, "name": row.name, "kind": row.kind,
                "settings": settings, "updated_at": row.version}

    def pending_count(self) -> int:
        tid = self.terminal_id()
        with self._db.read() as session:
            conn = session.connection()
            entries_acked, audit_acked = self._acked(conn)
            last_entry = conn.execute(select(func.max(_L.c.seq)).where(_L.c.terminal_id == tid)).scalar() or 0
            last_audit = conn.execute(select(func.max(_A.c.seq)).where(_A.c.terminal_id == tid)).scalar() or 0
            dirty = conn.execute(select(func.count()).select_from(_SR).where(_SR.c.dirty == 1)).scalar_one()
        return max(0, last_entry - entries_acked) + max(0, last_audit - audit_acked) + dirty

    # ---- acknowledgements ---------------------------------------------------------

    def record_ack(self, ack: Ack) -> None:
        with self._db.write() as session:
            conn = session.connection()
            if ack.entries_through is not None:
                write_state(conn, "entries_acked", ack.entries_through)
            if ack.audit_through is not None:
                write_state(conn, "audit_acked", ack.audit_through)
            for record in ack.records:
                conn.execute(update(_SR).where(_SR.c.kind == record.kind, _SR.c.key == record.key,
                                               _SR.c.version == record.updated_at).values(dirty=0))
            if ack.records:
                self._keep_refusals(conn, ack)
            if ack.receipts:
                self._keep_receipts(conn, ack)
            write_state(conn, "last_sync_at", to_iso(self._clock.now()))

    def _keep_refusals(self, conn: Connection, ack: Ack) -> None:
        """Remember what the hub refused (for the owner's sync page); put the hub's version back.

        A record taken since is no longer listed; a refused one not changed
        again since is replaced by the hub's version, so this till works with
        the merchant's program and card, not one only it has.
        """
        kept = [r for r in record_refusals(conn)
                if (r["stream"], r["key"]) not in {(a.kind, a.key) for a in ack.records}]
        now = to_iso(self._clock.now())
        for refusal in ack.refused:
            mine = conn.execute(select(_SR.c.version).where(_SR.c.kind == refusal.stream,
                                                            _SR.c.key == refusal.key)).scalar()
            current = refusal.current_program or refusal.current_card
            name = _record_name(conn, refusal)  # as the owner named it here, before the hub's version is back
            if current is not None and mine == refusal.updated_at:
                conn.execute(delete(_SR).where(_SR.c.kind == refusal.stream, _SR.c.key == refusal.key))
                if refusal.current_program is not None:
                    self._apply_program(conn, refusal.current_program)
                elif refusal.current_card is not None:
                    self._apply_card(conn, refusal.current_card)
            kept.append({"stream": refusal.stream, "key": refusal.key, "name": name,
                         "code": refusal.code, "message": refusal.message, "refused_at": now,
                         "restored": current is not None and mine == refusal.updated_at})
        write_state(conn, REFUSALS_KEY, json.dumps(kept[-MAX_REFUSALS_KEPT:], ensure_ascii=False))

    def _keep_receipts(self, conn: Connection, ack: Ack) -> None:
        """Receipts for admin verify, which checks them with the hub key kept outside the database.

        The hub key comes with pairing; a till paired before signing keeps the
        first one a push answer names (trust on first use, like its own key at the hub).
        """
        own = self.terminal_id()
        for receipt in ack.receipts:
            if receipt.author == own:
                conn.execute(insert(_RC).prefix_with("OR IGNORE").values(
                    stream=receipt.stream, seq=receipt.seq, hash=receipt.hash, at=receipt.at, sig=receipt.sig))
        signer = signer_of(self._db.session_info)
        if signer is not None and ack.hub_key is not None and signer.hub_key(own) is None:
            signer.save_hub_key(own, ack.hub_key)

    # ---- remote changes -------------------------------------------------------------

    def apply_remote(self, changes: PullResponse) -> None:
        own = self.terminal_id()
        with self._db.write() as session:
            conn = session.connection()
            for program in changes.programs:
                self._apply_program(conn, program)
            for member in changes.staff:
                self._apply_staff(conn, member)
            for card in changes.cards:
                self._apply_card(conn, card)
            if changes.locks:
                # A lock begun here by pulled failures runs from the latest known time, never earlier.
                now = effective_now(self._clock.now(), ledger.latest_own_time(session, own))
                staff_locks.apply_remote(
                    conn, [staff_locks.LockRow(r.staff_id, r.terminal_id, r.epoch, r.failures, r.locked_until)
                           for r in changes.locks], own, now, self._lockout)
            remote = [e for e in changes.entries if e.terminal_id != own]
            self._apply_entries(conn, remote)
            for flag in changes.overdrafts:
                self._apply_overdraft(conn, flag)
            write_state(conn, "pull_cursor", changes.cursor)
            write_state(conn, "last_sync_at", to_iso(self._clock.now()))

    @staticmethod
    def _newer(conn: Connection, kind: str, key: str, version: str) -> bool:
        """True when ``version`` beats the local one (a tie keeps the local record)."""
        mine = conn.execute(select(_SR.c.version).where(_SR.c.kind == kind, _SR.c.key == key)).scalar()
        return mine is None or version > mine

    def _apply_card(self, conn: Connection, card: Card) -> None:
        local = conn.execute(select(_SR.c.version, _SR.c.dirty)
                             .where(_SR.c.kind == "cards", _SR.c.key == card.code)).first()
        mine_provisional = local is not None and is_provisional(conn, card.code)
        version, dirty, status = card.updated_at, False, card.status
        if local is not None and mine_provisional and not card.provisional:
            # The real record replaces a provisional one whatever their versions; a status
            # changed here since (a suspend is a real fact) stays and goes out on the real record.
            conn.execute(delete(_PC).where(_PC.c.code == card.code))
            if local.dirty and local.version > card.updated_at:
                version, dirty = local.version, True
                status = conn.execute(select(_C.c.status).where(_C.c.code == card.code)).scalar_one()
        elif local is not None and card.provisional and not mine_provisional:
            return  # a provisional record never overrides a real one (the hub merged its status)
        elif not self._newer(conn, "cards", card.code, card.updated_at):
            return
        values = {"program_id": card.program_id, "holder": card.holder, "status": status,
                  "enrolled_at": from_iso(card.enrolled_at), **card_extras(card)}
        if conn.execute(update(_C).where(_C.c.code == card.code).values(**values)).rowcount == 0:
            conn.execute(insert(_C).values(code=card.code, **values))
        index_card(conn, card.code, values)
        if conn.execute(select(_B.c.code).where(_B.c.code == card.code)).first() is None:
            conn.execute(insert(_B).values(code=card.code, stamps=0, points=0, lifetime_points=0))
        if card.provisional:
            mark_provisional(conn, card.code)
        mark_record(conn, "cards", card.code, version, dirty=dirty)

    def _apply_staff(self, conn: Connection, member: Staff) -> None:
        if not self._newer(conn, "staff", member.staff_id, member.updated_at):
            return
        values = {"name": member.name, "role": member.role, "active": member.active,
                  "pin_hash": member.pin_hash, "updated_at": from_iso(member.updated_at),
                  "pin_reset_required": member.pin_reset_required}
        found = conn.execute(select(_S.c.pin_hash).where(_S.c.staff_id == member.staff_id)).first()
        if found is None:
            conn.execute(insert(_S).values(staff_id=member.staff_id, failed_attempts=0,
                                           locked_until=None, **values))
            staff_locks.refresh_cache(conn, member.staff_id)  # its lock rows may have come first
        else:
            # A new PIN set elsewhere cleared the lockout by a new lock epoch, which comes as lock rows.
            conn.execute(update(_S).where(_S.c.staff_id == member.staff_id).values(**values))
        mark_record(conn, "staff", member.staff_id, member.updated_at, dirty=False)

    def _apply_program(self, conn: Connection, program: ProgramSettings) -> None:
        if not self._newer(conn, "programs", program.program_id, program.updated_at):
            return
        s = program.settings
        values = {"name": program.name, "kind": program.kind, "updated_at": from_iso(program.updated_at)}
        defaults = {"stamps_target": 10, "points_per_unit": 10, "min_amount_minor": 0, "active": True}
        values.update({c: s.get(c, defaults.get(c)) for c in _PROGRAM_COLUMNS})
        values["campaigns"] = json.dumps(s.get("campaigns", []), ensure_ascii=False, sort_keys=True)
        pid = program.program_id
        if conn.execute(update(_P).where(_P.c.program_id == pid).values(**values)).rowcount == 0:
            conn.execute(insert(_P).values(program_id=pid, **values))
        conn.execute(delete(_T).where(_T.c.program_id == pid))
        for tier in s.get("tiers", ()):
            conn.execute(insert(_T).values(program_id=pid, name=tier["name"],
                                           min_lifetime_points=tier["min_lifetime_points"],
                                           multiplier_percent=tier["multiplier_percent"]))
        for reward in s.get("rewards", ()):
            fields = {"program_id": pid, "name": reward["name"], "cost_stamps": reward["cost_stamps"],
                      "cost_points": reward["cost_points"], "valid_from": _time(reward.get("valid_from")),
                      "valid_until": _time(reward.get("valid_until")), "active": reward["active"]}
            rid = reward["reward_id"]
            if conn.execute(update(_R).where(_R.c.reward_id == rid).values(**fields)).rowcount == 0:
                conn.execute(insert(_R).values(reward_id=rid, stock=reward.get("stock"), **fields))
        reward_stock.apply_program(conn, s, program.updated_at)  # stock: merchant-wide, counted since
        mark_record(conn, "programs", pid, program.updated_at, dirty=False)

    def _apply_entries(self, conn: Connection, remote: Sequence[Entry]) -> None:
        rows = [{c: getattr(e, c) for c in _ENTRY_WIRE} for e in remote]
        # Entries parked on an earlier page whose card may have arrived since.
        parked = [json.loads(b) for b in conn.execute(
            select(_PK.c.body).join(_C, _C.c.code == _PK.c.card).order_by(_PK.c.entry_id)).scalars()]
        if parked:
            conn.execute(delete(_PK).where(_PK.c.entry_id.in_([p["entry_id"] for p in parked])))
            rows = parked + rows
        if not rows:
            return
        ids = [r["entry_id"] for r in rows]
        have: set[str] = set()
        for part in _chunks(ids):
            have.update(conn.execute(select(_L.c.entry_id).where(_L.c.entry_id.in_(part))).scalars())
        cards = sorted({r["card"] for r in rows})
        known: set[str] = set()
        for part in _chunks(cards):
            known.update(conn.execute(select(_C.c.code).where(_C.c.code.in_(part))).scalars())
        new, seen = [], set(have)
        for row in sorted(rows, key=lambda r: (r["terminal_id"], r["seq"])):
            if row["entry_id"] in seen:
                continue
            seen.add(row["entry_id"])
            if row["card"] not in known:
                conn.execute(insert(_PK).prefix_with("OR IGNORE").values(
                    entry_id=row["entry_id"], card=row["card"], body=json.dumps(row)))
                continue
            new.append(row)
        if not new:
            return
        keyed = keyed_changes(conn, new)  # before the insert: what was there decides what counts
        conn.execute(insert(_L), [{**r, "at": from_iso(r["at"])} for r in new])
        self._add_to_balances(conn, new, keyed)
        reward_stock.apply_remote(conn, new)

    @staticmethod
    def _add_to_balances(conn: Connection, new: Sequence[Mapping[str, Any]],
                         keyed: tuple[set[str], dict[str, int]] = (set(), {})) -> None:
        reversed_ids = sorted({r["reverses"] for r in new if r["reverses"]})
        kinds: dict[str, str] = {}
        for part in _chunks(reversed_ids):
            kinds.update(conn.execute(select(_L.c.entry_id, _L.c.kind).where(_L.c.entry_id.in_(part))).all())
        delta: dict[str, list[int]] = {}
        for r in new:
            d = delta.setdefault(r["card"], [0, 0, 0])
            reversed_kind = EntryKind(kinds[r["reverses"]]) if r["reverses"] in kinds else None
            d[0] += r["stamps"]
            d[1] += 0 if r["entry_id"] in keyed[0] else r["points"]
            d[2] += lifetime_delta(EntryKind(r["kind"]), r["points"], reversed_kind,
                                   reason=r["reason"], amount=r["amount"])
        for code, points in keyed[1].items():
            delta[code][1] += points
        existing: set[str] = set()
        for part in _chunks(sorted(delta)):
            existing.update(conn.execute(select(_B.c.code).where(_B.c.code.in_(part))).scalars())
        for code, (stamps, points, lifetime) in delta.items():
            if code not in existing:
                conn.execute(insert(_B).values(code=code, stamps=stamps, points=points, lifetime_points=lifetime))
            elif stamps or points or lifetime:
                conn.execute(update(_B).where(_B.c.code == code).values(
                    stamps=_B.c.stamps + stamps, points=_B.c.points + points,
                    lifetime_points=_B.c.lifetime_points + lifetime))

    def store_overdrafts(self, flags: Sequence[Overdraft]) -> None:
        """Keep flags the owner's view fetched from the hub (same table as pulled ones)."""
        with self._db.write() as session:
            for flag in flags:
                self._apply_overdraft(session.connection(), flag)

    @staticmethod
    def _apply_overdraft(conn: Connection, flag: Overdraft) -> None:
        conn.execute(delete(_OD).where(_OD.c.overdraft_id == flag.overdraft_id))
        conn.execute(insert(_OD).values(
            overdraft_id=flag.overdraft_id, card=flag.card, stamps_balance=flag.stamps_balance,
            points_balance=flag.points_balance, entry_ids=json.dumps(list(flag.entry_ids)),
            flagged_at=flag.flagged_at))
