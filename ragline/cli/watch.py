"""``--wait``: follow jobs to their end with progress bars, then say what did not finish."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext

from ragline.cli.display import IngestBars
from ragline.cli.live import follow
from ragline.cli.progress import JobBoard
from ragline.cli.session import Session
from ragline_client.models import JobPublic


def watch(session: Session, jobs: Sequence[JobPublic], *, show: bool) -> list[JobPublic]:
    """The jobs as they ended (bars on stderr when ``show``)."""
    board = JobBoard(job.id for job in jobs)
    for job in jobs:
        board.update(job)
    bars = IngestBars(sum(len(job.documents) for job in jobs)) if show else None
    with bars or nullcontext():

        def redraw() -> None:
            if bars:
                bars.refresh(board)

        redraw()
        follow(session.client, session.url, session.token, board, redraw)
    return board.jobs


def unfinished(jobs: Sequence[JobPublic]) -> list[str]:
    """A line per document that did not end done or skipped, and per job that ended badly."""
    lines = []
    for job in jobs:
        bad = [d for d in job.documents if d.stage not in ("done", "skipped")]
        lines += [f"{d.filename}: {d.stage}: {d.error or 'no reason given'}" for d in bad]
        if job.state != "completed" and not bad:
            lines.append(f"job {job.id}: {job.state}: {job.error or 'no reason given'}")
    return lines
