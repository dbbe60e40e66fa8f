"""Integration credentials: what another system (a register, a web shop) calls the hub with.

Like owner tokens (tokens.py): 256 random bits with a prefix of their own,
shown once, stored as a SHA-256 hash. Each belongs to one merchant, has a
short public id (listed, revoked by) and a scope: ``read`` (look cards up,
read history) or ``write`` (read, and enroll, stamp, earn, redeem, refund).
Revoking ends its access at once. Its last use is kept to the minute: an
authentication writes it only when the stored time is older than
``LAST_USED_EVERY`` (one conditional UPDATE), so a busy register's calls
read the row and write nothing.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine

from sync.hub import tokens
from sync.hub.admin import AdminError, utc_iso
from sync.hub.db import looking_up, reading, writing
from sync.hub.errors import HubError
from sync.hub.schema import integration_credentials, merchants

log = logging.getLogger(__name__)

PREFIX = "lt_int_"
Scope = Literal["read", "write"]
SCOPES: tuple[Scope, ...] = ("read", "write")
LAST_USED_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class NewCredential:
    credential_id: str
    secret: str
    scope: Scope


@dataclass(frozen=True)
class CredentialInfo:
    credential_id: str
    name: str
    scope: str
    created_at: str
    revoked_at: str | None
    last_used_at: str | None = None


@dataclass(frozen=True)
class IntegrationPrincipal:
    merchant_id: str
    credential_id: str
    scope: str


def create(engine: Engine, merchant_id: str, name: str, scope: str) -> NewCredential:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise AdminError("give the integration a name of 1 to 200 characters (e.g. 'web shop')")
    if scope not in SCOPES:
        raise AdminError(f"scope must be 'read' or 'write' (read and write), not {scope!r}")
    secret = PREFIX + secrets.token_urlsafe(32)
    credential_id = secrets.token_hex(6)
    with writing(engine) as conn:
        known = sa.select(merchants.c.merchant_id).where(merchants.c.merchant_id == merchant_id)
        if conn.execute(known).first() is None:
            raise AdminError(f"no merchant {merchant_id!r}")
        conn.execute(sa.insert(integration_credentials).values(
            credential_hash=tokens.secret_hash(secret), credential_id=credential_id, merchant_id=merchant_id,
            name=name, scope=scope, created_at=utc_iso()))
    return NewCredential(credential_id, secret, scope)  # type: ignore[arg-type]


def list_all(engine: Engine, merchant_id: str) -> list[CredentialInfo]:
    with reading(engine) as conn:
        rows = conn.execute(sa.select(integration_credentials)
                            .where(integration_credentials.c.merchant_id == merchant_id)
                            .order_by(integration_credentials.c.created_at)).mappings().all()
    return [CredentialInfo(r["credential_id"], r["name"], r["scope"], r["created_at"], r["revoked_at"],
                           r["last_used_at"]) for r in rows]


def revoke(engine: Engine, merchant_id: str, credential_id: str) -> CredentialInfo:
    with writing(engine) as conn:
        row = conn.execute(sa.select(integration_credentials)
                           .where(integration_credentials.c.merchant_id == merchant_id,
                                  integration_credentials.c.credential_id == (credential_id or "").strip().lower())
                           ).mappings().one_or_none()
        if row is None:
            raise AdminError(f"no integration credential {credential_id!r}; see 'loyalty-hub integrations list'")
        revoked_at = row["revoked_at"] or utc_iso()
        conn.execute(sa.update(integration_credentials)
                     .where(integration_credentials.c.credential_hash == row["credential_hash"])
                     .values(revoked_at=revoked_at))
    return CredentialInfo(row["credential_id"], row["name"], row["scope"], row["created_at"], revoked_at,
                          row["last_used_at"])


_bearer = HTTPBearer(auto_error=False, description="An integration credential (lt_int_...)")


def _principal(request: Request, credentials: HTTPAuthorizationCredentials | None) -> IntegrationPrincipal:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise HubError(401, "unauthorized", "no credential: send 'Authorization: Bearer lt_int_...'",
                       headers={"WWW-Authenticate": "Bearer"})
    secret = credentials.credentials
    if not secret.startswith(PREFIX):
        raise HubError(403, "wrong_token", "this endpoint needs an integration credential "
                       "(from 'loyalty-hub integrations add')")
    engine, hashed = request.app.state.engine, tokens.secret_hash(secret)
    c = integration_credentials.c
    with looking_up(engine) as conn:
        row = conn.execute(sa.select(c.merchant_id, c.credential_id, c.scope, c.revoked_at, c.last_used_at)
                           .where(c.credential_hash == hashed)).one_or_none()
    if row is None or row.revoked_at is not None:
        raise HubError(401, "unauthorized", "unknown or revoked integration credential; ask the owner for one "
                       "('loyalty-hub integrations add')", headers={"WWW-Authenticate": "Bearer"})
    try:
        note_use(engine, hashed, row.last_used_at)
    except sa.exc.OperationalError as exc:
        # Bookkeeping only: a busy or failing database must not refuse a call that authenticated.
        log.warning("integration credential %s: its last use was not recorded (%s)", row.credential_id,
                    str(exc).splitlines()[0])
    return IntegrationPrincipal(row.merchant_id, row.credential_id, row.scope)


def note_use(engine: Engine, credential_hash: str, stored: str | None, now: datetime | None = None) -> bool:
    """Record a use when the stored one is a minute old or more; return whether it wrote.

    Most calls see a fresh ``stored`` (read with the credential) and write
    nothing. The UPDATE repeats the condition, so hub workers authenticating
    the same credential at once write it once.
    """
    moment = now or datetime.now(UTC)
    stale = utc_iso(moment - LAST_USED_EVERY)
    if stored is not None and stored > stale:
        return False
    c = integration_credentials.c
    with writing(engine) as conn:
        done = conn.execute(sa.update(integration_credentials)
                            .where(c.credential_hash == credential_hash,
                                   sa.or_(c.last_used_at.is_(None), c.last_used_at <= stale))
                            .values(last_used_at=utc_iso(moment)))
    return done.rowcount == 1


def reader(request: Request,
           credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> IntegrationPrincipal:
    return _principal(request, credentials)


def writer(request: Request,
           credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> IntegrationPrincipal:
    who = _principal(request, credentials)
    if who.scope != "write":
        raise HubError(403, "read_only_credential",
                       "this credential may only read; the owner can make one with scope 'write'")
    return who


Reader = Annotated[IntegrationPrincipal, Depends(reader)]
Writer = Annotated[IntegrationPrincipal, Depends(writer)]
