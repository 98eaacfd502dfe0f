"""One ranking from the dense and the keyword ones, for a hybrid question.

Each candidate (the union of both rankings' best) is scored on one 0..1 scale per signal:

- meaning: its cosine similarity to the question, scaled from the lowest candidate's to the
  highest's;
- words: its BM25 score, scaled from 0 to the best (0 where the keyword ranking did not
  find it);
- phrases: how many of the question's word pairs ("lightweight tags", "stored zeros") it
  holds in that order, BM25-saturated and length-normalised over the candidates, scaled to
  the best. Both rankings see words one at a time; a passage that says what was asked, in
  the words it was asked in, beats one that holds those words scattered, or holds its
  commonest one many times. Pairs are taken from the stemmed words, stop words left out
  (``ragline.terms``), so "remove explicitly stored zeros" pairs "store" with "zero";
- name: the share of its file's name the question mentions (``ragline.name_match``).

Scores, not ranks: reciprocal rank fusion put a chunk that one ranking liked a little above
one the other ranking liked much more (a table of numbers matching a year first, the passage
the model scored far higher second). The weights were chosen on the eval set's dev half
(docs/DECISIONS.md).
"""

from __future__ import annotations

from collections import Counter

from ragline.extractive import chunk_body
from ragline.keyword_index import K1, B
from ragline.name_match import mentioned_share
from ragline.terms import stems
from ragline.vectorstore import StoredChunk

DENSE_WEIGHT = 0.65  # meaning against words; the two add up to 1
PHRASE_WEIGHT = 0.3
NAME_WEIGHT = 0.15


def fuse(
    question: str,
    dense: list[StoredChunk],
    by_words: list[StoredChunk],
    similarity: dict[str, float],
) -> list[StoredChunk]:
    """The candidates of ``dense`` and ``by_words`` (whose scores are BM25's), best first;
    ``similarity`` holds every candidate's cosine similarity to the question. On a tie the
    dense ranking's chunk comes first."""
    chunks = {c.id: c for c in [*dense, *by_words]}
    bm25 = {c.id: c.score for c in by_words}
    cosines = [similarity.get(id_, 0.0) for id_ in chunks]
    low, high = min(cosines, default=0.0), max(cosines, default=0.0)
    best_bm25 = max(bm25.values(), default=0.0) or 1.0
    phrases = phrase_scores(question, list(chunks.values()))
    best_phrases = max(phrases.values(), default=0.0) or 1.0
    named = {c.filename: mentioned_share(question, c.filename) for c in chunks.values()}

    def score(chunk: StoredChunk) -> float:
        meaning = (similarity.get(chunk.id, low) - low) / ((high - low) or 1.0)
        words = bm25.get(chunk.id, 0.0) / best_bm25
        return (
            DENSE_WEIGHT * meaning
            + (1 - DENSE_WEIGHT) * words
            + PHRASE_WEIGHT * phrases[chunk.id] / best_phrases
            + NAME_WEIGHT * named[chunk.filename]
        )

    return sorted(chunks.values(), key=score, reverse=True)


def phrase_scores(question: str, chunks: list[StoredChunk]) -> dict[str, float]:
    """Each chunk's score for the question's word pairs it holds (0 for none)."""
    asked = set(_pairs(stems(question)))
    held = {c.id: _pairs(stems(chunk_body(c.text, c.filename))) for c in chunks}
    lengths = {id_: max(sum(pairs.values()), 1) for id_, pairs in held.items()}
    mean_length = sum(lengths.values()) / (len(lengths) or 1)

    def score(id_: str) -> float:
        norm = K1 * (1 - B + B * lengths[id_] / mean_length)  # as the keyword index's BM25
        found = (held[id_][pair] for pair in asked)
        return sum(n * (K1 + 1) / (n + norm) for n in found if n)

    return {id_: score(id_) for id_ in held}


def _pairs(words: list[str]) -> Counter[tuple[str, str]]:
    return Counter(zip(words, words[1:], strict=False))
