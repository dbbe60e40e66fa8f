"""The hub's web application: terminals' sync endpoints and the owner API.

OpenAPI docs are served at ``/docs`` and ``/openapi.json``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.engine import Engine

from sync.hub import (
    integration_api,
    integration_owner_api,
    keywrap,
    owner_api,
    secret_store,
    signing,
    sync_api,
    webhook_api,
)
from sync.hub.console import mount_console
from sync.hub.errors import install_handlers
from sync.hub.limits import BodyLimit, HubLimits, PairingThrottle
from sync.hub.migrations import migrate
from sync.hub.time_rules import TimeRules
from sync.hub.webhook_delivery import DeliverySettings, DeliveryWorker
from sync.protocol import PROTOCOL_VERSION

VERSION = "1.0"


__all__ = ["HubLimits", "create_app"]


def create_app(engine: Engine, *, run_migrations: bool = True,
               master_key_file: Path | None = None, limits: HubLimits | None = None,
               signing_key_file: Path | None = None,
               webhook_delivery: DeliverySettings | None = None) -> FastAPI:
    """The app on ``engine``; the schema is brought up to date first.

    ``master_key_file`` (default: see ``keywrap.default_master_key_path``)
    is read, or made, the first time a store's PIN key, a webhook secret or a
    TOTP secret is wrapped or unwrapped (secret_store.py).
    ``limits``: request body size and pairing attempts (see limits.py).
    ``signing_key_file`` (default: see ``signing.default_signing_key_path``)
    holds the hub's Ed25519 key that signs push receipts; made at first use.
    ``webhook_delivery``: run a webhook delivery worker on a thread for the
    app's lifespan (``loyalty-hub serve`` does unless ``--no-webhooks``).
    """
    limits = limits or HubLimits()
    if run_migrations:
        migrate(engine)
    master_key = secret_store.lazy_master_key(master_key_file or keywrap.default_master_key_path(engine))
    secret_store.use_master_key(engine, master_key)
    app = FastAPI(
        title="Loyalty Terminal hub",
        version=VERSION,
        lifespan=_webhook_lifespan(engine, webhook_delivery, master_key),
        description="Terminals push their hash-chained ledgers and pull what other terminals "
                    "did; owners read cards, transactions, stats and flagged overdrafts. "
                    f"Sync protocol version {PROTOCOL_VERSION}.",
    )
    app.state.engine = engine
    app.state.master_key = master_key
    app.state.time_rules = TimeRules(timedelta(minutes=limits.max_clock_ahead_minutes))
    app.state.hub_key = signing.lazy_hub_key(signing_key_file or signing.default_signing_key_path(engine))
    app.state.pairing_throttle = PairingThrottle(engine, limits.pairing_attempts, limits.pairing_window_seconds)
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    install_handlers(app)
    app.include_router(sync_api.router)
    app.include_router(owner_api.router)
    app.include_router(integration_api.router)
    app.include_router(integration_owner_api.router)
    mount_console(app)
    app.include_router(webhook_api.router)

    @app.get("/health", tags=["ops"])
    def health() -> dict[str, object]:
        """Liveness check for load balancers."""
        return {"status": "ok", "protocol": PROTOCOL_VERSION}

    return app


def _webhook_lifespan(engine: Engine, settings: DeliverySettings | None,  # noqa: ANN202
                      master_key: secret_store.MasterKey):
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:  # secrets a hub from before schema 20 kept in clear
            secret_store.seal_clear_secrets(engine, master_key)
        except keywrap.MasterKeyError as exc:  # they are sealed at first use once the key is back
            logging.getLogger(__name__).error("secrets left in clear: %s", exc)
        worker = DeliveryWorker(engine, settings, master_key=master_key).start() if settings else None
        try:
            yield
        finally:
            if worker:
                worker.stop()

    return lifespan
