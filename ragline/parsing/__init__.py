"""Turn a file into :class:`Section` s of clean text, offline.

One module per family of formats, each turning a path into raw sections:

- :mod:`.pdf`: PDF through pypdfium2 directly (unstructured's PDF path needs a heavy
  inference stack and returns nothing, silently, without pikepdf; pdfium gives per-page text
  and loud errors);
- :mod:`.markup`: DOCX, PPTX, HTML, Markdown and text through unstructured's partitioners;
- :mod:`.csv_and_email`: CSV and e-mail through the standard library.

:func:`parse_file` cleans what they return and refuses a file with no text. Everything heavy
is imported inside functions: flow processes import this package and must stay light.
Untrusted files should be parsed through :func:`ragline.sandbox.parse_sandboxed`, which calls
:func:`parse_file` in a limited child.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ragline.cleaning import clean_text
from ragline.documents import DocumentKind, Section
from ragline.errors import NoTextFound, TooDeeplyNested
from ragline.parsing import csv_and_email, markup, pdf

PARSER_VERSION = "5"
"""Bump whenever the sections produced for the same bytes change; part of cache keys.

2: PowerPoint speaker notes are ingested.
3: a ``|`` inside a table cell is written ``¦`` (see ``table_cell``).
4: the mails an e-mail carries inline (a ``multipart/digest``'s members) are sections.
5: a slide is one section, its lines that go on in lower case joined to the line before.
"""

NO_TEXT = "No text could be extracted from this file; if it is a scan, run OCR first."
TOO_DEEP = (
    "This document is nested too deeply to read; it is probably damaged or crafted. "
    "Re-save it from the original application with a simpler structure."
)

_PARSERS: dict[DocumentKind, Callable[[Path], list[Section]]] = {
    DocumentKind.PDF: pdf.parse_pdf,
    DocumentKind.DOCX: markup.parse_docx,
    DocumentKind.PPTX: markup.parse_pptx,
    DocumentKind.HTML: markup.parse_html,
    DocumentKind.MARKDOWN: markup.parse_markdown,
    DocumentKind.TEXT: markup.parse_text,
    DocumentKind.CSV: csv_and_email.parse_csv,
    DocumentKind.EMAIL: csv_and_email.parse_email,
}


def parse_file(path: Path, kind: DocumentKind) -> list[Section]:
    """The text of ``path`` as sections, in reading order, never empty.

    Raises :class:`EncryptedDocument`, :class:`CorruptDocument`, :class:`TooDeeplyNested` or
    :class:`NoTextFound` with a sentence the user can act on.
    """
    if path.stat().st_size == 0:
        raise NoTextFound("The file is empty.")
    try:
        raw = _PARSERS[kind](path)
    except RecursionError as exc:  # e.g. a Markdown list nested hundreds of levels
        raise TooDeeplyNested(TOO_DEEP) from exc
    sections = [
        Section(text=text, page=s.page, heading=s.heading, is_table=s.is_table)
        for s in raw
        if (text := clean_text(s.text))
    ]
    if not sections:
        raise NoTextFound(NO_TEXT)
    return sections
