"""Every operation of the OpenAPI, fuzzed against the running stack, as a user and as an admin.

Fails on any 5xx and on any response the OpenAPI does not describe (status code, content type,
body schema). The fuzzer signs in as users of its own, so what it does to its own account
(logout, a changed profile) leaves the session's other callers alone; what it starts on the
shared stack (uploads, re-ingestions, a paused schedule) is undone when it ends.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis import checks

from ragline.settings import PROJECT_ROOT
from scripts.apiclient import FINISHED, ApiClient
from scripts.stack import Stack

pytestmark = pytest.mark.e2e

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
PASSWORD = "fuzzer-password"
LOGOUT = ("POST", "/api/v1/auth/logout")
# The document the frontend's and Python's clients are generated from.
OPENAPI = PROJECT_ROOT / "frontend" / "openapi.json"
openapi = schemathesis.openapi.from_path(OPENAPI)


class Fuzzer:
    """One of the fuzzer's own accounts."""

    def __init__(self, stack: Stack, username: str) -> None:
        self.base_url = stack.settings.endpoints.api
        self.username = username
        self.token = self.new_token()

    def new_token(self) -> str:
        """A fresh login token (a fuzzed logout ends only the one it was given)."""
        with ApiClient.signed_in(self.base_url, self.username, PASSWORD) as client:
            return client.headers["Authorization"].removeprefix("Bearer ")


@pytest.fixture(scope="module")
def fuzzers(stack: Stack, admin: ApiClient) -> Iterator[dict[str, Fuzzer]]:
    found: dict[str, Fuzzer] = {}
    ids = set()
    for role in ("user", "admin"):
        username = f"fuzz-{role}"
        ids.add(admin.create_user(username, PASSWORD, is_admin=role == "admin")["id"])
        found[role] = Fuzzer(stack, username)
    schedule = admin.get("/api/v1/admin/reingest/schedule").json()
    yield found
    # Leave the shared stack as it was: the schedule, and no job of the fuzzer's running.
    with ApiClient(found["admin"].base_url, found["admin"].new_token()) as fuzz_admin:
        fuzz_admin.patch("/api/v1/admin/reingest/schedule", json={"active": schedule["active"]})
        _cancel_and_wait(fuzz_admin, ids)


def _cancel_and_wait(admin: ApiClient, owners: set[str], timeout_s: float = 180) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        jobs = admin.get("/api/v1/jobs", params={"limit": 200}).json()["data"]
        running = [j for j in jobs if j["owner_id"] in owners and j["state"] not in FINISHED]
        if not running:
            return
        assert time.monotonic() < deadline, f"fuzzer's jobs still running: {running}"
        for job in running:
            if job["state"] != "cancelling":
                admin.post(f"/api/v1/jobs/{job['id']}/cancel")
        time.sleep(1)


@pytest.fixture(scope="module")
def fuzz_user(fuzzers: dict[str, Fuzzer]) -> Fuzzer:
    return fuzzers["user"]


@pytest.fixture(scope="module")
def fuzz_admin(fuzzers: dict[str, Fuzzer]) -> Fuzzer:
    return fuzzers["admin"]


def test_the_stack_serves_the_document_fuzzed(admin: ApiClient) -> None:
    """The committed document (kept in step with the code by tests/api/test_app.py) is the
    one the stack serves, so fuzzing it fuzzes the running API's contract."""
    assert admin.get("/api/v1/openapi.json").json() == json.loads(OPENAPI.read_text())


def _call(case: schemathesis.Case[Any], fuzzer: Fuzzer) -> None:
    token = fuzzer.new_token() if (case.method.upper(), case.path) == LOGOUT else fuzzer.token
    case.call_and_validate(
        base_url=fuzzer.base_url,
        headers={"Authorization": f"Bearer {token}"},
        checks=CHECKS,
        timeout=60,
    )


FUZZ_SETTINGS = hypothesis.settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)


@openapi.parametrize()
@FUZZ_SETTINGS
def test_as_a_user(case: schemathesis.Case[Any], fuzz_user: Fuzzer) -> None:
    _call(case, fuzz_user)


@openapi.parametrize()
@FUZZ_SETTINGS
def test_as_an_admin(case: schemathesis.Case[Any], fuzz_admin: Fuzzer) -> None:
    _call(case, fuzz_admin)


# What the fuzzer found, pinned down (its draws change whenever the schema does).
def test_an_offset_beyond_any_list_is_a_422_not_a_500(user: ApiClient) -> None:
    for path in ("/api/v1/jobs", "/api/v1/documents", "/api/v1/me/notifications"):
        response = user.get(path, params={"offset": 10**22})
        assert response.status_code == 422, (path, response.text)


def test_a_webhook_url_the_sender_cannot_parse_is_refused(user: ApiClient) -> None:
    """An IDNA-invalid host was stored, then failed the notification sender on every round."""
    response = user.put("/api/v1/me/webhook", json={"url": "http://\u0112\U000b8276.example/"})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid_input"


def test_a_multipart_body_that_breaks_off_is_a_422_and_keeps_the_files_before_it(
    user: ApiClient,
) -> None:
    boundary = "fuzzboundary"
    broken = f"--{boundary}\r\n\xf4\x0c\xef garbage".encode("latin-1")
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    assert user.post("/api/v1/documents", content=broken, headers=headers).status_code == 422
    good = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="files"; filename="whole.txt"\r\n\r\n'
        "A whole file.\r\n"
        f"--{boundary}\r\n"
    ).encode() + broken.removeprefix(f"--{boundary}\r\n".encode())
    accepted = user.post("/api/v1/documents", content=good, headers=headers)
    assert accepted.status_code == 202, accepted.text
    assert [d["filename"] for d in accepted.json()["documents"]] == ["whole.txt"]
    user.wait_for_job(accepted.json()["job"]["id"])
