"""A small client of ragline's v1 API, for benchmarks and end-to-end tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

FINISHED = frozenset({"completed", "failed", "cancelled", "crashed"})
FileLike = Path | tuple[str, bytes]


class ApiClient(httpx.Client):
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 120) -> None:
        super().__init__(base_url=base_url, timeout=timeout)
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    @classmethod
    def signed_in(cls, base_url: str, username: str, password: str) -> ApiClient:
        with httpx.Client(base_url=base_url, timeout=30) as anonymous:
            response = anonymous.post(
                "/api/v1/auth/login", json={"username": username, "password": password}
            )
            response.raise_for_status()
        return cls(base_url, response.json()["access_token"])

    def create_user(self, username: str, password: str, **fields: Any) -> dict[str, Any]:
        response = self.post(
            "/api/v1/users", json={"username": username, "password": password, **fields}
        )
        response.raise_for_status()
        return dict(response.json())

    def upload(self, *files: FileLike) -> httpx.Response:
        parts = [("files", (f.name, f.read_bytes()) if isinstance(f, Path) else f) for f in files]
        return self.post("/api/v1/documents", files=parts)

    def upload_job(self, *files: FileLike) -> dict[str, Any]:
        response = self.upload(*files)
        response.raise_for_status()
        return dict(response.json()["job"])

    def job(self, job_id: str) -> dict[str, Any]:
        response = self.get(f"/api/v1/jobs/{job_id}")
        response.raise_for_status()
        return dict(response.json())

    def wait_for_job(
        self,
        job_id: str,
        timeout_s: float = 120,
        states: frozenset[str] = FINISHED,
        poll_s: float = 0.05,
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            job = self.job(job_id)
            if job["state"] in states:
                return job
            if time.monotonic() > deadline:
                raise TimeoutError(f"job {job_id} still {job['state']} after {timeout_s} s: {job}")
            time.sleep(poll_s)

    def ingest(
        self, *files: FileLike, timeout_s: float = 120, poll_s: float = 0.05
    ) -> dict[str, Any]:
        """Uploads and waits for the job to end."""
        return self.wait_for_job(self.upload_job(*files)["id"], timeout_s, poll_s=poll_s)

    def ask(self, question: str, top_k: int = 5, mode: str = "hybrid") -> dict[str, Any]:
        body = {"question": question, "top_k": top_k, "mode": mode}
        response = self.post("/api/v1/query", json=body)
        response.raise_for_status()
        return dict(response.json())
