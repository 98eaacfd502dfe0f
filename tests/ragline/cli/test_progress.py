"""Adding up the live socket's job messages for the progress bars."""

from typing import Any

from ragline.cli.display import clock, document_status, overall_status
from ragline.cli.progress import JobBoard
from tests.factories.api_shapes import document, job


def changed(job_body: dict[str, Any]) -> dict[str, Any]:
    return {"type": "job", "job": job_body}


def test_a_snapshot_fills_the_board_with_only_the_watched_jobs() -> None:
    board = JobBoard(["j1", "j2"])

    changed = board.apply(
        {
            "type": "snapshot",
            "jobs": [job("j1", "running", document("a", "parsing", 0.1)), job("other", "running")],
        }
    )

    assert changed
    assert [j.id for j in board.jobs] == ["j1"]
    assert board.unseen == ["j2"] and not board.done


def test_later_messages_replace_a_job_and_others_are_ignored() -> None:
    board = JobBoard(["j1"])
    board.apply(changed(job("j1", "running", document("a", "parsing", 0.1))))

    assert not board.apply(changed(job("other", "completed")))
    assert not board.apply({"type": "heartbeat"})
    assert board.apply(changed(job("j1", "completed", document("a", "done", 1.0))))
    assert board.done and board.documents()[0].stage == "done"


def test_the_overall_figures_add_up_the_running_jobs() -> None:
    board = JobBoard(["j1", "j2"])
    board.apply(
        changed(
            job(
                "j1",
                "running",
                document("a", "embedding", 0.5, 10, 40),
                document("b", "done", 1.0, 5, 5),
                speed=4.0,
                eta=8.0,
            )
        )
    )
    board.apply(
        changed(
            job(
                "j2", "running", document("c", "failed", 1.0, error="No text."), speed=2.0, eta=30.0
            )
        )
    )

    overall = board.overall()

    assert (overall.documents, overall.finished, overall.failed) == (3, 2, 1)
    assert overall.progress == (0.5 + 1.0 + 1.0) / 3
    assert (overall.chunks_done, overall.chunks_total) == (15, 45)
    # Side by side: speeds add up, and the slowest job says when all is done.
    assert (overall.chunks_per_second, overall.eta_seconds) == (6.0, 30.0)
    assert overall_status(overall) == (
        "2/3 files · 15/45 chunks · 6.0 chunks/s · ETA 0:30 · [red]1 failed[/]"
    )


def test_a_finished_job_no_longer_counts_towards_speed_or_eta() -> None:
    board = JobBoard(["j1"])
    board.apply(changed(job("j1", "completed", document("a", "done", 1.0), speed=5.0, eta=0.0)))

    overall = board.overall()

    assert (overall.chunks_per_second, overall.eta_seconds, overall.progress) == (None, None, 1.0)


def test_a_documents_status_says_its_stage_its_chunks_or_why_it_failed() -> None:
    board = JobBoard(["j1"])
    board.apply(
        changed(
            job(
                "j1",
                "running",
                document("a", "embedding", 0.5, 12, 40),
                document("b", "chunking", 0.3),
                document("c", "failed", 1.0, error="Could not read [page 3]."),
            )
        )
    )

    statuses = [document_status(d) for d in board.documents()]

    assert statuses == [
        "embedding 12/40 chunks",
        "chunking",
        "[red]failed[/]: Could not read \\[page 3].",  # the server's sentence is not markup
    ]


def test_clock() -> None:
    assert [clock(s) for s in (0, 59.6, 61, 3725)] == ["0:00", "1:00", "1:01", "1:02:05"]
