"""The httpx chromadb builds its client with, replaced by one that sets a timeout."""

from __future__ import annotations

import inspect

import httpx
import pytest

from ragline import compat
from tests.ragline.compat.inspection import assert_checked


def test_give_chroma_a_timeout_replaces_the_httpx_chromadb_builds_its_client_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert_checked("chromadb")
    import chromadb.api.fastapi

    builds = inspect.getsource(chromadb.api.fastapi.FastAPI.__init__)
    assert "httpx.Client(timeout=None" in builds
    assert hasattr(chromadb.api.fastapi, "httpx")

    monkeypatch.setattr(chromadb.api.fastapi, "httpx", chromadb.api.fastapi.httpx)  # restored
    compat.give_chroma_a_timeout(httpx.Timeout(3.0, connect=1.0))
    with chromadb.api.fastapi.httpx.Client(timeout=None) as client:
        assert client.timeout == httpx.Timeout(3.0, connect=1.0)
    assert chromadb.api.fastapi.httpx.Limits is httpx.Limits  # everything else is httpx's
    # That the timeout reaches a real client of a hung server: tests/ragline/test_vectorstore.py
