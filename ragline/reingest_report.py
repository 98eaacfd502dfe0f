"""What a bulk re-ingestion did: skipped (unchanged), re-ingested, failed.

Shown on the re-ingestion's job (``counts``) and, at the end of its run, as a markdown artifact
in Prefect's UI (flows/reingest.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ragline.models import Stage


@dataclass(frozen=True)
class ReingestCounts:
    skipped: int
    reingested: int
    failed: int


def counts(stages: Iterable[Stage]) -> ReingestCounts:
    found = list(stages)
    return ReingestCounts(
        skipped=found.count(Stage.SKIPPED),
        reingested=found.count(Stage.DONE),
        failed=found.count(Stage.FAILED) + found.count(Stage.CANCELLED),
    )


def markdown(job_id: str, found: ReingestCounts, job_url: str) -> str:
    return "\n".join(
        [
            f"# Re-ingestion {job_id}",
            "",
            "| skipped (unchanged) | re-ingested | failed |",
            "|---:|---:|---:|",
            f"| {found.skipped} | {found.reingested} | {found.failed} |",
            "",
            f"[The job in ragline]({job_url})",
        ]
    )
