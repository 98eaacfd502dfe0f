"""Any OpenAI-compatible ``POST {base}/embeddings`` service."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from ragline.embedding.onnx import load_counting_tokenizer
from ragline.embedding.vectors import Vectors, no_vectors, normalise
from ragline.errors import RaglineError, ServiceUnavailable


class OpenAIEmbedder:
    """Any OpenAI-compatible embeddings API. Chunk sizes are counted with the local MiniLM
    tokenizer, an approximation of the remote model's own."""

    RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None,
        tokenizer_path: Path,
        batch_size: int = 64,
        *,
        timeout_s: float = 60.0,
        retry_delays: Sequence[float] = (1.0, 2.0, 4.0),
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.model = model
        self.batch_size = batch_size
        self.model_id = f"openai:{model}@{base_url.rstrip('/')}"
        self._url = base_url.rstrip("/") + "/embeddings"
        self._retry_delays = tuple(retry_delays)
        self._counter = load_counting_tokenizer(tokenizer_path)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(headers=headers, timeout=timeout_s, transport=transport)
        self._dimension: int | None = None

    @property
    def dimension(self) -> int:
        # Unknown until the service has answered once; asked lazily so that constructing
        # the embedder (at API start-up) does not need the service to be up.
        if self._dimension is None:
            self._dimension = int(self._post(["dimension probe"]).shape[1])
        return self._dimension

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return no_vectors(self.dimension)
        parts = [
            self._post(list(texts[i : i + self.batch_size]))
            for i in range(0, len(texts), self.batch_size)
        ]
        vectors = np.concatenate(parts)
        self._dimension = int(vectors.shape[1])
        return vectors

    def close(self) -> None:
        self._client.close()

    def _post(self, texts: list[str]) -> Vectors:
        response = self._request({"model": self.model, "input": texts})
        try:
            rows = sorted(response.json()["data"], key=lambda row: row["index"])
            vectors = np.array([row["embedding"] for row in rows], dtype=np.float32)
        except (ValueError, KeyError, TypeError) as error:
            raise ServiceUnavailable(
                f"The embedding service at {self._url} sent an unreadable answer.",
                code="embedding_bad_response",
            ) from error
        if vectors.ndim != 2 or len(vectors) != len(texts):
            raise ServiceUnavailable(
                f"The embedding service at {self._url} returned {len(vectors)} vectors "
                f"for {len(texts)} texts.",
                code="embedding_bad_response",
            )
        return normalise(vectors)

    def _request(self, body: dict[str, Any]) -> httpx.Response:
        problem = ""
        for attempt in range(len(self._retry_delays) + 1):
            if attempt:
                time.sleep(self._retry_delays[attempt - 1])
            try:
                response = self._client.post(self._url, json=body)
            except httpx.TransportError as error:
                problem = f"{type(error).__name__}: {error}"
                continue
            if response.status_code in self.RETRY_STATUSES:
                problem = f"HTTP {response.status_code}"
                continue
            if response.is_error:
                # 4xx: a wrong key, model name or input; retrying will not help.
                raise RaglineError(
                    f"The embedding service at {self._url} refused the request: HTTP "
                    f"{response.status_code} {response.text[:300]}",
                    code="embedding_rejected",
                )
            return response
        raise ServiceUnavailable(
            f"The embedding service at {self._url} did not answer after "
            f"{len(self._retry_delays) + 1} attempts (last: {problem}).",
            code="embedding_unavailable",
        )
