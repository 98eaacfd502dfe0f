"""A client reads its own write at once: every 2xx is sent after its transaction commits.

Regression: the request's session committed after the response was sent, so 25 of 40 logins
right after their user's 201 answered 401. Each loop reads a write back the moment its 2xx
arrives, over fresh connections of the real server, 200 times.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from scripts.apiclient import ApiClient
from scripts.stack import Stack

pytestmark = pytest.mark.e2e

TRIES = 200
_names = itertools.count(1)


def misses(check: Callable[[int], bool], tries: int = TRIES) -> list[int]:
    """The tries whose read missed the write; two at a time, as two clients would."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return [
            n for n, ok in zip(range(tries), pool.map(check, range(tries)), strict=True) if not ok
        ]


def test_a_new_user_can_sign_in_at_once(stack: Stack, admin: ApiClient) -> None:
    base = stack.settings.endpoints.api

    def check(_: int) -> bool:
        name = f"ryw{next(_names)}"
        admin.create_user(name, f"{name}-password")
        login = httpx.post(
            f"{base}/api/v1/auth/login", json={"username": name, "password": f"{name}-password"}
        )
        return login.status_code == 200

    assert misses(check) == []


def test_a_new_api_key_works_at_once(stack: Stack, user: ApiClient) -> None:
    base = stack.settings.endpoints.api

    def check(n: int) -> bool:
        created = user.post("/api/v1/api-keys", json={"name": f"key {n}"})
        assert created.status_code == 201
        me = httpx.get(
            f"{base}/api/v1/me", headers={"Authorization": f"Bearer {created.json()['key']}"}
        )
        return me.status_code == 200

    assert misses(check) == []


def test_an_upload_reads_back_at_once(user: ApiClient) -> None:
    # The same bytes each time: every upload is a new job (its version skipped), no run.
    user.ingest(("same.txt", b"Read your own writes."))

    def check(_: int) -> bool:
        accepted = user.upload(("same.txt", b"Read your own writes."))
        assert accepted.status_code == 202
        job_id = accepted.json()["job"]["id"]
        document_id = accepted.json()["documents"][0]["id"]
        job = user.get(f"/api/v1/jobs/{job_id}")
        return job.status_code == 200 and job.json()["documents"][0]["document_id"] == document_id

    assert misses(check) == []


def test_a_deleted_document_is_gone_at_once(user: ApiClient) -> None:
    documents = []
    for batch in range(TRIES // 50):
        files = [(f"gone-{batch}-{n}.txt", f"Short lived {batch} {n}.".encode()) for n in range(50)]
        documents += user.upload(*files).json()["documents"]

    def check(n: int) -> bool:
        document_id = documents[n]["id"]
        assert user.delete(f"/api/v1/documents/{document_id}").status_code == 204
        return user.get(f"/api/v1/documents/{document_id}").status_code == 404

    assert misses(check) == []


def test_a_cancelled_job_reads_cancelling_at_once(user: ApiClient) -> None:
    def check(n: int) -> bool:
        job = user.upload_job((f"cancel-{n}.txt", f"Never ingested {n}.".encode()))
        cancelled = user.post(f"/api/v1/jobs/{job['id']}/cancel")
        if cancelled.status_code == 409:  # it finished first: nothing to read back
            return True
        assert cancelled.status_code == 202, cancelled.text
        return user.job(job["id"])["state"] in ("cancelling", "cancelled")

    assert misses(check) == []
