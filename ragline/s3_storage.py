"""The S3 file store (``RAGLINE_STORAGE_URL=s3://bucket/prefix``), through s3fs.

Files live at ``bucket/prefix/files/ab/abcd...``. s3fs is fsspec's S3 filesystem, the one
Prefect's ``RemoteFileSystem`` uses for the flows' cached results (``flows/results.py``), so
both speak to S3 with one client and one set of options (:func:`fsspec_options`).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import s3fs

from ragline.errors import FileStoreUnavailable
from ragline.settings import Settings
from ragline.storage import FileStore, sha256_of


def fsspec_options(settings: Settings, *, keys: bool = True) -> dict[str, Any]:
    """Keyword arguments of ``s3fs.S3FileSystem`` for the configured endpoint and keys.

    Without ``keys`` the client reads them from the environment (:func:`keys_env`) instead.
    """
    options: dict[str, Any] = {
        "client_kwargs": {"region_name": settings.s3_region},
        # Another host may add or delete objects at any time: never answer from a listing.
        "use_listings_cache": False,
    }
    if settings.s3_endpoint_url:
        options["endpoint_url"] = settings.s3_endpoint_url
    if not settings.s3_access_key_id:
        options["anon"] = True
    elif keys:
        options["key"] = settings.s3_access_key_id
        if settings.s3_secret_access_key:
            options["secret"] = settings.s3_secret_access_key.get_secret_value()
    return options


def keys_env(settings: Settings) -> dict[str, str]:
    """The S3 keys as the variables every S3 client reads (botocore's, so s3fs's)."""
    if not settings.s3_access_key_id:
        return {}
    secret = settings.s3_secret_access_key
    return {
        "AWS_ACCESS_KEY_ID": settings.s3_access_key_id,
        "AWS_SECRET_ACCESS_KEY": secret.get_secret_value() if secret else "",
    }


class S3FileStore(FileStore):
    def __init__(self, settings: Settings, spool: Path) -> None:
        super().__init__(spool)
        self._storage = settings.storage
        self._fs = s3fs.S3FileSystem(**fsspec_options(settings))

    def key_for(self, sha256: str) -> str:
        return self._storage.key("files", sha256[:2], sha256)

    def keep(self, spooled: Path, sha256: str) -> None:
        # Always written, never "skipped if present": a copy deleted meanwhile (its last
        # document removed) must not leave the new document without its bytes.
        try:
            with _unavailable_as("store"):
                self._fs.put_file(str(spooled), self.key_for(sha256))
        finally:
            spooled.unlink(missing_ok=True)

    @contextmanager
    def local_copy(self, sha256: str) -> Iterator[Path]:
        self.spool.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=self.spool)
        os.close(fd)
        copy = Path(name)
        try:
            with _unavailable_as("read"):
                self._fs.get_file(self.key_for(sha256), name)
            if sha256_of(copy) != sha256:
                raise FileStoreUnavailable(
                    f"The copy of file {sha256[:12]} read from storage is damaged; retry."
                )
            yield copy
        finally:
            copy.unlink(missing_ok=True)

    def exists(self, sha256: str) -> bool:
        with _unavailable_as("look up"):
            return bool(self._fs.exists(self.key_for(sha256)))

    def delete(self, sha256: str) -> None:
        try:
            with _unavailable_as("delete"):
                self._fs.rm_file(self.key_for(sha256))
        except FileNotFoundError:
            pass


@contextmanager
def _unavailable_as(action: str) -> Iterator[None]:
    """Turns the client's failures into FileStoreUnavailable; a missing object stays
    ``FileNotFoundError``."""
    try:
        yield
    except FileNotFoundError:
        raise
    except Exception as exc:
        raise FileStoreUnavailable(
            f"Could not {action} a file in the S3 store ({type(exc).__name__}: {exc})."
        ) from exc
