"""Receives multipart uploads as a stream, one file at a time, straight to disk.

FastAPI's ``UploadFile`` would spool the whole body before our code runs; here each file is
hashed, size-checked and written while it arrives, so an oversize file is refused (413)
after at most the limit has been read, whatever its real size.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.exceptions import ParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from ragline.errors import FileTooLarge, InvalidInput, RaglineError
from ragline.filenames import clean_filename
from ragline.storage import FileStore, IncomingFile, StoredFile

FIELD = "files"


@dataclass
class Received:
    """What became of each file part of one request, in order."""

    stored: list[tuple[str, StoredFile]] = field(default_factory=list)
    refused: list[tuple[str, RaglineError]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)

    def position(self, filename: str) -> int:
        """Where a file stood in the request, for reporting refusals in the client's order."""
        return self.order.index(filename) if filename in self.order else len(self.order)


class _PartCollector:
    """Parser callbacks that route each part's bytes to its own IncomingFile."""

    def __init__(self, store: FileStore, max_bytes: int, max_files: int) -> None:
        self.store = store
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.received = Received()
        self.aborted: FileTooLarge | None = None
        self._header_field = b""
        self._header_value = b""
        self._headers: dict[bytes, bytes] = {}
        self._file: IncomingFile | None = None
        self._name: str | None = None
        # Files whose last byte has arrived, to be put in the store off the event loop (an
        # S3 PUT of a large file takes seconds).
        self.ended: list[tuple[str, IncomingFile]] = []

    def callbacks(self) -> dict[str, object]:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field_data,
            "on_header_value": self._header_value_data,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
        }

    def _part_begin(self) -> None:
        self._headers = {}
        self._file = None
        self._name = None

    def _header_field_data(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_field.lower()] = self._header_value
        self._header_field = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        if options.get(b"name") != FIELD.encode() or b"filename" not in options:
            return  # not a file of ours: ignore its bytes
        if len(self.received.order) >= self.max_files:
            raise InvalidInput(f"At most {self.max_files} files can be sent in one request.")
        raw = options[b"filename"].decode("utf-8", "replace")
        try:
            self._name = clean_filename(raw)
        except InvalidInput as exc:  # told in the answer; its bytes are skipped
            shown = "".join(ch for ch in raw if ch.isprintable()).strip()[:40] or "(no name)"
            self.received.order.append(shown)
            self.received.refused.append((shown, exc))
            return
        self.received.order.append(self._name)
        self._file = self.store.incoming(self._name, self.max_bytes)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._file is None:
            return
        try:
            self._file.write(data[start:end])
        except FileTooLarge as exc:
            self._refuse(exc)
            self.aborted = exc

    def _part_end(self) -> None:
        if self._file is None:
            return
        self.ended.append((self._name or "upload", self._file))
        self._file = None

    def store_ended(self) -> None:
        """Puts every file that has fully arrived in the store, or records its refusal."""
        while self.ended:
            name, file = self.ended.pop(0)
            try:
                self.received.stored.append((name, file.finish()))
            except RaglineError as exc:
                file.discard()
                self.received.refused.append((name, exc))

    def _refuse(self, exc: RaglineError) -> None:
        if self._file is not None:
            self._file.discard()
        self.received.refused.append((self._name or "upload", exc))
        self._file = None

    def broken(self) -> None:
        """The body stops being multipart here: the part being read is refused, and the
        files before it stand (as after an oversize file)."""
        if self._file is not None:
            self._refuse(InvalidInput("The upload broke off inside this file; send it again."))

    def discard_open_files(self) -> None:
        for _, file in self.ended:
            file.discard()
        self.ended.clear()
        if self._file is not None:
            self._file.discard()
            self._file = None


async def receive_files(
    request: Request, store: FileStore, *, max_bytes: int, max_files: int
) -> Received:
    """Stores every file part of a multipart request; stops reading at the first oversize one.

    Stopping there bounds what an oversize upload costs us. Files after it in the same
    request are reported as not received, so the client can send them again.
    """
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise InvalidInput(f"Send the files as multipart/form-data in the field {FIELD!r}.")
    collector = _PartCollector(store, max_bytes, max_files)
    parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    try:
        async for block in request.stream():
            parser.write(block)
            if collector.ended:
                await run_in_threadpool(collector.store_ended)
            if collector.aborted is not None:
                break
        else:
            parser.finalize()
            await run_in_threadpool(collector.store_ended)
    except ParseError:
        collector.broken()
        await run_in_threadpool(collector.store_ended)  # the files before the break stand
        if not collector.received.order:
            raise InvalidInput("The upload is not valid multipart/form-data.") from None
    finally:
        collector.discard_open_files()
    if not collector.received.order:
        raise InvalidInput(f"No files were sent: use the multipart field {FIELD!r}.")
    return collector.received
