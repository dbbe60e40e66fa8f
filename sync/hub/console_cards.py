"""What an owner does to a card from the console: adjust its balance, suspend, block,
reactivate, replace it.

The hub is a writer of its own here: balance changes go into the merchant's
hub chain (hub_chain.py, signed with the hub's key), status and replacement
links into the card record (hub_records.py), so tills receive both by pull.
The rules are the till's (terminal/services/owner.py ``adjust``,
card_status.py, replace.py), checked inside the write transaction under the
merchant's lock against the hub's own balance, and refused with the till's
error codes. Every action is also kept in ``console_card_actions`` with the
owner's e-mail and reason: the entries carry the reason to the tills, the
trail says which owner asked (a hub entry has no staff member).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.engine import Connection, Engine

from sync.hub import hub_chain, hub_records
from sync.hub import integration_rules as rules
from sync.hub.admin import utc_iso
from sync.hub.db import ChangeCounter, reading, writing
from sync.hub.hub_chain import NewEntry
from sync.hub.schema import cards, console_card_actions, programs, store_cards
from sync.hub.visibility import mark_seen
from sync.protocol import Card
from terminal.domain.codes import format_code, new_code, normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import Balance
from terminal.domain.programs import CardStatus, ProgramKind
from terminal.domain.replacement import replacement_pair
from terminal.domain.text import check_text

MIN_REASON = 3
MAX_REASON = 300
MAX_CHANGE = 10_000_000   # the till's bound on one adjustment


def check_reason(text: str | None) -> str:
    """The till's reason rule (at least a few words), bounded here instead of cut off."""
    cleaned = check_text(text, "The reason")
    if len(cleaned) < MIN_REASON:
        raise LoyaltyError(ErrorCode.REASON_REQUIRED, "Say why (at least a few words); it goes in the ledger.",
                           why="reason_short")
    if len(cleaned) > MAX_REASON:
        raise LoyaltyError(ErrorCode.INVALID_INPUT,
                           f"The reason is {len(cleaned)} characters long; keep it to {MAX_REASON}.",
                           why="reason_long", length=len(cleaned), most=MAX_REASON)
    return cleaned


def check_change(kind: str | None, stamps: int, points: int) -> None:
    """Whole numbers within the till's bound, something changed, only what the program counts."""
    for name, value in (("points", points), ("stamps", stamps)):
        if abs(value) > MAX_CHANGE:
            raise LoyaltyError(ErrorCode.INVALID_INPUT, f"The {name} change must be a whole number "
                               f"between -{MAX_CHANGE:,} and {MAX_CHANGE:,}.", why="change_bounds",
                               most=MAX_CHANGE)
    if not points and not stamps:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "An adjustment must change points or stamps.",
                           why="change_none")
    program = ProgramKind(kind) if kind in tuple(ProgramKind) else None
    if program is not None and stamps and not program.has_stamps:
        raise LoyaltyError(ErrorCode.WRONG_PROGRAM_KIND, "This card's program counts points, not stamps.",
                           why="no_stamps")
    if program is not None and points and not program.has_points:
        raise LoyaltyError(ErrorCode.WRONG_PROGRAM_KIND, "This card's program counts stamps, not points.",
                           why="no_points")


def check_balance(stamps_now: int, points_now: int, stamps: int, points: int) -> None:
    """The till's rule: an adjustment never makes a balance negative."""
    if points_now + points < 0 or stamps_now + stamps < 0:
        raise LoyaltyError(ErrorCode.INSUFFICIENT_BALANCE,
                           f"The card has {points_now} points and {stamps_now} stamps; "
                           "an adjustment cannot make a balance negative.",
                           why="negative", stamps=stamps_now, points=points_now)


@dataclass(frozen=True)
class Adjustment:
    code: str
    holder: str | None
    stamps: int
    points: int
    reason: str
    before: tuple[int, int]   # (stamps, points)
    after: tuple[int, int]
    entry_id: str | None = None


def _program_kind(conn: Connection, merchant_id: str, program_id: str) -> str | None:
    return conn.execute(sa.select(programs.c.kind).where(programs.c.merchant_id == merchant_id,
                                                         programs.c.program_id == program_id)).scalar_one_or_none()


def _plan_adjust(conn: Connection, merchant_id: str, code: str, stamps: int, points: int,
                 reason: str | None) -> Adjustment:
    card = rules.card_row(conn, merchant_id, code)
    cleaned = check_reason(reason)
    check_change(_program_kind(conn, merchant_id, card["program_id"]), stamps, points)
    before = rules.balance(conn, merchant_id, code)
    check_balance(before[0], before[1], stamps, points)
    return Adjustment(code, card["holder"], stamps, points, cleaned, before,
                      (before[0] + stamps, before[1] + points))


def preview_adjust(engine: Engine, merchant_id: str, code: str, stamps: int, points: int,
                   reason: str | None) -> Adjustment:
    """What the adjustment would do now (for the confirmation page), or the till's refusal."""
    with reading(engine) as conn:
        return _plan_adjust(conn, merchant_id, code, stamps, points, reason)


class BalanceMoved(Exception):
    """The balance is not the one the owner confirmed against: nothing written, ask again."""

    def __init__(self, plan: Adjustment) -> None:
        super().__init__("the balance changed since the confirmation page")
        self.plan = plan


def adjust(engine: Engine, key: Ed25519PrivateKey, merchant_id: str, code: str, stamps: int, points: int,
           reason: str | None, owner_email: str, seen: tuple[int, int] | None = None) -> Adjustment:
    """Write an ``adjust`` entry in the hub chain, checked under the merchant's lock.

    ``seen`` is the balance the owner confirmed against: when a till's entry arrived since, the
    consequence the owner agreed to is no longer true, so nothing is written (``BalanceMoved``).
    """
    with writing(engine) as conn:
        counter = ChangeCounter(conn, merchant_id)   # the merchant's lock, before the balance is read
        plan = _plan_adjust(conn, merchant_id, code, stamps, points, reason)
        if seen is not None and plan.before != seen:
            raise BalanceMoved(plan)
        now = utc_iso()
        made = hub_chain.append_locked(conn, counter, key, [NewEntry(code, "adjust", stamps=stamps, points=points,
                                                                     reason=plan.reason)], now)
        entry_id = made.entries[0].entry_id
        _record(conn, merchant_id, code, "adjust", plan.reason, owner_email, now, entry_id,
                {"before": list(plan.before), "after": list(plan.after)})
        counter.save()
    return replace(plan, entry_id=entry_id)


def _record(conn: Connection, merchant_id: str, card: str, action: str, reason: str, owner_email: str,
            at: str, entry_id: str | None, detail: dict[str, Any]) -> None:
    conn.execute(sa.insert(console_card_actions).values(
        merchant_id=merchant_id, card=card, action=action, reason=reason, owner_email=owner_email, at=at,
        entry_id=entry_id, detail=json.dumps(detail, separators=(",", ":"))))


def _stored_card(conn: Connection, merchant_id: str, code: str) -> Card:
    found = hub_records.stored(conn, merchant_id, Card, code)
    if not isinstance(found, Card):
        raise LoyaltyError(ErrorCode.CARD_NOT_FOUND, f"No card {format_code(code)} is enrolled at this merchant.")
    return found


def check_status_change(card: Card, status: CardStatus) -> None:
    """The till's rules (card_status.py): nothing to do is refused; a replaced card stays blocked."""
    shown = format_code(card.code)
    if card.status == status.value:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"Card {shown} is already {status.value}; nothing changed.",
                           why="status_same")
    if card.replaced_by is not None:
        raise LoyaltyError(ErrorCode.CARD_BLOCKED, f"Card {shown} was replaced by {format_code(card.replaced_by)}, "
                           "which holds its balance now; it stays blocked.", why="stays_blocked",
                           new=format_code(card.replaced_by))


def preview_status(engine: Engine, merchant_id: str, code: str, status: str, reason: str | None) -> str:
    """The checked reason, or the till's refusal."""
    wanted = _status(status)
    with reading(engine) as conn:
        card = _stored_card(conn, merchant_id, code)
    cleaned = check_reason(reason)
    check_status_change(card, wanted)
    return cleaned


def _status(text: str) -> CardStatus:
    try:
        return CardStatus(text)
    except ValueError:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "Choose active, suspended or blocked.",
                           why="status_unknown") from None


def set_status(engine: Engine, key: Ed25519PrivateKey, merchant_id: str, code: str, status: str,
               reason: str | None, owner_email: str) -> Card:
    """Suspend, block or reactivate: the card record changed at the hub (tills get it by pull)."""
    wanted = _status(status)
    cleaned = check_reason(reason)
    with writing(engine) as conn:
        counter = ChangeCounter(conn, merchant_id)
        card = _stored_card(conn, merchant_id, code)
        check_status_change(card, wanted)
        made = hub_records.write(conn, counter, key, card.model_copy(update={"status": wanted.value}), owner_email)
        _record(conn, merchant_id, code, wanted.value, cleaned, owner_email, made.updated_at, None,
                {"from": card.status})
        counter.save()
    assert isinstance(made, Card)
    return made


def replacement_entries(old: str, new: str, balance: Balance, reason: str) -> tuple[NewEntry, NewEntry]:
    """The ledger pair that moves a blocked card's balance and lifetime points to the card replacing
    it, as the till writes it (``terminal.domain.replacement``). The transfer_in's ``reverses`` must
    name the transfer_out's entry id, known only once it is appended (see ``replace_card``)."""
    pair = replacement_pair(balance)
    return (NewEntry(old, "transfer_out", stamps=pair.transfer_out.stamps, points=pair.transfer_out.points,
                     amount=pair.transfer_out.amount, reason=reason),
            NewEntry(new, "transfer_in", stamps=pair.transfer_in.stamps, points=pair.transfer_in.points,
                     amount=pair.transfer_in.amount, reason=reason))


@dataclass(frozen=True)
class Replaced:
    old: str
    new: str
    stamps: int
    points: int
    enrolled: bool
    transfer_out: str   # entry ids
    transfer_in: str


def _new_code(conn: Connection, merchant_id: str, text: str | None) -> str:
    if text and text.strip():
        return normalize_code(text)
    while True:
        code = new_code()
        if not conn.execute(sa.select(cards.c.code).where(cards.c.merchant_id == merchant_id,
                                                          cards.c.code == code)).first():
            return code


def _check_replaceable(old: Card) -> None:
    shown = format_code(old.code)
    if old.replaced_by is not None:
        raise LoyaltyError(ErrorCode.INVALID_INPUT,
                           f"Card {shown} was already replaced by {format_code(old.replaced_by)}.",
                           why="already_replaced", new=format_code(old.replaced_by))
    if old.status != CardStatus.BLOCKED.value:
        raise LoyaltyError(ErrorCode.INVALID_INPUT,
                           f"Card {shown} is {old.status}: block it first (lost or stolen), then replace it.",
                           why="not_blocked")


def _check_takes_over(conn: Connection, merchant_id: str, old: Card, new: Card) -> Card:
    """The till's rules for an enrolled card taking over; returns it with the customer's details
    when it had none."""
    shown = format_code(new.code)
    if new.status != CardStatus.ACTIVE.value or new.replaced_by is not None:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"Card {shown} is {new.status}; the new card must be an "
                           "active card.", why="new_not_active", new=shown)
    if new.program_id != old.program_id:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"Card {shown} belongs to another program; use a card of "
                           "the same program, or a new card.", why="other_program", new=shown)
    stamps, points = rules.balance(conn, merchant_id, new.code)
    if stamps or points:
        raise LoyaltyError(ErrorCode.INVALID_INPUT, f"Card {shown} already holds {stamps} stamps and {points} "
                           "points; use a new card.", why="new_not_empty", new=shown,
                           stamps=stamps, points=points)
    if new.holder or new.phone or new.email:
        return new
    return new.model_copy(update={name: getattr(old, name) for name in
                                  ("holder", "phone", "email", "birthday", "contact_consent")})


def preview_replace(engine: Engine, merchant_id: str, old_code: str, new_text: str | None,
                    reason: str | None) -> tuple[str | None, tuple[int, int]]:
    """(the new card's code, or None when the hub will make one; the balance that moves), or a refusal."""
    cleaned_new = normalize_code(new_text) if new_text and new_text.strip() else None
    with reading(engine) as conn:
        old = _stored_card(conn, merchant_id, old_code)
        check_reason(reason)
        _check_replaceable(old)
        if cleaned_new == old.code:
            raise LoyaltyError(ErrorCode.INVALID_INPUT, "The new card must be a different card from the one "
                               "it replaces.", why="same_card")
        if cleaned_new is not None:
            existing = hub_records.stored(conn, merchant_id, Card, cleaned_new)
            if isinstance(existing, Card):
                _check_takes_over(conn, merchant_id, old, existing)
        return cleaned_new, rules.balance(conn, merchant_id, old.code)


def replace_card(engine: Engine, key: Ed25519PrivateKey, merchant_id: str, old_code: str, new_text: str | None,
                 reason: str | None, owner_email: str) -> Replaced:
    """Replace a blocked card, in one transaction: the new card (enrolled here when unknown), the
    transfer pair in the hub chain, the old card's ``replaced_by``, the trail."""
    cleaned = check_reason(reason)
    with writing(engine) as conn:
        counter = ChangeCounter(conn, merchant_id)
        old = _stored_card(conn, merchant_id, old_code)
        _check_replaceable(old)
        new_code_ = _new_code(conn, merchant_id, new_text)
        if new_code_ == old.code:
            raise LoyaltyError(ErrorCode.INVALID_INPUT, "The new card must be a different card from the one "
                               "it replaces.", why="same_card")
        now = utc_iso()
        existing = hub_records.stored(conn, merchant_id, Card, new_code_)
        enrolled = existing is None
        if isinstance(existing, Card):
            taking_over = _check_takes_over(conn, merchant_id, old, existing)
            if taking_over != existing:
                hub_records.write(conn, counter, key, taking_over, owner_email)
        else:
            hub_records.write(conn, counter, key, Card(
                code=new_code_, program_id=old.program_id, holder=old.holder, status="active", enrolled_at=now,
                updated_at=now, phone=old.phone, email=old.email, birthday=old.birthday,
                contact_consent=old.contact_consent), owner_email)
            hub_chain.append_locked(conn, counter, key, [NewEntry(new_code_, "enroll")], now)
        stamps, points = rules.balance(conn, merchant_id, old.code)
        lifetime = rules.card_facts(conn, merchant_id, old.code).lifetime_points
        out, came = replacement_entries(old.code, new_code_, Balance(stamps, points, lifetime), cleaned)
        written_out = hub_chain.append_locked(conn, counter, key, [out], now).entries[0]
        written_in = hub_chain.append_locked(conn, counter, key, [replace(came, reverses=written_out.entry_id)],
                                             now).entries[0]
        hub_records.write(conn, counter, key, old.model_copy(update={"replaced_by": new_code_}), owner_email)
        # Every store that knew the old card gets the new one's history on its next pull: the balance lives there.
        for store_id in conn.execute(sa.select(store_cards.c.store_id).where(
                store_cards.c.merchant_id == merchant_id, store_cards.c.card == old.code)).scalars().all():
            mark_seen(conn, store_id, counter, [new_code_])
        _record(conn, merchant_id, old.code, "replaced", cleaned, owner_email, now, written_out.entry_id,
                {"new": new_code_, "stamps": stamps, "points": points, "enrolled": enrolled})
        counter.save()
    return Replaced(old.code, new_code_, stamps, points, enrolled, written_out.entry_id, written_in.entry_id)


def card_actions(engine: Engine, merchant_id: str, code: str) -> list[dict[str, Any]]:
    """The console's trail for one card, newest first."""
    with reading(engine) as conn:
        rows = conn.execute(sa.select(console_card_actions).where(
            console_card_actions.c.merchant_id == merchant_id, console_card_actions.c.card == code)
            .order_by(console_card_actions.c.action_id.desc())).mappings().all()
    return [{**row, "detail": json.loads(row["detail"] or "{}")} for row in rows]


def entry_owners(conn: Connection, merchant_id: str, entry_ids: Sequence[str]) -> dict[str, str]:
    """The owner who made each of these entries from the console (entry id -> e-mail)."""
    if not entry_ids:
        return {}
    found = conn.execute(sa.select(console_card_actions.c.entry_id, console_card_actions.c.owner_email).where(
        console_card_actions.c.merchant_id == merchant_id,
        console_card_actions.c.entry_id.in_(list(entry_ids)))).all()
    return {row.entry_id: row.owner_email for row in found}
