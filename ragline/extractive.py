"""The extractive answer: the sentences (or table rows) of the cited chunks that best cover
the question's words, each tagged with its citation, so every word can be traced to a source.

Words are compared stemmed (``ragline.terms``: "cards are renewed" answers "renew a
card"); a date is also compared as one ISO term ("January 4, 2012" finds the row
"2012/01/04"); a question asking how many, how long or how often prefers sentences that give
a number. A table is quoted row by row, labelled with its column names where the chunk holds
the header row.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import NamedTuple

from ragline.documents import TABLE_CELL, table_rows
from ragline.terms import stems
from ragline.vectorstore import StoredChunk

NO_ANSWER = "I could not find anything about that in your documents."
RELEVANCE_FLOOR = 0.75
# What a sentence giving a number is worth, as if it held one more question word, when the
# question asks how many, how long, how often...
QUANTITY_BONUS = 1.0

_PARAGRAPH = re.compile(r"\n{2,}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")  # within a paragraph

# Dates written year first or with a month name; "04/01/2012" could be either day.
_MONTHS = {m: n for n, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = re.compile(r"\d{4}")
_YEAR_FIRST = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_MONTH_FIRST = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_DAY_FIRST = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(\d{{4}})\b", re.I)

# "How long ...?" is answered by a sentence that gives a number ("within four weeks").
_QUANTITY_QUESTION = re.compile(
    r"\bhow (many|much|long|often|large|big|old|far|soon|frequently|high|fast|heavy)\b"
    r"|\bwhat (size|percentage|number|amount)\b",
    re.I,
)
_QUANTITY = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty"
    r"|fifty|hundred|thousand|million|billion|once|twice|daily|weekly|monthly|yearly|annually"
    r"|hourly|dozen|half)\b",
    re.I,
)


def extractive_answer(question: str, chunks: list[StoredChunk], max_sentences: int = 3) -> str:
    """The sentences that best cover the question's words, each tagged with its citation."""
    terms = _terms(question)
    # Quote only chunks nearly as relevant as the best one: a weak match adds noise.
    floor = chunks[0].score * RELEVANCE_FLOOR if chunks else 0.0
    candidates = [
        statement
        for rank, chunk in enumerate(chunks)
        if rank == 0 or chunk.score >= floor
        for statement in _statements(rank, chunk)
    ]
    if not any(terms & c.words for c in candidates):
        # The words may be in a chunk the keyword ranking found and the model scores low
        # (a name or code the model does not know): better than quoting no word of it.
        candidates = [s for rank, chunk in enumerate(chunks) for s in _statements(rank, chunk)]
    if not candidates:
        return NO_ANSWER
    document_frequency = Counter(word for c in candidates for word in c.words)

    def overlap(candidate: _Statement) -> float:
        return sum(
            math.log(1 + len(candidates) / (1 + document_frequency[t]))
            for t in terms & candidate.words
        )

    wants_quantity = _asks_for_a_quantity(question)

    def score(candidate: _Statement) -> float:
        relevant = overlap(candidate)
        if wants_quantity and relevant and _states_a_quantity(candidate.text):
            relevant += QUANTITY_BONUS
        return relevant + 1.0 / (1 + candidate.rank)  # ties: the better chunk

    best: list[_Statement] = []
    for candidate in sorted(candidates, key=score, reverse=True):
        if best and not terms & candidate.words:
            continue  # after the best sentence, only sentences about the question
        if best and candidate.is_row and overlap(candidate) < overlap(best[0]):
            continue  # most rows of a table share a value with the question: only the best
        # The same sentence often sits in several chunks (overlap, repeated versions).
        if candidate.text not in {chosen.text for chosen in best}:
            best.append(candidate)
        if len(best) == max_sentences:
            break
    best.sort(key=lambda c: (c.rank, c.position))  # read them in document order
    return " ".join(f"{c.text} [{c.rank + 1}]" for c in best)


def chunk_body(text: str, filename: str) -> str:
    # Chunks start with a "title › heading" line for retrieval; answers quote the body.
    # A blank line follows it, except in a table's chunk (context, header row, rows).
    head, sep, rest = text.partition("\n\n" if "\n\n" in text else "\n")
    return rest if sep and (head == filename or head.startswith(filename + " › ")) else text


def snippet(question: str, text: str, filename: str, limit: int) -> str:
    """What a citation shows of its chunk: the run of its whole sentences (or table rows),
    within ``limit`` characters, that holds the most of the question's words, each weighed
    by how few of the chunk's sentences hold it; the chunk's start when none does. A chunk
    is about twice as long as a snippet, and the sentence that answers is rarely its first.
    Of the runs that hold as much, the middle one, so what matched sits in the middle.
    ``…`` marks text left out before or after."""
    units = _units(chunk_body(text, filename))
    if not units:
        return ""
    terms = _terms(question)
    words = [_terms(unit) & terms for unit in units]
    frequency = Counter(word for held in words for word in held)
    weight = {t: math.log(1 + len(units) / frequency[t]) for t in frequency}
    windows = [(first, _window_end(units, first, limit)) for first in range(len(units))]
    covers = [sum(weight[t] for t in frozenset().union(*words[a:b])) for a, b in windows]
    best = [w for w, cover in zip(windows, covers, strict=True) if cover == max(covers)]
    # Of the windows that cover it as well, the middle one centres what matched.
    start, end = best[(len(best) - 1) // 2] if max(covers) else windows[0]
    shown = " ".join(units[start:end])
    cut = end < len(units)
    if len(shown) > limit:  # one sentence longer than a snippet
        shown, cut = shown[: limit - 1].rsplit(" ", 1)[0], True
    return ("… " if start else "") + shown + ("…" if cut else "")


def _units(body: str) -> list[str]:
    """The body's sentences (a table's rows), each on one line."""
    units: list[str] = []
    for paragraph in _PARAGRAPH.split(body):
        if table_rows(paragraph):
            units += [" ".join(row.split()) for row in paragraph.split("\n")]
        else:
            units += [u for p in _SENTENCE_END.split(paragraph) if (u := " ".join(p.split()))]
    return units


def _window_end(units: list[str], start: int, limit: int) -> int:
    """The end of the longest run of units from ``start`` within ``limit`` characters (at
    least one unit)."""
    end, used = start + 1, len(units[start])
    while end < len(units) and used + 1 + len(units[end]) <= limit:
        used += 1 + len(units[end])
        end += 1
    return end


class _Statement(NamedTuple):
    """A sentence (or a table row) an answer may quote."""

    rank: int  # of its chunk among the citations
    position: int  # in its chunk
    text: str
    words: frozenset[str]  # matched against the question's
    is_row: bool


def _statements(rank: int, chunk: StoredChunk) -> list[_Statement]:
    found: list[tuple[str, frozenset[str], bool]] = []
    context, _, rest = chunk.text.partition("\n")
    csv = table_rows(rest) if TABLE_CELL not in context else []
    if csv:
        # A CSV chunk: its context line, then the header row the chunker repeats in each.
        found += _rows(csv[0], csv[1:])
    else:
        for number, paragraph in enumerate(
            _PARAGRAPH.split(chunk_body(chunk.text, chunk.filename))
        ):
            table = table_rows(paragraph)
            if not table:
                found += [(sentence, _terms(sentence), False) for sentence in _sentences(paragraph)]
            elif number > 0:  # after other text, a table starts here: with its header row
                found += _rows(table[0], table[1:])
            else:  # opening a chunk stored before chunker 2, it may go on from the one before
                found += _rows(None, table)
    return [_Statement(rank, n, text, words, row) for n, (text, words, row) in enumerate(found)]


def _rows(
    header: list[str] | None, rows: list[list[str]]
) -> list[tuple[str, frozenset[str], bool]]:
    """Each row as quoted (labelled with its columns when the header is known) and the
    words it is matched on: its values, since every row has the same column names."""
    found = []
    for cells in rows:
        text = _labelled(header, cells) if header else TABLE_CELL.join(cells)
        found.append((text, _terms(" ".join(cells)), True))
    return found


def _labelled(header: list[str], cells: list[str]) -> str:
    """A row as "column: value, ..." ("date: 2012-01-04, precipitation: 5.2"): quoted bare,
    a row is a run of values that answers nothing."""
    return ", ".join(f"{name}: {value}" for name, value in zip(header, cells, strict=True) if value)


def _sentences(text: str) -> list[str]:
    parts = (" ".join(p.split()) for p in _SENTENCE_END.split(text))
    return [p for p in parts if len(p) >= 20]


def _terms(text: str) -> frozenset[str]:
    return frozenset([*stems(text), *_dates(text)])


def _dates(text: str) -> list[str]:
    """The dates in ``text``, each as one ISO term, so that "January 4, 2012" in a question
    matches "2012/01/04" in a table. Only unambiguous forms: year first, or a named month."""
    if not _YEAR.search(text):  # most sentences: one scan instead of three
        return []
    found = [(y, m, d) for y, m, d in _YEAR_FIRST.findall(text)]
    found += [(y, str(_MONTHS[m[:3].lower()]), d) for m, d, y in _MONTH_FIRST.findall(text)]
    found += [(y, str(_MONTHS[m[:3].lower()]), d) for d, m, y in _DAY_FIRST.findall(text)]
    return [
        f"date:{int(y):04d}-{int(m):02d}-{int(d):02d}"
        for y, m, d in found
        if 1 <= int(m) <= 12 and 1 <= int(d) <= 31
    ]


def _asks_for_a_quantity(question: str) -> bool:
    return bool(_QUANTITY_QUESTION.search(question))


def _states_a_quantity(text: str) -> bool:
    return bool(_QUANTITY.search(text))
