"""Turn a file into :class:`Section` s of clean text, offline.

PDF goes through pypdfium2 directly (60x faster than unstructured's PDF path, per-page text,
loud errors); Office, HTML, Markdown and text through unstructured's partitioners; CSV and
e-mail through the standard library. Everything heavy is imported inside functions: flow
processes import this module and must stay light. Untrusted files should be parsed through
:func:`ragline.sandbox.parse_sandboxed`, which calls :func:`parse_file` in a limited child.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from ragline.cleaning import clean_text, decode_html, decode_text, strip_page_chrome
from ragline.documents import TABLE_CELL, DocumentKind, Section, table_cell
from ragline.errors import CorruptDocument, DocumentError, EncryptedDocument, NoTextFound

# unstructured pings a telemetry endpoint on import and prints an advertisement on first use.
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("SCARF_NO_ANALYTICS", "true")
os.environ.setdefault("UNSTRUCTURED_DISABLE_NOTICE", "1")

PARSER_VERSION = "3"
"""Bump whenever the sections produced for the same bytes change; part of cache keys.

2: PowerPoint speaker notes are ingested.
3: a ``|`` inside a table cell is written ``¦`` (see ``table_cell``).
"""

NO_TEXT = "No text could be extracted from this file; if it is a scan, run OCR first."

# Elements that repeat on every page or carry no content.
_SKIPPED_CATEGORIES = {"Header", "Footer", "PageBreak", "PageNumber"}
# A non-heading line seen this often in one document is boilerplate (navigation, banners).
_BOILERPLATE_REPEATS = 3
_BOILERPLATE_MAX_CHARS = 200
# Outside markup (plain text, slide and document bodies) unstructured guesses titles, and
# with the blank spaCy pipeline (no verb detection) it calls short sentences titles: a
# "title" that ends like a sentence is read as body text instead.
_SENTENCE_END = re.compile(r"[.,;!]$")


def parse_file(path: Path, kind: DocumentKind) -> list[Section]:
    """The text of ``path`` as sections, in reading order, never empty.

    Raises :class:`EncryptedDocument`, :class:`CorruptDocument` or :class:`NoTextFound` with a
    sentence the user can act on.
    """
    if path.stat().st_size == 0:
        raise NoTextFound("The file is empty.")
    raw = _PARSERS[kind](path)
    sections = [
        Section(text=text, page=s.page, heading=s.heading, is_table=s.is_table)
        for s in raw
        if (text := clean_text(s.text))
    ]
    if not sections:
        raise NoTextFound(NO_TEXT)
    return sections


# --- PDF -------------------------------------------------------------------------------------


def _parse_pdf(path: Path) -> list[Section]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise EncryptedDocument(
                "This PDF is password-protected; upload an unlocked copy."
            ) from exc
        reason = re.search(r"PDFium: ([^)]+)", str(exc))
        detail = f" (PDFium: {reason.group(1)})" if reason else ""
        raise CorruptDocument(
            f"This PDF is damaged or truncated and cannot be opened{detail}. "
            "Download or export it again and upload the new copy."
        ) from exc
    sections = []
    try:
        for number in range(1, len(pdf) + 1):
            try:
                page = pdf[number - 1]
                textpage = page.get_textpage()
                text = textpage.get_text_range()
                textpage.close()
                page.close()
            except pdfium.PdfiumError as exc:
                raise CorruptDocument(
                    f"Page {number} of this PDF cannot be read ({exc}); it may be damaged. "
                    "Export it again and upload the new copy."
                ) from exc
            sections.append(Section(text=text, page=number))
    finally:
        pdf.close()
    return sections


# --- unstructured: DOCX, PPTX, HTML, Markdown, text ------------------------------------------


def _parse_docx(path: Path) -> list[Section]:
    from unstructured.partition.docx import partition_docx

    return _group(_run(partition_docx, DocumentKind.DOCX, filename=str(path)))


def _parse_pptx(path: Path) -> list[Section]:
    from unstructured.partition.pptx import partition_pptx

    slides = _group(_run(partition_pptx, DocumentKind.PPTX, filename=str(path)))
    return _with_speaker_notes(slides, _speaker_notes(path))


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


def _parse_html(path: Path) -> list[Section]:
    return _html_sections(decode_html(path.read_bytes()), DocumentKind.HTML)


def _html_sections(html: str, kind: DocumentKind) -> list[Section]:
    from unstructured.partition.html import partition_html

    if not html.strip():
        return []
    return _group(_run(partition_html, kind, text=strip_page_chrome(html)))


def _parse_markdown(path: Path) -> list[Section]:
    from unstructured.partition.md import partition_md

    text = decode_text(path.read_bytes())
    return _group(_run(partition_md, DocumentKind.MARKDOWN, text=text))


def _parse_text(path: Path) -> list[Section]:
    from unstructured.partition.text import partition_text

    text = decode_text(path.read_bytes())
    return _group(_run(partition_text, DocumentKind.TEXT, text=text))


def _run(partition: Callable[..., list[Any]], kind: DocumentKind, **kwargs: Any) -> list[Any]:
    """Call a partitioner offline; a library failure on bad bytes becomes CorruptDocument."""
    use_offline_nlp()
    try:
        # languages=[""] skips per-document language detection we do not use.
        return partition(languages=[""], **kwargs)
    except (DocumentError, MemoryError):
        raise
    except Exception as exc:
        raise CorruptDocument(
            f"This {kind.label} file cannot be read ({type(exc).__name__}: {exc}); it may be "
            "damaged. Re-save it from the original application and upload it again."
        ) from exc


def use_offline_nlp() -> None:
    """Give unstructured a blank spaCy English pipeline with a sentencizer.

    unstructured >= 0.27 calls ``spacy.load("en_core_web_sm")`` on first use and, when the
    model is missing, downloads it from GitHub (fails offline; behind a dropping firewall it
    hangs up to 120 s). Its tokenizer module looks the loader up at call time, so replacing
    ``_load_spacy_model`` before the first partition keeps it offline. The blank pipeline
    splits sentences but tags no parts of speech, so titles are guessed less well outside
    markup (see ``_SENTENCE_END``); it is also ~10x faster and the same on every machine.
    """
    from unstructured.nlp import tokenize

    if getattr(tokenize, "_ragline_offline", False):
        return
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    tokenize._get_nlp.cache_clear()
    setattr(tokenize, "_load_spacy_model", lambda: nlp)  # noqa: B010 - a private hook
    setattr(tokenize, "_ragline_offline", True)  # noqa: B010


def _group(elements: Iterable[Any]) -> list[Section]:
    """Sections from unstructured elements: a new section at every title and page change.

    ``heading`` is the most recent title; the title line also stays in the section's text.
    Headers, footers and lines repeated throughout the document (navigation, banners) go.
    """
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

    for element, text in items:
        if not text or text in boilerplate:
            continue
        element_page = element.metadata.page_number
        if element_page != page:
            flush()
            page = element_page
        if element.category == "Title" and not _SENTENCE_END.search(text):
            if has_body:
                flush()
            heading = text
        else:
            has_body = True
        lines.append(text)
    flush()
    return sections


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


# --- CSV ---------------------------------------------------------------------------------------


def _parse_csv(path: Path) -> list[Section]:
    """One section per data row, cells joined by ``|``; ``heading`` is the header row, so the
    chunker can repeat it above every pack of rows."""
    text = decode_text(path.read_bytes())
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:16384], delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [
            cells
            for row in csv.reader(io.StringIO(text), dialect)
            if any(cells := [table_cell(clean_text(cell)) for cell in row])
        ]
    except csv.Error as exc:
        raise CorruptDocument(
            f"This CSV file cannot be read ({exc}); check that it is plain comma-, semicolon- "
            "or tab-separated text."
        ) from exc
    if len(rows) < 2:
        raise NoTextFound("This CSV file has no data rows below its header.")
    header = TABLE_CELL.join(rows[0])
    return [Section(text=TABLE_CELL.join(row), heading=header, is_table=True) for row in rows[1:]]


# --- e-mail ------------------------------------------------------------------------------------

_EMAIL_HEADERS = ("From", "To", "Cc", "Date", "Subject")


def _parse_email(path: Path) -> list[Section]:
    """The main headers and the text body (plain text preferred, else HTML); attachments are
    ignored."""
    with path.open("rb") as file:
        message = BytesParser(policy=policy.default).parse(file)
    assert isinstance(message, EmailMessage)  # policy.default builds EmailMessage
    header_lines = [
        f"{name}: {value}" for name in _EMAIL_HEADERS if (value := _header(message, name))
    ]
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = ""
    if isinstance(body_part, EmailMessage):
        body = _part_text(body_part)
        if body_part.get_content_subtype() == "html":
            body = _html_to_text(body)
    subject = _header(message, "Subject")
    if not body.strip() and len(header_lines) < 2:
        raise NoTextFound("This e-mail has no readable headers or text body.")
    text = "\n".join(header_lines) + "\n\n" + body
    return [Section(text=text, heading=subject or None)]


def _header(message: EmailMessage, name: str) -> str:
    try:
        return str(message.get(name, "") or "").strip()
    except (ValueError, TypeError, IndexError):  # a malformed header: keep its raw text
        raw = message.get_all(name, failobj=[])
        return str(raw[0]).strip() if raw else ""


def _part_text(part: EmailMessage) -> str:
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):  # unknown charset or broken encoding
        payload = part.get_payload(decode=True)
        content = decode_text(payload) if isinstance(payload, bytes) else str(payload or "")
    return content if isinstance(content, str) else decode_text(bytes(content))


def _html_to_text(html: str) -> str:
    return "\n\n".join(section.text for section in _html_sections(html, DocumentKind.EMAIL))


_PARSERS: dict[DocumentKind, Callable[[Path], list[Section]]] = {
    DocumentKind.PDF: _parse_pdf,
    DocumentKind.DOCX: _parse_docx,
    DocumentKind.PPTX: _parse_pptx,
    DocumentKind.HTML: _parse_html,
    DocumentKind.MARKDOWN: _parse_markdown,
    DocumentKind.TEXT: _parse_text,
    DocumentKind.CSV: _parse_csv,
    DocumentKind.EMAIL: _parse_email,
}


def warm_up() -> None:
    """Import the parsers and run each once on a tiny sample.

    Their first call pays for lazy imports and spaCy set-up (~1 s); a fork server that runs
    this once hands every child a process where that is already done.
    """
    import docx
    import pptx
    import pypdfium2 as pdfium
    from unstructured.partition.docx import partition_docx
    from unstructured.partition.md import partition_md
    from unstructured.partition.pptx import partition_pptx
    from unstructured.partition.text import partition_text

    for office_file, partition, kind in (
        (docx.Document(), partition_docx, DocumentKind.DOCX),
        (pptx.Presentation(), partition_pptx, DocumentKind.PPTX),
    ):
        buffer = io.BytesIO()
        office_file.save(buffer)
        buffer.seek(0)
        _run(partition, kind, file=buffer)
    _run(partition_text, DocumentKind.TEXT, text="Warm up. A sentence.")
    _run(partition_md, DocumentKind.MARKDOWN, text="# Warm\n\nUp.")
    _html_sections("<h1>Warm</h1><p>Up.</p>", DocumentKind.HTML)
    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(100, 100)
    textpage = page.get_textpage()
    textpage.get_text_range()
    textpage.close()
    page.close()
    pdf.close()
