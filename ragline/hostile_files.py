"""Refuse hostile Office files and PDFs before a parser touches them.

A DOCX or PPTX is a ZIP of XML parts. Two attacks matter:

* **zip bombs**: a few KB that inflate to gigabytes (measured: a 1 GiB bomb cost the parser
  12.6 s and 2.5 GB before it failed). Python's ``zipfile``, which python-docx and
  python-pptx read through, never inflates a member past the size its central directory
  declares, so checking the declared sizes and ratios is enough, and costs only the
  directory read.
* **entity expansion** ("billion laughs"): entities can only be declared in a DOCTYPE, and
  OOXML never has one, so any part whose prolog holds ``<!DOCTYPE`` or ``<!ENTITY`` is refused.
  Only the prolog is read, through a bounded streaming read.
* **member names** that climb out of the archive (``../``, ``/etc/``): never in Office files,
  only there for a tool that unpacks to disk.

A PDF's streams are deflated too, and PDFium inflates a content stream whole before reading
it (measured: a 4 MB PDF whose page inflates to 4 GiB took the parser to its 2 GB memory
limit in 4 s). :func:`check_pdf_streams` inflates each FlateDecode stream in 64 KiB pieces,
keeping nothing (through every layer of a stream deflated twice), and stops as soon as the
total passes the same limit as Office files.
"""

from __future__ import annotations

import codecs
import itertools
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from ragline.errors import CorruptDocument, UnsafeDocument

MAX_MEMBERS = 10_000
"""Real Office files have tens to a few thousand parts."""

RATIO_MIN_BYTES = 1024 * 1024
"""Small parts (XML full of repeated tags) legitimately compress very well; judge ratios above
this inflated size only."""

PROLOG_WINDOW = 64 * 1024
"""Bytes of each XML part read to find its root element. Real prologs are under 100 bytes."""

_SNIFF_BYTES = 16
_EOCD = b"PK\x05\x06"
_EOCD_SEARCH = 22 + 65535  # the record, plus the longest archive comment
_PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_PIECE = 64 * 1024
_MAX_LAYERS = 8  # of deflate inside deflate followed; real PDFs have one
_NAME_START = re.compile(r"[A-Za-z_:\u00c0-\uffff]")


def check_zip_container(path: Path, *, max_total_bytes: int, max_ratio: int) -> None:
    """Raise :class:`UnsafeDocument` for a zip bomb or an XML part with entity declarations,
    :class:`CorruptDocument` for a damaged archive. Returns quickly for an ordinary file."""
    _check_declared_count(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_sizes(members, max_total_bytes=max_total_bytes, max_ratio=max_ratio)
            for member in members:
                if not member.is_dir():
                    _check_xml_prolog(archive, member)
    except zipfile.BadZipFile as exc:
        raise CorruptDocument(
            f"The file's ZIP structure is damaged ({exc}); re-save it from the original "
            "application and upload it again."
        ) from exc
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, zlib.error) as exc:
        # NotImplementedError: unknown compression; RuntimeError: an encrypted member;
        # zlib.error: damaged compressed data.
        raise CorruptDocument(
            f"The file's ZIP container cannot be read ({exc}); re-save it as a normal "
            ".docx or .pptx and upload it again."
        ) from exc


def check_pdf_streams(path: Path, *, max_total_bytes: int, max_ratio: int) -> None:
    """Raise :class:`UnsafeDocument` when the PDF's deflated streams inflate past
    ``max_total_bytes`` at more than ``max_ratio`` to one (a decompression bomb).

    Costs one inflation of the streams, bounded by that total, in constant memory. A stream
    that is not zlib data (JPEG images, damaged data) is skipped: PDFium will judge it.
    """
    data = path.read_bytes()  # bounded by the upload limit
    inflated = consumed = 0
    for match in _PDF_STREAM.finditer(data):
        start = match.end()
        if not _is_zlib_header(data[start : start + 2]):
            continue
        stream_inflated, stream_consumed = _inflate_counting(
            memoryview(data)[start:], budget=max_total_bytes - inflated
        )
        inflated += stream_inflated
        consumed += stream_consumed
        if inflated > max_total_bytes and inflated / max(consumed, 1) > max_ratio:
            raise UnsafeDocument(
                f"The PDF's compressed streams inflate to more than {_mib(max_total_bytes)} "
                f"MiB, over {max_ratio}-fold; it looks like a decompression bomb."
            )


def _is_zlib_header(two: bytes) -> bool:
    return (
        len(two) == 2 and two[0] & 0x0F == 8 and two[0] >> 4 <= 7 and int.from_bytes(two) % 31 == 0
    )


def _inflate_counting(data: memoryview, *, budget: int) -> tuple[int, int]:
    """Bytes out and bytes in of the zlib stream at the start of ``data``, stopping once
    the output passes ``budget``. Output that is zlib data again (a stream deflated twice,
    ``/Filter [/FlateDecode /FlateDecode]``) is inflated in turn: its output is what counts."""
    given = 0

    def source() -> Iterator[bytes]:
        nonlocal given
        for start in range(0, len(data), _PIECE):
            piece = bytes(data[start : start + _PIECE])
            given += len(piece)
            yield piece

    produced = 0
    try:
        stream = _inflated(source())
        for _ in range(_MAX_LAYERS - 1):
            first = next(stream, b"")
            stream = itertools.chain([first], stream)
            if not _is_zlib_header(first[:2]):
                break
            stream = _inflated(stream)
        for piece in stream:
            produced += len(piece)
            if produced > budget:
                break
    except zlib.error:
        pass  # damaged data: PDFium will say so
    return produced, given


def _inflated(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The zlib stream that ``pieces`` start with, inflated, in pieces of at most 64 KiB."""
    inflater = zlib.decompressobj()
    for piece in pieces:
        while piece:
            out = inflater.decompress(piece, _PIECE)
            piece = inflater.unconsumed_tail
            if out:
                yield out
            if inflater.eof:
                return


def _check_declared_count(path: Path) -> None:
    """Refuse a huge member count from the end record, before ``zipfile`` builds an object
    per member (millions of them would cost gigabytes)."""
    with path.open("rb") as file:
        file.seek(0, 2)
        size = file.tell()
        file.seek(max(0, size - _EOCD_SEARCH))
        tail = file.read()
    at = tail.rfind(_EOCD)
    if at >= 0 and at + 22 <= len(tail):
        (count,) = struct.unpack_from("<H", tail, at + 10)
        # 0xFFFF means "see the ZIP64 record"; zipfile then reads the real count.
        if MAX_MEMBERS < count < 0xFFFF:
            _too_many(count)


def _too_many(count: int) -> None:
    raise UnsafeDocument(
        f"The file holds {count:,} parts (at most {MAX_MEMBERS:,} are accepted); "
        "it is not an ordinary Office document."
    )


def _check_sizes(members: list[zipfile.ZipInfo], *, max_total_bytes: int, max_ratio: int) -> None:
    if len(members) > MAX_MEMBERS:
        _too_many(len(members))
    total = sum(member.file_size for member in members)
    if total > max_total_bytes:
        raise UnsafeDocument(
            f"The file would inflate to {_mib(total)} MiB, more than the {_mib(max_total_bytes)} "
            "MiB allowed; it may be a zip bomb. Split it or remove embedded media."
        )
    for member in members:
        _check_member_name(member.filename)
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_MIN_BYTES and ratio > max_ratio:
            raise UnsafeDocument(
                f"The part {member.filename!r} inflates {ratio:,.0f}-fold (at most {max_ratio} is "
                "accepted); the file looks like a zip bomb."
            )


def _check_member_name(name: str) -> None:
    """Office parts are named like ``word/document.xml``; a name that climbs out of the
    archive (``../``, ``/etc/``, ``C:\\``) is only there for a tool that unpacks it to disk."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
        raise UnsafeDocument(
            f"The part {name!r} has a path outside the archive, which Office files never "
            "have; the file looks crafted to write elsewhere when unpacked."
        )


def _check_xml_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Refuse a DOCTYPE or ENTITY declaration before the root element of any XML-looking part.

    Parts are judged by content, not name: a part named ``.bin`` can still be declared as XML
    in ``[Content_Types].xml``.
    """
    with archive.open(member) as stream:
        start = stream.read(_SNIFF_BYTES)
        if not _decode(start).lstrip(" \t\r\n\ufeff").startswith("<"):
            return
        window = start + stream.read(PROLOG_WINDOW - len(start))
    text = _decode(window)
    verdict = _scan_prolog(text)
    if verdict == "declaration":
        raise UnsafeDocument(
            f"The part {member.filename!r} declares a DOCTYPE or entities, which Office files "
            "never need; it looks like an XML entity-expansion attack."
        )
    if verdict == "too long" and len(window) >= PROLOG_WINDOW:
        raise UnsafeDocument(
            f"The part {member.filename!r} has an XML prolog longer than "
            f"{PROLOG_WINDOW // 1024} KiB; the file is not an ordinary Office document."
        )


def _scan_prolog(text: str) -> str:
    """Walk the XML prolog: ``"root"`` when the root element starts cleanly, ``"declaration"``
    on ``<!DOCTYPE``/``<!ENTITY``, ``"too long"`` when the window ends first."""
    pos = 0
    while True:
        pos = _skip_space(text, pos)
        if pos >= len(text):
            return "too long"
        if text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                return "too long"
            pos = end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                return "too long"
            pos = end + 3
        elif text.startswith("<!", pos):
            return "declaration"
        elif text.startswith("<", pos) and _NAME_START.match(text, pos + 1):
            return "root"
        else:
            return "root"  # not well-formed XML: the parser will refuse it without expanding


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n\ufeff":
        pos += 1
    return pos


def _decode(window: bytes) -> str:
    """XML may be UTF-16 or UTF-32 (by BOM or by the zero bytes around ``<``); decode it so
    an encoded ``<!DOCTYPE`` cannot slip past."""
    if window.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        encoding = "utf-32"
    elif window.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif window[:4] in (b"<\x00\x00\x00", b"\x00\x00\x00<"):
        encoding = "utf-32-le" if window[0] else "utf-32-be"
    elif window[1:2] == b"\x00":
        encoding = "utf-16-le"
    elif window[:1] == b"\x00":
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    # A window may end inside a multi-byte character: drop what cannot be decoded.
    return window.decode(encoding, "ignore")


def _mib(size: int) -> int:
    return size // (1024 * 1024)
