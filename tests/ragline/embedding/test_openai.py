"""The OpenAI-compatible backend against a fake service at the HTTP level."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from ragline.embedding import OpenAIEmbedder
from ragline.errors import RaglineError, ServiceUnavailable


class FakeService:
    """Answers like an OpenAI embeddings endpoint; ``failures`` are served first."""

    def __init__(self, failures: list[int | Exception] | None = None) -> None:
        self.failures = list(failures or [])
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.url == "http://embed.test/v1/embeddings"
        assert request.headers["authorization"] == "Bearer k3y"
        body = json.loads(request.content)
        self.requests.append(body)
        if self.failures:
            failure = self.failures.pop(0)
            if isinstance(failure, Exception):
                raise failure
            return httpx.Response(failure, json={"error": {"message": "nope"}})
        # Unnormalised vectors, listed in reverse: the client must sort and normalise.
        data = [
            {"object": "embedding", "index": i, "embedding": [float(len(text)), 0.0, 3.0]}
            for i, text in enumerate(body["input"])
        ]
        return httpx.Response(200, json={"object": "list", "data": data[::-1]})


@pytest.fixture
def make_openai(tokenizer_file: Path) -> Iterator[Callable[[FakeService], OpenAIEmbedder]]:
    made: list[OpenAIEmbedder] = []

    def make(service: FakeService) -> OpenAIEmbedder:
        embedder = OpenAIEmbedder(
            "http://embed.test/v1/",
            "text-embedding-3-small",
            "k3y",
            tokenizer_file,
            batch_size=2,
            retry_delays=(0, 0),
            transport=httpx.MockTransport(service),
        )
        made.append(embedder)
        return embedder

    yield make
    for embedder in made:
        embedder.close()


def test_openai_embeds_in_order_normalised_and_batched(
    make_openai: Callable[[FakeService], OpenAIEmbedder],
) -> None:
    service = FakeService()
    embedder = make_openai(service)
    vectors = embedder.embed(["four", "", "seven!!", "x", "12345"])
    expected = np.array([[4, 0, 3], [0, 0, 3], [7, 0, 3], [1, 0, 3], [5, 0, 3]], dtype=float)
    np.testing.assert_allclose(vectors, expected / np.linalg.norm(expected, axis=1)[:, None])
    assert vectors.dtype == np.float32
    assert [r["input"] for r in service.requests] == [["four", ""], ["seven!!", "x"], ["12345"]]
    assert {r["model"] for r in service.requests} == {"text-embedding-3-small"}
    assert embedder.dimension == 3
    assert embedder.count_tokens("The quick brown fox jumps over the lazy dog.") == 10


def test_openai_retries_server_errors_and_dropped_connections(
    make_openai: Callable[[FakeService], OpenAIEmbedder],
) -> None:
    service = FakeService([503, httpx.ConnectError("refused")])
    vectors = make_openai(service).embed(["retry me"])
    assert vectors.shape == (1, 3)
    assert len(service.requests) == 3


def test_openai_gives_up_with_service_unavailable(
    make_openai: Callable[[FakeService], OpenAIEmbedder],
) -> None:
    service = FakeService([502, httpx.ReadTimeout("slow"), 500])
    with pytest.raises(ServiceUnavailable, match="did not answer after 3 attempts"):
        make_openai(service).embed(["never"])
    assert len(service.requests) == 3


def test_openai_does_not_retry_a_refusal(
    make_openai: Callable[[FakeService], OpenAIEmbedder],
) -> None:
    service = FakeService([401])
    with pytest.raises(RaglineError, match="HTTP 401") as caught:
        make_openai(service).embed(["bad key"])
    assert not isinstance(caught.value, ServiceUnavailable)
    assert len(service.requests) == 1


def test_openai_dimension_is_asked_lazily(
    make_openai: Callable[[FakeService], OpenAIEmbedder],
) -> None:
    service = FakeService()
    embedder = make_openai(service)
    assert service.requests == []
    assert embedder.dimension == 3
    assert len(service.requests) == 1
