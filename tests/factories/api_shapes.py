"""The API's JSON shapes as a client receives them (a job on the socket, an upload's 202)."""

from __future__ import annotations

from typing import Any

NOW = "2026-12-02T10:00:00Z"


def document(
    version_id: str,
    stage: str,
    progress: float,
    done: int = 0,
    total: int = 0,
    error: str | None = None,
) -> dict[str, Any]:
    return {
        "document_id": f"doc-{version_id}",
        "version_id": version_id,
        "filename": f"{version_id}.md",
        "stage": stage,
        "progress": progress,
        "chunks_done": done,
        "chunks_total": total,
        "error": error,
        "size_bytes": 10,
        "sha256": "0" * 64,
        "started_at": None,
        "finished_at": None,
        "updated_at": NOW,
    }


def job(
    job_id: str,
    state: str,
    *documents: dict[str, Any],
    speed: float | None = None,
    eta: float | None = None,
) -> dict[str, Any]:
    return {
        "id": job_id,
        "kind": "ingest",
        "state": state,
        "progress": 0.0,
        "documents": list(documents),
        "error": None,
        "created_at": NOW,
        "started_at": None,
        "finished_at": None,
        "flow_run_id": None,
        "prefect_url": None,
        "chunks_per_second": speed,
        "eta_seconds": eta,
        "owner_id": "u",
        "retry_of": None,
    }
