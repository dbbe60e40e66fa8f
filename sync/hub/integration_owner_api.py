"""The owner's side of integrations: make, list and revoke integration credentials (owner token).

Under ``/api/v1/integrations`` (plural), beside the owner API; the
integration API itself is under ``/api/v1/integration/`` (integration_api.py).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from sync.hub import admin, integration_credentials
from sync.hub.auth import OwnerPrincipal, owner_principal
from sync.hub.errors import HubError, documented

router = APIRouter(prefix="/api/v1/integrations", tags=["owner"], responses=documented(400, 401, 403, 404, 422))
Owner = Annotated[OwnerPrincipal, Depends(owner_principal)]
CredentialPath = Annotated[str, Path(pattern=r"^[0-9a-f]{12}$")]


class NewCredentialRequest(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$")]
    scope: Literal["read", "write"] = "write"


class Credential(BaseModel):
    credential_id: str
    name: str
    scope: str
    created_at: str
    revoked_at: str | None


class NewCredential(BaseModel):
    credential_id: str
    scope: str
    credential: str = Field(description="Shown only now: send it as 'Authorization: Bearer ...'")


@router.post("", status_code=201, response_model=NewCredential)
def add_credential(request: Request, who: Owner, body: NewCredentialRequest) -> NewCredential:
    """A new integration credential for another system (shown once, stored hashed)."""
    try:
        made = integration_credentials.create(request.app.state.engine, who.merchant_id, body.name, body.scope)
    except admin.AdminError as exc:
        raise HubError(422, "invalid_credential_request", str(exc)) from None
    return NewCredential(credential_id=made.credential_id, scope=made.scope, credential=made.secret)


@router.get("", response_model=list[Credential])
def list_credentials(request: Request, who: Owner) -> list[Credential]:
    """This merchant's integration credentials by id (the secrets are never shown again)."""
    return [Credential(**vars(c)) for c in integration_credentials.list_all(request.app.state.engine, who.merchant_id)]


@router.post("/{credential_id}/revoke", response_model=Credential)
def revoke_credential(request: Request, who: Owner, credential_id: CredentialPath) -> Credential:
    """End an integration credential at once."""
    try:
        info = integration_credentials.revoke(request.app.state.engine, who.merchant_id, credential_id)
    except admin.AdminError:
        raise HubError(404, "credential_not_found", f"no integration credential {credential_id}") from None
    return Credential(**vars(info))
