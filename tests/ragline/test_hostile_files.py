from __future__ import annotations

import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from ragline.errors import CorruptDocument, UnsafeDocument
from ragline.hostile_files import MAX_MEMBERS, check_pdf_streams, check_zip_container
from tests.factories.files import (
    GIB,
    make_billion_laughs_docx,
    make_docx,
    make_pdf,
    make_pptx,
    make_zip_bomb_docx,
)
from tests.factories.hostile import (
    double_flate_bomb_stream,
    flate_bomb_stream,
    pdf,
    traversal_docx,
)

LIMITS = {"max_total_bytes": 512 * 1024 * 1024, "max_ratio": 200}
DOCTYPE = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><r>&a;</r>'


def zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def refused_with_cost(check: Callable[[], None], match: str) -> tuple[float, int]:
    """Seconds and peak Python allocation of a check that raises UnsafeDocument."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(UnsafeDocument, match=match):
            check()
        return time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_ordinary_office_files_pass(tmp_path: Path) -> None:
    for path in (
        make_docx(tmp_path / "a.docx", [("h1", "Title"), ("p", "Body text.")]),
        make_pptx(tmp_path / "a.pptx", [("Slide", "Body")]),
    ):
        check_zip_container(path, **LIMITS)


def test_zip_bomb_is_refused_in_milliseconds_without_inflating(tmp_path: Path) -> None:
    bomb = make_zip_bomb_docx(tmp_path / "bomb.docx")
    with zipfile.ZipFile(bomb) as archive:
        assert archive.getinfo("word/document.xml").file_size > GIB
    elapsed, peak = refused_with_cost(
        lambda: check_zip_container(bomb, **LIMITS), "would inflate to 1088 MiB.*zip bomb"
    )
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024

    with pytest.raises(UnsafeDocument, match="inflates 1,011-fold"):
        check_zip_container(bomb, max_total_bytes=2 * GIB, max_ratio=200)


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    path = make_billion_laughs_docx(tmp_path / "laughs.docx")
    with pytest.raises(UnsafeDocument, match="'word/document.xml' declares a DOCTYPE"):
        check_zip_container(path, **LIMITS)


@pytest.mark.parametrize(
    "part",
    [
        DOCTYPE.encode(),
        ("\ufeff" + DOCTYPE).encode("utf-8"),
        DOCTYPE.encode("utf-16"),  # with a byte-order mark
        DOCTYPE.encode("utf-16-le"),  # without one
        b'<?xml version="1.0"?>\n<!-- a comment first -->\n' + DOCTYPE.encode()[21:],
        b"   \n" + DOCTYPE.encode(),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le", "after-comment", "leading-space"],
)
def test_entity_declarations_are_found_however_encoded(tmp_path: Path, part: bytes) -> None:
    """Any part is judged by its content, whatever its name."""
    path = zip_with(tmp_path / "x.docx", {"word/document.xml": b"<w/>", "word/media/x.bin": part})
    with pytest.raises(UnsafeDocument, match="'word/media/x.bin' declares"):
        check_zip_container(path, **LIMITS)


def test_doctype_words_in_the_body_are_fine(tmp_path: Path) -> None:
    xml = b'<?xml version="1.0"?><w:document><w:t>write &lt;!DOCTYPE html&gt;</w:t></w:document>'
    check_zip_container(zip_with(tmp_path / "ok.docx", {"word/document.xml": xml}), **LIMITS)


def test_endless_prolog_is_refused(tmp_path: Path) -> None:
    part = b'<?xml version="1.0"?><!--' + b"x" * 100_000 + b"--><!DOCTYPE r []><r/>"
    path = zip_with(tmp_path / "long.docx", {"word/document.xml": part})
    with pytest.raises(UnsafeDocument, match="prolog longer than 64 KiB"):
        check_zip_container(path, **LIMITS)


def test_too_many_parts_are_refused(tmp_path: Path) -> None:
    path = zip_with(tmp_path / "many.docx", {f"p/{n}": b"" for n in range(MAX_MEMBERS + 1)})
    with pytest.raises(UnsafeDocument, match="10,001 parts"):
        check_zip_container(path, **LIMITS)


@pytest.mark.parametrize("cut", [0.5, 0.95])
def test_damaged_archive_is_corrupt(tmp_path: Path, cut: float) -> None:
    good = make_docx(tmp_path / "a.docx", [("p", "Body text " * 200)]).read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(good[: int(len(good) * cut)])
    with pytest.raises(CorruptDocument, match="damaged"):
        check_zip_container(path, **LIMITS)


def test_member_names_outside_the_archive_are_unsafe(tmp_path: Path) -> None:
    path = tmp_path / "traversal.docx"
    path.write_bytes(traversal_docx())
    with pytest.raises(UnsafeDocument, match="outside the archive"):
        check_zip_container(path, **LIMITS)


def test_ordinary_pdfs_pass(tmp_path: Path) -> None:
    check_pdf_streams(make_pdf(tmp_path / "a.pdf", ["Page one.", "Page two."]), **LIMITS)
    compressed = tmp_path / "compressed.pdf"
    compressed.write_bytes(pdf([flate_bomb_stream(64)]))  # 64 MiB inflated: under the limit
    check_pdf_streams(compressed, **LIMITS)


def test_pdf_bomb_is_refused_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """A 4 MB PDF whose page inflates to 4 GiB took the parser to 2 GB (issue 22)."""
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf([flate_bomb_stream(4096)]))
    elapsed, peak = refused_with_cost(
        lambda: check_pdf_streams(path, **LIMITS), "decompression bomb"
    )
    assert elapsed < 5
    assert peak < 4 * path.stat().st_size  # the file and a piece, nothing inflated kept


def test_a_pdf_bomb_deflated_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "double.pdf"
    path.write_bytes(pdf([double_flate_bomb_stream(4096)]))
    assert path.stat().st_size < 100_000  # the outer layer hides the inner one's size
    elapsed, _ = refused_with_cost(lambda: check_pdf_streams(path, **LIMITS), "decompression bomb")
    assert elapsed < 5


def test_a_big_pdf_stream_that_compresses_normally_passes(tmp_path: Path) -> None:
    """Only size and ratio together mark a bomb: under a higher ratio limit 600 MiB passes."""
    path = tmp_path / "big.pdf"
    path.write_bytes(pdf([flate_bomb_stream(600)]))
    check_pdf_streams(path, max_total_bytes=LIMITS["max_total_bytes"], max_ratio=5000)
