"""Fair scheduling between users: documents in flight, counted by Prefect's global
concurrency limits (each visible, with its slots, in Prefect's UI under Concurrency).

Before a document's subflow starts, it takes one slot of each of:

- its **worker**'s limit (``ragline-worker-<name>``): the documents one worker ingests at
  once, its own whatever the other workers do;
- its **owner**'s limit (``ragline-user-<id>``): one user's documents in flight on every
  worker together. Set below the worker's, so that while one user's bulk upload keeps its
  share busy, another user's document finds a free slot at once instead of queueing behind
  the whole upload;
- for a bulk re-ingestion, the **bulk** limit (``ragline-bulk``) instead of an owner's: at
  most that many re-ingested documents at a time, so uploads people wait for go first.

Slots are leases: a run that dies (killed, its host gone) holds them only until its lease
runs out, so a crash never blocks anyone for good.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from prefect.client.orchestration import get_client
from prefect.concurrency.sync import concurrency
from prefect.exceptions import ObjectAlreadyExists

from ragline.embedding import Embedder, in_use
from ragline.settings import Settings

BULK = "ragline-bulk"


def worker_limit(settings: Settings) -> str:
    return f"ragline-worker-{settings.worker_name or socket.gethostname()}"


def user_limit(owner_id: str) -> str:
    return f"ragline-user-{owner_id}"


def limits_for(settings: Settings, owner_id: str, *, bulk: bool) -> dict[str, int]:
    """The limits a document takes a slot of, with the size each should have."""
    return {
        worker_limit(settings): settings.worker_documents_in_flight,
        BULK if bulk else user_limit(owner_id): (
            settings.bulk_documents_in_flight if bulk else settings.user_documents_in_flight
        ),
    }


@contextmanager
def document_slot(settings: Settings, owner_id: str, *, bulk: bool = False) -> Iterator[None]:
    """Holds a document's slots while the block runs; waits for them first."""
    limits = limits_for(settings, owner_id, bulk=bulk)
    _ensure(limits)
    with concurrency(list(limits), occupy=1, lease_duration=settings.slot_lease_s, strict=True):
        yield


@contextmanager
def document_turn(
    settings: Settings, owner_id: str, embedder: Embedder, *, bulk: bool, small: bool
) -> Iterator[None]:
    """A document's turn to be ingested: its slots, then its share of the model's cores
    (``ragline.embedding.in_use``), both held while the block runs. The share is taken once
    the slots are, so a document waiting for a slot takes no core from one that runs."""
    with document_slot(settings, owner_id, bulk=bulk), in_use(embedder, small=small):
        yield


_ensured: dict[str, int] = {}
_ensuring = threading.Lock()


def _ensure(limits: dict[str, int]) -> None:
    """Creates each limit, or sets its size, once per process; runs on several workers may
    race to create the same one."""
    with _ensuring:
        todo = {name: size for name, size in limits.items() if _ensured.get(name) != size}
        if not todo:
            return
        with get_client(sync_client=True) as client:
            for name, size in todo.items():
                try:
                    client.upsert_global_concurrency_limit_by_name(name, size)
                except ObjectAlreadyExists:  # created by another run meanwhile: now size it
                    client.upsert_global_concurrency_limit_by_name(name, size)
                _ensured[name] = size
