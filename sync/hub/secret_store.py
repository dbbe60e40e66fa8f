"""Secrets the hub must use again, kept wrapped with its master key: webhook and TOTP secrets.

A webhook endpoint's signing secret and an owner's TOTP secret cannot be
hashed like tokens: the hub signs each delivery with the first and
recomputes codes from the second. So they are wrapped (keywrap.py) with the
master key, which lives outside the database: a dump of the database alone
neither signs a delivery nor passes a second factor. Each is bound to its
row (endpoint or account id): a wrapped value copied to another row does
not unwrap.

Databases from before schema 20 hold them in clear, and the schema step has
no master key. The hub seals them when it starts (``seal_clear_secrets``,
run by the app's lifespan) and, should a clear one still turn up (written by
an older hub process during an upgrade), when it next uses it.

Which master key: the app registers its own for its engine
(``use_master_key``); elsewhere (the CLI) it is the default file
(``$LOYALTY_HUB_MASTER_KEY_FILE``, see keywrap.default_master_key_path),
made there only for a database that holds nothing wrapped yet.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from sync.hub import keywrap
from sync.hub.db import reading, writing
from sync.hub.schema import owner_accounts, store_profiles, webhook_endpoints

MasterKey = Callable[[], bytes]
WEBHOOK = "webhook-endpoint"
TOTP = "owner-totp"
_WHAT = {WEBHOOK: "webhook signing secret", TOTP: "TOTP secret"}

log = logging.getLogger(__name__)
_keys: weakref.WeakKeyDictionary[Engine, MasterKey] = weakref.WeakKeyDictionary()
_keys_lock = threading.Lock()


def lazy_master_key(path: Path) -> MasterKey:
    """A loader reading (or making) the master key file the first time it is called."""
    lock = threading.Lock()
    loaded: list[bytes] = []

    def master_key() -> bytes:
        with lock:
            if not loaded:
                loaded.append(keywrap.load_master_key(path))
            return loaded[0]

    return master_key


def use_master_key(engine: Engine, master_key: MasterKey) -> None:
    """Seal and open this engine's secrets with ``master_key`` (the app's own)."""
    with _keys_lock:
        _keys[engine] = master_key


def master_key_for(engine: Engine) -> MasterKey:
    with _keys_lock:
        found = _keys.get(engine)
        if found is None:
            found = _keys[engine] = _default_master_key(engine)
        return found


def _default_master_key(engine: Engine) -> MasterKey:
    """The default file's key; never a new one for a database that already holds wrapped secrets.

    A CLI command run without ``$LOYALTY_HUB_MASTER_KEY_FILE`` next to a hub
    served with ``--master-key-file`` would otherwise make a second key and
    wrap with it what the hub then cannot open.
    """
    path = keywrap.default_master_key_path(engine)
    load = lazy_master_key(path)

    def master_key() -> bytes:
        if not path.exists() and holds_wrapped_secrets(engine):
            raise keywrap.MasterKeyError(
                f"the master key file {path} is missing, yet this database holds secrets wrapped with a "
                "master key: set $LOYALTY_HUB_MASTER_KEY_FILE to the file the hub is served with")
        return load()

    return master_key


def holds_wrapped_secrets(engine: Engine) -> bool:
    with reading(engine) as conn:
        return any(conn.execute(sa.select(column).where(column.is_not(None)).limit(1)).first() is not None
                   for column in (store_profiles.c.pin_key_wrapped, webhook_endpoints.c.secret_wrapped,
                                  owner_accounts.c.totp_secret_wrapped))


def seal(master_key: MasterKey, kind: str, row_id: str, secret: str) -> str:
    return keywrap.wrap(master_key(), secret.encode(), f"{kind}:{row_id}")


def unseal(master_key: MasterKey, kind: str, row_id: str, wrapped: str) -> str:
    return keywrap.unwrap(master_key(), wrapped, f"{kind}:{row_id}", _WHAT[kind]).decode()


def seal_endpoint_secret(conn: Connection, master_key: MasterKey, endpoint_id: str, clear: str) -> None:
    """Wrap an endpoint's clear secret and blank the clear column (a no-op if another process did)."""
    ep = webhook_endpoints
    conn.execute(sa.update(ep).where(ep.c.endpoint_id == endpoint_id, ep.c.secret == clear)
                 .values(secret_wrapped=seal(master_key, WEBHOOK, endpoint_id, clear), secret=""))


def seal_totp_secret(conn: Connection, master_key: MasterKey, account_id: str, clear: str) -> None:
    oa = owner_accounts
    conn.execute(sa.update(oa).where(oa.c.account_id == account_id, oa.c.totp_secret == clear)
                 .values(totp_secret_wrapped=seal(master_key, TOTP, account_id, clear), totp_secret=None))


def clear_secrets_left(engine: Engine) -> int:
    """How many webhook and TOTP secrets are still in clear."""
    with reading(engine) as conn:
        return _count_clear(conn)


def _count_clear(conn: Connection) -> int:
    ep, oa = webhook_endpoints, owner_accounts
    endpoints = conn.execute(sa.select(sa.func.count()).select_from(ep).where(ep.c.secret != "")).scalar_one()
    accounts = conn.execute(sa.select(sa.func.count()).select_from(oa)
                            .where(oa.c.totp_secret.is_not(None))).scalar_one()
    return int(endpoints) + int(accounts)


def seal_clear_secrets(engine: Engine, master_key: MasterKey | None = None) -> int:
    """Wrap every secret still in clear; return how many were. The key is read only if there are any."""
    if clear_secrets_left(engine) == 0:
        return 0
    master_key = master_key or master_key_for(engine)
    ep, oa = webhook_endpoints, owner_accounts
    sealed = 0
    with writing(engine) as conn:
        for endpoint_id, clear in conn.execute(sa.select(ep.c.endpoint_id, ep.c.secret)
                                               .where(ep.c.secret != "")).all():
            seal_endpoint_secret(conn, master_key, endpoint_id, clear)
            sealed += 1
        for account_id, clear in conn.execute(sa.select(oa.c.account_id, oa.c.totp_secret)
                                              .where(oa.c.totp_secret.is_not(None))).all():
            seal_totp_secret(conn, master_key, account_id, clear)
            sealed += 1
    log.info("sealed %d webhook/TOTP secret(s) held in clear with the master key", sealed)
    return sealed
