"""Where the ingest flow's cached stage results live: next to the uploaded files.

With ``file://`` storage nothing changes: Prefect keeps results under its local storage path
(``PREFECT_HOME/storage``). With ``s3://bucket/prefix`` they go to ``prefix/prefect-results``
in the same bucket through Prefect's own ``RemoteFileSystem`` (fsspec, so s3fs), built from
this process's settings: so a stage cached by one worker is reused by any other, and the
keys never sit in Prefect's database as a saved block would keep them.
"""

from __future__ import annotations

from prefect.filesystems import RemoteFileSystem, WritableFileSystem

from ragline.settings import Settings


def stage_result_storage(settings: Settings) -> WritableFileSystem | None:
    """The result storage of the cached stages; ``None``: Prefect's default (local)."""
    storage = settings.storage
    if storage.bucket is None:
        return None
    from ragline.s3_storage import fsspec_options

    return RemoteFileSystem(
        basepath=f"s3://{storage.key('prefect-results')}", settings=fsspec_options(settings)
    )
