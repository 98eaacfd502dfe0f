"""Where the ingest flow's cached stage results live: next to the uploaded files.

With ``file://`` storage nothing changes: Prefect keeps results under its local storage path
(``PREFECT_HOME/storage``). With ``s3://bucket/prefix`` they go to ``prefix/prefect-results``
in the same bucket through Prefect's own ``RemoteFileSystem`` block (fsspec, so s3fs): a
stage cached by one worker is reused by any other.

Prefect only takes result storage saved as a block. The block says where (bucket, endpoint),
never the keys, since a block's settings show in Prefect's UI: each worker's serve process
saves it (:func:`save_stage_result_storage`) and hands its own keys to its flow runs as
environment variables.
"""

from __future__ import annotations

import functools
import os

from prefect.filesystems import RemoteFileSystem, WritableFileSystem

from ragline.settings import Settings

STAGE_RESULTS_BLOCK = "ragline-stage-results"


def save_stage_result_storage(settings: Settings) -> None:
    """For s3:// storage: saves the block and exports the keys to this process's children."""
    if settings.storage.bucket is None:
        return
    from ragline.s3_storage import fsspec_options, keys_env

    os.environ.update(keys_env(settings))
    block = RemoteFileSystem(
        basepath=f"s3://{settings.storage.key('prefect-results')}",
        settings=fsspec_options(settings, keys=False),
    )
    block.save(STAGE_RESULTS_BLOCK, overwrite=True)


def stage_result_storage(settings: Settings) -> WritableFileSystem | None:
    """The result storage of the cached stages; ``None``: Prefect's default (local)."""
    if settings.storage.bucket is None:
        return None
    return _saved_block()


@functools.cache
def _saved_block() -> WritableFileSystem:
    block = RemoteFileSystem.load(STAGE_RESULTS_BLOCK)
    assert isinstance(block, RemoteFileSystem)
    return block
