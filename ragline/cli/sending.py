"""``POST /api/v1/documents`` with the bytes sent counted as they go.

By hand on the generated client's httpx client: the generated upload takes whole payloads
and reports nothing while it sends. httpx streams a multipart body from file objects 64 KiB
at a time (and sizes it from the file, so the request keeps its Content-Length), so a file
object that counts what is read from it counts what is sent.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from contextlib import ExitStack
from functools import partial
from typing import IO, cast

import httpx

from ragline.cli.selection import LocalFile
from ragline.integrations.client import error_of
from ragline_client import AuthenticatedClient
from ragline_client.models import UploadAccepted

OnSent = Callable[[LocalFile, int], None]


class _CountingReader:
    """A binary file whose reads are reported: what httpx reads is what it sends next."""

    def __init__(self, file: IO[bytes], on_read: Callable[[int], None]) -> None:
        self._file = file
        self._on_read = on_read

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        if data:
            self._on_read(len(data))
        return data

    def fileno(self) -> int:
        return self._file.fileno()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()


def send(client: AuthenticatedClient, files: list[LocalFile], on_sent: OnSent) -> UploadAccepted:
    """Uploads ``files`` in one request; the 202's job, documents and refused files."""
    with ExitStack() as opened:
        parts = []
        for local in files:
            file = opened.enter_context(local.path.open("rb"))
            reader = cast(IO[bytes], _CountingReader(file, partial(on_sent, local)))
            content_type = mimetypes.guess_type(local.name)[0] or "application/octet-stream"
            parts.append(("files", (local.name, reader, content_type)))
        # Sending a large file takes longer than any one read should: no write timeout.
        timeout = httpx.Timeout(60.0, connect=10.0, write=None)
        response = client.get_httpx_client().post("/api/v1/documents", files=parts, timeout=timeout)
    if response.status_code != 202:
        raise error_of(response.status_code, response.content)
    return UploadAccepted.from_dict(response.json())
