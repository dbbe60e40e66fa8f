"""The integration API: other systems enroll, stamp, earn from orders, redeem and refund.

Authenticated with an integration credential (integration_credentials.py);
writes need scope ``write``. Every write:

- takes an ``Idempotency-Key`` header: the same key with the same request
  within 24 h answers the first answer again (header ``Idempotent-Replayed:
  true``) and writes nothing; the same key with another request is refused
  (422 ``idempotency_key_reused``). Writers take the merchant's write lock
  before looking the key up, so two requests with one key at once make one
  write. A refusal (cooldown, balance, ...) is not remembered: sending the
  same key again checks again.
- names the order it belongs to (``source`` and ``order_id``);
- is checked with the till's own rules (integration_rules.py and
  ``terminal.domain``), with the same error codes, and written into the
  merchant's hub chain (hub_chain.py), which the tills pull.

Refunds reverse exactly the points an order earned (campaign bonuses
included), in proportion to the amount refunded: after refunds totalling R
of an order of amount A whose earn entry got E points and bonuses B,
floor(E x R / A) + floor(B x R / A) points have been taken back, so a full
refund takes back E + B and never more. The earn share is an adjustment
with the reason ``refund:<source>:<order_id>``, which lowers lifetime points
(and so the tier) as a till's void of the earn does
(``terminal.domain.ledger.lifetime_delta``); the bonus share's reason is
``refund-bonus:…``, as bonuses never counted toward lifetime points.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.engine import Connection

from sync.hub import hub_chain
from sync.hub import integration_rules as rules
from sync.hub.admin import utc_iso
from sync.hub.db import ChangeCounter, reading, writing
from sync.hub.errors import HubError, documented
from sync.hub.hub_chain import NewEntry
from sync.hub.integration_credentials import Reader, Writer
from sync.hub.schema import cards, entries, idempotency_keys, integration_orders
from sync.protocol import MAX_INT, Entry
from terminal.domain.campaigns import purchase_bonuses, stamp_bonuses
from terminal.domain.codes import new_code, normalize_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import ORDER_REFUND_BONUS_REASON, ORDER_REFUND_REASON
from terminal.domain.money import check_amount, minor_digits
from terminal.domain.policy import check_stamp_allowed, local_day_bounds
from terminal.domain.programs import Program, points_for_purchase, tier_for

IDEMPOTENCY_WINDOW = timedelta(hours=24)
_SWEEP_EVERY = 100
router = APIRouter(prefix="/api/v1/integration", tags=["integration"],
                   responses=documented(400, 401, 403, 404, 409, 422))

Source = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$",
                              description="The system the order comes from, e.g. 'webshop'")]
OrderId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[\x21-\x7e]+$",
                               description="The order's id in that system")]
IdemKey = Annotated[str, Header(alias="Idempotency-Key", min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$",
                                description="A unique key per intended write; resend it with a retry")]
CardPath = Annotated[str, Path(min_length=1, max_length=40, description="The card code (dashes optional)")]
Amount = Annotated[int, Field(ge=1, le=MAX_INT, description="Integer minor units (cents; rupiah)")]


class EnrollRequest(BaseModel):
    code: Annotated[str, Field(min_length=1, max_length=40)] | None = Field(
        default=None, description="A pre-printed card's code; omitted: the hub makes one")
    program_id: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        default=None, description="Needed when the merchant has several programs")
    holder: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")] | None = None
    source: Source
    order_id: OrderId


class StampRequest(BaseModel):
    source: Source
    order_id: OrderId


class OrderRequest(BaseModel):
    card: Annotated[str, Field(min_length=1, max_length=40)]
    amount: Amount
    source: Source
    order_id: OrderId


class RedeemRequest(BaseModel):
    card: Annotated[str, Field(min_length=1, max_length=40)]
    reward_id: Annotated[str, Field(min_length=1, max_length=64)]
    source: Source
    order_id: OrderId


class RefundRequest(BaseModel):
    source: Source
    order_id: OrderId
    amount: Amount


class CardOut(BaseModel):
    code: str
    program_id: str
    holder: str | None
    status: str
    stamps: int
    points: int
    lifetime_points: int
    tier: str | None


class EntryOut(BaseModel):
    entry_id: str
    seq: int
    terminal_id: str
    kind: str
    stamps: int
    points: int
    amount: int | None
    reward_id: str | None
    reason: str | None
    reverses: str | None
    at: str


class ActionOut(BaseModel):
    card: CardOut
    entries: list[EntryOut]


class OrderOut(BaseModel):
    source: str
    order_id: str
    card: CardOut
    amount: int
    points: int = Field(description="Points the order earned, campaign bonuses included")
    refunded_amount: int
    refunded_points: int
    entries: list[EntryOut] = Field(description="The entries this request wrote")


class HistoryOut(BaseModel):
    card: str
    entries: list[EntryOut]
    next_after: int | None = Field(description="Pass as ``after`` for the next page; null on the last")


# ---- refusals ------------------------------------------------------------------

_STATUS = {ErrorCode.CARD_NOT_FOUND: 404, ErrorCode.REWARD_NOT_FOUND: 404, ErrorCode.PROGRAM_NOT_FOUND: 404,
           ErrorCode.CARD_EXISTS: 409, ErrorCode.STORE_NOT_INITIALISED: 409}


def _refusal(exc: LoyaltyError) -> HubError:
    return HubError(_STATUS.get(exc.code, 422), exc.code.value, exc.message)


def _code(text: str) -> str:
    try:
        return normalize_code(text)
    except LoyaltyError as exc:
        raise _refusal(exc) from None


# ---- idempotent writes -----------------------------------------------------------

Action = Callable[[Connection, ChangeCounter, Ed25519PrivateKey], tuple[int, BaseModel]]


_IDEMPOTENCY_KEY = sa.select(idempotency_keys).where(idempotency_keys.c.merchant_id == sa.bindparam("m"),
                                                    idempotency_keys.c.idem_key == sa.bindparam("k"))


def _idempotent(request: Request, merchant_id: str, key: str, body: BaseModel, action: Action) -> JSONResponse:
    fingerprint = hashlib.sha256(json.dumps([request.method, request.url.path, body.model_dump(mode="json")],
                                            sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    hub_key = request.app.state.hub_key()
    cutoff = utc_iso(datetime.now(UTC) - IDEMPOTENCY_WINDOW)
    try:
        with writing(request.app.state.engine) as conn:
            counter = ChangeCounter(conn, merchant_id)  # the merchant's lock: one key, one write at a time
            where = sa.and_(idempotency_keys.c.merchant_id == merchant_id, idempotency_keys.c.idem_key == key)
            seen = conn.execute(_IDEMPOTENCY_KEY, {"m": merchant_id, "k": key}).mappings().one_or_none()
            if seen is not None and seen["created_at"] >= cutoff:
                if seen["request_hash"] != fingerprint:
                    raise HubError(422, "idempotency_key_reused",
                                   "this Idempotency-Key was used within 24 hours for a different request; "
                                   "use a new key for a new write, the same key only to resend the same one")
                return JSONResponse(json.loads(seen["response"]), status_code=seen["status_code"],
                                    headers={"Idempotent-Replayed": "true"})
            if seen is not None:
                conn.execute(sa.delete(idempotency_keys).where(where))
            status, answer = action(conn, counter, hub_key)
            payload = answer.model_dump(mode="json")
            conn.execute(sa.insert(idempotency_keys).values(
                merchant_id=merchant_id, idem_key=key, request_hash=fingerprint, status_code=status,
                response=json.dumps(payload, separators=(",", ":")), created_at=utc_iso()))
            if secrets.randbelow(_SWEEP_EVERY) == 0:  # now and then, forget this merchant's expired keys
                conn.execute(sa.delete(idempotency_keys).where(idempotency_keys.c.merchant_id == merchant_id,
                                                               idempotency_keys.c.created_at < cutoff))
            counter.save()
    except LoyaltyError as exc:
        raise _refusal(exc) from None
    return JSONResponse(payload, status_code=status)


def _entry_out(e: Any) -> EntryOut:
    values = e if isinstance(e, dict) else e.model_dump()
    return EntryOut.model_validate({name: values[name] for name in EntryOut.model_fields})


def _card_out(conn: Connection, merchant_id: str, code: str, known: _Known | None = None) -> CardOut:
    """The card as it stands; ``known``: what the write already read in this transaction, so the
    answer does not read the card, its program and its history a second time."""
    stamps, points = rules.balance(conn, merchant_id, code)
    if known is not None:
        card, program, lifetime = known.card, known.program, known.lifetime_points
    else:
        card = rules.card_row(conn, merchant_id, code)
        lifetime = rules.card_facts(conn, merchant_id, code).lifetime_points
        try:
            program = rules.load_program(conn, merchant_id, card["program_id"]).program
        except LoyaltyError:
            program = None
    found = tier_for(program.tiers, lifetime) if program is not None else None
    return CardOut(code=code, program_id=card["program_id"], holder=card["holder"], status=card["status"],
                   stamps=stamps, points=points, lifetime_points=lifetime, tier=found.name if found else None)


@dataclass(frozen=True)
class _Known:
    card: Any
    program: Program
    lifetime_points: int  # after the write


def _known(card: Any, program: Program, facts: rules.CardFacts, made: Sequence[Entry]) -> _Known:
    return _Known(card, program, facts.lifetime_points + rules.lifetime_of(made))


def _order_reason(source: str, order_id: str) -> str:
    return f"order:{source}:{order_id}"


# ---- endpoints -------------------------------------------------------------------

@router.post("/cards", status_code=201, response_model=CardOut)
def enroll(request: Request, body: EnrollRequest, who: Writer, idempotency_key: IdemKey) -> JSONResponse:
    """Enroll a card (a pre-printed code, or one the hub makes) in a program."""
    m = who.merchant_id

    def act(conn: Connection, counter: ChangeCounter, key: Ed25519PrivateKey) -> tuple[int, BaseModel]:
        code = _code(body.code) if body.code else _unused_code(conn, m)
        if conn.execute(sa.select(cards.c.code).where(cards.c.merchant_id == m, cards.c.code == code)).first():
            raise LoyaltyError(ErrorCode.CARD_EXISTS, f"Card {code} is already enrolled.")
        program_id = body.program_id or rules.only_program(conn, m)
        loaded = rules.load_program(conn, m, program_id)
        if not loaded.program.active:
            raise LoyaltyError(ErrorCode.PROGRAM_RETIRED, f"{loaded.program.name} is retired: it takes nothing new.")
        author = hub_chain.hub_author(conn, m, key)
        now = utc_iso()
        conn.execute(sa.insert(cards).values(
            merchant_id=m, code=code, program_id=program_id, holder=body.holder, status="active", enrolled_at=now,
            updated_at=now, origin_terminal_id=author["terminal_id"], change_id=counter.take(), provisional=False,
            origin_store_id=author["store_id"]))
        hub_chain.append_locked(conn, counter, key, [NewEntry(code, "enroll",
                                                              reason=_order_reason(body.source, body.order_id))], now)
        return 201, _card_out(conn, m, code)

    return _idempotent(request, m, idempotency_key, body, act)


def _unused_code(conn: Connection, merchant_id: str) -> str:
    while True:
        code = new_code()
        if not conn.execute(sa.select(cards.c.code).where(cards.c.merchant_id == merchant_id,
                                                          cards.c.code == code)).first():
            return code


@router.get("/cards/{code}", response_model=CardOut)
def look_up(code: CardPath, request: Request, who: Reader) -> CardOut:
    """A card's status, balance, lifetime points and tier."""
    card = _code(code)
    try:
        with reading(request.app.state.engine) as conn:
            return _card_out(conn, who.merchant_id, card)
    except LoyaltyError as exc:
        raise _refusal(exc) from None


@router.post("/cards/{code}/stamps", status_code=201, response_model=ActionOut)
def stamp(code: CardPath, request: Request, body: StampRequest, who: Writer,
          idempotency_key: IdemKey) -> JSONResponse:
    """One stamp (and any campaign bonus), under the cooldown and daily limit the till applies."""
    m, card_code = who.merchant_id, _code(code)

    def act(conn: Connection, counter: ChangeCounter, key: Ed25519PrivateKey) -> tuple[int, BaseModel]:
        card = rules.card_row(conn, m, card_code)
        loaded = rules.load_program(conn, m, card["program_id"])
        program = loaded.program
        rules.require_usable(card, program)
        if not program.kind.has_stamps:
            raise LoyaltyError(ErrorCode.WRONG_PROGRAM_KIND, f"{program.name} collects points, not stamps.")
        author = hub_chain.hub_author(conn, m, key)
        store = rules.store_facts(conn, author["store_id"])
        now = datetime.now(UTC)
        facts = rules.card_facts(conn, m, card_code)
        limits = rules.stamp_limits(program, store.tz)
        start, end = local_day_bounds(now, limits.tz)
        today = len([t for t in facts.stamp_times if start <= t < end])
        check_stamp_allowed(limits, now, facts.last_stamp, today)
        new = [NewEntry(card_code, "stamp", stamps=1, reason=_order_reason(body.source, body.order_id))]
        visit = rules.visit(card, program, facts, now, store.tz)
        new += [NewEntry(card_code, "bonus", stamps=b.stamps, points=b.points, reason=b.reason)
                for b in stamp_bonuses(program.campaigns, visit, program.kind.has_points)]
        made = hub_chain.append_locked(conn, counter, key, new, rules.wire_time(now), author=author)
        return 201, ActionOut(card=_card_out(conn, m, card_code, _known(card, program, facts, made.entries)),
                              entries=[_entry_out(e) for e in made.entries])

    return _idempotent(request, m, idempotency_key, body, act)


@router.post("/orders", status_code=201, response_model=OrderOut)
def earn(request: Request, body: OrderRequest, who: Writer, idempotency_key: IdemKey) -> JSONResponse:
    """Points for an order: the rate, minimum amount, cap, tier and campaigns the till applies."""
    m, card_code = who.merchant_id, _code(body.card)

    def act(conn: Connection, counter: ChangeCounter, key: Ed25519PrivateKey) -> tuple[int, BaseModel]:
        if _order(conn, m, body.source, body.order_id) is not None:
            raise HubError(409, "order_exists", f"order {body.order_id} of {body.source} has already earned points; "
                           "refund it with /api/v1/integration/refunds, or resend with its first Idempotency-Key")
        card = rules.card_row(conn, m, card_code)
        program = rules.load_program(conn, m, card["program_id"]).program
        rules.require_usable(card, program)
        if not program.kind.has_points:
            raise LoyaltyError(ErrorCode.WRONG_PROGRAM_KIND, f"{program.name} collects stamps, not points.")
        author = hub_chain.hub_author(conn, m, key)
        store = rules.store_facts(conn, author["store_id"])
        check_amount(body.amount, store.currency, rules.MAX_AMOUNT_MINOR)
        now = datetime.now(UTC)
        facts = rules.card_facts(conn, m, card_code)
        tier = tier_for(program.tiers, facts.lifetime_points)
        percent = tier.multiplier_percent if tier else 100
        digits = minor_digits(store.currency)
        points = points_for_purchase(program.earning, body.amount, digits, store.currency, percent)
        if points <= 0:
            raise LoyaltyError(ErrorCode.AMOUNT_BELOW_MINIMUM, "This amount is too small to earn a point.")
        visit = rules.visit(card, program, facts, now, store.tz)
        bonuses = purchase_bonuses(program.campaigns, visit, program.earning, body.amount, digits, percent, points,
                                   program.kind.has_stamps)
        new = [NewEntry(card_code, "earn", points=points, amount=body.amount,
                        reason=_order_reason(body.source, body.order_id))]
        new += [NewEntry(card_code, "bonus", stamps=b.stamps, points=b.points, reason=b.reason) for b in bonuses]
        made = hub_chain.append_locked(conn, counter, key, new, rules.wire_time(now), author=author)
        earned = sum(e.points for e in made.entries)
        conn.execute(sa.insert(integration_orders).values(
            merchant_id=m, source=body.source, order_id=body.order_id, card=card_code, amount=body.amount,
            points=earned, entry_id=made.entries[0].entry_id, created_at=rules.wire_time(now)))
        return 201, OrderOut(source=body.source, order_id=body.order_id,
                             card=_card_out(conn, m, card_code, _known(card, program, facts, made.entries)),
                             amount=body.amount, points=earned, refunded_amount=0, refunded_points=0,
                             entries=[_entry_out(e) for e in made.entries])

    return _idempotent(request, m, idempotency_key, body, act)


def _order(conn: Connection, merchant_id: str, source: str, order_id: str) -> Any:
    return conn.execute(_ORDER, {"m": merchant_id, "s": source, "o": order_id}).mappings().one_or_none()


_ORDER = sa.select(integration_orders).where(integration_orders.c.merchant_id == sa.bindparam("m"),
                                             integration_orders.c.source == sa.bindparam("s"),
                                             integration_orders.c.order_id == sa.bindparam("o"))


@router.post("/refunds", status_code=201, response_model=OrderOut)
def refund(request: Request, body: RefundRequest, who: Writer, idempotency_key: IdemKey) -> JSONResponse:
    """Take back an order's points in proportion to the amount refunded (all of them for a full refund)."""
    m = who.merchant_id

    def act(conn: Connection, counter: ChangeCounter, key: Ed25519PrivateKey) -> tuple[int, BaseModel]:
        order = _order(conn, m, body.source, body.order_id)
        if order is None:
            raise HubError(404, "order_not_found", f"no order {body.order_id} of {body.source} earned points here")
        left = order["amount"] - order["refunded_amount"]
        if body.amount > left:
            raise LoyaltyError(ErrorCode.INVALID_AMOUNT,
                               f"Only {left} of this order's {order['amount']} is left to refund.")
        earn_points = conn.execute(sa.select(entries.c.points).where(
            entries.c.merchant_id == m, entries.c.entry_id == order["entry_id"])).scalar_one()
        shares = rules.refund_shares(earn_points, order["points"], order["amount"], order["refunded_amount"],
                                     body.amount)
        back = sum(shares)
        _, points = rules.balance(conn, m, order["card"])
        if back > points:
            raise LoyaltyError(ErrorCode.INSUFFICIENT_BALANCE,
                               f"The refund takes back {back} points; the card has {points}: the points were spent.")
        new = [NewEntry(order["card"], "adjust", points=-share, reason=f"{prefix}{body.source}:{body.order_id}")
               for share, prefix in zip(shares, (ORDER_REFUND_REASON, ORDER_REFUND_BONUS_REASON), strict=True)
               if share]
        if new:  # the refunded amount on the first
            new[0] = dataclasses.replace(new[0], amount=-body.amount)
        made = hub_chain.append_locked(conn, counter, key, new) if new else hub_chain.Appended([], [])
        conn.execute(sa.update(integration_orders).where(
            integration_orders.c.merchant_id == m, integration_orders.c.source == body.source,
            integration_orders.c.order_id == body.order_id).values(
                refunded_amount=order["refunded_amount"] + body.amount,
                refunded_points=order["refunded_points"] + back))
        return 201, OrderOut(source=body.source, order_id=body.order_id, card=_card_out(conn, m, order["card"]),
                             amount=order["amount"], points=order["points"],
                             refunded_amount=order["refunded_amount"] + body.amount,
                             refunded_points=order["refunded_points"] + back,
                             entries=[_entry_out(e) for e in made.entries])

    return _idempotent(request, m, idempotency_key, body, act)


@router.post("/redemptions", status_code=201, response_model=ActionOut)
def redeem(request: Request, body: RedeemRequest, who: Writer, idempotency_key: IdemKey) -> JSONResponse:
    """Redeem a reward: availability, stock and balance checked as at the till."""
    m, card_code = who.merchant_id, _code(body.card)

    def act(conn: Connection, counter: ChangeCounter, key: Ed25519PrivateKey) -> tuple[int, BaseModel]:
        card = rules.card_row(conn, m, card_code)
        loaded = rules.load_program(conn, m, card["program_id"])
        rules.require_usable(card, loaded.program)
        reward = next((r for r in loaded.rewards if r.reward_id == body.reward_id), None)
        if reward is None:
            raise LoyaltyError(ErrorCode.REWARD_NOT_FOUND, f"That reward is not part of {loaded.program.name}.")
        now = datetime.now(UTC)
        why = reward.unavailable_reason(now)
        if why:
            raise LoyaltyError(ErrorCode.REWARD_NOT_AVAILABLE, why)
        if reward.stock is not None and rules.redeemed_since(conn, m, reward.reward_id, loaded.version) >= reward.stock:
            raise LoyaltyError(ErrorCode.REWARD_OUT_OF_STOCK, f"{reward.name} is out of stock.")
        stamps, points = rules.balance(conn, m, card_code)
        if stamps < reward.cost_stamps or points < reward.cost_points:
            raise LoyaltyError(ErrorCode.INSUFFICIENT_BALANCE,
                               f"{reward.name} needs {reward.cost_stamps} stamps and {reward.cost_points} points; "
                               f"the card has {stamps} stamps and {points} points.")
        kind = "stamp_redeem" if reward.cost_stamps and not reward.cost_points else "redeem"
        made = hub_chain.append_locked(conn, counter, key, [NewEntry(
            card_code, kind, stamps=-reward.cost_stamps, points=-reward.cost_points, reward_id=reward.reward_id,
            reason=_order_reason(body.source, body.order_id))], rules.wire_time(now))
        return 201, ActionOut(card=_card_out(conn, m, card_code), entries=[_entry_out(e) for e in made.entries])

    return _idempotent(request, m, idempotency_key, body, act)


@router.get("/cards/{code}/history", response_model=HistoryOut)
def history(code: CardPath, request: Request, who: Reader,
            after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
            limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> HistoryOut:
    """The card's entries from every till and the hub, oldest first, in pages."""
    card = _code(code)
    with reading(request.app.state.engine) as conn:
        try:
            rules.card_row(conn, who.merchant_id, card)
        except LoyaltyError as exc:
            raise _refusal(exc) from None
        rows = conn.execute(sa.select(entries).where(entries.c.merchant_id == who.merchant_id,
                                                     entries.c.card == card, entries.c.change_id > after)
                            .order_by(entries.c.change_id).limit(limit)).mappings().all()
    return HistoryOut(card=card, entries=[_entry_out(dict(r)) for r in rows],
                      next_after=rows[-1]["change_id"] if len(rows) == limit else None)
