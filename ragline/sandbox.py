"""Parse an untrusted file in a child process with a memory cap and a wall-clock limit.

Children fork from a multiprocessing *fork server*: a single-threaded process that has
imported the parsers and run each once on a tiny sample (:func:`ragline.warmup.parse_server`).
Forking from it is cheap whatever threads the caller has, and a crash, a runaway allocation
or an endless loop in a parser takes down only the child.

    parse_sandboxed ──"fork me a child"──▶ fork server (warm) ──fork──▶ child: setrlimit;
          ▲                                                         bomb checks; parse_file
          └────────────────── one pickled outcome over a pipe ◀─────────┘

The child is a :class:`ragline.compat.InheritingForkServerProcess`: it does not re-run the
caller's ``__main__`` (a flow run's is Prefect's engine), and a caller that was itself forked
from a fork server (a flow run under ``deployments/serve.py``, whose server has warmed the
parsers too) gets its child from that server instead of starting a second, cold one.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import resource
import signal
import threading
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ragline import compat, errors
from ragline.documents import DocumentKind, Section
from ragline.errors import CorruptDocument, DocumentError, ParseLimitExceeded, TooDeeplyNested
from ragline.parsing import TOO_DEEP

PRELOAD = ["ragline._parser_warmup"]
"""What our own fork server imports when this process has to start one."""

_preload_lock = threading.Lock()


def start_parser_server() -> None:
    """Start the fork server now, so its warm-up overlaps other work.

    Optional: :func:`parse_sandboxed` starts it on first use.
    """
    _set_preload()
    forkserver.ensure_running()


def parse_sandboxed(
    path: Path,
    kind: DocumentKind,
    *,
    timeout_s: float,
    memory_mb: int,
    max_unzipped_bytes: int,
    max_zip_ratio: int,
) -> list[Section]:
    """:func:`ragline.parsing.parse_file` in a limited child, after the bomb checks
    (:mod:`ragline.hostile_files`).

    A :class:`DocumentError` raised in the child is raised here with the same class and
    sentence; running out of time or memory raises :class:`ParseLimitExceeded`.
    """
    _set_preload()
    receiver, sender = multiprocessing.Pipe(duplex=False)
    limits = (timeout_s, memory_mb, max_unzipped_bytes, max_zip_ratio)
    child = compat.InheritingForkServerProcess(
        target=_child_main,
        args=(sender, str(path), kind.value, *limits),
        name="ragline-parser",
        daemon=True,
    )
    outcome: tuple[Any, ...] | None = None
    exitcode: int | None = None
    try:
        child.start()
        sender.close()  # the child holds the only writer now: EOF means it died
        if not receiver.poll(timeout_s):
            raise ParseLimitExceeded(_too_slow(timeout_s))
        with contextlib.suppress(EOFError, OSError):
            outcome = receiver.recv()
    finally:
        receiver.close()
        sender.close()
        if child.pid is not None:
            if child.is_alive():
                child.kill()
            child.join()
            exitcode = child.exitcode
            child.close()
    return _unwrap(outcome, exitcode, timeout_s, memory_mb)


def _too_slow(timeout_s: float) -> str:
    return (
        f"Parsing took longer than {timeout_s:g} s; the document is too large or too complex. "
        "Split it into smaller files and upload them separately."
    )


def _unwrap(
    outcome: tuple[Any, ...] | None, exitcode: int | None, timeout_s: float, memory_mb: int
) -> list[Section]:
    too_big = (
        f"Parsing needed more than {memory_mb} MB of memory; split the document into smaller "
        "files and upload them separately."
    )
    if outcome is None:
        # Died without a word: the CPU-time backstop, the OOM killer, or native code failing
        # an allocation under the address-space limit (abort, segfault).
        if exitcode == -signal.SIGXCPU:
            raise ParseLimitExceeded(_too_slow(timeout_s))
        how = signal.Signals(-exitcode).name if exitcode and exitcode < 0 else f"exit {exitcode}"
        raise ParseLimitExceeded(f"The parser stopped abruptly ({how}). {too_big}")
    match outcome:
        case ("ok", list() as sections):
            return sections
        case ("error", str() as name, str() as message, str() as code):
            error_class = getattr(errors, name, None)
            if isinstance(error_class, type) and issubclass(error_class, DocumentError):
                raise error_class(message, code=code)
            raise CorruptDocument(message)
        case ("memory",):
            raise ParseLimitExceeded(too_big)
        case ("recursion",):
            raise TooDeeplyNested(TOO_DEEP)  # a backstop: parse_file names its parsers' own
        case _:
            raise RuntimeError(f"The parser process failed: {outcome!r}")


def _child_main(
    sender: Connection,
    path: str,
    kind: str,
    timeout_s: float,
    memory_mb: int,
    max_unzipped_bytes: int,
    max_zip_ratio: int,
) -> None:
    """Runs in the child: limit, check, parse, send exactly one outcome."""
    compat.quiet_libraries()  # in case the fork server had no warm-up to do it
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # A backstop for a child whose parent died before it could kill it: parsing is
    # single-threaded, so its CPU time never outruns the wall clock.
    cpu = math.ceil(timeout_s) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    outcome: tuple[Any, ...]
    try:
        from ragline.hostile_files import check_pdf_streams, check_zip_container
        from ragline.parsing import parse_file

        document_kind = DocumentKind(kind)
        bounds = {"max_total_bytes": max_unzipped_bytes, "max_ratio": max_zip_ratio}
        if document_kind in (DocumentKind.DOCX, DocumentKind.PPTX):
            check_zip_container(Path(path), **bounds)
        elif document_kind is DocumentKind.PDF:
            check_pdf_streams(Path(path), **bounds)
        outcome = ("ok", parse_file(Path(path), document_kind))
    except DocumentError as exc:
        outcome = ("error", type(exc).__name__, exc.message, exc.code)
    except MemoryError:
        outcome = ("memory",)
    except RecursionError:
        outcome = ("recursion",)
    except Exception as exc:  # a bug or an unexpected library failure: report it, don't hang
        outcome = ("crash", f"{type(exc).__name__}: {exc}")
    try:
        sender.send(outcome)
    except MemoryError:
        sender.send(("memory",))
    finally:
        sender.close()


def _set_preload() -> None:
    with _preload_lock:
        forkserver.set_forkserver_preload(PRELOAD)
