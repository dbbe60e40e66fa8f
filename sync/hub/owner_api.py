"""The owner API: cards, transactions, stats and flagged overdrafts; ending and recovering
tills' access and owner tokens.

Authenticated with an owner token (``loyalty-hub init`` prints the first
one; ``loyalty-hub tokens add`` makes more); every answer is limited to
that token's merchant.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from sync.hub import admin, flags, record_rules, reports
from sync.hub.auth import OwnerPrincipal, owner_principal
from sync.hub.db import writing
from sync.hub.errors import HubError, documented
from sync.protocol import MAX_INT, Flag, Overdraft

_ERRORS = documented(401, 403, 404, 422)
router = APIRouter(prefix="/api/v1", tags=["owner"], responses=_ERRORS)
Owner = Annotated[OwnerPrincipal, Depends(owner_principal)]
Limit = Annotated[int, Query(ge=1, le=1000)]
CardPath = Annotated[str, Path(pattern=r"^[0-9A-HJKMNP-TV-Z]{10}$")]
TerminalPath = Annotated[str, Path(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
TokenIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")]
# A date (2024-05-01) or a wire timestamp; compared as text, which sorts by time.
When = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z?)?$")]


class CardSummary(BaseModel):
    code: str
    program_id: str | None
    holder: str | None
    status: str | None
    enrolled_at: str | None
    updated_at: str | None
    stamps: int
    points: int


class Transaction(BaseModel):
    entry_id: str
    terminal_id: str
    store_id: str | None = None
    seq: int
    card: str
    kind: str
    stamps: int
    points: int
    amount: int | None
    reward_id: str | None
    staff_id: str | None
    reason: str | None
    reverses: str | None
    at: str
    hash: str
    change_id: int


class CardList(BaseModel):
    cards: list[CardSummary]
    next_after: str | None


class CardDetail(BaseModel):
    card: CardSummary
    entries: list[Transaction]


class TransactionPage(BaseModel):
    transactions: list[Transaction]
    next_after: int | None


class StoreStats(BaseModel):
    store_id: str
    name: str
    entries: int


class Stats(BaseModel):
    entries: int
    cards_active: int
    cards_enrolled: int
    stamps_given: int
    stamps_taken: int
    points_given: int
    points_taken: int
    amount_total: int
    overdrafts: int
    by_kind: dict[str, int]
    stores: list[StoreStats]


class OverdraftPage(BaseModel):
    overdrafts: list[Overdraft]
    next_after: int | None


class TerminalInfo(BaseModel):
    terminal_id: str
    name: str
    paired_at: str
    entries_through: int
    audit_through: int
    revoked_at: str | None = None


class TerminalRevoked(BaseModel):
    terminal_id: str
    revoked_at: str


class RecoveryCode(BaseModel):
    """A one-time code only this till may pair with; it replaces the till's token."""

    terminal_id: str
    code: str
    expires_at: str


class OwnerToken(BaseModel):
    token_id: str
    created_at: str
    revoked_at: str | None


class StoreInfo(BaseModel):
    store_id: str
    name: str
    created_at: str
    terminals: list[TerminalInfo]


def _engine(request: Request) -> Any:
    return request.app.state.engine


@router.get("/cards", response_model=CardList)
def cards(request: Request, who: Owner,
          status: Annotated[str | None, Query(pattern="^(active|suspended|blocked)$")] = None,
          after: Annotated[str | None, Query(max_length=10, pattern=r"^[0-9A-Z]{1,10}$")] = None,
          limit: Limit = 100) -> CardList:
    """Cards with their merchant-wide balances, by code; page with ``after``."""
    rows = reports.list_cards(_engine(request), who.merchant_id, status=status, after=after, limit=limit)
    return CardList(cards=rows, next_after=rows[-1]["code"] if len(rows) == limit else None)


@router.get("/cards/{code}", response_model=CardDetail)
def card(request: Request, who: Owner, code: CardPath) -> CardDetail:
    """One card, its balance and every entry."""
    found = reports.card_detail(_engine(request), who.merchant_id, code)
    if found is None:
        raise HubError(404, "card_not_found", f"no card {code} at this merchant")
    return CardDetail(**found)


@router.get("/transactions", response_model=TransactionPage)
def transactions(request: Request, who: Owner,
                 card: Annotated[str | None, Query(pattern=r"^[0-9A-HJKMNP-TV-Z]{10}$")] = None,
                 terminal_id: Annotated[str | None, Query(max_length=36)] = None,
                 store_id: Annotated[str | None, Query(max_length=36)] = None,
                 kind: Annotated[str | None, Query(max_length=16)] = None,
                 since: When = None, until: When = None,
                 after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
                 limit: Limit = 100) -> TransactionPage:
    """Ledger entries in the order the hub received them; ``until`` is exclusive."""
    rows = reports.transactions(_engine(request), who.merchant_id, card=card, terminal_id=terminal_id,
                                store_id=store_id, kind=kind, since=since, until=until,
                                after=after, limit=limit)
    return TransactionPage(transactions=rows,
                           next_after=rows[-1]["change_id"] if len(rows) == limit else None)


@router.get("/stats", response_model=Stats)
def stats(request: Request, who: Owner, since: When = None, until: When = None) -> Stats:
    """Totals over entries made in [since, until)."""
    return Stats(**reports.stats(_engine(request), who.merchant_id, since=since, until=until))


@router.get("/overdrafts", response_model=OverdraftPage)
def overdrafts(request: Request, who: Owner,
               after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
               limit: Limit = 100) -> OverdraftPage:
    """Cards flagged because their balance went below zero when terminals' entries met."""
    rows = reports.list_overdrafts(_engine(request), who.merchant_id, after=after, limit=limit)
    return OverdraftPage(overdrafts=rows,
                         next_after=rows[-1].overdraft_id if len(rows) == limit else None)


class FlagPage(BaseModel):
    flags: list[Flag]
    next_after: int | None


@router.get("/flags", response_model=FlagPage)
def flag_list(request: Request, who: Owner,
              after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
              limit: Limit = 100) -> FlagPage:
    """Every flag: overdrafts, second voids, stamps beyond the daily limit, rewards beyond their stock."""
    rows = flags.list_flags(_engine(request), who.merchant_id, after=after, limit=limit)
    return FlagPage(flags=rows, next_after=rows[-1].flag_id if len(rows) == limit else None)


@router.get("/stores", response_model=list[StoreInfo])
def stores(request: Request, who: Owner) -> list[StoreInfo]:
    """Stores and their paired terminals, with how far each terminal's ledger reached the hub."""
    return [StoreInfo(**s) for s in reports.list_stores(_engine(request), who.merchant_id)]


class ProgramStores(BaseModel):
    program_id: str
    allowed_stores: list[str]


ProgramPath = Annotated[str, Path(min_length=1, max_length=64)]
StorePath = Annotated[str, Path(min_length=1, max_length=36)]


def _program_rule(request: Request, who: OwnerPrincipal, program_id: str, store_id: str | None,
                  change: Any) -> ProgramStores:
    try:
        with writing(_engine(request)) as conn:
            allowed = (record_rules.allowed_stores(conn, who.merchant_id, program_id) if change is None
                       else change(conn, who.merchant_id, program_id, store_id))
    except record_rules.ProgramRuleError as exc:
        raise HubError(404, "not_found", str(exc)) from None
    return ProgramStores(program_id=program_id, allowed_stores=allowed)


class ProgramRule(BaseModel):
    program_id: str
    name: str
    updated_at: str
    origin_terminal_id: str
    origin_store_id: str | None
    allowed_stores: list[str]


@router.get("/programs", response_model=list[ProgramRule])
def program_rules(request: Request, who: Owner) -> list[ProgramRule]:
    """Programs, the till and store that changed each last, and the stores allowed to change it."""
    with writing(_engine(request)) as conn:
        return [ProgramRule(**info) for info in record_rules.list_programs(conn, who.merchant_id)]


@router.get("/programs/{program_id}/stores", response_model=ProgramStores)
def program_stores(request: Request, who: Owner, program_id: ProgramPath) -> ProgramStores:
    """The stores whose tills may change this program (by default the one that created it)."""
    return _program_rule(request, who, program_id, None, None)


@router.post("/programs/{program_id}/stores/{store_id}", response_model=ProgramStores)
def allow_program_store(request: Request, who: Owner, program_id: ProgramPath,
                        store_id: StorePath) -> ProgramStores:
    """Let tills of this store change the program (its tiers and rewards too)."""
    return _program_rule(request, who, program_id, store_id, record_rules.allow)


@router.delete("/programs/{program_id}/stores/{store_id}", response_model=ProgramStores)
def disallow_program_store(request: Request, who: Owner, program_id: ProgramPath,
                           store_id: StorePath) -> ProgramStores:
    """Tills of this store may no longer change the program; their changes get ``record_forbidden``."""
    return _program_rule(request, who, program_id, store_id, record_rules.disallow)


@router.post("/terminals/{terminal_id}/revoke", response_model=TerminalRevoked)
def revoke_terminal(request: Request, who: Owner, terminal_id: TerminalPath) -> TerminalRevoked:
    """End a till's access at once (its token gets 401 ``terminal_revoked``); recover lets it back in."""
    try:
        tid, revoked_at = admin.revoke_terminal(_engine(request), terminal_id, who.merchant_id)
    except admin.AdminError:
        raise HubError(404, "terminal_not_found", f"no terminal {terminal_id} at this merchant") from None
    return TerminalRevoked(terminal_id=tid, revoked_at=revoked_at)


@router.post("/terminals/{terminal_id}/recover", response_model=RecoveryCode)
def recover_terminal(request: Request, who: Owner, terminal_id: TerminalPath) -> RecoveryCode:
    """A one-time recovery code for this till (valid 24 hours); using it ends the old token."""
    try:
        pairing = admin.recover_terminal(_engine(request), terminal_id, merchant_id=who.merchant_id)
    except admin.AdminError:
        raise HubError(404, "terminal_not_found", f"no terminal {terminal_id} at this merchant") from None
    return RecoveryCode(terminal_id=terminal_id, code=pairing.code, expires_at=pairing.expires_at)


@router.get("/tokens", response_model=list[OwnerToken])
def owner_tokens(request: Request, who: Owner) -> list[OwnerToken]:
    """This merchant's owner tokens by id (the tokens themselves are never shown again)."""
    return [OwnerToken(**vars(t)) for t in admin.list_owner_tokens(_engine(request), who.merchant_id)]


@router.post("/tokens/{token_id}/revoke", response_model=OwnerToken)
def revoke_owner_token(request: Request, who: Owner, token_id: TokenIdPath) -> OwnerToken:
    """End an owner token at once (this one too, if named)."""
    try:
        info = admin.revoke_owner_token(_engine(request), who.merchant_id, token_id)
    except admin.AdminError:
        raise HubError(404, "token_not_found", f"no owner token {token_id} at this merchant") from None
    return OwnerToken(**vars(info))
