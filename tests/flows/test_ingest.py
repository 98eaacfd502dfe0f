"""How a job's documents are handed to their subflows (the subflows themselves run for real
in tests/e2e)."""

import threading
from contextlib import nullcontext
from typing import Any

import pytest
from prefect.client.schemas.objects import State
from prefect.states import Completed

from flows import ingest, slots
from ragline.embedding import OnnxEmbedder, get_embedder
from ragline.settings import Settings


class RecordingSubflow:
    """Stands in for the ``ingest-document`` subflow: notes how many users the model has."""

    def __init__(self, embedder: OnnxEmbedder) -> None:
        self.embedder = embedder
        self.users_seen: list[int] = []
        self.both_started = threading.Barrier(2, timeout=10)

    def with_options(self, **_: Any) -> "RecordingSubflow":
        return self

    def __call__(self, *_: Any, **__: Any) -> State[Any]:
        self.both_started.wait()
        self.users_seen.append(self.embedder.core_share.users)
        self.both_started.wait()  # neither lane ends before both have looked
        return Completed()


def test_each_lane_counts_as_a_user_of_the_model_for_its_whole_subflow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Counted only from a document's first stage, a lane between two documents (while
    # Prefect closes one subflow and opens the next) left the other alone on the model,
    # which then took every core with spinning threads.
    settings = Settings(ingest_lanes=2)
    embedder = get_embedder(settings)
    assert isinstance(embedder, OnnxEmbedder)
    subflow = RecordingSubflow(embedder)
    monkeypatch.setattr(ingest, "ingest_document", subflow)
    monkeypatch.setattr(slots, "document_slot", lambda *_, **__: nullcontext())  # no Prefect

    failed = ingest.ingest_each(
        "job",
        [ingest.Todo("v1", "a.txt", 100_000), ingest.Todo("v2", "b.txt", 100_000)],
        settings,
        owner_id="u",
    )

    assert failed == 0
    assert subflow.users_seen == [2, 2]  # before any stage of either document
    assert embedder.core_share.users == 0
