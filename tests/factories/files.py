"""Build small test documents at test time: every format ragline reads, and hostile ones.

Plain functions that write a file and return its path; override what a test cares about.
"""

from __future__ import annotations

import functools
import random
import struct
import zipfile
import zlib
from email.message import EmailMessage
from pathlib import Path

import docx
import pptx
import pypdf
from docx.oxml import OxmlElement

GIB = 1024**3


def make_pdf(path: Path, pages: list[str]) -> Path:
    """A valid PDF with one page per string (lines split on ``\\n``), Helvetica, WinAnsi."""
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in once the page ids are known
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for text in pages:
        lines = [
            b"("
            + line.encode("cp1252")
            .replace(b"\\", b"\\\\")
            .replace(b"(", b"\\(")
            .replace(b")", b"\\)")
            + b") Tj T*"
            for line in text.split("\n")
        ]
        stream = b"\n".join([b"BT /F1 12 Tf 14 TL 72 720 Td", *lines, b"ET"])
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def make_encrypted_pdf(path: Path, pages: list[str], password: str = "secret") -> Path:
    """A PDF that needs a password to open (RC4-128, as many real ones are)."""
    plain = make_pdf(path.with_suffix(".plain.pdf"), pages)
    writer = pypdf.PdfWriter(clone_from=plain)
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="RC4-128")
    writer.write(path)
    return path


def make_docx(path: Path, blocks: list[tuple[str, str]]) -> Path:
    """A Word file from ``(style, text)`` blocks: style ``h1``/``h2``/``h3``, ``p``, or
    ``new-page`` (a paragraph after the page-break mark Word records when it lays out)."""
    document = docx.Document()
    for style, text in blocks:
        if style.startswith("h"):
            document.add_heading(text, level=int(style[1:]))
        elif style == "new-page":
            run = document.add_paragraph().add_run()
            run._r.append(OxmlElement("w:lastRenderedPageBreak"))
            run.add_text(text)
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def make_pptx(
    path: Path, slides: list[tuple[str, str]], notes: dict[int, str] | None = None
) -> Path:
    """A PowerPoint file with one title-and-body slide per ``(title, body)``, and speaker
    notes by slide number."""
    presentation = pptx.Presentation()
    for number, (title, body) in enumerate(slides, start=1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
        if notes and number in notes:
            slide.notes_slide.notes_text_frame.text = notes[number]
    presentation.save(str(path))
    return path


def make_eml(
    path: Path,
    *,
    subject: str = "Quarterly numbers",
    body: str = "Revenue grew by 12 percent.",
    html: str | None = None,
    attachment: bytes | None = None,
) -> Path:
    """An RFC 822 message; with ``html`` it also has an HTML alternative."""
    message = EmailMessage()
    message["From"] = "Alice <alice@example.com>"
    message["To"] = "Bob <bob@example.com>"
    message["Subject"] = subject
    message["Date"] = "Mon, 01 Jan 2024 10:00:00 +0000"
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        message.add_attachment(
            attachment, maintype="application", subtype="octet-stream", filename="data.bin"
        )
    path.write_bytes(message.as_bytes())
    return path


def make_zip_bomb_docx(path: Path, inflated_bytes: int = GIB + 64 * 1024**2) -> Path:
    """A .docx whose ``word/document.xml`` inflates to ``inflated_bytes`` of zeros.

    Built without compressing a gigabyte: after a full flush, deflate encodes each identical
    1 MiB block of zeros to identical bytes, so one block's output is repeated. The CRC is
    real, so a reader that inflated it all would find nothing wrong until too late.
    """
    block = bytes(1024 * 1024)
    blocks = inflated_bytes // len(block)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    compressor.compress(block)
    compressor.flush(zlib.Z_FULL_FLUSH)  # the first block may differ; take the second
    encoded_block = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    members = _small_docx_members()
    members["word/document.xml"] = (
        encoded_block * blocks + compressor.flush(),
        _crc_of_zero_blocks(blocks),
        blocks * len(block),
    )
    _write_raw_zip(path, members)
    return path


def make_billion_laughs_docx(path: Path) -> Path:
    """A .docx whose document part declares nested entities (the "billion laughs")."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)
    ]
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<!DOCTYPE w:document [{''.join(entities)}]>\n"
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()
    template = make_docx(path.with_suffix(".template.docx"), [("p", "placeholder")])
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = xml if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, data, zipfile.ZIP_DEFLATED)
    return path


def _small_docx_members() -> dict[str, tuple[bytes, int, int]]:
    """The parts of a minimal .docx, raw-deflated, as (data, crc, size)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.'
            'xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
            'document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
    }
    members = {}
    for name, text in parts.items():
        data = text.encode()
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        members[name] = (
            compressor.compress(data) + compressor.flush(),
            zlib.crc32(data),
            len(data),
        )
    return members


@functools.cache
def _crc_of_zero_blocks(blocks: int) -> int:
    """CRC-32 of ``blocks`` MiB of zeros (about a second per GiB, so computed once)."""
    block = bytes(1024 * 1024)
    crc = 0
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    return crc


def _write_raw_zip(path: Path, members: dict[str, tuple[bytes, int, int]]) -> None:
    """A ZIP of already-deflated members (sizes below 4 GiB, so no ZIP64 records)."""
    central = bytearray()
    with path.open("wb") as out:
        for name, (data, crc, size) in members.items():
            offset = out.tell()
            encoded = name.encode()
            fields = (20, 0, zipfile.ZIP_DEFLATED, 0, 0x21, crc, len(data), size, len(encoded))
            out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", *fields, 0) + encoded)
            out.write(data)
            central += (
                struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, offset)
                + encoded
            )
        start = out.tell()
        out.write(central)
        count = len(members)
        out.write(
            struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, count, count, len(central), start, 0)
        )


def long_text(words: int, seed: int = 7) -> str:
    """Prose-like text with varied words, so it chunks and embeds like a real document."""
    rng = random.Random(seed)
    vocabulary = (
        "river mountain engine protocol garden harvest ledger orbit signal lantern "
        "copper meadow archive compiler voyage thunder canvas harbor crystal market "
        "falcon glacier theorem velvet island pepper quartz rhythm saddle tunnel"
    ).split()
    sentences = []
    while words > 0:
        n = rng.randint(8, 18)
        sentences.append(" ".join(rng.choice(vocabulary) for _ in range(n)).capitalize() + ".")
        words -= n
    return "\n\n".join(" ".join(sentences[i : i + 6]) for i in range(0, len(sentences), 6))
