"""Upload and read-back speed of the two file stores: a local directory and S3 (SeaweedFS).

Starts a SeaweedFS of its own (``scripts.stack``, as ``make run`` does for s3:// storage),
then stores ``FILES`` files of ``FILE_MB`` MiB each through ragline's FileStore, fed in
64 KiB blocks as an upload arrives, and reads each back through ``local_copy`` (what the
worker's parser gets). Both stores hash and size-check as the bytes arrive, so the figures
include that. Prints one JSON line: MB/s per store and direction (S3's read includes checking
the copy's sha256), and each store's time per small file.

Run with ``python -m bench.storage`` from the repository root.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pydantic import SecretStr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_stack  # noqa: E402
from ragline.storage import FileStore, LocalFileStore, open_file_store  # noqa: E402
from scripts.stack import free_port  # noqa: E402

FILES = 8
FILE_MB = 16
SMALL_FILES = 50  # 20 KiB each: the per-file cost, which dominates typical documents
BLOCK = 64 * 1024


def store_and_read(store: FileStore, blobs: list[bytes]) -> tuple[float, float]:
    """Seconds to store every blob, and to read every one back."""
    started = time.perf_counter()
    hashes = []
    for blob in blobs:
        incoming = store.incoming("bench.bin", max_bytes=len(blob))
        for start in range(0, len(blob), BLOCK):
            incoming.write(blob[start : start + BLOCK])
        hashes.append(incoming.finish().sha256)
    stored_s = time.perf_counter() - started
    started = time.perf_counter()
    for sha in hashes:
        with store.local_copy(sha) as path:
            path.stat()
    read_s = time.perf_counter() - started
    for sha in hashes:
        store.delete(sha)
    return stored_s, read_s


def main() -> None:
    large = [os.urandom(FILE_MB * 1024 * 1024) for _ in range(FILES)]
    small = [os.urandom(20 * 1024) for _ in range(SMALL_FILES)]
    megabytes = FILES * FILE_MB
    with tempfile.TemporaryDirectory(prefix="ragline-bench-storage-") as tmp:
        s3 = {
            "storage_url": "s3://bench/files",
            "s3_endpoint_url": f"http://127.0.0.1:{free_port()}",
            "s3_access_key_id": "bench",
            "s3_secret_access_key": SecretStr("bench-secret"),
        }
        with bench_stack(Path(tmp) / "stack", only=["seaweed"], **s3) as stack:
            stores: dict[str, FileStore] = {
                "local": LocalFileStore(Path(tmp) / "files"),
                "s3": open_file_store(stack.settings),
            }
            figures: dict[str, float] = {}
            for name, store in stores.items():
                store_and_read(store, large[:1])  # warm-up: connections, first volume
                runs = [store_and_read(store, large) for _ in range(3)]
                stored_s = statistics.median(r[0] for r in runs)
                read_s = statistics.median(r[1] for r in runs)
                small_s = statistics.median(store_and_read(store, small)[0] for _ in range(3))
                figures[f"{name}_upload_mb_s"] = round(megabytes / stored_s, 1)
                if name != "local":  # a local copy is the stored file itself: nothing read
                    figures[f"{name}_read_mb_s"] = round(megabytes / read_s, 1)
                figures[f"{name}_small_file_ms"] = round(1000 * small_s / SMALL_FILES, 2)
    print(json.dumps({"files": FILES, "file_mb": FILE_MB, **figures}))


if __name__ == "__main__":
    main()
