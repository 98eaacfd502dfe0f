"""Fair scheduling on the real stack: another user's bulk upload never makes you wait."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from scripts.apiclient import ApiClient
from tests.factories.files import long_text

pytestmark = pytest.mark.e2e


def test_a_small_upload_goes_ahead_of_another_users_bulk_upload(
    new_user: Callable[..., ApiClient],
) -> None:
    with new_user() as bulk, new_user() as other:
        # Three jobs, as a client splitting a large upload sends them; two of the user's
        # documents are in flight at a time, so one job at least waits.
        bulk_jobs = [
            bulk.upload_job(
                *(
                    (f"bulk-{j}-{n}.txt", long_text(20_000, seed=100 + 10 * j + n).encode())
                    for n in range(3)
                )
            )
            for j in range(3)
        ]
        deadline = time.monotonic() + 120
        while not any(d["chunks_done"] for j in bulk_jobs for d in bulk.job(j["id"])["documents"]):
            assert time.monotonic() < deadline, "the bulk upload never started"
            time.sleep(0.1)
        reasons: set[str | None] = set()
        deadline = time.monotonic() + 8
        while not any(r and "queued behind" in r for r in reasons):
            assert time.monotonic() < deadline, reasons  # a waiting job says why
            reasons = {bulk.job(j["id"])["error"] for j in bulk_jobs}
            time.sleep(0.2)

        asked = time.monotonic()
        small = other.upload_job(("urgent.txt", b"The urgent memo says the roof leaks."))
        done = other.wait_for_job(small["id"], timeout_s=30)
        took = time.monotonic() - asked
        assert done["state"] == "completed" and took < 10, (took, done)
        assert "roof leaks" in other.ask("What does the urgent memo say?")["answer"]
        # The bulk upload has made its point; cancelled, it leaves the next tests the cores.
        for job in bulk_jobs:
            assert bulk.post(f"/api/v1/jobs/{job['id']}/cancel").status_code in (202, 409)
        for job in bulk_jobs:
            ended = bulk.wait_for_job(job["id"], timeout_s=60)["state"]
            assert ended in ("cancelled", "completed"), ended
