from __future__ import annotations

import contextlib
import multiprocessing
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path

import psutil
import pytest

from ragline.documents import DocumentKind, Section
from ragline.errors import EncryptedDocument, ParseLimitExceeded, TooDeeplyNested, UnsafeDocument
from ragline.parsing import parse_file
from ragline.sandbox import parse_sandboxed
from tests.factories.files import (
    make_billion_laughs_docx,
    make_docx,
    make_encrypted_pdf,
    make_pdf,
    make_zip_bomb_docx,
)
from tests.factories.hostile import deep_email, deep_markdown_list, flate_bomb_stream, pdf


def sandboxed(
    path: Path, kind: DocumentKind, *, timeout_s: float = 60.0, memory_mb: int = 1024
) -> list[Section]:
    return parse_sandboxed(
        path,
        kind,
        timeout_s=timeout_s,
        memory_mb=memory_mb,
        max_unzipped_bytes=512 * 1024 * 1024,
        max_zip_ratio=200,
    )


def no_stray_processes() -> None:
    """Only multiprocessing's fork server and resource tracker may outlive a call, and none
    of their children may be left a zombie.

    Other children are left alone: the session's stack (tests/conftest.py) may be running,
    and its worker's finished flow runs wait a moment to be reaped by their own parent.
    """
    for child in psutil.Process().children():
        with contextlib.suppress(psutil.NoSuchProcess):
            if "-c" in child.cmdline() or "ragline-parser" in child.name():
                assert "multiprocessing" in " ".join(child.cmdline()), child.cmdline()
                for descendant in [child, *child.children(recursive=True)]:
                    assert descendant.status() != psutil.STATUS_ZOMBIE, descendant


def test_same_sections_as_parsing_in_process(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "a.docx", [("h1", "Heading"), ("p", "Body text here.")])
    assert sandboxed(path, DocumentKind.DOCX) == parse_file(path, DocumentKind.DOCX)
    no_stray_processes()


def test_document_errors_cross_the_process_boundary(tmp_path: Path) -> None:
    path = make_encrypted_pdf(tmp_path / "locked.pdf", ["Secret."])
    with pytest.raises(EncryptedDocument) as caught:
        sandboxed(path, DocumentKind.PDF)
    assert caught.value.message == "This PDF is password-protected; upload an unlocked copy."
    assert caught.value.code == "encrypted"


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("deep.html", b"<div>" * 200_000 + b"<p>The key.</p>", DocumentKind.HTML),
        ("deep.eml", deep_email(5_000), DocumentKind.EMAIL),
        ("deep.md", deep_markdown_list(600), DocumentKind.MARKDOWN),
    ],
)
def test_deep_nesting_is_named_across_the_process_boundary(
    tmp_path: Path, name: str, data: bytes, kind: DocumentKind
) -> None:
    (path := tmp_path / name).write_bytes(data)
    with pytest.raises(TooDeeplyNested) as in_process:
        parse_file(path, kind)
    with pytest.raises(TooDeeplyNested) as caught:
        sandboxed(path, kind)
    assert (caught.value.message, caught.value.code) == (
        in_process.value.message,
        "too_deeply_nested",
    )


def test_zip_bomb_and_entity_expansion_are_refused_before_parsing(tmp_path: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(UnsafeDocument, match="zip bomb"):
        sandboxed(make_zip_bomb_docx(tmp_path / "b.docx"), DocumentKind.DOCX)
    with pytest.raises(UnsafeDocument, match="DOCTYPE"):
        sandboxed(make_billion_laughs_docx(tmp_path / "l.docx"), DocumentKind.DOCX)
    pdf_bomb = tmp_path / "bomb.pdf"
    pdf_bomb.write_bytes(pdf([flate_bomb_stream(2048)]))
    with pytest.raises(UnsafeDocument, match="decompression bomb"):
        sandboxed(pdf_bomb, DocumentKind.PDF)
    assert time.perf_counter() - started < 10


def test_a_parse_over_the_time_limit_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join(f"Paragraph {n} says something. Then more." for n in range(50_000)))
    started = time.perf_counter()
    with pytest.raises(ParseLimitExceeded, match=r"longer than 0\.5 s"):
        sandboxed(path, DocumentKind.TEXT, timeout_s=0.5)
    assert time.perf_counter() - started < 5
    no_stray_processes()


def test_a_parse_over_the_memory_limit_fails_cleanly(tmp_path: Path) -> None:
    """The warm child already maps more than 64 MB, so reading a 3 MB file cannot fit."""
    path = tmp_path / "big.txt"
    path.write_text("Words and more words. " * 150_000)
    with pytest.raises(ParseLimitExceeded, match="more than 64 MB of memory"):
        sandboxed(path, DocumentKind.TEXT, memory_mb=64)
    no_stray_processes()


def test_concurrent_calls_from_threads(tmp_path: Path) -> None:
    paths = [make_pdf(tmp_path / f"{n}.pdf", [f"Document number {n}."]) for n in range(4)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda p: sandboxed(p, DocumentKind.PDF), paths))
    assert [r[0].text for r in results] == [f"Document number {n}." for n in range(4)]
    no_stray_processes()


def _parse_in_forked_child(conn: Connection, path: str) -> None:
    from multiprocessing import forkserver

    sections = sandboxed(Path(path), DocumentKind.PDF)
    server_pid = getattr(forkserver._forkserver, "_forkserver_pid")  # noqa: B009 - private
    conn.send((sections[0].text, server_pid))
    conn.close()


def test_a_process_forked_from_a_fork_server_reuses_it(tmp_path: Path) -> None:
    """A flow run forked from serve's warm fork server must not start a cold one of its own."""
    path = make_pdf(tmp_path / "a.pdf", ["Nested."])
    sandboxed(path, DocumentKind.PDF)  # our fork server is running
    receiver, sender = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("forkserver").Process(
        target=_parse_in_forked_child, args=(sender, str(path))
    )
    child.start()
    sender.close()
    assert receiver.poll(60)
    text, own_server_pid = receiver.recv()
    child.join()
    assert text == "Nested."
    assert own_server_pid is None  # it never started a fork server of its own
    assert len([c for c in psutil.Process().children() if "forkserver" in str(c.cmdline())]) == 1


def test_caller_main_module_is_not_rerun_in_the_child(tmp_path: Path) -> None:
    """Regression: multiprocessing re-imports the caller's __main__ in each child; for a flow
    run (``python -m prefect.engine``) that meant importing Prefect in every parse."""
    marker = tmp_path / "runs.txt"
    script = tmp_path / "script.py"  # no __main__ guard, on purpose
    script.write_text(
        textwrap.dedent(
            f"""
            from pathlib import Path
            with open({str(marker)!r}, "a") as f:
                f.write("ran\\n")
            import ragline.sandbox as sandbox
            from ragline.documents import DocumentKind, Section
            sandbox.PRELOAD = []  # a cold server is enough here and starts faster
            for _ in range(2):
                sandbox.parse_sandboxed(
                    Path({str(make_pdf(tmp_path / "a.pdf", ["x"]))!r}), DocumentKind.PDF,
                    timeout_s=60, memory_mb=2048, max_unzipped_bytes=1 << 29, max_zip_ratio=200,
                )
            """
        )
    )
    subprocess.run([sys.executable, str(script)], check=True, timeout=120)
    assert marker.read_text() == "ran\n"
