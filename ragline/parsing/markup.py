"""DOCX, PPTX, HTML, Markdown and text through unstructured's partitioners.

Elements become sections at every title and page change (a slide is one section); headers,
footers and lines repeated throughout a document (navigation, banners) are dropped; tables keep
one line per row.
Every partition runs offline (:func:`ragline.compat.use_offline_nlp`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import groupby
from pathlib import Path
from typing import Any

from ragline import compat
from ragline.cleaning import clean_text, decode_html, decode_text, strip_page_chrome
from ragline.documents import TABLE_CELL, DocumentKind, Section, table_cell
from ragline.errors import CorruptDocument, DocumentError

# Elements that repeat on every page or carry no content.
_SKIPPED_CATEGORIES = {"Header", "Footer", "PageBreak", "PageNumber"}
# A non-heading line seen this often in one document is boilerplate (navigation, banners).
_BOILERPLATE_REPEATS = 3
_BOILERPLATE_MAX_CHARS = 200
# Outside markup (plain text, slide and document bodies) unstructured guesses titles, and
# with the blank spaCy pipeline (no verb detection) it calls short sentences titles: a
# "title" that ends like a sentence is read as body text instead.
_SENTENCE_END = re.compile(r"[.,;!]$")
_ENDS_SENTENCE = re.compile(r"[.!?:;]$")


def parse_docx(path: Path) -> list[Section]:
    from unstructured.partition.docx import partition_docx

    return _group(partition(partition_docx, DocumentKind.DOCX, filename=str(path)))


def parse_pptx(path: Path) -> list[Section]:
    from unstructured.partition.pptx import partition_pptx

    slides = _slides(partition(partition_pptx, DocumentKind.PPTX, filename=str(path)))
    return _with_speaker_notes(slides, _speaker_notes(path))


def _slides(elements: Iterable[Any]) -> list[Section]:
    """One section per slide, under its first title (else the title of the slide before).

    A slide exported from a PDF page (LibreOffice's) holds every line in a text box of its
    own, which unstructured reads as one element each and often calls a title: cut at each,
    a sentence became several sections under headings like "using". A line that goes on in
    lower case continues the line before it, unless that one ended a sentence.
    """
    sections: list[Section] = []
    heading: str | None = None
    for page, items in groupby(_content(elements), key=lambda item: item[0].metadata.page_number):
        lines: list[str] = []
        title: str | None = None
        continuable = False  # the last line is prose a next line may go on from
        for element, text in items:
            if title is None and _is_heading(element, text) and not text[0].islower():
                title = text
            if continuable and text[0].islower() and not _ENDS_SENTENCE.search(lines[-1]):
                lines[-1] += " " + text
            else:
                lines.append(text)
            continuable = element.category != "Table"
        heading = title or heading
        if lines:
            sections.append(Section(text="\n\n".join(lines), page=page, heading=heading))
    return sections


def _speaker_notes(path: Path) -> dict[int, str]:
    """Each slide's speaker notes by slide number: presenters often put the explanation there.

    Read with python-pptx rather than unstructured's option, which puts a slide's notes
    before its title, where they would fall under the previous slide's heading.
    """
    import pptx

    notes: dict[int, str] = {}
    try:
        slides = pptx.Presentation(str(path)).slides
        for number, slide in enumerate(slides, start=1):
            if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
                text = clean_text(slide.notes_slide.notes_text_frame.text)
                if text:
                    notes[number] = text
    except Exception:  # the slides were read: unreadable notes must not cost the deck
        return {}
    return notes


def _with_speaker_notes(slides: list[Section], notes: dict[int, str]) -> list[Section]:
    """Slide sections with each slide's notes after its own, under its last heading."""
    sections: list[Section] = []
    waiting = sorted(notes.items())
    heading: str | None = None

    def add_notes_before(page: float) -> None:
        while waiting and waiting[0][0] < page:
            number, text = waiting.pop(0)
            sections.append(Section(text=f"Speaker notes: {text}", page=number, heading=heading))

    for section in slides:
        add_notes_before(section.page or 0)
        sections.append(section)
        heading = section.heading
    add_notes_before(float("inf"))
    return sections


def parse_html(path: Path) -> list[Section]:
    return html_sections(decode_html(path.read_bytes()), DocumentKind.HTML)


def html_sections(html: str, kind: DocumentKind) -> list[Section]:
    from unstructured.partition.html import partition_html

    if not html.strip():
        return []
    return _group(partition(partition_html, kind, text=strip_page_chrome(html)))


def parse_markdown(path: Path) -> list[Section]:
    import markdown

    # Rendered here, with partition_md's own extensions, so the page meets the HTML reader's
    # nesting check: a quote nested past it would otherwise end silently with "no text".
    html = markdown.markdown(decode_text(path.read_bytes()), extensions=["tables", "fenced_code"])
    return html_sections(html, DocumentKind.MARKDOWN)


def parse_text(path: Path) -> list[Section]:
    from unstructured.partition.text import partition_text

    text = decode_text(path.read_bytes())
    return _group(partition(partition_text, DocumentKind.TEXT, text=text))


def partition(
    partitioner: Callable[..., list[Any]], kind: DocumentKind, **kwargs: Any
) -> list[Any]:
    """Call an unstructured partitioner offline; a library failure on bad bytes becomes
    :class:`CorruptDocument`."""
    compat.use_offline_nlp()
    try:
        # languages=[""] skips per-document language detection we do not use.
        return partitioner(languages=[""], **kwargs)
    except (DocumentError, MemoryError, RecursionError):  # named by the sandbox, parse_file
        raise
    except Exception as exc:
        raise CorruptDocument(
            f"This {kind.label} file cannot be read ({type(exc).__name__}: {exc}); it may be "
            "damaged. Re-save it from the original application and upload it again."
        ) from exc


def _group(elements: Iterable[Any]) -> list[Section]:
    """Sections from unstructured elements: a new section at every title and page change.

    ``heading`` is the most recent title; the title line also stays in the section's text.
    Headers, footers and lines repeated throughout the document (navigation, banners) go.
    """
    sections: list[Section] = []
    lines: list[str] = []
    has_body = False
    heading: str | None = None
    page: int | None = None

    def flush() -> None:
        nonlocal lines, has_body
        if lines:
            sections.append(Section(text="\n\n".join(lines), page=page, heading=heading))
        lines, has_body = [], False

    for element, text in _content(elements):
        element_page = element.metadata.page_number
        if element_page != page:
            flush()
            page = element_page
        if _is_heading(element, text):
            if has_body:
                flush()
            heading = text
        else:
            has_body = True
        lines.append(text)
    flush()
    return sections


def _content(elements: Iterable[Any]) -> list[tuple[Any, str]]:
    """Each element with its clean text, minus empty ones, headers, footers and lines
    repeated throughout the document (navigation, banners)."""
    items = [
        (element, clean_text(_element_text(element)))
        for element in elements
        if element.category not in _SKIPPED_CATEGORIES
    ]
    counts = Counter(text for element, text in items if element.category != "Title")
    boilerplate = {
        text
        for text, count in counts.items()
        if count >= _BOILERPLATE_REPEATS and len(text) <= _BOILERPLATE_MAX_CHARS
    }
    return [(element, text) for element, text in items if text and text not in boilerplate]


def _is_heading(element: Any, text: str) -> bool:
    return bool(element.category == "Title" and not _SENTENCE_END.search(text))


def _element_text(element: Any) -> str:
    """Tables as one line per row, cells separated by ``|``, instead of one run of words."""
    text: str = element.text or ""
    html = element.metadata.text_as_html if element.category == "Table" else None
    if not html:
        return text
    import lxml.html

    try:
        table = lxml.html.fromstring(html)
    except Exception:  # a table we cannot re-read still has its plain text
        return text
    rows = (
        TABLE_CELL.join(table_cell(cell.text_content()) for cell in row.xpath("./th|./td"))
        for row in table.iter("tr")
    )
    return "\n".join(row for row in rows if row.strip(" |")) or text
