"""The hub's web console for owners: server-rendered pages under ``/console``.

Templates and static files ship inside this package (no CDN, no build step),
so the console works on a shop's LAN with no internet.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from sync.hub.console import (
    audit_routes,
    card_routes,
    customer_routes,
    integration_routes,
    program_routes,
    report_routes,
    totp_routes,
)
from sync.hub.console.pages import SignInRequired
from sync.hub.console.routes import router, sign_in_redirect
from sync.hub.console.security import ConsoleSettings, SignInThrottle
from sync.hub.console.staff_routes import router as staff_router

HERE = Path(__file__).parent

__all__ = ["ConsoleSettings", "mount_console"]


def mount_console(app: FastAPI, settings: ConsoleSettings | None = None) -> None:
    settings = settings or ConsoleSettings.from_environment()
    app.state.console_settings = settings
    app.state.console_templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                              autoescape=select_autoescape(["html"]))
    app.state.console_throttle = SignInThrottle(app.state.engine, settings)
    app.add_exception_handler(SignInRequired, sign_in_redirect)  # type: ignore[arg-type]
    app.include_router(router)
    app.include_router(program_routes.router)
    app.include_router(card_routes.router)
    app.include_router(customer_routes.router)
    app.include_router(staff_router)
    app.include_router(audit_routes.router)
    app.include_router(report_routes.router)
    app.include_router(integration_routes.router)
    app.include_router(totp_routes.router)
    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")
