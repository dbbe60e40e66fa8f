"""The endpoints terminals call: pair, push, pull and fetch a card."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel

from sync.hub import feed, flags, ingest, pairing, receipts, reports
from sync.hub.auth import TerminalPrincipal, terminal_principal
from sync.hub.errors import documented, unsupported_version
from sync.hub.limits import client_address, pairing_throttle
from sync.protocol import (
    MAX_INT,
    MAX_PAGE,
    PROTOCOL_VERSION,
    CardWithEntries,
    Flag,
    Overdraft,
    PairRequest,
    PairResponse,
    PullResponse,
    PushRequest,
    PushResponse,
)

_ERRORS = documented(400, 401, 403, 404, 409, 422)
router = APIRouter(prefix="/sync/v1", tags=["terminals"], responses=_ERRORS)
Terminal = Annotated[TerminalPrincipal, Depends(terminal_principal)]
VersionQuery = Annotated[int, Query(description="Protocol version; this hub speaks 1.")]


def _check_version(v: int) -> None:
    if v != PROTOCOL_VERSION:
        raise unsupported_version(v)


@router.post("/pair", response_model=PairResponse, dependencies=[Depends(pairing_throttle)],
             responses=documented(413, 429))
def pair(request: Request, body: PairRequest) -> PairResponse:
    """Exchange a one-time pairing code for this terminal's own token.

    Failed attempts are limited per client address (429 with ``Retry-After``).
    """
    answer = pairing.pair(request.app.state.engine, body, request.app.state.master_key,
                          request.app.state.hub_key)
    request.app.state.pairing_throttle.paired(client_address(request))
    return answer


def _answer(model: BaseModel) -> Response:
    """The answer serialized here, in the endpoint's worker thread.

    Returned as a model, FastAPI would validate it again and serialize it in
    another trip through the thread pool; the hub built it from its own
    models, so the declared ``response_model`` (the OpenAPI schema, checked
    by the schemathesis tests) already holds for it.
    """
    return Response(model.model_dump_json(), media_type="application/json")


@router.post("/push", response_model=PushResponse)
def push(request: Request, who: Terminal, body: PushRequest) -> Response:
    """Store this terminal's entries, audit events and changed records, each exactly once."""
    pushed = ingest.push(request.app.state.engine, who, body, getattr(request.app.state, "time_rules", None))
    return _answer(receipts.with_receipts(request.app.state.hub_key, who.terminal_id, pushed.answer, pushed.heads))


@router.get("/pull", response_model=PullResponse)
def pull(
    request: Request,
    who: Terminal,
    cursor: Annotated[int, Query(ge=0, le=MAX_INT, description="From the last page; 0 at first")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1000,
    v: VersionQuery = PROTOCOL_VERSION,
) -> Response:
    """Changes after ``cursor``; ask again with the answer's cursor while ``has_more``."""
    _check_version(v)
    return _answer(feed.pull(request.app.state.engine, who, cursor, limit))


@router.get("/cards/{code}", response_model=CardWithEntries)
def fetch_card(
    request: Request,
    who: Terminal,
    code: Annotated[str, Path(pattern=r"^[0-9A-HJKMNP-TV-Z]{10}$")],
    v: VersionQuery = PROTOCOL_VERSION,
) -> CardWithEntries:
    """A card first scanned at this store, with its entries; later pulls keep it current."""
    _check_version(v)
    return feed.fetch_card(request.app.state.engine, who, code)


@router.get("/overdrafts", response_model=list[Overdraft])
def overdrafts(
    request: Request,
    who: Terminal,
    after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    v: VersionQuery = PROTOCOL_VERSION,
) -> list[Overdraft]:
    """Overdraft flags of this terminal's merchant, oldest first, for the owner's view on a till."""
    _check_version(v)
    return reports.list_overdrafts(request.app.state.engine, who.merchant_id, after=after, limit=limit)


@router.get("/flags", response_model=list[Flag])
def flag_list(
    request: Request,
    who: Terminal,
    after: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    v: VersionQuery = PROTOCOL_VERSION,
) -> list[Flag]:
    """Every flag of this terminal's merchant (overdrafts, second voids, daily limit, stock), oldest first."""
    _check_version(v)
    return flags.list_flags(request.app.state.engine, who.merchant_id, after=after, limit=limit)
