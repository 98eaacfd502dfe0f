"""PDF through pypdfium2: one section per page, loud errors for locked or damaged files."""

from __future__ import annotations

import re
from pathlib import Path

from ragline.documents import Section
from ragline.errors import CorruptDocument, EncryptedDocument


def parse_pdf(path: Path) -> list[Section]:
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
