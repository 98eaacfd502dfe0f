"""Uploaded files, stored by content (sha256) under ``DATA_DIR/files``.

A file is written to a temporary name in the same directory and renamed into place only
once complete, so a crash never leaves a half-written file under a real name, and the
same bytes uploaded twice are stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ragline.errors import EmptyFile, FileTooLarge

HEAD_BYTES = 8192


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size_bytes: int
    head: bytes  # the first bytes, for sniffing the type
    path: Path


class FileStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def incoming(self, filename: str, max_bytes: int) -> IncomingFile:
        return IncomingFile(self, filename, max_bytes)

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)


class IncomingFile:
    """A file being received: hashed and size-checked as its bytes arrive."""

    def __init__(self, store: FileStore, filename: str, max_bytes: int) -> None:
        self.filename = filename
        self._store = store
        self._max_bytes = max_bytes
        self._digest = hashlib.sha256()
        self._size = 0
        self._head = bytearray()
        incoming = store.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=incoming)
        self._tmp = Path(name)
        self._out = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._max_bytes:
            self.discard()
            limit_mb = self._max_bytes // (1024 * 1024)
            raise FileTooLarge(f"{self.filename} is larger than the {limit_mb} MiB limit.")
        if len(self._head) < HEAD_BYTES:
            self._head += data[: HEAD_BYTES - len(self._head)]
        self._digest.update(data)
        self._out.write(data)

    def finish(self) -> StoredFile:
        """Moves the complete file to its content address (atomic rename)."""
        self._out.close()
        if self._size == 0:
            self.discard()
            raise EmptyFile(f"{self.filename} is empty.")
        sha = self._digest.hexdigest()
        final = self._store.path_for(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._tmp, final)
        return StoredFile(sha256=sha, size_bytes=self._size, head=bytes(self._head), path=final)

    def discard(self) -> None:
        self._out.close()
        self._tmp.unlink(missing_ok=True)
