"""Who is calling: a paired terminal or a merchant's owner, from a Bearer token.

Every query an endpoint makes is scoped by the merchant (and for terminals
the store and terminal) found here, never by ids the caller sends.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from sync.hub import tokens
from sync.hub.db import looking_up
from sync.hub.errors import HubError
from sync.hub.schema import owner_tokens, terminals

_bearer = HTTPBearer(auto_error=False, description="A terminal token (from pairing) or an owner token (from init)")


@dataclass(frozen=True)
class TerminalPrincipal:
    terminal_id: str
    merchant_id: str
    store_id: str
    pulled_through: int


@dataclass(frozen=True)
class OwnerPrincipal:
    merchant_id: str


def _unauthorized(message: str) -> HubError:
    return HubError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})


def _token(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise _unauthorized("no token: send 'Authorization: Bearer <token>'")
    return credentials.credentials


_TERMINAL_OF_TOKEN = (sa.select(terminals.c.terminal_id, terminals.c.merchant_id, terminals.c.store_id,
                                terminals.c.pulled_through, terminals.c.revoked_at)
                      .where(terminals.c.token_hash == sa.bindparam("h")))


def terminal_principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> TerminalPrincipal:
    token = _token(credentials)
    if not token.startswith(tokens.TERMINAL_PREFIX):
        raise HubError(403, "wrong_token", "this endpoint is for paired terminals; "
                       "an owner token works only on /api/v1")
    with looking_up(request.app.state.engine) as conn:
        row = conn.execute(_TERMINAL_OF_TOKEN, {"h": tokens.secret_hash(token)}).one_or_none()
    if row is None:
        raise _unauthorized("unknown or replaced terminal token: pair this terminal again "
                            "with a recovery code from 'loyalty-hub terminals recover'")
    if row.revoked_at is not None:
        raise HubError(401, "terminal_revoked",
                       f"the owner ended this terminal's access at {row.revoked_at}; its data stays on "
                       "the terminal; the owner can let it back in with a recovery code "
                       f"('loyalty-hub terminals recover {row.terminal_id[:8]}')",
                       headers={"WWW-Authenticate": "Bearer"})
    return TerminalPrincipal(row.terminal_id, row.merchant_id, row.store_id, row.pulled_through)


def owner_principal(
    request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
) -> OwnerPrincipal:
    token = _token(credentials)
    if not token.startswith(tokens.OWNER_PREFIX):
        raise HubError(403, "wrong_token", "this endpoint needs an owner token "
                       "(from 'loyalty-hub init' or 'loyalty-hub tokens add')")
    with looking_up(request.app.state.engine) as conn:
        merchant_id = conn.execute(
            sa.select(owner_tokens.c.merchant_id)
            .where(owner_tokens.c.token_hash == tokens.secret_hash(token),
                   owner_tokens.c.revoked_at.is_(None))).scalar_one_or_none()
    if merchant_id is None:
        raise _unauthorized("unknown or revoked owner token")
    return OwnerPrincipal(merchant_id)
