"""Cut sections into chunks sized in the embedding model's word pieces.

Each chunk starts with its context, ``"{title} › {heading}"``, so a heading and the document
it belongs to travel with every piece of its text (lost context at chunk boundaries was the
main cause of retrieval misses); the prefix counts toward the size, because the model
truncates at 256 word pieces. Prose is packed by whole sentences (lines, then words, for
sentences too long on their own) with a sentence-level overlap. CSV rows are packed whole,
below the header line repeated at the top of every chunk; a table inside a document stays
whole in one chunk or, when longer than a chunk, is cut the same way.

Sizes come from ``count_tokens`` (the embedder's tokenizer). Each piece is counted once and
sums are used for packing, which matches word-piece tokenizers (they split on whitespace
first); a constant per-call overhead such as ``[CLS]``/``[SEP]`` is measured on ``""`` and
counted once per chunk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ragline.documents import Chunk, DocumentKind, Section, table_rows

CHUNKER_VERSION = "2"
"""Bump whenever the chunks produced for the same sections change; part of cache keys.

2: a table in a document is never cut between chunks, or, when longer than a chunk, is cut
   like a CSV file, its header row repeated on every piece."""

CONTEXT_SEPARATOR = " › "

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A sentence ends at . ! ? or … (plus closing quotes/brackets), before whitespace and a
# character that is not a lower-case letter ("e.g. this" stays one sentence).
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’)\]]*(\s+)(?=[^\sa-z])")


@dataclass(frozen=True)
class _Piece:
    sep: str  # what joins it to the previous piece in the same chunk
    text: str
    tokens: int


def chunk_sections(
    sections: list[Section],
    *,
    kind: DocumentKind,
    count_tokens: Callable[[str], int],
    chunk_tokens: int = 200,
    overlap_tokens: int = 30,
    title: str | None = None,
) -> list[Chunk]:
    """Chunks of at most ``chunk_tokens`` word pieces (prefix included), numbered from 0.

    Same input, same chunks. Pages and headings are kept per chunk; a chunk never spans two
    sections (for CSV: never two header lines).
    """
    if chunk_tokens < 16:
        raise ValueError("chunk_tokens must be at least 16")
    base = count_tokens("")

    def size(text: str) -> int:
        return count_tokens(text) - base

    budget = chunk_tokens - base
    overlap = max(0, min(overlap_tokens, budget // 2))
    title = title.strip() if title else None
    out: list[tuple[str, int | None, str | None]] = []
    start = 0
    while start < len(sections):
        section = sections[start]
        if kind == DocumentKind.CSV or section.is_table:
            end = start + 1
            while end < len(sections) and _same_table(sections[end], section):
                end += 1
            rows = [s.text for s in sections[start:end]]
            texts = _table_chunks(rows, section.heading, title, budget, size)
            start = end
        else:
            texts = _prose_chunks(section, title, budget, overlap, size)
            start += 1
        out.extend((text, section.page, section.heading) for text in texts)
    return [
        Chunk(text=text, index=index, page=page, heading=heading)
        for index, (text, page, heading) in enumerate(out)
    ]


def _same_table(section: Section, first: Section) -> bool:
    return (section.heading, section.page, section.is_table) == (
        first.heading,
        first.page,
        first.is_table,
    )


def _prose_chunks(
    section: Section, title: str | None, budget: int, overlap: int, size: Callable[[str], int]
) -> Iterator[str]:
    heading = section.heading.strip() if section.heading else None
    parts = [part for part in (title, heading) if part]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts.pop()
    prefix = _truncate(CONTEXT_SEPARATOR.join(parts), budget // 4, size) if parts else ""
    head = f"{prefix}\n\n" if prefix else ""
    body = section.text.strip()
    first_line, _, rest = body.partition("\n")
    if heading and prefix.endswith(heading) and first_line.strip() == heading and rest.strip():
        body = rest.strip()  # the heading is in every chunk's prefix: don't repeat it
    room = budget - size(head) if head else budget
    for block, is_table in _blocks(body, room, size):
        if is_table:
            header, *rows = block.split("\n")
            yield from _table_chunks(rows, header, prefix or None, budget, size)
        else:
            for text in _pack(_prose_pieces(block, room, size), room, overlap):
                yield head + text


def _blocks(body: str, room: int, size: Callable[[str], int]) -> Iterator[tuple[str, bool]]:
    """``body`` as runs of paragraphs, and tables too long for one chunk on their own:
    (text, is_table). Such a table is cut like a CSV file, its header row on every piece,
    so that a row far down still says which column holds what."""
    prose: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(body):
        if table_rows(paragraph.strip()) and size(paragraph) > room:
            if prose:
                yield "\n\n".join(prose), False
                prose = []
            yield paragraph.strip(), True
        else:
            prose.append(paragraph)
    if prose:
        yield "\n\n".join(prose), False


def _table_chunks(
    rows: list[str], header: str | None, title: str | None, budget: int, size: Callable[[str], int]
) -> Iterator[str]:
    lines = [title] if title else []
    if header:
        lines.append(_truncate(header, budget // 2, size))
    head = "\n".join(lines) + "\n" if lines else ""
    room = budget - size(head) if head else budget
    pieces = [
        _Piece(unit_sep or "\n", unit, tokens)
        for row in rows
        if row.strip()
        for unit_sep, unit, tokens in _fit(row.strip(), room, size)
    ]
    for text in _pack(pieces, room, overlap=0):
        yield head + text


def _prose_pieces(text: str, room: int, size: Callable[[str], int]) -> list[_Piece]:
    """Sentences, each with the separator that preceded it in the text."""
    pieces = []
    for paragraph in (p.strip() for p in _PARAGRAPH_BREAK.split(text)):
        if table_rows(paragraph):  # a table that fits: kept whole, never cut in two
            pieces.append(_Piece("\n\n", paragraph, size(paragraph)))
            continue
        for number, (sentence_sep, sentence) in enumerate(_sentences(paragraph)):
            outer_sep = "\n\n" if number == 0 else sentence_sep
            for unit_sep, unit, tokens in _fit(sentence, room, size):
                pieces.append(_Piece(unit_sep or outer_sep, unit, tokens))
    return pieces


def _sentences(paragraph: str) -> Iterator[tuple[str, str]]:
    start, sep = 0, " "
    for match in _SENTENCE_BREAK.finditer(paragraph):
        yield sep, paragraph[start : match.start(1)]
        sep = "\n" if "\n" in match.group(1) else " "
        start = match.end()
    if paragraph[start:]:
        yield sep, paragraph[start:]


def _fit(text: str, room: int, size: Callable[[str], int]) -> Iterator[tuple[str, str, int]]:
    """``text`` as (separator, unit, tokens) units of at most ``room`` tokens: whole if it
    fits, else by line, else by word. The first unit's separator is ``""``."""
    tokens = size(text)
    if tokens <= room:
        yield "", text, tokens
        return
    for number, line in enumerate(text.split("\n")):
        line_sep = "\n" if number else ""
        tokens = size(line)
        if tokens <= room:
            yield line_sep, line, tokens
            continue
        for index, (word_sep, word, word_tokens) in enumerate(_words(line, room, size)):
            yield (line_sep if index == 0 else word_sep), word, word_tokens


def _words(line: str, room: int, size: Callable[[str], int]) -> Iterator[tuple[str, str, int]]:
    for word in line.split():
        while word:
            # Only a single "word" longer than a whole chunk (a hash, base64) is cut inside:
            # it has no boundary to respect.
            cut = len(word) if size(word) <= room else _longest_prefix(word, room, size)
            yield " ", word[:cut], size(word[:cut])
            word = word[cut:]


def _pack(pieces: list[_Piece], room: int, overlap: int) -> Iterator[str]:
    """Greedy packing; each new chunk repeats the previous one's last pieces up to
    ``overlap`` tokens when they fit beside the next piece."""
    current: list[_Piece] = []
    used = 0
    for piece in pieces:
        if current and used + piece.tokens > room:
            yield _join(current)
            current = _tail(current, min(overlap, room - piece.tokens))
            used = sum(p.tokens for p in current)
        current.append(piece)
        used += piece.tokens
    if current:
        yield _join(current)


def _tail(pieces: list[_Piece], limit: int) -> list[_Piece]:
    tail: list[_Piece] = []
    used = 0
    for piece in reversed(pieces):
        if used + piece.tokens > limit:
            break
        tail.insert(0, piece)
        used += piece.tokens
    return tail


def _join(pieces: list[_Piece]) -> str:
    return pieces[0].text + "".join(p.sep + p.text for p in pieces[1:])


def _truncate(text: str, limit: int, size: Callable[[str], int]) -> str:
    """The longest run of whole leading words of ``text`` within ``limit`` tokens."""
    if size(text) <= limit:
        return text
    words = text.split()
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if size(" ".join(words[:middle])) <= limit:
            low = middle
        else:
            high = middle - 1
    return " ".join(words[:low]) if low else text[: _longest_prefix(text, limit, size)]


def _longest_prefix(text: str, limit: int, size: Callable[[str], int]) -> int:
    """Length of the longest prefix of ``text`` within ``limit`` tokens (at least 1 char)."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if size(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low
