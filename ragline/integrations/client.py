"""The generated client (``ragline_client``) with ragline's conventions, for the CLI and the
llama-index retriever: a client for a URL and a token, and one exception for every refusal.

The generated functions return a ``Response`` whose ``parsed`` is the 2xx model, an error
model, or ``None`` for a status the OpenAPI document does not list (401, 404, 409, ...).
:func:`checked` turns all of those into the model or an :class:`ApiError` carrying the API's
own ``detail`` sentence and ``code`` (docs/API.md: every error body is ``{detail, code}``).
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import httpx

from ragline_client import AuthenticatedClient
from ragline_client.types import Response

T = TypeVar("T")
DEFAULT_TIMEOUT_S = 60.0


class ApiError(Exception):
    """The API refused a request (or could not be reached: ``status`` 0)."""

    def __init__(self, status: int, detail: str, code: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code


def connect(url: str, token: str, timeout_s: float = DEFAULT_TIMEOUT_S) -> AuthenticatedClient:
    return AuthenticatedClient(
        base_url=url.rstrip("/"),
        token=token,
        timeout=httpx.Timeout(timeout_s, connect=10.0),
        raise_on_unexpected_status=False,  # checked() reads the error body instead
    )


def checked(response: Response[Any], expected: type[T]) -> T:
    """The response's model if it is a success of the expected shape; else :class:`ApiError`."""
    if 200 <= response.status_code < 300 and isinstance(response.parsed, expected):
        return response.parsed
    raise error_of(response.status_code, response.content)


def error_of(status: int, content: bytes) -> ApiError:
    try:
        body = json.loads(content)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("detail"), str):
        return ApiError(status, body["detail"], str(body.get("code") or "error"))
    text = content.decode(errors="replace").strip().splitlines()
    return ApiError(status, f"HTTP {status}: {text[0] if text else 'no body'}", "http_error")


def unreachable(url: str, exc: httpx.HTTPError) -> ApiError:
    reason = str(exc) or type(exc).__name__
    return ApiError(0, f"Cannot reach ragline at {url}: {reason}", "unreachable")
