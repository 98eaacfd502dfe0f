"""Uploaded files, stored by content (sha256): in a directory, or in an S3 bucket.

``RAGLINE_STORAGE_URL`` chooses the store once (:func:`open_file_store`): ``file://`` keeps
files under ``DATA_DIR/files`` on this host; ``s3://bucket/prefix`` in a bucket every host
reaches (:mod:`ragline.s3_storage`), so a worker never needs a file the API wrote to its disk.

Both keep the same guarantees, because the arriving side is shared: a file is spooled to a
private temporary file on this host, hashed and size-checked as its bytes arrive, and only
once complete put at its content address in one step (a rename; an S3 PUT, which stores a
whole object or none). So a crash never leaves a half-written file under a real name, and
the same bytes uploaded twice are stored once. Readers ask for a local copy
(:meth:`FileStore.local_copy`): the file itself here, a private download from S3.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from ragline.errors import EmptyFile, FileTooLarge
from ragline.settings import Settings

HEAD_BYTES = 8192


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size_bytes: int
    head: bytes  # the first bytes, for sniffing the type


class FileStore(ABC):
    """Where files are kept by content; ``spool`` holds files still arriving on this host."""

    def __init__(self, spool: Path) -> None:
        self.spool = spool

    def incoming(self, filename: str, max_bytes: int) -> IncomingFile:
        return IncomingFile(self, filename, max_bytes)

    @abstractmethod
    def keep(self, spooled: Path, sha256: str) -> None:
        """Puts a complete spooled file at its content address in one step; the spooled
        file is gone afterwards, whether it succeeded or not."""

    @abstractmethod
    def local_copy(self, sha256: str) -> AbstractContextManager[Path]:
        """A path on this host holding the stored bytes, for as long as the context lasts.

        Raises ``FileNotFoundError`` when nothing is stored under ``sha256``.
        """

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    @abstractmethod
    def delete(self, sha256: str) -> None:
        """Removes the stored bytes; nothing happens when there are none."""


class LocalFileStore(FileStore):
    """Files under ``root/ab/abcd...``; spooled in ``root/incoming``, so the rename is atomic."""

    def __init__(self, root: Path) -> None:
        super().__init__(root / "incoming")
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def keep(self, spooled: Path, sha256: str) -> None:
        final = self.path_for(sha256)
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(spooled, final)
        finally:
            spooled.unlink(missing_ok=True)

    @contextmanager
    def local_copy(self, sha256: str) -> Iterator[Path]:
        path = self.path_for(sha256)
        if not path.is_file():
            raise FileNotFoundError(f"no stored file {sha256}")
        yield path

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)


def open_file_store(settings: Settings) -> FileStore:
    """The store ``settings.storage_url`` names."""
    storage = settings.storage
    if storage.root is not None:
        return LocalFileStore(storage.root)
    from ragline.s3_storage import S3FileStore  # its client loads only when it is used

    return S3FileStore(settings, spool=settings.paths.data / "incoming")


class IncomingFile:
    """A file being received: hashed and size-checked as its bytes arrive."""

    def __init__(self, store: FileStore, filename: str, max_bytes: int) -> None:
        self.filename = filename
        self._store = store
        self._max_bytes = max_bytes
        self._digest = hashlib.sha256()
        self._size = 0
        self._head = bytearray()
        store.spool.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=store.spool)
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
        """Puts the complete file at its content address."""
        self._out.close()
        if self._size == 0:
            self.discard()
            raise EmptyFile(f"{self.filename} is empty.")
        sha = self._digest.hexdigest()
        self._store.keep(self._tmp, sha)
        return StoredFile(sha256=sha, size_bytes=self._size, head=bytes(self._head))

    def discard(self) -> None:
        self._out.close()
        self._tmp.unlink(missing_ok=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1024 * 1024):
            digest.update(block)
    return digest.hexdigest()
