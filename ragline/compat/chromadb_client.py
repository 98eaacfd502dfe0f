"""chromadb's HTTP client: a timeout on every call, one TLS context per process. Checked
against chromadb 1.5.9 (:data:`ragline.compat.CHECKED_AGAINST`)."""

from __future__ import annotations

import functools
import ssl
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx


class _HttpxWithTimeout:
    """Stands in for ``httpx`` inside ``chromadb.api.fastapi``: every client it builds gets
    the timeout."""

    def __init__(self, timeout: httpx.Timeout) -> None:
        self._timeout = timeout

    def __getattr__(self, name: str) -> Any:
        import httpx

        return getattr(httpx, name)

    def Client(self, *args: Any, **kwargs: Any) -> httpx.Client:  # noqa: N802 (httpx's name)
        import httpx

        # One TLS context for every client: httpx builds one from the whole CA bundle for
        # each client, for a plain-HTTP server too (a flow run's first store paid it).
        verify = kwargs.pop("verify", True)
        if verify is True:
            verify = default_tls_context()
        return httpx.Client(*args, **{**kwargs, "timeout": self._timeout, "verify": verify})


@functools.cache
def default_tls_context() -> ssl.SSLContext:
    """The TLS context httpx would build (certifi's CA bundle), built once per process; the
    flow runs' forkserver builds it before forking, so every run inherits it."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def give_chroma_a_timeout(timeout: httpx.Timeout) -> None:
    """Makes every chromadb HTTP client built from now on give up on a call after
    ``timeout``.

    chromadb's ``FastAPI`` client builds its ``httpx.Client(timeout=None)`` and has no
    setting for it, so a hung server would hang every question and store stage forever.
    Patches the ``httpx`` name in ``chromadb.api.fastapi`` with a stand-in whose ``Client``
    sets the timeout. Call it before building a client: building one already calls the
    server. Checked against chromadb 1.5.9.
    """
    import chromadb.api.fastapi

    chromadb.api.fastapi.httpx = _HttpxWithTimeout(timeout)  # type: ignore[attr-defined,assignment]
