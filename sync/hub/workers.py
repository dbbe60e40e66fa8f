"""``loyalty-hub serve --workers N``: the hub in N uvicorn worker processes on one database.

The parent process checks the settings, loads (or makes) the key files once
and resolves their paths, then uvicorn's supervisor starts N processes that
share the listening socket; each builds its own app and engine from the
settings handed down in ``$LOYALTY_HUB_WORKER_CONFIG`` (the workers are
spawned, not forked, so nothing but the environment reaches them).

Several workers need PostgreSQL: SQLite has one writer at a time, so more
processes on it only queue behind each other's locks, and ``serve`` refuses.
Correctness across processes does not depend on the workers knowing of each
other: pushes and hub-chain writes take their merchant's row lock
(``db.ChangeCounter``), pulls read one snapshot, and webhook deliveries are
claimed with leases under ``FOR UPDATE SKIP LOCKED`` (webhook_delivery.py).
So every worker also runs a delivery worker: a delivery is claimed, sent and
recorded by exactly one of them, and delivery capacity grows with the
workers. ``--no-webhooks`` leaves delivery to a separate
``loyalty-hub webhooks run`` process instead.

SIGTERM or Ctrl-C reaches the supervisor, which asks each worker to stop:
a worker finishes the requests in flight, its delivery worker finishes the
requests it has sent (recording their outcome), and the process exits.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from sync.hub import keywrap, signing
from sync.hub.db import create_hub_engine
from sync.hub.limits import HubLimits
from sync.hub.webhook_delivery import DeliverySettings

ENV_CONFIG = "LOYALTY_HUB_WORKER_CONFIG"
MAX_WORKERS = 64
# Seconds a stopping worker gives requests in flight before it cuts them off.
GRACEFUL_SHUTDOWN_S = 10
# Seconds an idle connection stays open. Longer than the idle time of a proxy's pooled connections
# (Caddy 120 s, nginx's upstream keepalive_timeout 60 s, AWS load balancers 60 s) and of httpx's (5 s):
# the client side closes first. With uvicorn's 5 s a proxy could send a push on a connection the hub was
# closing, and the till got a 502.
KEEP_ALIVE_S = 130

log = logging.getLogger(__name__)


class ServeError(ValueError):
    """Settings ``serve`` cannot run with; the message says what to change."""


@dataclass(frozen=True)
class WorkerConfig:
    """What each worker process needs to build the same app as the others."""

    database_url: str
    master_key_file: str
    signing_key_file: str
    max_body_bytes: int
    pairing_attempts: int
    max_clock_ahead_minutes: float
    webhooks: bool
    db_connections: int

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> WorkerConfig:
        raw = os.environ.get(ENV_CONFIG)
        if not raw:
            raise ServeError(f"${ENV_CONFIG} is not set: start workers with 'loyalty-hub serve --workers N'")
        return cls(**json.loads(raw))

    @property
    def limits(self) -> HubLimits:
        return HubLimits(max_body_bytes=self.max_body_bytes, pairing_attempts=self.pairing_attempts,
                         max_clock_ahead_minutes=self.max_clock_ahead_minutes)


def check_workers(backend: str, workers: int, db_connections: int) -> None:
    """Refuse worker counts the database cannot carry (``backend``: the engine's, e.g. "sqlite")."""
    if not 1 <= workers <= MAX_WORKERS:
        raise ServeError(f"--workers must be from 1 to {MAX_WORKERS}")
    if db_connections < 2:
        raise ServeError("--db-connections must be at least 2 (a push and a pull at once)")
    if workers > 1 and backend != "postgresql":
        raise ServeError(
            f"--workers {workers} needs PostgreSQL: SQLite lets one process write at a time, so more "
            "workers would only wait for each other. Run with --workers 1, or move the hub to PostgreSQL "
            "(--database-url postgresql+psycopg://user:password@host:5432/dbname; see docs/production.md)")


def prepare_keys(master_key_file: Path, signing_key_file: Path) -> None:
    """Load both key files now (making them if absent), so a bad one stops ``serve`` before any worker
    starts and every worker reads the same files."""
    keywrap.load_master_key(master_key_file)
    signing.load_hub_key(signing_key_file)


def build_app(config: WorkerConfig) -> FastAPI:
    from sync.hub.app import create_app

    engine = create_hub_engine(config.database_url, connections=config.db_connections)
    return create_app(engine, run_migrations=False, master_key_file=Path(config.master_key_file),
                      signing_key_file=Path(config.signing_key_file), limits=config.limits,
                      webhook_delivery=DeliverySettings() if config.webhooks else None)


def app_from_environment() -> FastAPI:
    """The app factory each worker process calls (``uvicorn --factory``)."""
    return build_app(WorkerConfig.from_env())


def serve(config: WorkerConfig, *, host: str, port: int, workers: int, log_level: str,
          forwarded_allow_ips: str) -> None:
    """Run until SIGTERM/SIGINT: in this process for one worker, else under uvicorn's supervisor."""
    import uvicorn

    common: dict[str, Any] = {"host": host, "port": port, "log_level": log_level, "ws": "none",
              "proxy_headers": True, "forwarded_allow_ips": forwarded_allow_ips,
              "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_S, "timeout_keep_alive": KEEP_ALIVE_S}
    if workers == 1:
        uvicorn.run(build_app(config), **common)
        return
    os.environ[ENV_CONFIG] = config.to_env()
    log.info("starting %d hub workers on %s:%d", workers, host, port)
    uvicorn.run("sync.hub.workers:app_from_environment", factory=True, workers=workers, **common)
