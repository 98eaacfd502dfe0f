"""The shapes a document takes on its way to the index: its kind, its sections, its chunks.

Plain frozen dataclasses so they pickle cheaply across the parser's process boundary and
compare by value in tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: Joins the cells of a table row in a section's text (and a CSV file's header row).
TABLE_CELL = " | "


def table_cell(text: str) -> str:
    """A cell's text as a row line holds it: on one line, its own ``|`` written ``¦``, so
    that every row of a table splits into the same cells."""
    return " ".join(text.split()).replace("|", "¦")


def table_rows(text: str) -> list[list[str]]:
    """The cells of each line of ``text`` if it is a table (the parser writes one row per
    line, cells joined by ``TABLE_CELL``): two lines at least, all with the same number of
    cells, more than one. Prose with a stray ``|`` is not a table; ``[]`` when not one."""
    rows = [line.split(TABLE_CELL) for line in text.split("\n")]
    widths = {len(cells) for cells in rows}
    return rows if len(rows) >= 2 and len(widths) == 1 and widths != {1} else []


class DocumentKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    PPTX = "pptx"
    HTML = "html"
    MARKDOWN = "markdown"
    TEXT = "text"
    CSV = "csv"
    EMAIL = "email"

    @property
    def content_type(self) -> str:
        """The canonical MIME type, whatever the upload claimed."""
        return _CONTENT_TYPES[self]

    @property
    def label(self) -> str:
        """The name a user knows the format by, for error sentences."""
        return _LABELS[self]


_CONTENT_TYPES = {
    DocumentKind.PDF: "application/pdf",
    DocumentKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    DocumentKind.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    DocumentKind.HTML: "text/html",
    DocumentKind.MARKDOWN: "text/markdown",
    DocumentKind.TEXT: "text/plain",
    DocumentKind.CSV: "text/csv",
    DocumentKind.EMAIL: "message/rfc822",
}

_LABELS = {
    DocumentKind.PDF: "PDF",
    DocumentKind.DOCX: "Word (.docx)",
    DocumentKind.PPTX: "PowerPoint (.pptx)",
    DocumentKind.HTML: "HTML",
    DocumentKind.MARKDOWN: "Markdown",
    DocumentKind.TEXT: "text",
    DocumentKind.CSV: "CSV",
    DocumentKind.EMAIL: "e-mail (.eml)",
}


@dataclass(frozen=True)
class Section:
    """A run of text that belongs together: a PDF page, the body under one heading, a CSV row.

    ``text`` keeps the heading line itself when the source had one, so nothing is lost if
    ``heading`` is not shown. For CSV rows ``is_table`` is set and ``heading`` holds the header
    line that every chunk of rows repeats.
    """

    text: str
    page: int | None = None
    heading: str | None = None
    is_table: bool = False


@dataclass(frozen=True)
class Chunk:
    """What gets embedded and stored: ``text`` already carries its context prefix."""

    text: str
    index: int
    page: int | None
    heading: str | None
