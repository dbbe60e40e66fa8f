"""Refusals as HTTP answers: every error body is ``{code, message}``.

The code is for programs (the syncer decides on it); the message is for
people and says what is wrong and what to do.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from sync.protocol import SUPPORTED_VERSIONS, ErrorBody, FreeFormLimit

log = logging.getLogger(__name__)


class HubError(Exception):
    def __init__(self, status: int, code: str, message: str, *,
                 stream: str | None = None, expected_seq: int | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = ErrorBody(code=code, message=message, stream=stream, expected_seq=expected_seq)
        self.headers = headers


RETRY_AFTER_S = 5


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """A router's error answers for OpenAPI: each an ``ErrorBody``, and the 503 any endpoint can give."""
    answers: dict[int | str, dict[str, Any]] = {status: {"model": ErrorBody} for status in statuses}
    answers[503] = {
        "model": ErrorBody,
        "description": "The hub cannot reach its database, is busy (every database connection in use), "
                       "or has no master key yet; retry later.",
        "headers": {"Retry-After": {"description": "Seconds to wait before retrying",
                                    "schema": {"type": "string", "pattern": "^[0-9]+$"}}},
    }
    return answers


def unsupported_version(version: object) -> HubError:
    supported = ", ".join(str(v) for v in SUPPORTED_VERSIONS)
    return HubError(400, "unsupported_version",
                    f"protocol version {version!r} is not spoken by this hub (it speaks {supported}); "
                    "upgrade whichever of the hub and the terminal is older")


def _json(status: int, body: ErrorBody, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def _on_hub_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HubError)
    return _json(exc.status, exc.body, exc.headers)


def _on_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    for error in errors:
        loc = tuple(error.get("loc", ()))
        if loc in (("body", "v"), ("query", "v")) and error.get("type") != "missing":
            return _on_hub_error(_request, unsupported_version(error.get("input")))
    for error in errors:
        if isinstance((error.get("ctx") or {}).get("error"), FreeFormLimit):
            return _free_form_limit(error)
    shown = "; ".join(_describe(e) for e in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return _json(422, ErrorBody(code="malformed", message=f"malformed request: {shown}{more}"))


def _free_form_limit(error: dict) -> JSONResponse:
    loc = tuple(error.get("loc", ()))
    stream = loc[1] if len(loc) > 1 and loc[0] == "body" and loc[1] in ("audit", "programs") else None
    where = ".".join(str(p) for p in loc[1:])
    return _json(422, ErrorBody(code="free_form_limit", stream=stream,
                                message=f"{where} {error['ctx']['error']}"))


def _describe(error: dict) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()))
    return f"{where}: {error.get('msg', 'invalid')}"


def _on_http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, f"http_{exc.status_code}")
    return _json(exc.status_code, ErrorBody(code=code, message=str(exc.detail)),
                 getattr(exc, "headers", None))


def _retry_later(code: str, message: str) -> JSONResponse:
    return _json(503, ErrorBody(code=code, message=message), {"Retry-After": str(RETRY_AFTER_S)})


def _on_database_down(_request: Request, exc: Exception) -> JSONResponse:
    log.error("database unavailable: %s", exc)
    return _retry_later("database_unavailable", "the hub cannot reach its database; retry shortly")


def _on_pool_exhausted(_request: Request, exc: Exception) -> JSONResponse:
    # Every connection of this worker's pool stayed taken for the whole wait: the hub is overloaded,
    # not broken, and the caller should come back (a till's syncer backs off on Retry-After).
    log.warning("no free database connection: %s", exc)
    return _retry_later("hub_busy", "the hub is busy: all its database connections are in use; retry shortly")


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HubError, _on_hub_error)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(OperationalError, _on_database_down)
    app.add_exception_handler(PoolTimeout, _on_pool_exhausted)
