"""Two plain retrieval pipelines with no tuning, to measure ragline against on the same text.

Both index the text ragline's parsers give for each file (so the parser is not what is
compared) cut into plain fixed-size chunks: windows of ``CHUNK_WORDS`` words overlapping by
``OVERLAP_WORDS``, no title or heading line, tables cut like prose. Both embed with ragline's
own model (all-MiniLM-L6-v2) and answer with the chunk texts themselves (no extractive
answer, no snippet):

- ``plain_dense``: cosine similarity of the question to every chunk (exact, in numpy);
- ``plain_bm25_dense``: Okapi BM25 (k1 1.5, b 0.75, lower-cased word tokens, no stemming and
  no stop words) and the dense ranking, each ``DEPTH`` deep, fused by reciprocal rank (k 60).
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ragline.embedding import Embedder

CHUNK_WORDS = 150  # ~200 word pieces: what MiniLM reads whole (it truncates at 256)
OVERLAP_WORDS = 25
DEPTH = 20
RRF_K = 60
BM25_K1 = 1.5
BM25_B = 0.75
EMBED_BATCH = 64

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class PlainChunk:
    filename: str
    text: str


def plain_chunks(filename: str, text: str) -> list[PlainChunk]:
    words = text.split()
    step = CHUNK_WORDS - OVERLAP_WORDS
    return [
        PlainChunk(filename, " ".join(words[start : start + CHUNK_WORDS]))
        for start in range(0, max(len(words) - OVERLAP_WORDS, 1), step)
    ]


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


class PlainIndex:
    """Every plain chunk of the corpus, its vector and its BM25 statistics, in memory."""

    def __init__(self, texts: dict[str, str], embedder: Embedder) -> None:
        self.embedder = embedder
        self.chunks = [chunk for name, text in texts.items() for chunk in plain_chunks(name, text)]
        self.vectors = np.vstack(
            [
                embedder.embed([c.text for c in self.chunks[i : i + EMBED_BATCH]])
                for i in range(0, len(self.chunks), EMBED_BATCH)
            ]
        )
        self.term_counts = [Counter(_tokens(c.text)) for c in self.chunks]
        self.lengths = np.array([sum(t.values()) for t in self.term_counts], dtype=np.float64)
        self.document_frequency: Counter[str] = Counter()
        for terms in self.term_counts:
            self.document_frequency.update(terms.keys())
        self.postings: dict[str, list[int]] = {}
        for position, terms in enumerate(self.term_counts):
            for term in terms:
                self.postings.setdefault(term, []).append(position)

    def dense(self, question: str) -> list[int]:
        scores = self.vectors @ self.embedder.embed([question])[0]
        return [int(i) for i in np.argsort(-scores, kind="stable")[:DEPTH]]

    def bm25(self, question: str) -> list[int]:
        n = len(self.chunks)
        average = float(self.lengths.mean())
        scores = np.zeros(n)
        for term in set(_tokens(question)):
            matching = self.postings.get(term, [])
            if not matching:
                continue
            idf = math.log(1 + (n - len(matching) + 0.5) / (len(matching) + 0.5))
            for position in matching:
                tf = self.term_counts[position][term]
                norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[position] / average)
                scores[position] += idf * tf * (BM25_K1 + 1) / (tf + norm)
        found = [int(i) for i in np.argsort(-scores, kind="stable")[:DEPTH] if scores[i] > 0]
        return found

    def search(self, question: str, mode: str) -> tuple[list[PlainChunk], float]:
        """The ranked chunks for ``mode`` (plain_dense or plain_bm25_dense) and the ms taken."""
        started = time.perf_counter()
        if mode == "plain_dense":
            ranked = self.dense(question)
        else:
            ranked = fuse([self.dense(question), self.bm25(question)])
        elapsed = (time.perf_counter() - started) * 1000
        return [self.chunks[i] for i in ranked], elapsed


def fuse(rankings: Sequence[list[int]]) -> list[int]:
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, position in enumerate(ranking):
            fused[position] = fused.get(position, 0.0) + 1.0 / (RRF_K + rank + 1)
    return sorted(fused, key=lambda p: fused[p], reverse=True)


BASELINE_MODES = ("plain_dense", "plain_bm25_dense")
