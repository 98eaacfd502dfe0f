"""How the model should use the cores: spin or sleep when idle, take turns or share.

    python bench/embedding_threads.py [CORPUS_DIR]

Embeds 256 chunks of real documents with the default model, all on a machine's cores, beside
a busy thread (a stand-in for the parser, Prefect and the API, which share the cores in the
worker) and alone:
- spinning / sleeping: onnxruntime's idle threads spin (its default; ragline's for a lone
  user) or sleep (`session.intra_op.allow_spinning=0`; ragline's while several documents
  are in progress);
- one thread: a one-thread session, what each of two documents in progress gets on 2 cores;
- two documents at once, either taking turns at an all-cores session (ragline before) or
  sharing the cores, one session thread per document on 2 cores (ragline now).
Prints {spinning: {alone, busy}, sleeping: {alone, busy}, one_thread: {alone, busy},
two_documents: {taking_turns, sharing_cores}} with model CPU and wall ms per chunk (median
of 3 rounds).
"""

from __future__ import annotations

import contextlib
import functools
import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ragline import pipeline  # noqa: E402
from ragline.embedding import OnnxEmbedder, embed_in_batches, get_embedder  # noqa: E402
from ragline.embedding.cores import CoreShare, Share  # noqa: E402
from ragline.model_files import tokenizer_path  # noqa: E402
from ragline.settings import get_settings  # noqa: E402
from ragline.sniffing import detect_kind_of_file  # noqa: E402

CHUNKS = 256
ROUNDS = 3
BATCH = 8  # the default RAGLINE_EMBEDDING_BATCH_SIZE


def corpus_chunks(corpus: Path, embedder: OnnxEmbedder) -> list[str]:
    settings = get_settings()
    texts: list[str] = []
    for path in sorted(corpus.iterdir()):
        if len(texts) >= CHUNKS or path.name.startswith(("MANIFEST", ".")):
            continue
        kind = detect_kind_of_file(path, path.name)
        sections = pipeline.parse(path, kind, settings)
        texts += [c.text for c in pipeline.chunk(sections, kind, path.name, embedder, settings)]
    return texts[:CHUNKS]


class EveryCore(CoreShare):
    """Every call gets all the cores, spinning or not while idle, whoever else is a user."""

    def __init__(self, cores: int, spinning: bool) -> None:
        super().__init__(cores)
        self._share = Share(cores, spin=spinning)

    @contextlib.contextmanager
    def call(self) -> Iterator[Share]:
        yield self._share


def with_spinning(embedder: OnnxEmbedder, spinning: bool) -> OnnxEmbedder:
    """An embedder whose every call uses one all-cores session (built by ragline's own
    code) that spins, or not, while idle."""
    return OnnxEmbedder(
        embedder.model_path,
        tokenizer_path(get_settings().paths.models),
        batch_size=embedder.batch_size,
        core_share=EveryCore(embedder.core_share.cores, spinning),
    )


def busy(stop: threading.Event, cpu: list[float]) -> None:
    """Works 10 ms out of every 30, like the orchestration around the model."""
    started = time.thread_time()
    while not stop.is_set():
        until = time.perf_counter() + 0.01
        while time.perf_counter() < until:
            pass
        time.sleep(0.02)
    cpu.append(time.thread_time() - started)


def two_documents(embedder: OnnxEmbedder, texts: list[str], take_turns: bool) -> None:
    """Two documents embedding at once, batch by batch, as two ingestion lanes do."""
    turn = threading.Lock() if take_turns else contextlib.nullcontext()

    def document(part: list[str]) -> None:
        for start in range(0, len(part), BATCH):
            with turn:
                embedder.embed(part[start : start + BATCH])

    half = len(texts) // 2
    lanes = [threading.Thread(target=document, args=(p,)) for p in (texts[:half], texts[half:])]
    for lane in lanes:
        lane.start()
    for lane in lanes:
        lane.join()


def per_chunk(
    embed: Callable[[list[str]], object], texts: list[str], beside_busy_thread: bool
) -> dict[str, float]:
    stop, busy_cpu = threading.Event(), list[float]()
    other = threading.Thread(target=busy, args=(stop, busy_cpu))
    if beside_busy_thread:
        other.start()
    cpu, wall = time.process_time(), time.perf_counter()
    embed(texts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    stop.set()
    if beside_busy_thread:
        other.join()
        cpu -= busy_cpu[0]
    return {"cpu_ms": 1000 * cpu / len(texts), "wall_ms": 1000 * wall / len(texts)}


def main() -> None:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/corpus")
    embedder = get_embedder(get_settings())
    assert isinstance(embedder, OnnxEmbedder), "measures the default onnxruntime backend"
    texts = corpus_chunks(corpus, embedder)
    result: dict[str, Any] = {"chunks": len(texts), "cores": embedder.core_share.cores}
    one_thread = OnnxEmbedder(
        embedder.model_path, tokenizer_path(get_settings().paths.models), 1, embedder.batch_size
    )
    models = {
        "spinning": with_spinning(embedder, spinning=True),
        "sleeping": with_spinning(embedder, spinning=False),
        "one_thread": one_thread,
    }
    for name, model in models.items():
        model.embed(texts[:8])
        result[name] = {
            load: median_of_rounds(
                functools.partial(embed_in_batches, model, batch_size=BATCH), texts, busy
            )
            for load, busy in (("alone", False), ("busy", True))
        }
    turns = with_spinning(embedder, spinning=True)
    result["two_documents"] = {
        "taking_turns": median_of_rounds(lambda t: two_documents(turns, t, True), texts, True),
        "sharing_cores": median_of_rounds(lambda t: two_documents(embedder, t, False), texts, True),
    }
    print(json.dumps(result))


def median_of_rounds(
    embed: Callable[[list[str]], object], texts: list[str], busy: bool
) -> dict[str, float]:
    runs = [per_chunk(embed, texts, busy) for _ in range(ROUNDS)]
    middle = sorted(runs, key=lambda r: r["wall_ms"])[ROUNDS // 2]
    return {key: round(value, 1) for key, value in middle.items()}


if __name__ == "__main__":
    main()
