from __future__ import annotations

import re
import string
from collections.abc import Callable

import pytest
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

from ragline.chunking import chunk_sections
from ragline.documents import Chunk, DocumentKind, Section


def words(text: str) -> int:
    return len(text.split())


def wordpiece_counter() -> Callable[[str], int]:
    """A real word-piece tokenizer with [CLS]/[SEP], like the embedder's, with a tiny vocabulary:
    unknown words split into many pieces, so sizes differ a lot from word counts."""
    vocab = {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2}
    for char in string.ascii_lowercase + string.digits + string.punctuation + "›":
        vocab.setdefault(char, len(vocab))
        vocab.setdefault("##" + char, len(vocab))
    for word in ("the", "and", "sentence", "number", "words", "has", "in", "it", "a", "few"):
        vocab[word] = len(vocab)
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]", max_input_chars_per_word=500))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 1), ("[SEP]", 2)]
    )
    return lambda text: len(tokenizer.encode(text).ids)


def prose(sentences: int, start: int = 0) -> str:
    return " ".join(f"Sentence number {n} has a few words in it." for n in range(start, sentences))


def body(chunk: Chunk) -> str:
    return chunk.text.partition("\n\n")[2]


def test_chunks_carry_title_and_heading_and_keep_page() -> None:
    sections = [
        Section(text="Setup\n\n" + prose(30), heading="Setup", page=3),
        Section(text=prose(5), page=4),
    ]
    chunks = chunk_sections(
        sections, kind=DocumentKind.PDF, count_tokens=words, chunk_tokens=50, title="Manual"
    )
    setup = [c for c in chunks if c.page == 3]
    assert len(setup) > 2
    assert all(c.text.startswith("Manual › Setup\n\n") and c.heading == "Setup" for c in setup)
    assert chunks[-1].text.startswith("Manual\n\nSentence number 0 ")
    assert (chunks[-1].page, chunks[-1].heading) == (4, None)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    # The heading line is in the prefix, not repeated as the first line of the body.
    assert not body(setup[0]).startswith("Setup")


def test_no_chunk_exceeds_the_size_with_its_prefix() -> None:
    count = wordpiece_counter()
    sections = [Section(text=prose(200), heading="A rather long heading about installation")]
    chunks = chunk_sections(
        sections, kind=DocumentKind.TEXT, count_tokens=count, chunk_tokens=120, title="guide.txt"
    )
    sizes = [count(c.text) for c in chunks]
    assert max(sizes) <= 120
    assert min(sizes[:-1]) > 120 * 0.7  # packed, not fragmented


def test_every_word_is_kept_in_order_and_none_is_split() -> None:
    text = prose(60) + "\n\nA second paragraph follows here. It ends the section."
    chunks = chunk_sections(
        [Section(text=text)],
        kind=DocumentKind.TEXT,
        count_tokens=words,
        chunk_tokens=40,
        overlap_tokens=0,
    )
    assert " ".join(c.text for c in chunks).split() == text.split()
    assert all(c.text.strip() for c in chunks)


def test_consecutive_chunks_overlap_by_whole_sentences() -> None:
    chunks = chunk_sections(
        [Section(text=prose(40))],
        kind=DocumentKind.TEXT,
        count_tokens=words,
        chunk_tokens=50,
        overlap_tokens=20,
    )
    for previous, current in zip(chunks, chunks[1:], strict=False):
        before, after = re.split(r"(?<=\.) ", previous.text), re.split(r"(?<=\.) ", current.text)
        shared = next(n for n in range(len(after), 0, -1) if before[-n:] == after[:n])
        assert 1 <= shared and words(" ".join(after[:shared])) <= 20
        assert after[shared:]  # and it moves on


def test_output_is_stable() -> None:
    sections = [Section(text=prose(50), heading="H", page=1), Section(text=prose(9), page=2)]

    def run() -> list[Chunk]:
        return chunk_sections(sections, kind=DocumentKind.PDF, count_tokens=words, title="T")

    assert run() == run()


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Use a flag, e.g. the verbose one. " * 30
    chunks = chunk_sections(
        [Section(text=text)],
        kind=DocumentKind.TEXT,
        count_tokens=words,
        chunk_tokens=20,
        overlap_tokens=0,
    )
    assert all(c.text.startswith("Use a flag, e.g. the verbose one.") for c in chunks)


def test_lines_without_punctuation_split_at_line_breaks() -> None:
    text = "\n".join(f"item {n} costs {n * 2} euros" for n in range(60))
    chunks = chunk_sections(
        [Section(text=text)], kind=DocumentKind.PDF, count_tokens=words, chunk_tokens=30
    )
    assert all(words(c.text) <= 30 for c in chunks)
    assert all(line.startswith("item ") for c in chunks for line in c.text.split("\n"))


def test_an_overlong_word_is_the_only_thing_cut() -> None:
    count = wordpiece_counter()
    blob = "x" * 400  # 400 word pieces in this vocabulary
    chunks = chunk_sections(
        [Section(text=f"Before the blob. {blob} After the blob.")],
        kind=DocumentKind.TEXT,
        count_tokens=count,
        chunk_tokens=100,
    )
    assert max(count(c.text) for c in chunks) <= 100
    assert "".join(c.text for c in chunks).count("x") == 400


def test_csv_repeats_the_header_above_whole_rows() -> None:
    header = "name | price"
    rows = [
        Section(text=f"item{n} | {n}.50 | {n * 3}", heading=header, is_table=True)
        for n in range(40)
    ]
    chunks = chunk_sections(
        rows, kind=DocumentKind.CSV, count_tokens=words, chunk_tokens=40, title="prices.csv"
    )
    assert len(chunks) > 3
    seen = []
    for chunk in chunks:
        title, head, *lines = chunk.text.split("\n")
        assert (title, head) == ("prices.csv", header)
        assert chunk.heading == header
        assert words(chunk.text) <= 40
        seen += lines
    assert seen == [row.text for row in rows]  # every row exactly once, whole, in order


def test_csv_row_longer_than_a_chunk_is_split_under_the_header() -> None:
    rows = [Section(text=" | ".join(f"v{n}" for n in range(80)), heading="h", is_table=True)]
    chunks = chunk_sections(rows, kind=DocumentKind.CSV, count_tokens=words, chunk_tokens=30)
    assert len(chunks) > 1
    assert all(c.text.startswith("h\n") and words(c.text) <= 30 for c in chunks)


def table(rows: int, start: int = 0) -> str:
    return "\n".join(["name | age", *(f"person{n} | {20 + n}" for n in range(start, rows))])


def test_a_table_longer_than_a_chunk_repeats_its_header_row_on_every_piece() -> None:
    section = Section(text=f"{prose(2)}\n\n{table(60)}\n\n{prose(4, 2)}", heading="Staff")
    chunks = chunk_sections(
        [section], kind=DocumentKind.HTML, count_tokens=words, chunk_tokens=40, title="staff.html"
    )
    pieces = [c.text for c in chunks if "person" in c.text]
    assert len(pieces) > 3
    rows = []
    for text in pieces:
        # Laid out like a CSV chunk (context, header, rows), so answers label each row.
        context, header, *lines = text.split("\n")
        assert (context, header) == ("staff.html › Staff", "name | age")
        assert words(text) <= 40
        rows += lines
    assert rows == table(60).split("\n")[1:]  # every row once, whole, in order
    # The prose around the table keeps its own chunks, in order.
    assert chunks[0].text == f"staff.html › Staff\n\n{prose(2)}"
    assert chunks[-1].text == f"staff.html › Staff\n\n{prose(4, 2)}"


def test_a_table_that_fits_in_a_chunk_is_never_cut_in_two() -> None:
    section = Section(text=f"{prose(3)}\n\n{table(6)}\n\n{prose(3, 3)}")
    chunks = chunk_sections(
        [section], kind=DocumentKind.DOCX, count_tokens=words, chunk_tokens=40, title="t.docx"
    )
    holding = [c.text for c in chunks if "person" in c.text]
    assert holding and all(table(6) in text for text in holding)
    assert all(words(c.text) <= 40 for c in chunks)


def test_overlong_heading_is_truncated_to_leave_room_for_text() -> None:
    heading = " ".join(["heading"] * 100)
    chunks = chunk_sections(
        [Section(text=f"{heading}\n{prose(10)}", heading=heading)],
        kind=DocumentKind.DOCX,
        count_tokens=words,
        chunk_tokens=60,
    )
    assert all(words(c.text) <= 60 for c in chunks)
    assert all(words(c.text.partition("\n\n")[0]) <= 15 for c in chunks)
    # The full heading was too long for the prefix, so its line stays in the text.
    assert words(" ".join(c.text for c in chunks)) >= 100 + words(prose(10))


def test_empty_sections_give_no_chunks() -> None:
    assert chunk_sections([], kind=DocumentKind.TEXT, count_tokens=words) == []
    assert chunk_sections([Section(text="  \n ")], kind=DocumentKind.TEXT, count_tokens=words) == []


def test_heading_only_section_keeps_its_text() -> None:
    [chunk] = chunk_sections(
        [Section(text="Appendix", heading="Appendix")], kind=DocumentKind.DOCX, count_tokens=words
    )
    assert chunk.text == "Appendix\n\nAppendix"


def test_too_small_a_size_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        chunk_sections(
            [Section(text="x")], kind=DocumentKind.TEXT, count_tokens=words, chunk_tokens=8
        )
