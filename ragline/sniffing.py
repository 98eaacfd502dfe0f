"""Decide what a file is from its bytes (libmagic), never from the name a client sent.

The extension only chooses between formats that are all plain text underneath (text,
Markdown, CSV, HTML fragments, e-mail), and between Word and PowerPoint when the first bytes
of a ZIP do not show which it is. Everything else is refused with a sentence saying what the
file looks like, and so is any file whose name ends in an extension ragline does not read
(``paper.pdf.exe``), whatever its bytes are.
"""

from __future__ import annotations

import re
import struct
import zipfile
from pathlib import Path, PurePath

import magic

from ragline.documents import DocumentKind
from ragline.errors import EmptyFile, UnsupportedFileType

HEAD_BYTES = 8192
"""How much of a file :func:`detect_kind` needs to see."""

SUPPORTED = "PDF, Word (.docx), PowerPoint (.pptx), HTML, Markdown, text, CSV and e-mail (.eml)"

_DOCX_MIME = DocumentKind.DOCX.content_type
_PPTX_MIME = DocumentKind.PPTX.content_type

# Plain-text content: the extension says how to read it. Text under any other name (.json,
# .xml, .exe, a name with no extension) is refused, whatever the text looks like: ragline
# does not ingest those formats, and reading them as prose wastes the parser's time.
_TEXT_EXTENSIONS = {
    ".txt": DocumentKind.TEXT,
    ".text": DocumentKind.TEXT,
    ".md": DocumentKind.MARKDOWN,
    ".markdown": DocumentKind.MARKDOWN,
    ".csv": DocumentKind.CSV,
    ".tsv": DocumentKind.CSV,
    ".html": DocumentKind.HTML,
    ".htm": DocumentKind.HTML,
    ".xhtml": DocumentKind.HTML,
    ".eml": DocumentKind.EMAIL,
}
_BINARY_EXTENSIONS = {".pdf", ".docx", ".pptx"}
_KNOWN_EXTENSIONS = set(_TEXT_EXTENSIONS) | _BINARY_EXTENSIONS
_EXTENSION = re.compile(r"\.(?=[0-9]*[a-z])[a-z0-9]{1,10}")
_TEXTUAL_APPLICATION_MIMES = {
    "application/json",
    "application/xml",
    "application/javascript",
    "application/x-ndjson",
    "application/csv",
    "application/x-wine-extension-ini",
}
_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]")

# What a refused file looks like, in words a user recognises, with what to do about it.
_LABELS = {
    "application/x-executable": "a program (ELF executable)",
    "application/x-sharedlib": "a program or library (ELF)",
    "application/x-pie-executable": "a program (ELF executable)",
    "application/x-object": "a compiled object file",
    "application/x-dosexec": "a Windows program",
    "application/vnd.microsoft.portable-executable": "a Windows program",
    "application/x-mach-binary": "a macOS program",
    "application/zip": "a ZIP archive",
    "application/gzip": "a compressed archive",
    "application/x-tar": "a tar archive",
    "application/x-7z-compressed": "a compressed archive",
    "application/x-rar": "a compressed archive",
    "application/x-bzip2": "a compressed archive",
    "application/x-xz": "a compressed archive",
    "application/x-ole-storage": "a legacy Microsoft Office file; save it as .docx or .pptx",
    "application/msword": "a legacy Word (.doc) file; save it as .docx",
    "application/vnd.ms-powerpoint": "a legacy PowerPoint (.ppt) file; save it as .pptx",
    "application/vnd.ms-excel": "an Excel workbook; export the sheet as CSV",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "an Excel workbook; export the sheet as CSV"
    ),
    "application/vnd.oasis.opendocument.text": "an OpenDocument text; save it as .docx or PDF",
    "application/encrypted": "a password-protected Office file; upload an unlocked copy",
    "application/postscript": "a PostScript file; convert it to PDF",
    "text/rtf": "an RTF document; save it as .docx or PDF",
    "application/octet-stream": "binary data of an unknown type",
}


def detect_kind(head: bytes, filename: str) -> DocumentKind:
    """The kind of a file from its first bytes (about :data:`HEAD_BYTES`) and its name.

    Raises :class:`EmptyFile` for no bytes and :class:`UnsupportedFileType` for anything
    ragline cannot ingest, naming what the file looks like, or for a name whose extension
    says it is something else (see :func:`_check_extension`).
    """
    kind = _detect_kind(head, filename)
    _check_extension(filename)
    return kind


def _check_extension(filename: str) -> None:
    """Refuse a name that ends in an extension ragline does not read, whatever the bytes are.

    ``paper.pdf.exe`` holding a PDF would be stored and listed under a name that a
    download opens as a program; a name without an extension (or ending in something
    like ``v1.2``) is left to the content.
    """
    suffix = PurePath(filename).suffix.lower()
    if _EXTENSION.fullmatch(suffix) and suffix not in _KNOWN_EXTENSIONS:
        raise UnsupportedFileType(
            f"“{filename}” ends in {suffix}, a type ragline does not ingest, whatever its "
            f"content is. Supported: {SUPPORTED}; rename it if it is one of those."
        )


def _detect_kind(head: bytes, filename: str) -> DocumentKind:
    if not head:
        raise EmptyFile(f"“{filename}” is empty.")
    mime = magic.from_buffer(head, mime=True)
    suffix = PurePath(filename).suffix.lower()
    if mime == "application/pdf":
        return DocumentKind.PDF
    if mime == _DOCX_MIME:
        return DocumentKind.DOCX
    if mime == _PPTX_MIME:
        return DocumentKind.PPTX
    if mime == "application/zip":
        # With the end-of-archive record in the head, the head holds every member.
        complete = b"PK\x05\x06" in head
        return _kind_of_zip(_zip_names_in_head(head), suffix, filename, complete=complete)
    if mime == "message/rfc822":
        return DocumentKind.EMAIL
    if mime in ("text/html", "application/xhtml+xml"):
        # Markdown may legally start with HTML; read it as Markdown then.
        return DocumentKind.MARKDOWN if suffix in (".md", ".markdown") else DocumentKind.HTML
    if _is_text(mime):
        if suffix not in _TEXT_EXTENSIONS and suffix not in _BINARY_EXTENSIONS:
            raise UnsupportedFileType(
                f"“{filename}” is text, but ragline reads text only from "
                f"{', '.join(sorted(_TEXT_EXTENSIONS))} files; rename it if it is one of those."
            )
        kind = _TEXT_EXTENSIONS.get(suffix, DocumentKind.TEXT)  # text named .pdf is text
        if kind is DocumentKind.EMAIL and not _HEADER_LINE.match(head.lstrip()):
            return DocumentKind.TEXT
        return kind
    raise _refuse(filename, mime, magic.from_buffer(head))


def detect_kind_of_file(path: Path, filename: str) -> DocumentKind:
    """Like :func:`detect_kind`, but a ZIP is judged by its full member list.

    Use this when the file is on disk: a Word or PowerPoint file whose telling parts sit past
    the first 8 KiB is recognised, and a ZIP named ``.docx`` that is not one is refused.
    """
    with path.open("rb") as file:
        head = file.read(HEAD_BYTES)
    if not head.startswith(b"PK\x03\x04"):
        return detect_kind(head, filename)
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedFileType(
            f"“{filename}” starts like a ZIP-based file but its archive is damaged ({exc}); "
            "re-save it from the original application."
        ) from exc
    if any(name.startswith(("word/", "ppt/")) for name in names):
        _check_extension(filename)
        return DocumentKind.DOCX if any(n.startswith("word/") for n in names) else DocumentKind.PPTX
    kind = detect_kind(head, filename)  # refuses other ZIP-based types by what they are
    if kind in (DocumentKind.DOCX, DocumentKind.PPTX):  # only the name said so
        raise _refuse(filename, "application/zip")
    return kind


def _is_text(mime: str) -> bool:
    return (mime.startswith("text/") and mime != "text/rtf") or mime in _TEXTUAL_APPLICATION_MIMES


def _kind_of_zip(names: list[str], suffix: str, filename: str, *, complete: bool) -> DocumentKind:
    """Word and PowerPoint are ZIPs with ``word/`` or ``ppt/`` parts inside."""
    if any(name.startswith("word/") for name in names):
        return DocumentKind.DOCX
    if any(name.startswith("ppt/") for name in names):
        return DocumentKind.PPTX
    if any(name.startswith("xl/") for name in names):
        raise _refuse(filename, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if not complete and suffix in (".docx", ".pptx"):
        # The telling members are beyond the head; detect_kind_of_file and the parser verify.
        return DocumentKind.DOCX if suffix == ".docx" else DocumentKind.PPTX
    raise _refuse(filename, "application/zip")


def _zip_names_in_head(head: bytes) -> list[str]:
    """Member names from the ZIP local headers that fit in ``head``.

    Each local header is 30 bytes, the name, an extra field, then the compressed data,
    whose size is in the header unless a data descriptor follows (then we must stop).
    """
    names: list[str] = []
    pos = 0
    while head[pos : pos + 4] == b"PK\x03\x04" and pos + 30 <= len(head):
        flags, size, name_len, extra_len = struct.unpack_from("<H10xI4xHH", head, pos + 6)
        names.append(head[pos + 30 : pos + 30 + name_len].decode("utf-8", "replace"))
        if flags & 0x08 and size == 0:
            break
        pos += 30 + name_len + extra_len + size
    return names


def _refuse(filename: str, mime: str, description: str | None = None) -> UnsupportedFileType:
    if mime in _LABELS:
        looks_like = _LABELS[mime]
    elif mime.startswith("image/"):
        looks_like = f"an image ({mime.removeprefix('image/')}); run OCR and upload a PDF"
    elif mime.startswith(("audio/", "video/")):
        looks_like = f"a media file ({mime})"
    else:
        looks_like = f"a file of type {description or mime}"
    return UnsupportedFileType(
        f"“{filename}” looks like {looks_like}, which ragline cannot ingest. "
        f"Supported: {SUPPORTED}."
    )
