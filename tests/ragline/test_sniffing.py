from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from ragline.documents import DocumentKind
from ragline.errors import EmptyFile, UnsupportedFileType
from ragline.sniffing import HEAD_BYTES, detect_kind, detect_kind_of_file
from tests.factories.files import make_docx, make_eml, make_pdf, make_pptx


def head(path: Path) -> bytes:
    with path.open("rb") as file:
        return file.read(HEAD_BYTES)


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "content", "kind"),
    [
        ("notes.txt", b"Plain notes.\n", DocumentKind.TEXT),
        ("notes.txt", "Caf\xe9 cr\xe8me, latin-1.\n".encode("latin-1"), DocumentKind.TEXT),
        ("README.md", b"# Title\n\nSome *text*.\n", DocumentKind.MARKDOWN),
        ("data.csv", b"a,b\n1,2\n", DocumentKind.CSV),
        ("page.html", b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", DocumentKind.HTML),
        ("fragment.html", b"<p>hello</p>", DocumentKind.HTML),
        ("page.txt", b"<html><head><title>x</title></head><body></body></html>", DocumentKind.HTML),
        ("mail.txt", b"Received: from x\nFrom: a@b.c\n\nbody", DocumentKind.EMAIL),
        ("mail.eml", b"Subject: hi\nFrom: a@b.c\n\nbody", DocumentKind.EMAIL),
        ("not-mail.eml", b"Just some words.\n", DocumentKind.TEXT),
        ("report.pdf", b"Actually text, whatever the name says.\n", DocumentKind.TEXT),
    ],
)
def test_text_formats_are_told_apart_by_content_then_extension(
    filename: str, content: bytes, kind: DocumentKind
) -> None:
    assert detect_kind(content, filename) is kind


def test_binary_formats_are_recognised_by_content(tmp_path: Path) -> None:
    files = {
        DocumentKind.PDF: make_pdf(tmp_path / "a.pdf", ["Hello"]),
        DocumentKind.DOCX: make_docx(tmp_path / "a.docx", [("p", "Hello")]),
        DocumentKind.PPTX: make_pptx(tmp_path / "a.pptx", [("Title", "Body")]),
        DocumentKind.EMAIL: make_eml(tmp_path / "a.eml"),
    }
    for kind, path in files.items():
        # The name does not matter for these: content decides.
        assert detect_kind(head(path), "upload") is kind
        assert detect_kind_of_file(path, "upload") is kind


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("notes.txt.exe", b"Plain notes.\n"),
        ("data.json", b'{"a": [1, 2, {"b": "c"}]}'),
        ("feed.xml", b"<?xml version='1.0'?><feed><entry>x</entry></feed>"),
        ("config.ini.bat", b"[section]\nkey = value\n"),
        ("upload", b"A part with no name at all.\n"),
    ],
)
def test_text_under_a_name_ragline_does_not_read_is_refused(filename: str, content: bytes) -> None:
    with pytest.raises(UnsupportedFileType, match="reads text only from"):
        detect_kind(content, filename)


@pytest.mark.parametrize("filename", ["paper.pdf.exe", "paper.exe", "letter.docx.js"])
def test_a_name_ending_in_an_unsupported_extension_is_refused_whatever_the_content(
    tmp_path: Path, filename: str
) -> None:
    """A PDF named paper.pdf.exe was accepted (issue 22): listed, and downloaded, as a program."""
    files = [make_pdf(tmp_path / "a.pdf", ["Hello"]), make_docx(tmp_path / "a.docx", [("p", "Hi")])]
    for path in files:
        with pytest.raises(UnsupportedFileType, match=r"ends in \.(exe|js), a type"):
            detect_kind_of_file(path, filename)


@pytest.mark.parametrize("filename", ["Report v1.2", "Minutes 03.12.2026", "scan", "A.PDF"])
def test_a_name_without_a_real_extension_is_left_to_the_content(
    tmp_path: Path, filename: str
) -> None:
    path = make_pdf(tmp_path / "a.pdf", ["Hello"])
    assert detect_kind_of_file(path, filename) is DocumentKind.PDF


def test_executable_renamed_pdf_is_refused() -> None:
    elf = Path(sys.executable).resolve().read_bytes()[:HEAD_BYTES]
    assert elf.startswith(b"\x7fELF")
    with pytest.raises(UnsupportedFileType, match=r"“invoice\.pdf” looks like a program"):
        detect_kind(elf, "invoice.pdf")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00", "an image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "legacy Microsoft Office"),
        (b"{\\rtf1\\ansi hello}", "RTF"),
        (zip_bytes({"notes.txt": b"hello"}), "ZIP archive"),
        (zip_bytes({"xl/workbook.xml": b"<workbook/>"}), "export the sheet as CSV"),
        (bytes(range(1, 256)) * 4, "binary data"),
    ],
)
def test_other_types_are_refused_with_what_they_look_like(content: bytes, says: str) -> None:
    with pytest.raises(UnsupportedFileType, match=says) as caught:
        detect_kind(content, "document.docx")
    assert "Supported: PDF" in caught.value.message
    assert caught.value.code == "unsupported_type"


def test_empty_file_is_refused() -> None:
    with pytest.raises(EmptyFile, match="empty"):
        detect_kind(b"", "empty.pdf")


def test_zip_whose_office_parts_lie_beyond_the_head(tmp_path: Path) -> None:
    """A Word file whose word/ parts start after the first 8 KiB: the head alone falls back to
    the extension, the full member list decides."""
    filler = bytes(range(256)) * 64  # 16 KiB that do not compress away
    path = tmp_path / "late.docx"
    path.write_bytes(zip_bytes({"docProps/thumbnail.bin": filler, "word/document.xml": b"<w/>"}, 0))
    assert detect_kind(head(path), "late.docx") is DocumentKind.DOCX
    assert detect_kind_of_file(path, "late.docx") is DocumentKind.DOCX
    assert detect_kind_of_file(path, "late") is DocumentKind.DOCX
    with pytest.raises(UnsupportedFileType, match="ZIP archive"):
        detect_kind(head(path), "late.zip")


def test_plain_zip_named_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(zip_bytes({"readme.txt": b"not a word file"}))
    with pytest.raises(UnsupportedFileType, match="ZIP archive"):
        detect_kind(head(path), "fake.docx")
    with pytest.raises(UnsupportedFileType, match="ZIP archive"):
        detect_kind_of_file(path, "fake.docx")


def test_content_types_are_canonical() -> None:
    assert DocumentKind.PDF.content_type == "application/pdf"
    assert DocumentKind.DOCX.content_type.endswith("wordprocessingml.document")
    assert DocumentKind.EMAIL.content_type == "message/rfc822"
    assert len({kind.content_type for kind in DocumentKind}) == len(DocumentKind)
