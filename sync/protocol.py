"""The wire format between terminals and the hub, version 1.

Every request body carries ``v`` (the protocol version). A hub refuses a
version it does not speak with HTTP 400 and ``code = "unsupported_version"``;
a malformed message gets 422 and ``code = "malformed"``. Every refusal has
the body of :class:`ErrorBody`.

Models are strict: a value is never coerced (``"3"`` is not 3, ``1.0`` is
not 1), because the hub recomputes each record's hash from exactly the
values it received and a silent conversion would break the chain. Strings
refuse NUL and lone surrogates, which no database stores faithfully; names,
reasons and other free text (and every string in a program's settings) also
refuse control and format characters, by the rule of :mod:`text_rules` that
the till applies at input, so a till never stores text it cannot push.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

import text_rules

PROTOCOL_VERSION: Final = 1  # Final keeps its type Literal[1], the type of every message's ``v``
SUPPORTED_VERSIONS = (PROTOCOL_VERSION,)

# The vocabularies of the wire, each said once. The terminal's enums (EntryKind, CardStatus,
# ProgramKind, Role in terminal.domain) must name the same values: tests/gates/test_wire_vocabulary.py
# checks it, since sync never imports the terminal and the domain never imports sync.
EntryKindName = Literal["enroll", "stamp", "stamp_redeem", "earn", "redeem", "adjust", "void", "expire",
                        "bonus", "transfer_out", "transfer_in"]
CardStatusName = Literal["active", "suspended", "blocked"]
ProgramKindName = Literal["stamps", "points", "hybrid"]
StaffRoleName = Literal["cashier", "owner"]
# Why the hub set one record of a push aside (the rest of the push is stored): another store's
# record, a time ahead of the hub's clock or before TIME_FLOOR, a form the hub could not serve back.
RecordRefusalCode = Literal["record_forbidden", "clock_ahead", "clock_too_old", "record_unservable"]
# Refusals of a whole chain stream (HTTP 422) for a time the hub will not take; the till must fix its clock.
CLOCK_REFUSAL_CODES = ("clock_ahead", "clock_too_old")
# No record or entry is dated before this: the product did not exist, so such a time is a wrong clock.
TIME_FLOOR = "2020-01-01T00:00:00.000000Z"

# Bounds keep every integer inside a signed 64-bit column and inside the
# range JSON numbers survive in other languages.
MAX_INT = 2**53 - 1
MAX_BATCH = 5000
MAX_PAGE = 5000

_UUID = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_HASH = r"^[0-9a-f]{64}$"
_CARD = r"^[0-9A-HJKMNP-TV-Z]{10}$"
_TIME = r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}Z$"
_BAD_CHARS = re.compile(r"[\x00\ud800-\udfff]")


def _clean_text(value: str) -> str:
    if _BAD_CHARS.search(value):
        raise ValueError("text must not contain NUL characters or lone surrogates")
    return value


def _free_text(value: str) -> str:
    found = text_rules.problem(value)
    if found:
        raise ValueError(f"text {found}; retype it without that character")
    return value


def _settings_text(value: Any) -> None:
    stack = [value]  # a loop, not recursion: depth is bounded by _bounded_settings, checked first
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            _free_text(node)
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _json_text(value: str) -> str:
    try:
        json.loads(value)
    except ValueError as exc:
        raise ValueError(f"must be a JSON document: {exc}") from None
    return value


def _json_safe(value: dict[str, Any]) -> dict[str, Any]:
    _clean_text(json.dumps(value, ensure_ascii=False))
    _settings_text(value)
    return value


# ---- free-form JSON: bounded, so a stored record can always be served back -----
# A program's settings nest a few levels (rewards, tiers); 500 levels once
# stored broke every pull of the merchant (the serializer's recursion limit).

MAX_JSON_DEPTH = 16
MAX_SETTINGS_BYTES = 64 * 1024


class FreeFormLimit(ValueError):
    """Free-form JSON nested too deep or too large; the hub answers 422 ``free_form_limit``."""


def _json_depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (0 for a scalar); no recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return depth
            deepest = max(deepest, depth)
            stack.extend((child, depth) for child in (node.values() if isinstance(node, dict) else node))
    return deepest


def _bounded(value: Any) -> Any:
    if _json_depth(value) > MAX_JSON_DEPTH:
        raise FreeFormLimit(f"nests deeper than {MAX_JSON_DEPTH} levels; at most {MAX_JSON_DEPTH} "
                            "are allowed: simplify the record")
    return value


def _bounded_settings(value: dict[str, Any]) -> dict[str, Any]:
    _bounded(value)
    size = len(json.dumps(value, ensure_ascii=False).encode())
    if size > MAX_SETTINGS_BYTES:
        raise FreeFormLimit(f"is {size} bytes as JSON; at most {MAX_SETTINGS_BYTES} are allowed")
    return value


def _bounded_json_text(value: str) -> str:
    _bounded(json.loads(value))
    return value


Text = Annotated[str, Field(max_length=500), AfterValidator(_clean_text), AfterValidator(_free_text)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_clean_text), AfterValidator(_free_text)]
Ident = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_clean_text)]
Uuid = Annotated[str, Field(pattern=_UUID)]
Hash = Annotated[str, Field(pattern=_HASH)]
CardCode = Annotated[str, Field(pattern=_CARD)]
Timestamp = Annotated[str, Field(pattern=_TIME, description="UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ")]
Seq = Annotated[int, Field(ge=1, le=MAX_INT)]
Delta = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
Cursor = Annotated[int, Field(ge=0, le=MAX_INT)]
Signature = Annotated[str, Field(pattern=r"^[A-Za-z0-9+/]{86}==$",
                                 description="Ed25519 signature, base64 (ledger_chain.signing)")]
PublicKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9+/]{43}=$", description="Ed25519 public key, base64")]
ChainStreamName = Literal["entries", "audit"]
# Refusals of a push for its signatures (HTTP 422, or 409 for a key that is not the bound one).
SignatureErrorName = Literal["signature_missing", "signature_invalid", "signing_key_mismatch"]


class WireModel(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Versioned(WireModel):
    v: Literal[1] = Field(description="Protocol version; this hub speaks 1.")


class ErrorBody(WireModel):
    """What every refusal looks like."""

    # Extra keys are ignored so a newer hub can say more to an older terminal.
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    code: str
    message: str
    stream: Literal["entries", "audit", "cards", "programs", "staff", "locks"] | None = None
    expected_seq: int | None = None


# ---- records terminals hold -------------------------------------------------

class Entry(WireModel):
    """One ledger entry; the fields of ``ledger_chain.ENTRY_FIELDS`` plus the links."""

    entry_id: Uuid
    terminal_id: Uuid
    seq: Seq
    card: CardCode
    kind: EntryKindName
    stamps: Delta
    points: Delta
    amount: Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)] | None = Field(
        description="Purchase amount in integer minor units; on transfer_out and transfer_in (a card "
                    "replacement) the lifetime points the pair moves.")
    reward_id: Ident | None
    staff_id: Ident | None
    reason: Text | None
    reverses: Uuid | None
    at: Timestamp
    prev_hash: Hash
    hash: Hash
    sig: Signature | None = Field(default=None, description="The author's signature over ``hash``; "
                                  "required from the author's signing boundary on")


class AuditEvent(WireModel):
    """One audit event; the fields of ``ledger_chain.AUDIT_FIELDS`` plus the links."""

    event_id: Uuid
    terminal_id: Uuid
    seq: Seq
    kind: Ident
    staff_id: Ident | None
    subject: Text | None
    details: Annotated[str, Field(max_length=10_000), AfterValidator(_clean_text),
                       AfterValidator(_json_text), AfterValidator(_bounded_json_text)]
    at: Timestamp
    prev_hash: Hash
    hash: Hash
    sig: Signature | None = Field(default=None, description="The author's signature over ``hash``")


Phone = Annotated[str, Field(min_length=1, max_length=32), AfterValidator(_clean_text), AfterValidator(_free_text)]
Email = Annotated[str, Field(min_length=3, max_length=254), AfterValidator(_clean_text), AfterValidator(_free_text)]
# Optional card fields added after version 1 first shipped (contact details, replacement link).
# Sent only when set, so a peer that predates them still validates a card that does not use them.
CARD_OPTIONAL_FIELDS: Final = ("provisional", "phone", "email", "birthday", "contact_consent", "replaced_by")


class Card(WireModel):
    """A card's enrollment record; the newest ``updated_at`` wins, except that a ``provisional`` one
    (made offline by a till that did not know the card) never replaces a real record's holder,
    program or enrollment: only its status, when newer."""

    code: CardCode
    program_id: Ident
    holder: Text | None
    status: CardStatusName
    enrolled_at: Timestamp
    updated_at: Timestamp
    provisional: bool = False
    phone: Phone | None = None
    email: Email | None = None
    birthday: Annotated[str, Field(pattern=r"^(\d{4}-)?(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
                                   description="YYYY-MM-DD, or MM-DD when the year is not known")] | None = None
    contact_consent: bool = False
    replaced_by: CardCode | None = Field(default=None, description="The card that took over this one's balance.")

    @model_serializer(mode="wrap")
    def _omit_unused_optional_fields(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name in CARD_OPTIONAL_FIELDS:
            if name in data and data[name] in (None, False):
                del data[name]
        return data


class ProgramSettings(WireModel):
    """A loyalty program; ``settings`` holds stamp target, rates, rewards, tiers."""

    program_id: Ident
    name: Name
    kind: ProgramKindName
    settings: Annotated[dict[str, Any], AfterValidator(_bounded_settings), AfterValidator(_json_safe)]
    updated_at: Timestamp


class Staff(WireModel):
    """A staff member. ``pin_hash`` is an Argon2id hash: a PIN never travels."""

    staff_id: Ident
    name: Name
    role: StaffRoleName
    active: bool
    pin_hash: Annotated[str, Field(pattern=r"^\$argon2id\$[!-~]{10,500}$")]
    updated_at: Timestamp
    # Added after version 1 shipped, sent only when set: the member chooses a new PIN at their next
    # sign-in at a till (set by an owner at the hub, cleared by the till that takes the new PIN).
    pin_reset_required: bool = False

    @model_serializer(mode="wrap")
    def _omit_unasked_reset(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("pin_reset_required") is False:
            del data["pin_reset_required"]
        return data


class StaffLock(WireModel):
    """One till's wrong-PIN count for a staff member, in a lock epoch.

    The store's count is the sum over its tills of the rows in the highest
    epoch; merging keeps the larger of (epoch, failures) and the later
    ``locked_until``, so a lower count never unlocks anyone. Only an audited
    reset (an owner's unlock or PIN reset, or a right PIN) starts a new epoch.
    ``updated_at`` is the row's version on its till, for the acknowledgement.
    """

    staff_id: Ident
    terminal_id: Uuid
    epoch: Annotated[int, Field(ge=0, le=MAX_INT)]
    failures: Annotated[int, Field(ge=0, le=MAX_INT)]
    locked_until: Timestamp | None = None
    updated_at: Timestamp


class Overdraft(WireModel):
    """A card whose merchant-wide balance went below zero when entries met at the hub."""

    overdraft_id: int
    card: CardCode
    stamps_balance: int
    points_balance: int
    entry_ids: list[str]
    flagged_at: Timestamp


FlagKindName = Literal["overdraft", "double_void", "daily_limit", "stock"]


class Flag(WireModel):
    """A rule broken across tills, found when their entries met at the hub (an overdraft is one kind).

    ``effect_stamps`` / ``effect_points``: what the flagged entries gave or took beyond the rule (a
    second void: what it gave back again; stamps beyond the daily limit; for stock, units in
    ``detail``). ``detail`` says more per kind: ``limit``, ``count``, ``day`` (daily_limit);
    ``stock``, ``redeemed``, ``reward`` (stock); ``voided`` (double_void). Served at
    ``/sync/v1/flags`` and ``/api/v1/flags``; the older ``Overdraft`` lists carry overdrafts only.
    """

    flag_id: int
    kind: FlagKindName = "overdraft"
    card: CardCode
    stamps_balance: int = 0
    points_balance: int = 0
    entry_ids: list[str]
    effect_stamps: int = 0
    effect_points: int = 0
    reward_id: str | None = None
    detail: dict[str, Any] = {}
    flagged_at: Timestamp


class SignedFrom(WireModel):
    """The first seq of each chain its author signed; records before it were written unsigned."""

    entries: Seq
    audit: Seq


class Receipt(WireModel):
    """The hub's signed word that it holds ``author``'s ``stream`` chain up to ``seq``, ending in ``hash``.

    ``author`` is the chain's terminal id (a hub-authored chain will name
    its own). The hub signs ``ledger_chain.signing.RECEIPT_FIELDS``.
    """

    author: Uuid
    stream: ChainStreamName
    seq: Cursor
    hash: Hash
    at: Timestamp
    sig: Signature


# ---- requests and answers ---------------------------------------------------

class StoreProfile(WireModel):
    """What a joining terminal needs to set up its store: name, time zone, currency."""

    name: Name
    timezone: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+/-]+$")]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


PinKey = Annotated[str, Field(pattern=r"^[A-Za-z0-9+/]{43}=$",
                              description="The store's 32-byte PIN key, base64")]


class PairRequest(Versioned):
    """Pair a terminal. Three cases:

    - plain (no ``store``, ``pin_key``, ``join``): only a token;
    - a terminal with its own store data pairs the hub store with it: it sends
      its ``store`` profile and ``pin_key`` (the hub keeps the key wrapped);
    - a fresh terminal joins (``join``): the answer brings the store's profile
      and PIN key, so its staff's PINs work here too.
    """

    code: Annotated[str, Field(min_length=4, max_length=32), AfterValidator(_clean_text)]
    terminal_id: Uuid
    store: StoreProfile | None = None
    pin_key: PinKey | None = None
    join: bool = False
    signing_key: PublicKey | None = Field(default=None, description="The till's chain key, bound to its id")
    signed_from: SignedFrom | None = None


class PairResponse(Versioned):
    token: str
    terminal_id: str
    merchant_id: str
    merchant_name: str
    store_id: str
    store_name: str
    store: StoreProfile | None = None
    pin_key: str | None = None
    hub_key: str | None = Field(default=None, description="The hub's public key that signs receipts")


class TillStatus(WireModel):
    """What a till says of itself on a push, for the owner's dashboard: what it still has to push
    once this push is stored (its own ledger entries and audit events) and its app version."""

    pending_entries: Annotated[int, Field(ge=0, le=MAX_INT)]
    pending_audit: Annotated[int, Field(ge=0, le=MAX_INT)]
    app_version: Annotated[str, Field(min_length=1, max_length=40,
                                      pattern=r"^[0-9A-Za-z][0-9A-Za-z.+\-]*$")] | None = None


# Optional push fields added after version 1 first shipped; sent only when set, so a hub that
# predates them still validates a push that does not use them.
PUSH_OPTIONAL_FIELDS: Final = ("status",)


class PushRequest(Versioned):
    """Records of the pushing terminal, each stream in ascending ``seq``."""

    terminal_id: Uuid
    entries: Annotated[list[Entry], Field(max_length=MAX_BATCH)] = []
    audit: Annotated[list[AuditEvent], Field(max_length=MAX_BATCH)] = []
    cards: Annotated[list[Card], Field(max_length=MAX_BATCH)] = []
    programs: Annotated[list[ProgramSettings], Field(max_length=MAX_BATCH)] = []
    staff: Annotated[list[Staff], Field(max_length=MAX_BATCH)] = []
    locks: Annotated[list[StaffLock], Field(max_length=MAX_BATCH)] = []
    # A till paired before signing registers its key once, on a push (trust on first use).
    signing_key: PublicKey | None = None
    signed_from: SignedFrom | None = None
    status: TillStatus | None = None

    @model_serializer(mode="wrap")
    def _omit_unused_optional_fields(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for name in PUSH_OPTIONAL_FIELDS:
            if name in data and data[name] is None:
                del data[name]
        return data


class RecordRefusal(WireModel):
    """One card, program or staff record of a push that the hub did not take; the rest was stored.

    ``current`` is the hub's version of a card or program (never of staff, which
    belong to their store), so the till can put it back in place of the refused one.
    """

    stream: Literal["cards", "programs", "staff"]
    key: str
    updated_at: str
    code: RecordRefusalCode
    message: str
    current_card: Card | None = None
    current_program: ProgramSettings | None = None


class PushResponse(Versioned):
    """How far the hub has stored this terminal's chains (0 = nothing yet)."""

    entries_through: int
    audit_through: int
    entries_stored: int
    entries_duplicate: int
    audit_stored: int
    audit_duplicate: int
    records_applied: int
    overdrafts: list[Overdraft] = []
    refused: list[RecordRefusal] = []
    receipts: list[Receipt] = []
    hub_key: PublicKey | None = Field(default=None, description="The key the receipts are signed with; a till "
                                      "paired before signing keeps it once (pairing hands it to others)")


class PullResponse(Versioned):
    """Changes after the asked cursor up to ``cursor``; ask again while ``has_more``."""

    cursor: int
    has_more: bool
    entries: list[Entry] = []
    cards: list[Card] = []
    programs: list[ProgramSettings] = []
    staff: list[Staff] = []
    overdrafts: list[Overdraft] = []
    locks: list[StaffLock] = []


class CardWithEntries(Versioned):
    """A card fetched on demand, with every entry the hub holds for it."""

    card: Card | None
    entries: list[Entry]
    stamps_balance: int
    points_balance: int
