"""Hostile uploads, built in code at test time (no committed binaries), each with what a user
should see happen.

:func:`hostile_files` lists every case of issue 22's "hostile files": archive and PDF bombs,
broken structures, programs and images under document names, polyglots, entity tricks, deep
nesting, odd encodings, truncated files, formula injection and hostile file names. Each case
carries the outcome ragline promises:

- :class:`Refused`: the upload answers this 4xx status and error code;
- :class:`Fails`: accepted (202), then the document fails with a sentence containing a phrase;
- :class:`Ingests`: accepted and ingested, optionally with a text that must come back verbatim.
"""

from __future__ import annotations

import codecs
import functools
import gzip
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, replace

import docx
import pptx

from tests.factories.files import _crc_of_zero_blocks, _small_docx_members

MIB = 1024**2


@dataclass(frozen=True)
class Refused:
    status: int
    code: str


@dataclass(frozen=True)
class Fails:
    says: str
    """A phrase of the document's error sentence."""


@dataclass(frozen=True)
class Ingests:
    shows: str | None = None
    """Text a keyword search of the document must return verbatim."""


Outcome = Refused | Fails | Ingests


@dataclass(frozen=True)
class HostileFile:
    case: str
    filename: str
    """The name as the client sends it (it may hold anything, NUL included)."""
    data: bytes
    expected: Outcome
    shown_as: str | None = None
    """The name the API should store and show, when it differs from ``filename``."""


UNSUPPORTED = Refused(415, "unsupported_type")
ZIP_BOMB = Fails("zip bomb")
UNSAFE_XML = Fails("entity")
NO_TEXT = Fails("No text could be extracted")
PDF_BOMB = Fails("decompression bomb")
TOO_DEEP_HTML = Fails("nests its elements more than 256 levels deep")


def hostile_files() -> list[HostileFile]:
    """Every hostile case, in a stable order; about 30 MB in all, built in a few seconds."""
    return [
        *archive_cases(),
        *pdf_cases(),
        *type_cases(),
        *xml_and_nesting_cases(),
        *encoding_cases(),
        *truncated_cases(),
        *name_cases(),
    ]


# --- archives ----------------------------------------------------------------------------------


def archive_cases() -> list[HostileFile]:
    return [
        HostileFile("zip bomb: one part inflating 1,000-fold to 1 GiB", "bomb.docx",
                    zero_bomb_docx(1024), ZIP_BOMB),
        HostileFile("zip bomb: 600 small parts inflating to 600 MiB in all", "wide-bomb.docx",
                    wide_bomb_docx(600), Fails("would inflate to 600 MiB")),
        HostileFile("20,000 archive members", "members.docx", many_members_docx(20_000),
                    Fails("parts (at most 10,000")),
        HostileFile("archive members named ../ and /etc/", "traversal.docx",
                    traversal_docx(), Fails("outside the archive")),
        HostileFile("PowerPoint with a zip-bomb slide", "bomb.pptx",
                    office_with_part(pptx_bytes(), "ppt/slides/slide1.xml",
                                     None), ZIP_BOMB),
    ]  # fmt: skip


def zero_bomb_docx(inflated_mib: int) -> bytes:
    """A .docx whose document part is ``inflated_mib`` MiB of zeros (ratio about 1,000)."""
    members = _small_docx_members()
    members["word/document.xml"] = _zero_member(inflated_mib)
    return _raw_zip(members)


def wide_bomb_docx(parts: int) -> bytes:
    """A .docx of ``parts`` parts of 1 MiB of zeros each: no part is big enough for the
    ratio check, only the total gives it away."""
    members = _small_docx_members()
    for n in range(parts):
        members[f"word/media/image{n}.bin"] = _zero_member(1)
    return _raw_zip(members)


def many_members_docx(count: int) -> bytes:
    buffer = io.BytesIO(docx_bytes("A document with too many parts."))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_STORED) as archive:
        for n in range(count):
            archive.writestr(f"word/m/{n}", b"")
    return buffer.getvalue()


def traversal_docx() -> bytes:
    """A real .docx carrying members whose names climb out of any folder it were unpacked in."""
    buffer = io.BytesIO(docx_bytes("An ordinary letter about the annual picnic."))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        for name in ("../../../../tmp/ragline-escaped.txt", "/etc/ragline-escaped", "..\\x.txt"):
            info = zipfile.ZipInfo("placeholder")
            info.filename = name  # ZipInfo() itself would normalise the name
            archive.writestr(info, b"escaped")
    return buffer.getvalue()


def office_with_part(office: bytes, part: str, xml: bytes | None) -> bytes:
    """``office`` with ``part`` replaced by ``xml``, or, for ``None``, by 1 GiB of zeros."""
    with zipfile.ZipFile(io.BytesIO(office)) as source:
        members = {
            info.filename: _deflated(source.read(info))
            for info in source.infolist()
            if info.filename != part
        }
    members[part] = _zero_member(1024) if xml is None else _deflated(xml)
    return _raw_zip(members)


# --- PDF ---------------------------------------------------------------------------------------


def pdf_cases() -> list[HostileFile]:
    text_page = b"BT /F1 12 Tf 72 720 Td (The lighthouse keeper logs every passing ship.) Tj ET"
    other_page = b"BT /F1 12 Tf 72 720 Td (The ferryman counts every crossing.) Tj ET"
    return [
        HostileFile("PDF content stream inflating to 4 GiB", "bomb.pdf",
                    pdf([flate_bomb_stream(4096)]), PDF_BOMB),
        HostileFile("PDF stream deflated twice, inflating to 4 GiB", "double-bomb.pdf",
                    pdf([double_flate_bomb_stream(4096)]), PDF_BOMB),
        HostileFile("PDF whose xref sections point at each other (/Prev loop)", "xref-loop.pdf",
                    xref_loop_pdf(text_page), Ingests("lighthouse keeper")),
        HostileFile("PDF page tree that is its own child (/Parent cycle)", "cycle.pdf",
                    parent_cycle_pdf(text_page), Fails("cannot be read")),
        HostileFile("PDF with a startxref pointing at garbage", "bad-xref.pdf",
                    pdf([_stream(other_page)], startxref=7), Ingests("ferryman counts")),
        HostileFile("PDF header then garbage", "garbage.pdf",
                    b"%PDF-1.7\n" + bytes(range(256)) * 64, Fails("damaged or truncated")),
    ]  # fmt: skip


def pdf(
    contents: list[bytes], *, pages_object: bytes | None = None, startxref: int | None = None
) -> bytes:
    """A one-page-per-stream PDF from ready-made content stream objects."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for content in contents:
        objects.append(content)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = pages_object or b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(kids),
        len(kids),
    )
    body, offsets = _pdf_body(objects)
    xref = len(body)
    return body + _xref(offsets) + _trailer(len(objects), startxref or xref)


def flate_bomb_stream(inflated_mib: int) -> bytes:
    """A FlateDecode stream object that inflates to ``inflated_mib`` MiB of zeros (PDF
    whitespace), about 1 KiB per MiB, with a correct Adler-32."""
    blocks = _encoded_zero_blocks(inflated_mib)
    size = inflated_mib * MIB
    adler = ((size % 65521) << 16) | 1  # Adler-32 of n zeros: a stays 1, b adds 1 each byte
    data = b"\x78\xda" + blocks + struct.pack(">I", adler)
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data)


def double_flate_bomb_stream(inflated_mib: int) -> bytes:
    """A stream deflated twice (``/Filter [/FlateDecode /FlateDecode]``): the outer layer
    inflates to a few MB, which inflate to ``inflated_mib`` MiB."""
    inner = flate_bomb_stream(inflated_mib)
    inner_data = inner[inner.index(b"stream\n") + 7 : inner.rindex(b"\nendstream")]
    data = zlib.compress(inner_data, 9)
    return b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n%s\nendstream" % (
        len(data),
        data,
    )


def xref_loop_pdf(content: bytes) -> bytes:
    """Two xref sections whose trailers name each other as ``/Prev``."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>",
    ]
    body, offsets = _pdf_body(objects)
    first = _xref(offsets)
    # Fixed-width offsets (PDF allows leading zeros), so each trailer can name the other.
    first_at = len(body)
    second_at = first_at + len(first) + len(_loop_trailer(0))
    second = b"xref\n0 1\n0000000000 65535 f \n"
    return (
        body
        + first
        + _loop_trailer(second_at)
        + second
        + _loop_trailer(first_at)
        + b"startxref\n%d\n%%%%EOF\n" % second_at
    )


def _loop_trailer(prev: int) -> bytes:
    return b"trailer\n<< /Size 6 /Root 1 0 R /Prev %010d >>\n" % prev


def parent_cycle_pdf(content: bytes) -> bytes:
    """A page tree whose only kid is the tree itself, and a page whose parent is itself."""
    return pdf([_stream(content)], pages_object=b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>")


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)


def _pdf_body(objects: list[bytes]) -> tuple[bytes, list[int]]:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    return bytes(out), offsets


def _xref(offsets: list[int]) -> bytes:
    rows = b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return b"xref\n0 %d\n0000000000 65535 f \n%s" % (len(offsets) + 1, rows)


def _trailer(count: int, startxref: int) -> bytes:
    return b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count + 1, startxref)


# --- what the bytes are, whatever the name says ------------------------------------------------

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(4080)
PE = b"MZ\x90\x00" + bytes(56) + struct.pack("<I", 64) + b"PE\x00\x00\x4c\x01" + bytes(4000)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(200)


def type_cases() -> list[HostileFile]:
    html_in_jpeg = JPEG + b"<html><script>alert(document.cookie)</script></html>"
    pdf_then_zip = pdf([_stream(b"BT /F1 12 Tf 72 720 Td (Polyglot harbour charts.) Tj ET")])
    pdf_then_zip += _plain_zip({"payload.js": b"alert(1)"})
    return [
        HostileFile("ELF program named .pdf", "report.pdf", ELF, UNSUPPORTED),
        HostileFile("Windows program named .docx", "letter.docx", PE, UNSUPPORTED),
        HostileFile("PNG image named .pdf", "scan.pdf", PNG, UNSUPPORTED),
        HostileFile("JPEG image named .txt", "photo.txt", JPEG, UNSUPPORTED),
        HostileFile("JPEG carrying HTML, named .html", "page.html", html_in_jpeg, UNSUPPORTED),
        HostileFile("ELF program with a PDF header inside", "tool.pdf",
                    ELF[:64] + b"%PDF-1.4\n" + ELF[64:], UNSUPPORTED),
        HostileFile("PDF with a ZIP appended (PDF/ZIP polyglot)", "charts.pdf", pdf_then_zip,
                    Ingests("Polyglot harbour charts")),
        HostileFile("empty file", "empty.txt", b"", Refused(422, "empty_file")),
        HostileFile("only whitespace", "blank.md", b" \n\t\n  \r\n", NO_TEXT),
        HostileFile("gzip data named .txt", "notes.txt", gzip.compress(b"hello " * 1000),
                    UNSUPPORTED),
        HostileFile("ZIP data named .txt", "notes2.txt", _plain_zip({"a.txt": b"hi"}),
                    UNSUPPORTED),
        HostileFile("JSON named .json", "data.json", b'{"question": "is this prose?"}',
                    UNSUPPORTED),
        HostileFile("XML named .xml", "feed.xml", b'<?xml version="1.0"?><feed>news</feed>',
                    UNSUPPORTED),
        HostileFile("billion laughs named .xml", "laughs.xml", billion_laughs_xml(),
                    UNSUPPORTED),
    ]  # fmt: skip


# --- entities and nesting ----------------------------------------------------------------------

XXE_DOCTYPE = b'<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def billion_laughs_xml(root: str = "lolz") -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    )
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{entities}]>\n<{root}>&lol9;</{root}>'.encode()
    )


def xml_and_nesting_cases() -> list[HostileFile]:
    document_xml = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + XXE_DOCTYPE
        + b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    )
    laughs = billion_laughs_xml("html").replace(b"&lol9;", b"<body><p>Laughs &lol9;</p></body>")
    xxe_html = (
        XXE_DOCTYPE + b"<html><body><p>The harbour opens at dawn.</p><p>&xxe;</p></body></html>"
    )
    deep_html = b"<div>" * 200_000 + b"<p>Deep inside the nesting lies the key.</p>"
    return [
        HostileFile("DOCX with an external entity", "xxe.docx",
                    office_with_part(docx_bytes("x"), "word/document.xml", document_xml),
                    UNSAFE_XML),
        HostileFile("DOCX with nested entities (billion laughs)", "laughs.docx",
                    office_with_part(docx_bytes("x"), "word/document.xml",
                                     billion_laughs_xml("w:document")), UNSAFE_XML),
        HostileFile("PowerPoint with an external entity", "xxe.pptx",
                    office_with_part(pptx_bytes(), "ppt/presentation.xml",
                                     b'<?xml version="1.0"?>' + XXE_DOCTYPE + b"<p>&xxe;</p>"),
                    UNSAFE_XML),
        HostileFile("HTML with nested entities (billion laughs)", "laughs.html", laughs,
                    Ingests("Laughs")),
        HostileFile("HTML with an external entity", "xxe.html", xxe_html,
                    Ingests("harbour opens at dawn")),
        HostileFile("e-mail whose HTML body has an external entity", "xxe.eml",
                    email(b"text/html", xxe_html), Ingests("harbour opens at dawn")),
        HostileFile("HTML nested 200,000 elements deep", "deep.html", deep_html, TOO_DEEP_HTML),
        HostileFile("e-mail nested 5,000 multiparts deep", "deep.eml", deep_email(5_000),
                    Fails("nests its parts inside each other too deeply")),
        HostileFile("Markdown quote nested 5,000 deep", "deep-quote.md", deep_markdown_quote(5_000),
                    TOO_DEEP_HTML),
        HostileFile("Markdown list nested 600 deep", "deep-list.md", deep_markdown_list(600),
                    Fails("nested too deeply")),
        HostileFile("JSON-like text nested 5,000 deep, named .txt", "deep.txt",
                    b"[" * 5_000 + b'"the bottom of the well"' + b"]" * 5_000,
                    Ingests()),
        HostileFile("JSON nested 100,000 deep, named .json", "deep.json",
                    b"[" * 100_000 + b"]" * 100_000, UNSUPPORTED),
    ]  # fmt: skip


def deep_markdown_quote(levels: int) -> bytes:
    return b"> " * levels + b"The bottom of the deep quote.\n"


def deep_markdown_list(levels: int) -> bytes:
    items = b"".join(b"  " * n + b"- item %d\n" % n for n in range(levels))
    return items + b"\nThe bottom of the deep list.\n"


def email(content_type: bytes, body: bytes) -> bytes:
    return (
        b"From: Alice <alice@example.com>\r\nTo: Bob <bob@example.com>\r\n"
        b"Subject: Hostile mail\r\nDate: Mon, 01 Jan 2024 10:00:00 +0000\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: " + content_type + b"\r\n\r\n" + body + b"\r\n"
    )


def deep_email(depth: int) -> bytes:
    """Multiparts inside multiparts ``depth`` deep, a plain-text note at the bottom."""
    opening = b"".join(
        b'--b%d\r\nContent-Type: multipart/mixed; boundary="b%d"\r\n\r\n' % (n, n + 1)
        for n in range(depth)
    )
    closing = b"".join(b"--b%d--\r\n" % n for n in reversed(range(depth + 1)))
    inner = b"--b%d\r\nContent-Type: text/plain\r\n\r\nThe innermost note.\r\n" % depth
    return email(b'multipart/mixed; boundary="b0"', opening + inner + closing)


# --- encodings ---------------------------------------------------------------------------------


def encoding_cases() -> list[HostileFile]:
    utf16 = codecs.BOM_UTF16_LE + "Ünïcödé sailors chart the fjord.\n".encode("utf-16-le")
    invalid = b"The caf\xc3 serves cr\xe8me br\xfbl\xe9e \xff\xfe every evening.\n" * 20
    formulas = (
        b"name,note\n"
        b'Alice,"=HYPERLINK(""http://evil.example/"",""click"")"\n'
        b"Bob,+cmd|' /C calc'!A0\n"
        b"Carol,@SUM(1+1)*cmd|' /C calc'!A0\n"
        b"Dave,-2+3+cmd|' /C notepad'!A0\n"
    )
    return [
        HostileFile("UTF-16 text with a BOM", "utf16.txt", utf16, Ingests("sailors chart")),
        HostileFile("invalid UTF-8 in text", "latin.txt", invalid, Ingests("every evening")),
        HostileFile("NUL bytes between words", "nul.txt",
                    b"Plain words\x00 with NUL\x00 bytes inside.\n" * 20, UNSUPPORTED),
        HostileFile("a NUL byte in HTML", "nul.html",
                    b"<html><body><p>Lantern\x00 festival tonight.</p></body></html>",
                    UNSUPPORTED),
        HostileFile("CSV formula injection", "formulas.csv", formulas,
                    Ingests('=HYPERLINK("http://evil.example/","click")')),
    ]  # fmt: skip


# --- truncated files ---------------------------------------------------------------------------


def truncated_cases() -> list[HostileFile]:
    text_pdf = pdf([_stream(b"BT /F1 12 Tf 72 720 Td (Half a ledger.) Tj ET")] * 3)
    html = b"<html><body>" + b"".join(
        b"<h2>Minutes %d</h2><p>On day %d the committee met and agreed" % (n, n) for n in range(20)
    )
    mail = email(b"text/plain", b"The meeting moved to Thursday afternoon because")
    return [
        HostileFile("PDF cut in half", "half.pdf", _half(text_pdf), Fails("damaged or truncated")),
        HostileFile("PDF cut after its header", "header.pdf", text_pdf[:40],
                    Fails("damaged or truncated")),
        HostileFile("DOCX cut in half", "half.docx", _half(docx_bytes("Cut " * 2000)),
                    UNSUPPORTED),
        HostileFile("PowerPoint cut in half", "half.pptx", _half(pptx_bytes()), UNSUPPORTED),
        HostileFile("HTML cut mid-tag", "half.html", html[: len(html) - 7] + b"<p cla",
                    Ingests("committee met")),
        HostileFile("e-mail cut mid-sentence", "half.eml", mail[:-3],
                    Ingests("moved to Thursday")),
        HostileFile("CSV cut inside a quoted cell", "half.csv",
                    b'city,fact\nOslo,"fjords\nBergen,rain', Ingests("Oslo")),
        HostileFile("Markdown cut mid-fence", "half.md",
                    b"# Recipe\n\nKnead the dough gently.\n\n```python\nprint(", Ingests("Knead")),
    ]  # fmt: skip


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


# --- file names --------------------------------------------------------------------------------


def name_cases() -> list[HostileFile]:
    pdf_bytes = pdf([_stream(b"BT /F1 12 Tf 72 720 Td (A paper, not a program.) Tj ET")])
    cases = [
        HostileFile("a Unix path", "../../etc/passwd.txt", b"", Ingests(), "passwd.txt"),
        HostileFile("a Windows path", "..\\..\\Windows\\win.txt", b"", Ingests(), "win.txt"),
        HostileFile("a NUL character", "evil\x00.txt", b"", Ingests(), "evil.txt"),
        HostileFile("a bidi override hiding .exe", "invoice\u202etxt.exe", b"", UNSUPPORTED),
        HostileFile("a bidi override in a supported name", "memo\u202egnp.txt", b"", Ingests(),
                    "memognp.txt"),
        HostileFile("a reserved device name", "CON", b"", UNSUPPORTED),
        HostileFile("a reserved device name with an extension", "NUL.txt", b"", Ingests()),
        HostileFile("a leading dot", ".profile.md", b"", Ingests(), "profile.md"),
        HostileFile("only dots", "...", b"", Refused(422, "invalid_filename")),
        HostileFile("1,000 characters", "a" * 996 + ".txt", b"", Ingests(), "a" * 196 + ".txt"),
        HostileFile("no name at all", "", b"", Refused(422, "invalid_filename")),
        HostileFile("text under a double extension ending .exe", "notes.txt.exe", b"",
                    UNSUPPORTED),
        HostileFile("a PDF under a double extension ending .exe", "paper.pdf.exe", pdf_bytes,
                    UNSUPPORTED),
        HostileFile("a DOCX under a double extension ending .js", "letter.docx.js",
                    docx_bytes("A letter."), UNSUPPORTED),
    ]  # fmt: skip
    # A line of prose, different for each case: identical bytes would be one document.
    return [replace(c, data=c.data or _text(c.case)) for c in cases]


def _text(case: str) -> bytes:
    return f"Otters hold hands while they sleep ({case}) so they do not drift apart.\n".encode()


# --- building blocks ---------------------------------------------------------------------------


@functools.cache
def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@functools.cache
def pptx_bytes() -> bytes:
    presentation = pptx.Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Tides"
    slide.placeholders[1].text = "The tide turns twice a day."
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


@functools.cache
def _encoded_zero_blocks(mib: int) -> bytes:
    """Raw deflate of ``mib`` MiB of zeros, ending the stream, built without compressing it:
    after a full flush every 1 MiB block of zeros encodes to the same bytes."""
    block = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressor.compress(block)
    compressor.flush(zlib.Z_FULL_FLUSH)  # the first block may differ; take the second
    encoded = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    return encoded * mib + compressor.flush()


def _zero_member(mib: int) -> tuple[bytes, int, int]:
    return _encoded_zero_blocks(mib), _crc_of_zero_blocks(mib), mib * MIB


def _deflated(data: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


def _raw_zip(members: dict[str, tuple[bytes, int, int]]) -> bytes:
    """A ZIP of already-deflated ``(data, crc, size)`` members (no ZIP64)."""
    out, central = bytearray(), bytearray()
    for name, (data, crc, size) in members.items():
        offset = len(out)
        encoded = name.encode()
        fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, crc, len(data), size, len(encoded))
        out += struct.pack("<4s5H3I2H", b"PK\x03\x04", *fields, 0) + encoded + data
        central += (
            struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset) + encoded
        )
    start, count = len(out), len(members)
    out += central
    out += struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(central), start, 0)
    return bytes(out)


def _plain_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()
