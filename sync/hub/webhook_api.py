"""The owner API for webhooks: endpoints, the delivery log, replays (see webhooks.py)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from sync.hub import delivery_attempts, delivery_log, webhooks
from sync.hub.auth import OwnerPrincipal, owner_principal
from sync.hub.db import reading, writing
from sync.hub.errors import HubError, documented

# 400: a body that is not JSON at all (FastAPI's own answer, before any check of ours).
router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"], responses=documented(400, 401, 403, 404, 422))
Owner = Annotated[OwnerPrincipal, Depends(owner_principal)]
IdPath = Annotated[str, Path(pattern=r"^[0-9a-f-]{6,36}$")]
StatusName = Literal["pending", "delivered", "failed", "cancelled"]


class NewEndpoint(BaseModel):
    url: str = Field(max_length=webhooks.MAX_URL, description="http(s) address of the receiver")
    events: list[str] = Field(min_length=1, max_length=len(webhooks.EVENT_TYPES) + 1,
                              description="event types, or ['*'] for all: " + ", ".join(webhooks.EVENT_TYPES))
    description: str | None = Field(default=None, max_length=200)


class EndpointInfo(BaseModel):
    endpoint_id: str
    url: str
    events: list[str]
    description: str | None
    created_at: str
    secret: str | None = Field(default=None, description="only in the answer that made the endpoint")


class DeliveryInfo(BaseModel):
    delivery_id: str
    event_id: str
    endpoint_id: str
    type: str
    replay_of: str | None
    status: str
    attempts: int
    next_attempt_at: str
    last_error: str | None
    response_code: int | None
    created_at: str
    delivered_at: str | None


class AttemptInfo(BaseModel):
    attempt: int = Field(description="the try's number: 1 for the first; a missing number is a try whose "
                                     "worker stopped before recording it")
    started_at: str | None = Field(description="UTC; null for a try made before the hub kept each try")
    duration_ms: int | None
    response_code: int | None = Field(description="the HTTP status, null when no answer came")
    error_kind: str | None = Field(description="the transport error's kind (ConnectError, ReadTimeout, …)")
    answer: str | None = Field(description="the status line or the error (at most 500 characters); never a body")


class RemovedEndpoint(BaseModel):
    endpoint_id: str


def _engine(request: Request):  # noqa: ANN202
    return request.app.state.engine


def _refused(exc: webhooks.WebhookError) -> HubError:
    if isinstance(exc, webhooks.WebhookNotFound):
        return HubError(404, "webhook_not_found", str(exc))
    return HubError(422, "webhook_invalid", str(exc))


@router.post("", response_model=EndpointInfo, status_code=201)
def add_endpoint(request: Request, who: Owner, body: NewEndpoint) -> EndpointInfo:
    """Register an endpoint; the answer holds its signing secret, shown this once."""
    try:
        with writing(_engine(request)) as conn:
            made = webhooks.add_endpoint(conn, who.merchant_id, body.url, body.events, body.description)
    except webhooks.WebhookError as exc:
        raise _refused(exc) from None
    return EndpointInfo(**{k: v for k, v in vars(made).items() if k != "removed_at"})


@router.get("", response_model=list[EndpointInfo])
def list_endpoints(request: Request, who: Owner) -> list[EndpointInfo]:
    """This merchant's endpoints (their secrets are never shown again)."""
    with reading(_engine(request)) as conn:
        found = webhooks.list_endpoints(conn, who.merchant_id)
    return [EndpointInfo(**{k: v for k, v in vars(e).items() if k not in ("removed_at", "secret")}) for e in found]


@router.delete("/{endpoint_id}", response_model=RemovedEndpoint)
def remove_endpoint(request: Request, who: Owner, endpoint_id: IdPath) -> RemovedEndpoint:
    """Stop sending to this endpoint; its pending deliveries are cancelled, its log stays."""
    try:
        with writing(_engine(request)) as conn:
            return RemovedEndpoint(endpoint_id=webhooks.remove_endpoint(conn, who.merchant_id, endpoint_id))
    except webhooks.WebhookError as exc:
        raise _refused(exc) from None


@router.get("/deliveries", response_model=list[DeliveryInfo])
def deliveries(request: Request, who: Owner, endpoint_id: Annotated[str | None, Query(max_length=36)] = None,
               status: StatusName | None = None,
               limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[DeliveryInfo]:
    """The delivery log, newest first: status, attempts, the last error and response code."""
    with reading(_engine(request)) as conn:
        rows = webhooks.list_deliveries(conn, who.merchant_id, endpoint_id=endpoint_id, status=status, limit=limit)
    return [DeliveryInfo(**row) for row in rows]


@router.get("/deliveries/{delivery_id}/attempts", response_model=list[AttemptInfo])
def attempts(request: Request, who: Owner, delivery_id: IdPath) -> list[AttemptInfo]:
    """Every try of this delivery (its id or first 6+ characters), first first: when, how long, the outcome.

    A replay is a delivery of its own: its tries are under its id.
    """
    try:
        with reading(_engine(request)) as conn:
            found = delivery_log.find(conn, who.merchant_id, delivery_id)
            rows = delivery_attempts.of_delivery(conn, who.merchant_id, found)
    except webhooks.WebhookError as exc:
        raise _refused(exc) from None
    return [AttemptInfo(**row) for row in rows]


@router.post("/deliveries/{delivery_id}/replay", response_model=DeliveryInfo, status_code=201)
def replay(request: Request, who: Owner, delivery_id: IdPath) -> DeliveryInfo:
    """Send this delivery's event again to its endpoint, as a new delivery with a new id."""
    try:
        with writing(_engine(request)) as conn:
            made = webhooks.replay(conn, who.merchant_id, delivery_id)
            [row] = webhooks.list_deliveries(conn, who.merchant_id, delivery_id=made["delivery_id"])
    except webhooks.WebhookError as exc:
        raise _refused(exc) from None
    return DeliveryInfo(**row)
