"""``ragline upload PATH... [--recursive] [--wait]``."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path
from typing import Any

from ragline.cli.display import SendingBars, err, files_count, out
from ragline.cli.selection import LocalFile, SelectionError, batches, select_files
from ragline.cli.sending import send
from ragline.cli.session import Session, print_json, signed_in
from ragline.cli.watch import unfinished, watch
from ragline.integrations.client import ApiError, checked
from ragline_client.api.documents import documents_upload_limits
from ragline_client.models import JobPublic, UploadLimits

#: Statuses with which the server refuses every file of a request (docs/API.md, Uploads):
#: that batch's files are reported, the other batches still go.
REFUSED_FILES = frozenset({413, 415, 422})


def upload(paths: list[Path], *, recursive: bool, wait: bool, as_json: bool) -> int:
    """Sends the files in requests the server accepts; the exit status (1: not all went in)."""
    session = signed_in()
    selection = select_files(paths, recursive=recursive)
    rejected = [
        _refusal(path.name, 409, "same_name", f"{path} has the same name as {first}: not sent")
        for path, first in selection.same_name
    ]
    limits = checked(documents_upload_limits.sync_detailed(client=session.client), UploadLimits)
    too_large = [f for f in selection.files if f.size > limits.max_file_bytes]
    rejected += [
        _refusal(
            f.name,
            413,
            "file_too_large",
            f"{f.path} is over the server's limit of "
            f"{limits.max_file_bytes / 1024**2:.0f} MB: not sent",
        )
        for f in too_large
    ]
    sendable = [f for f in selection.files if f not in too_large]
    if not sendable and not rejected:
        raise SelectionError("nothing to upload: no files found")
    jobs, refused = _send_all(session, sendable, limits.max_files_per_upload, show=not as_json)
    rejected += refused
    if not as_json:
        for refusal in rejected:
            err.print(f"refused {refusal['filename']}: {refusal['detail']}", markup=False)
        for job in jobs:
            out.print(f"job {job.id}: {files_count(len(job.documents))}, {job.state}", markup=False)
    if wait and jobs:
        jobs = watch(session, jobs, show=not as_json)
    if as_json:
        print_json({"jobs": [job.to_dict() for job in jobs], "rejected": rejected})
    problems = [f"{r['filename']}: {r['detail']}" for r in rejected]
    if wait:  # else the jobs have only just started
        problems += unfinished(jobs)
    if problems:
        total = len(selection.files) + len(selection.same_name)
        err.print(
            f"ragline: {len(problems)} of {total} files did not go in; first: {problems[0]}",
            markup=False,
        )
        return 1
    return 0


def _send_all(
    session: Session, files: list[LocalFile], max_files: int, *, show: bool
) -> tuple[list[JobPublic], list[dict[str, Any]]]:
    jobs: list[JobPublic] = []
    rejected: list[dict[str, Any]] = []
    if not files:
        return jobs, rejected
    bars = SendingBars(files) if show else None
    with bars or nullcontext():
        for batch in batches(files, max_files):
            try:
                accepted = send(session.client, batch, bars.sent if bars else lambda f, n: None)
            except ApiError as exc:
                if exc.status not in REFUSED_FILES:
                    raise
                rejected += [_refusal(f.name, exc.status, exc.code, exc.detail) for f in batch]
                continue
            jobs.append(accepted.job)
            rejected += [r.to_dict() for r in accepted.rejected or []]
    return jobs, rejected


def _refusal(filename: str, status: int, code: str, detail: str) -> dict[str, Any]:
    """The shape of the API's ``rejected`` entries, for files refused before sending."""
    return {"filename": filename, "status": status, "code": code, "detail": detail}
