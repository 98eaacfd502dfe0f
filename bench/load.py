"""Many users at once: 20 people for 2 minutes while another user's bulk upload ingests.

    python bench/load.py [--users 20] [--seconds 120] [--bulk 80]   (or `make bench-load`)

Starts a throw-away stack on free ports. One user uploads ``--bulk`` documents (a few dozen
chunks each, in requests of 50, as the UI splits them); then each of ``--users`` users, for
``--seconds``: holds a WebSocket, uploads a small file every ~30 s (``--upload-every``; each
with a word of its own), asks a question every ~3 s about one of their files, lists their
jobs every ~3 s, and now and then asks for another user's document (it must be a 404).

Last line: {requests, errors_5xx, per_route: {route: {count, p50_ms, p95_ms}},
non_upload_p95_ms, uploads, uploads_lost, cross_user_reads, small_doc_queryable_p50_s,
small_doc_queryable_p95_s, small_doc_queryable_max_s, websocket_messages, bulk_state,
bulk_done}. Targets: 0 5xx, 0 lost uploads, 0 cross-user reads, non-upload p95 ≤ 300 ms,
small document → queryable p50 ≤ 5 s.
- an upload is lost if its 202 was sent and its document never became ready;
- a cross-user read is a citation of a document the asker does not own, or another user's
  document answered with anything but 404;
- queryable: from the upload's 202 until a question about its word cites it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import websockets  # noqa: E402

from bench.common import admin_client, bench_stack, percentile  # noqa: E402

WORDS = (
    "pump valve sensor pressure garden river ledger orbit signal lantern copper meadow archive "
    "compiler voyage thunder canvas harbor crystal market falcon glacier theorem velvet island"
).split()
ASK_EVERY_S = 3.0
LIST_EVERY_S = 3.0
PROBE_EVERY_S = 15.0
# After the load: how long every accepted upload may take to become queryable; one that
# has not by then counts as lost.
DRAIN_S = 600.0


def prose(seed: int, words: int) -> str:
    rng = random.Random(seed)
    sentences = []
    while words > 0:
        n = rng.randint(8, 16)
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + ".")
        words -= n
    return " ".join(sentences)


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors_5xx: int = 0
    cross_user_reads: int = 0
    websocket_messages: int = 0
    uploads: list[tuple[str, str, float, str]] = field(default_factory=list)  # user, doc, t, word
    queryable_s: list[float] = field(default_factory=list)
    # Where a small upload's time went: waiting for its run, for a slot, and its subflow.
    phases: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def record(self, route: str, response: httpx.Response, started: float) -> None:
        self.latencies[route].append((time.perf_counter() - started) * 1000)
        if response.status_code >= 500:
            self.errors_5xx += 1


@dataclass
class User:
    name: str
    client: httpx.AsyncClient
    token: str
    documents: dict[str, str] = field(default_factory=dict)  # id -> secret word
    done: dict[str, asyncio.Event] = field(default_factory=lambda: defaultdict(asyncio.Event))


async def call(
    tally: Tally, route: str, client: httpx.AsyncClient, method: str, url: str, **kw: Any
) -> httpx.Response:
    started = time.perf_counter()
    response = await client.request(method, url, **kw)
    tally.record(route, response, started)
    return response


async def hold_socket(base: str, user: User, tally: Tally, until: float) -> None:
    """The user's live view; tells the upload watchers when their document is done."""
    url = base.replace("http", "ws", 1) + f"/api/v1/ws?token={user.token}"
    async with websockets.connect(url, open_timeout=30) as socket:
        while True:
            try:
                raw = await asyncio.wait_for(
                    socket.recv(), timeout=max(1.0, until + DRAIN_S - time.monotonic())
                )
            except TimeoutError:
                return
            tally.websocket_messages += 1
            message = json.loads(raw)
            jobs = message.get("jobs") or ([message["job"]] if "job" in message else [])
            for job in jobs:
                for document in job["documents"]:
                    if document["stage"] in ("done", "skipped"):
                        event = user.done[document["document_id"]]
                        if not event.is_set() and document["document_id"] in user.documents:
                            record_phases(tally, job, document)
                        event.set()
            if time.monotonic() > until and all(user.done[d].is_set() for d in user.documents):
                return


def record_phases(tally: Tally, job: dict[str, Any], document: dict[str, Any]) -> None:
    times = [job["created_at"], job["started_at"], document["started_at"], document["finished_at"]]
    if None in times:
        return
    created, started, doc_started, doc_finished = (datetime.fromisoformat(t) for t in times)
    tally.phases["run_start_s"].append((started - created).total_seconds())
    tally.phases["slot_wait_s"].append((doc_started - started).total_seconds())
    tally.phases["document_s"].append((doc_finished - doc_started).total_seconds())


async def upload_now_and_then(
    user: User, tally: Tally, until: float, serial: list[int], every_s: float
) -> None:
    await asyncio.sleep(random.uniform(0, every_s))
    while time.monotonic() < until:
        serial[0] += 1
        word = f"zq{serial[0]:05d}{user.name}x"
        body = f"The {word} note says: {prose(serial[0], 40)}".encode()
        files = [("files", (f"note-{serial[0]}.txt", body))]
        response = await call(
            tally, "POST /documents", user.client, "POST", "/api/v1/documents", files=files
        )
        if response.status_code == 202:
            document_id = response.json()["documents"][0]["id"]
            user.documents[document_id] = word
            tally.uploads.append((user.name, document_id, time.monotonic(), word))
            asyncio.get_running_loop().create_task(
                watch_until_queryable(user, tally, document_id, word)
            )
        await asyncio.sleep(random.uniform(0.7, 1.3) * every_s)


async def watch_until_queryable(user: User, tally: Tally, document_id: str, word: str) -> None:
    """From the 202 until a question about the file's word cites it (told by the socket)."""
    accepted = time.monotonic()
    try:
        await asyncio.wait_for(user.done[document_id].wait(), timeout=DRAIN_S + 300)
    except TimeoutError:
        return
    for _ in range(20):
        question = {"question": f"What does the {word} note say?"}
        answer = await user.client.post("/api/v1/query", json=question)
        if answer.status_code == 200 and any(
            c["document_id"] == document_id for c in answer.json()["citations"]
        ):
            tally.queryable_s.append(time.monotonic() - accepted)
            return
        await asyncio.sleep(0.1)


async def ask_now_and_then(user: User, tally: Tally, until: float) -> None:
    await asyncio.sleep(random.uniform(0, ASK_EVERY_S))
    while time.monotonic() < until:
        if user.documents:
            word = random.choice(list(user.documents.values()))
            response = await call(
                tally,
                "POST /query",
                user.client,
                "POST",
                "/api/v1/query",
                json={"question": f"What does the {word} note say?"},
            )
            if response.status_code == 200:
                cited = {c["document_id"] for c in response.json()["citations"]}
                tally.cross_user_reads += len(cited - set(user.documents))
        await asyncio.sleep(random.uniform(0.7, 1.3) * ASK_EVERY_S)


async def list_now_and_then(user: User, tally: Tally, until: float) -> None:
    await asyncio.sleep(random.uniform(0, LIST_EVERY_S))
    while time.monotonic() < until:
        await call(tally, "GET /jobs", user.client, "GET", "/api/v1/jobs", params={"limit": 20})
        await asyncio.sleep(random.uniform(0.7, 1.3) * LIST_EVERY_S)


async def probe_others(user: User, others: list[User], tally: Tally, until: float) -> None:
    while time.monotonic() < until:
        await asyncio.sleep(random.uniform(0.7, 1.3) * PROBE_EVERY_S)
        owned = [d for other in others if other is not user for d in other.documents]
        if owned:
            response = await call(
                tally,
                "GET /documents/{id}",
                user.client,
                "GET",
                f"/api/v1/documents/{random.choice(owned)}",
            )
            if response.status_code != 404:
                tally.cross_user_reads += 1


async def run(
    base: str,
    admin_token: str,
    users_count: int,
    seconds: float,
    bulk: int,
    upload_every_s: float,
) -> dict[str, Any]:
    tally = Tally()
    headers = {"Authorization": f"Bearer {admin_token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as admin:
        names = ["bulk", *(f"u{n:02d}" for n in range(users_count))]
        for name in names:
            (
                await admin.post(
                    "/api/v1/users", json={"username": name, "password": f"{name}-password"}
                )
            ).raise_for_status()
        users = []
        for name in names:
            login = await admin.post(
                "/api/v1/auth/login", json={"username": name, "password": f"{name}-password"}
            )
            token = login.json()["access_token"]
            client = httpx.AsyncClient(
                base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120
            )
            users.append(User(name, client, token))
    bulk_user, people = users[0], users[1:]
    bulk_jobs = []
    for start in range(0, bulk, 50):
        files = [
            ("files", (f"bulk-{n}.txt", prose(1000 + n, 2500).encode()))
            for n in range(start, min(bulk, start + 50))
        ]
        response = await bulk_user.client.post("/api/v1/documents", files=files)
        response.raise_for_status()
        bulk_jobs.append(response.json()["job"]["id"])

    until = time.monotonic() + seconds
    serial = [0]
    tasks = []
    for user in people:
        tasks += [
            hold_socket(base, user, tally, until),
            upload_now_and_then(user, tally, until, serial, upload_every_s),
            ask_now_and_then(user, tally, until),
            list_now_and_then(user, tally, until),
            probe_others(user, people, tally, until),
        ]
    await asyncio.gather(*tasks)
    # Every accepted upload must become ready (the bulk job may still be running).
    ended = time.monotonic()
    deadline = ended + DRAIN_S
    while len(tally.queryable_s) < len(tally.uploads) and time.monotonic() < deadline:
        await asyncio.sleep(1)
    drain_s = time.monotonic() - ended
    bulk_states = [(await bulk_user.client.get(f"/api/v1/jobs/{j}")).json() for j in bulk_jobs]
    for user in users:
        await user.client.aclose()

    per_route = {
        route: {
            "count": len(values),
            "p50_ms": round(percentile(values, 0.5), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
        }
        for route, values in sorted(tally.latencies.items())
    }
    non_upload = [
        v for route, values in tally.latencies.items() if route != "POST /documents" for v in values
    ]
    queryable = tally.queryable_s or [float("nan")]
    return {
        "users": users_count,
        "seconds": seconds,
        "upload_every_s": upload_every_s,
        "requests": sum(len(v) for v in tally.latencies.values()),
        "errors_5xx": tally.errors_5xx,
        "per_route": per_route,
        "non_upload_p95_ms": round(percentile(non_upload, 0.95), 1) if non_upload else None,
        "uploads": len(tally.uploads),
        "uploads_lost": len(tally.uploads) - len(tally.queryable_s),
        "cross_user_reads": tally.cross_user_reads,
        "small_doc_queryable_p50_s": round(percentile(queryable, 0.5), 2),
        "small_doc_queryable_p95_s": round(percentile(queryable, 0.95), 2),
        "small_doc_queryable_max_s": round(max(queryable), 2),
        "small_doc_phases_p50_s": {
            name: round(percentile(values, 0.5), 2) for name, values in sorted(tally.phases.items())
        },
        "drain_s": round(drain_s, 1),
        "websocket_messages": tally.websocket_messages,
        "bulk_documents": bulk,
        "bulk_state": [j["state"] for j in bulk_states],
        "bulk_done": sum(d["stage"] == "done" for j in bulk_states for d in j["documents"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--bulk", type=int, default=80)
    parser.add_argument("--upload-every", type=float, default=30.0, help="seconds, per user")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="ragline-load-") as data,
        bench_stack(Path(data)) as stack,
    ):
        admin = admin_client(stack.settings)
        token = str(admin.headers["Authorization"]).removeprefix("Bearer ")
        result = asyncio.run(
            run(
                stack.settings.endpoints.api,
                token,
                args.users,
                args.seconds,
                args.bulk,
                args.upload_every,
            )
        )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
