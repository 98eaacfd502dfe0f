"""Every hostile file of issue 22 through the real API: the right 4xx, or a 202 whose document
fails with a sentence or ingests safely; never a 5xx, the stack ready after each, in bounded
time, and no API or worker process (parsers included) above 1 GB of resident memory."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import psutil
import pytest

from scripts.apiclient import ApiClient
from scripts.stack import Stack
from tests.factories.hostile import Fails, HostileFile, Ingests, Refused, hostile_files

pytestmark = pytest.mark.e2e

PEAK_RSS_LIMIT = 1024**3
"""Every process of the API and the worker: the API, the serve process, every parser and the
flow runs (which embed two documents side by side)."""
MEASURED_SERVICES = ("api", "worker")


class PeakMemory:
    """Polls the resident memory of every process in the given trees (children come and go:
    flow runs, parser sandboxes) and keeps the largest single process of each role: the
    service itself, its other processes, and parsers (told by their address-space limit)."""

    def __init__(self, roots: dict[str, int], interval_s: float = 0.05) -> None:
        self.roots = roots
        self.interval_s = interval_s
        self.started = time.monotonic()
        self.peaks: dict[str, tuple[int, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.is_set():
            for service, pid in self.roots.items():
                try:
                    root = psutil.Process(pid)
                    tree = [root, *root.children(recursive=True)]
                except psutil.Error:
                    continue
                for process in tree:
                    try:
                        self._note(f"{service} {self._role(root, process)}", process)
                    except psutil.Error:
                        pass
            self._stop.wait(self.interval_s)

    @staticmethod
    def _role(root: psutil.Process, process: psutil.Process) -> str:
        if process.pid == root.pid:
            return "process"
        if process.rlimit(psutil.RLIMIT_AS)[0] != psutil.RLIM_INFINITY:
            return "parser"
        return "child"

    def _note(self, key: str, process: psutil.Process) -> None:
        rss = process.memory_info().rss
        if rss > self.peaks.get(key, (0, 0.0))[0]:
            self.peaks[key] = (rss, time.monotonic() - self.started)


def multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart body with each name sent as raw UTF-8, as a hostile client would (httpx
    would escape NUL and other control characters); only ``"`` and line breaks are
    percent-encoded, as browsers do."""
    boundary = uuid.uuid4().hex
    body = bytearray()
    for name, data in files:
        raw = name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A").encode()
        body += b"--%s\r\n" % boundary.encode()
        body += b'Content-Disposition: form-data; name="files"; filename="%s"\r\n' % raw
        body += b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n"
    body += b"--%s--\r\n" % boundary.encode()
    return bytes(body), f"multipart/form-data; boundary={boundary}"


def upload(client: ApiClient, cases: list[HostileFile]) -> httpx.Response:
    body, content_type = multipart([(c.filename, c.data) for c in cases])
    return client.post("/api/v1/documents", content=body, headers={"Content-Type": content_type})


def assert_ready(client: ApiClient, after: str) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, f"not ready after {after}: {response.text}"


@pytest.fixture(scope="module")
def cases() -> list[HostileFile]:
    return hostile_files()


@pytest.fixture
def memory(stack: Stack) -> Iterator[PeakMemory]:
    roots = {
        r.service.name: r.process.pid for r in stack.running if r.service.name in MEASURED_SERVICES
    }
    assert set(roots) == set(MEASURED_SERVICES)
    with PeakMemory(roots) as peaks:
        yield peaks


def test_hostile_files_get_a_clear_outcome_and_the_stack_stays_healthy(
    user: ApiClient, cases: list[HostileFile], memory: PeakMemory
) -> None:
    started = time.monotonic()
    refused = [c for c in cases if isinstance(c.expected, Refused)]
    accepted = [c for c in cases if not isinstance(c.expected, Refused)]

    problems: list[str] = []  # every mismatch, not just the first
    # Refused ones one by one: each answers its own status.
    for case in refused:
        assert isinstance(case.expected, Refused)
        response = upload(user, [case])
        assert response.status_code < 500, (case.case, response.text)
        got = (response.status_code, response.json()["code"])
        if got != (case.expected.status, case.expected.code):
            problems.append(f"{case.case}: {got} {response.text[:200]}")
        assert_ready(user, case.case)
    refusing_s = time.monotonic() - started

    # The rest in one request, so one job parses them all.
    response = upload(user, accepted)
    assert response.status_code == 202, response.text
    answer = response.json()
    assert answer["rejected"] == [], answer["rejected"]
    shown = [c.shown_as or c.filename for c in accepted]
    assert [d["filename"] for d in answer["documents"]] == shown
    assert_ready(user, "the accepted batch")
    job = user.wait_for_job(answer["job"]["id"], timeout_s=240, poll_s=0.5)
    assert_ready(user, "the job")
    assert job["state"] in ("completed", "failed"), job

    for case, document in zip(accepted, answer["documents"], strict=True):
        current = user.get(f"/api/v1/documents/{document['id']}").json()
        outcome = f"{current['status']}: {current['error']}"
        if isinstance(case.expected, Fails):
            if current["status"] != "failed" or case.expected.says not in current["error"]:
                problems.append(f"{case.case}: {outcome}")
        elif current["status"] != "ready" or current["chunks"] == 0:
            problems.append(f"{case.case}: {outcome}")
        elif isinstance(case.expected, Ingests) and case.expected.shows:
            problems += shown_problems(user, document["id"], case.expected.shows, case.case)
    total_s = time.monotonic() - started
    assert not problems, "\n".join(problems)
    assert refusing_s < 30 and total_s < 300, (refusing_s, total_s)

    print(f"hostile files: refused in {refusing_s:.1f} s, all done in {total_s:.1f} s")
    for key, (rss, at) in sorted(memory.peaks.items()):
        print(f"peak RSS {key}: {rss / 1024**2:.0f} MB at {at:.0f} s")
    assert {key.split()[0] for key in memory.peaks} == set(MEASURED_SERVICES)
    for key, (rss, _) in memory.peaks.items():
        assert rss <= PEAK_RSS_LIMIT, (key, rss)


def shown_problems(client: ApiClient, document_id: str, text: str, case: str) -> list[str]:
    """The document's text comes back verbatim (formulas as text, nothing expanded)."""
    response = client.post("/api/v1/query", json={"question": text, "top_k": 10, "mode": "keyword"})
    assert response.status_code == 200, response.text
    citations = response.json()["citations"]
    snippets = [c["snippet"] for c in citations if c["document_id"] == document_id]
    if not any(text in s for s in snippets) or any("root:" in s for s in snippets):
        return [f"{case}: {text!r} not shown verbatim in {snippets}"]
    return []
