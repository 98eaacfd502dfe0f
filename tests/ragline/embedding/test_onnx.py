"""The ONNX embedder against stored sentence-transformers vectors, and how its calls use the
cores (the rule itself: test_cores.py)."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from ragline import warmup
from ragline.embedding import OnnxEmbedder, embed_in_batches
from ragline.embedding.cores import CoreShare, Share
from ragline.embedding.onnx import default_model_path
from ragline.model_files import ModelFileError

REFERENCE = json.loads(
    (Path(__file__).parent.parent / "data" / "reference_vectors.json").read_text(encoding="utf-8")
)
MODEL_PATH = default_model_path()


@pytest.fixture(scope="module")
def embedder(tokenizer_file: Path) -> OnnxEmbedder:
    # A small batch size so the reference sentences span several batches.
    return OnnxEmbedder(MODEL_PATH, tokenizer_file, threads=0, batch_size=3)


class RecordedShares(CoreShare):
    """The real rule, noting the share each call was given."""

    def __init__(self, cores: int) -> None:
        super().__init__(cores)
        self.given: list[Share] = []

    @contextmanager
    def call(self) -> Iterator[Share]:
        with super().call() as share:
            self.given.append(share)
            yield share


def test_onnx_matches_sentence_transformers(embedder: OnnxEmbedder) -> None:
    """The reference vectors come from torch + sentence-transformers (see
    scripts/make_reference_vectors.py); the long sentence matches only if we truncate at 256
    word pieces, not at the 128 preset in tokenizer.json."""
    ours = embedder.embed(REFERENCE["sentences"])
    cosines = (ours * np.array(REFERENCE["vectors"])).sum(axis=1)
    assert cosines.min() >= 0.99, dict(zip(REFERENCE["sentences"], cosines, strict=True))


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


def _threads_of(embedder: OnnxEmbedder, share: Share) -> tuple[int, bool]:
    options = embedder.session(share).get_session_options()
    try:
        spinning = options.get_session_config_entry("session.intra_op.allow_spinning")
    except RuntimeError:  # never set: onnxruntime's default, spinning
        spinning = "1"
    return options.intra_op_num_threads, spinning != "0"


def test_a_document_beside_another_in_progress_gets_its_share_of_the_cores(
    tokenizer_file: Path,
) -> None:
    texts = REFERENCE["sentences"] * 4
    two_cores = RecordedShares(2)
    embedder = OnnxEmbedder(MODEL_PATH, tokenizer_file, batch_size=3, core_share=two_cores)
    alone = embedder.embed(texts)
    assert set(two_cores.given) == {Share(2, spin=True)}  # alone: both cores, spinning

    two_cores.given.clear()
    beside = _beside_another_document(embedder, texts)
    assert set(two_cores.given) == {Share(1, spin=True)}  # one core each, while the other parses
    assert np.allclose(beside, alone, atol=1e-5)
    assert two_cores.users == 0

    four_cores = RecordedShares(4)
    embedder = OnnxEmbedder(MODEL_PATH, tokenizer_file, batch_size=3, core_share=four_cores)
    _beside_another_document(embedder, texts)
    assert set(four_cores.given) == {Share(2, spin=False)}  # cores to share: idle threads sleep
    assert _threads_of(embedder, Share(2, spin=False)) == (2, False)


def test_calls_embedding_at_once_share_the_cores(tokenizer_file: Path) -> None:
    cores = RecordedShares(2)
    embedder = OnnxEmbedder(MODEL_PATH, tokenizer_file, batch_size=3, core_share=cores)
    texts = REFERENCE["sentences"] * 4
    alone = embedder.embed(texts)
    with ThreadPoolExecutor(max_workers=2) as pool:
        together = list(pool.map(embedder.embed, [texts] * 6))

    assert Share(1, spin=True) in cores.given  # two calls at once took one core each
    for share in set(cores.given):
        assert _threads_of(embedder, share) == (share.threads, share.spin)
    for vectors in together:
        assert np.allclose(vectors, alone, atol=1e-5)
    assert cores.calls == 0


def test_the_default_share_is_every_usable_core(tokenizer_file: Path) -> None:
    embedder = OnnxEmbedder(MODEL_PATH, tokenizer_file, threads=3)
    assert embedder.core_share.cores == 3
    assert embedder.fork_safe  # only the one-thread session so far


def _embed_in_child(embedder: OnnxEmbedder, texts: list[str], results: Any) -> None:
    warmup.warm_model(embedder)  # the all-cores session, built after the fork as flow runs do
    results.put((embedder.embed(texts[:1]), embedder.embed(texts), embedder.fork_safe))


def test_a_process_forked_from_a_loaded_model_embeds_with_it(
    embedder: OnnxEmbedder, tokenizer_file: Path
) -> None:
    """What the serve process's forkserver relies on (ragline.warmup's fork-safety rule): a
    model loaded before the fork works in the child, alone and with every core, no hang."""
    texts = REFERENCE["sentences"]
    expected = embedder.embed(texts)
    loaded = OnnxEmbedder(MODEL_PATH, tokenizer_file, threads=2, batch_size=3)
    assert loaded.fork_safe  # no session with threads yet
    fork = multiprocessing.get_context("fork")
    results = fork.Queue()
    child = fork.Process(target=_embed_in_child, args=(loaded, texts, results))
    child.start()
    one, every, child_fork_safe = results.get(timeout=60)
    child.join(60)
    assert child.exitcode == 0
    assert np.allclose(one, expected[:1], atol=1e-5)
    assert np.allclose(every, expected, atol=1e-5)
    assert not child_fork_safe and loaded.fork_safe  # the child built it, the parent did not


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
