"""Domain errors → HTTP, in one table. Every error body is ``{"detail": ..., "code": ...}``."""

from __future__ import annotations

import logging
from typing import Any, cast

import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from slowapi.errors import RateLimitExceeded
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.schemas import ErrorBody
from ragline import compat, errors

logger = logging.getLogger("ragline.api")

# Looked up along the exception's MRO, so the most specific class wins.
STATUS_BY_ERROR: dict[type[errors.RaglineError], int] = {
    errors.FileTooLarge: 413,
    errors.QuotaExceeded: 413,
    errors.InsufficientStorage: 507,
    errors.UnsupportedFileType: 415,
    errors.EmptyFile: 422,
    errors.InputError: 422,
    errors.AuthenticationError: 401,
    errors.PermissionDenied: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.TooManyRequests: 429,
    errors.DocumentError: 422,
    errors.ServiceUnavailable: 503,
    errors.RaglineError: 500,
}

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "file_too_large",
    415: "unsupported_type",
    422: "invalid_input",
    429: "rate_limited",
}


# What an error status tells a client, as the OpenAPI's responses say it (every body ErrorBody).
ERROR_MEANINGS = {
    400: "The body could not be read (not UTF-8 JSON, or a broken multipart) (code `bad_request`).",
    401: "Not signed in: no valid login token or API key (code `not_authenticated`).",
    403: "Signed in, but not allowed to do this (code `forbidden`).",
    404: "No such resource, or not the caller's (code `not_found`).",
    409: "The resource's state or another one's name does not allow it (code `conflict`).",
    422: "The request is not valid: the detail names each problem (code `invalid_input`).",
    429: "Too many requests: retry after `Retry-After` seconds (code `rate_limited`).",
    503: "A service it needs (database, Prefect, Chroma) is unreachable: retry in a moment.",
}
# Every call to /api/v1 can be refused for these.
COMMON_ERRORS = (400, 422, 429, 503)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for these error statuses, so the document says what a client
    gets (FastAPI's own 422 shape is replaced: ours is ErrorBody too)."""
    found: dict[int | str, dict[str, Any]] = {
        status: {"model": ErrorBody, "description": ERROR_MEANINGS[status]} for status in statuses
    }
    if 429 in found:
        found[429]["headers"] = {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
        }
    return found


def status_for(exc: errors.RaglineError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 500


def error_response(status: int, detail: str, code: str) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": detail, "code": code}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.RaglineError)
    async def _domain(request: Request, exc: errors.RaglineError) -> JSONResponse:
        response = error_response(status_for(exc), exc.message, exc.code)
        if isinstance(exc, errors.TooManyRequests):
            response.headers["Retry-After"] = str(exc.retry_after_s)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _CODE_BY_STATUS.get(exc.status_code, "error")
        return error_response(exc.status_code, str(exc.detail), code)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'] if p != 'body')}: {e['msg']}" for e in exc.errors()
        )
        return error_response(422, f"The request is not valid: {problems}", "invalid_input")

    @app.exception_handler(RateLimitExceeded)
    async def _rate_limited(request: Request, exc: RateLimitExceeded) -> JSONResponse:
        response = error_response(
            429, f"Too many requests ({exc.detail}); slow down and retry later.", "rate_limited"
        )
        response = cast(
            JSONResponse,
            compat.add_rate_limit_headers(request, response),
        )
        if "Retry-After" not in response.headers:
            response.headers["Retry-After"] = "60"
        return response

    @app.exception_handler(sqlalchemy.exc.OperationalError)
    @app.exception_handler(sqlalchemy.exc.InterfaceError)
    async def _database_down(request: Request, exc: Exception) -> JSONResponse:
        # The connection failed (the database restarting, unreachable), not the query.
        logger.warning("database unavailable: %s", exc)
        response = error_response(
            503,
            "The database is not reachable right now; try again in a moment.",
            errors.DatabaseUnavailable.code,
        )
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id = getattr(request.state, "request_id", "-")
        logger.exception("unhandled error (request %s)", request_id)
        return error_response(
            500, f"Something went wrong on our side (request {request_id}).", "internal_error"
        )
