"""What the CLI shows a person: Rich progress bars, tables, answers.

Results go to stdout, progress and errors to stderr, so ``ragline ... > out`` keeps only the
results. With ``--json`` none of it is used: the commands print JSON instead. File names
and server sentences are escaped: a "[b]" in a name is text, not Rich markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from ragline.cli.progress import DocumentProgress, JobBoard, Overall
from ragline.cli.selection import LocalFile
from ragline_client.models import JobPublic, QueryAnswer
from ragline_client.types import Unset

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)
#: Past this many files, a file's row shows only while it is moving: a folder of 500 files
#: would otherwise scroll the overall bar out of sight.
MAX_ROWS = 12


class _Bars:
    def __init__(self, progress: Progress, rows: int) -> None:
        self._progress = progress
        self._hide_finished = rows > MAX_ROWS

    def __enter__(self) -> _Bars:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

    def _show(self, task: TaskID, *, finished: bool) -> None:
        self._progress.update(task, visible=not (finished and self._hide_finished))


class SendingBars(_Bars):
    """Bytes sent: one bar per file and one for the whole selection."""

    def __init__(self, files: Sequence[LocalFile]) -> None:
        super().__init__(
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=err,
            ),
            len(files),
        )
        total = sum(f.size for f in files)
        self._overall = self._progress.add_task(f"sending {files_count(len(files))}", total=total)
        self._tasks = {
            f.path: self._progress.add_task(
                f"  {escape(f.name)}", total=f.size, visible=len(files) <= MAX_ROWS
            )
            for f in files
        }

    def sent(self, file: LocalFile, n: int) -> None:
        task = self._tasks[file.path]
        self._progress.advance(task, n)
        self._progress.advance(self._overall, n)
        self._show(task, finished=self._progress.tasks[task].finished)


class IngestBars(_Bars):
    """Stages and chunks per document from the live socket, and the jobs' throughput and ETA."""

    def __init__(self, documents: int) -> None:
        super().__init__(
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn("{task.fields[status]}"),
                console=err,
            ),
            documents,
        )
        self._overall = self._progress.add_task("ingesting", total=1.0, status="")
        self._tasks: dict[str, TaskID] = {}

    def refresh(self, board: JobBoard) -> None:
        for document in board.documents():
            task = self._tasks.get(document.version_id)
            if task is None:
                task = self._progress.add_task(
                    f"  {escape(document.filename)}", total=1.0, status=""
                )
                self._tasks[document.version_id] = task
            self._progress.update(
                task, completed=document.progress, status=document_status(document)
            )
            self._show(task, finished=document.finished)
        overall = board.overall()
        self._progress.update(
            self._overall, completed=overall.progress, status=overall_status(overall)
        )


def document_status(document: DocumentProgress) -> str:
    if document.stage == "failed":
        return f"[red]failed[/]: {escape(document.error or 'no reason given')}"
    if document.stage == "embedding" and document.chunks_total:
        return f"embedding {document.chunks_done}/{document.chunks_total} chunks"
    return document.stage


def overall_status(overall: Overall) -> str:
    parts = [f"{overall.finished}/{overall.documents} files"]
    if overall.chunks_total:
        parts.append(f"{overall.chunks_done}/{overall.chunks_total} chunks")
    if overall.chunks_per_second:
        parts.append(f"{overall.chunks_per_second:.1f} chunks/s")
    if overall.eta_seconds is not None:
        parts.append(f"ETA {clock(overall.eta_seconds)}")
    if overall.failed:
        parts.append(f"[red]{overall.failed} failed[/]")
    return " · ".join(parts)


def files_count(n: int) -> str:
    return f"{n} file" if n == 1 else f"{n} files"


def clock(seconds: float) -> str:
    minutes, secs = divmod(max(0, round(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def print_jobs(jobs: Sequence[JobPublic]) -> None:
    table = Table(box=None)
    # Ids in full, however narrow the terminal: they are what cancel and retry take.
    table.add_column("job", no_wrap=True, min_width=max((len(job.id) for job in jobs), default=3))
    for heading in ("kind", "state", "progress", "files", "created"):
        table.add_column(heading, no_wrap=True)
    table.add_column("error", overflow="fold")
    for job in jobs:
        table.add_row(
            job.id,
            job.kind,
            job.state,
            f"{job.progress:.0%}",
            str(len(job.documents)),
            job.created_at.strftime("%Y-%m-%d %H:%M"),
            escape(job.error or ""),
        )
    out.print(table)


def print_answer(answer: QueryAnswer) -> None:
    out.print(answer.answer)
    if answer.citations:
        out.print()
    for number, citation in enumerate(answer.citations, 1):
        where = citation.filename
        if citation.page is not None:
            where += f", page {citation.page}"
        if citation.heading and not isinstance(citation.heading, Unset):
            where += f" · {citation.heading}"
        out.print(f"[{number}] {where} (score {citation.score:.2f})", markup=False)
    if answer.notice and not isinstance(answer.notice, Unset):
        err.print(answer.notice, markup=False)
