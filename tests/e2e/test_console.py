"""The operator console's promises on the real stack: a mail sent while the mail server is down
arrives once when it is back, a webhook reaches a real receiver signed, a disabled user's
socket closes."""

from __future__ import annotations

import json
import mailbox
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from ragline import webhooks
from scripts.apiclient import ApiClient
from scripts.stack import Stack

pytestmark = pytest.mark.e2e


def wait_until(check: Callable[[], Any], timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while not (found := check()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
    return found


def notifications_of(client: ApiClient) -> list[dict[str, Any]]:
    response = client.get("/api/v1/me/notifications")
    response.raise_for_status()
    return list(response.json()["data"])


def mails_to(stack: Stack, address: str) -> list[mailbox.MaildirMessage]:
    maildir = mailbox.Maildir(stack.settings.paths.data / "mail", create=False)
    return [m for m in maildir if m["To"] == address]


def test_a_mail_due_while_the_mail_server_is_down_is_sent_once_when_it_is_back(
    stack: Stack, new_user: Callable[..., ApiClient]
) -> None:
    address = "patient.reader@example.com"
    with new_user(email=address) as client:
        stack.stop_service("mail")
        try:
            job = client.ingest(("note.txt", b"A note written while the mail server was down."))
            waiting = wait_until(
                lambda: [n for n in notifications_of(client) if n["attempts"] >= 1],
                30,
                "a failed attempt",
            )
            assert waiting[0]["state"] == "pending" and waiting[0]["job_id"] == job["id"]
            assert mails_to(stack, address) == []
        finally:
            stack.start_service("mail")

        (mail,) = wait_until(lambda: mails_to(stack, address), 60, "the mail")
        assert job["id"] in mail.get_payload(decode=True).decode()
        time.sleep(3)  # a second copy would come within the sender's next passes
        assert len(mails_to(stack, address)) == 1
        (sent,) = notifications_of(client)
        assert sent["state"] == "sent" and sent["attempts"] >= 2 and sent["sent_at"]


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ragline"
    server.shutdown()


def test_a_job_end_reaches_the_users_webhook_signed_with_their_secret(
    user: ApiClient, receiver: str
) -> None:
    saved = user.put("/api/v1/me/webhook", json={"url": receiver})
    saved.raise_for_status()
    secret = saved.json()["secret"]

    job = user.ingest(("hook.txt", b"A document whose end is posted to a webhook."))

    headers, body = wait_until(lambda: Receiver.received[-1:], 30, "the webhook")[0]
    assert webhooks.verify(body, secret, headers[webhooks.SIGNATURE_HEADER])
    assert json.loads(body)["job"]["id"] == job["id"]
    logged = wait_until(
        lambda: [n for n in notifications_of(user) if n["state"] == "sent"], 10, "the log"
    )
    assert logged[0]["channel"] == "webhook" and logged[0]["last_status"] == 204


def test_disabling_a_user_closes_their_open_socket_at_once(
    stack: Stack, admin: ApiClient, user: ApiClient
) -> None:
    token = str(user.headers["Authorization"]).removeprefix("Bearer ")
    me = user.get("/api/v1/me").json()
    url = stack.settings.endpoints.api.replace("http", "ws", 1) + f"/api/v1/ws?token={token}"
    with connect(url, open_timeout=10) as socket:
        assert json.loads(socket.recv(timeout=10))["type"] == "snapshot"
        asked = time.monotonic()
        admin.patch(f"/api/v1/users/{me['id']}", json={"disabled": True}).raise_for_status()
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401
    assert time.monotonic() - asked < 5
    assert user.get("/api/v1/me").status_code == 401


def test_a_reingestion_reports_its_counts_on_the_job_and_in_prefect(
    stack: Stack, admin: ApiClient
) -> None:
    admin.ingest(("corpus.txt", b"A document for the bulk re-ingestion to look at."))
    started = admin.post("/api/v1/reingest", json={"only_changed": True})
    assert started.status_code == 202
    job = admin.wait_for_job(started.json()["id"], timeout_s=120)

    assert job["state"] == "completed" and job["kind"] == "reingest"
    counts = job["counts"]
    assert counts["failed"] == 0 and counts["skipped"] + counts["reingested"] == len(
        job["documents"]
    )
    assert counts["skipped"] >= 1  # the document just ingested is unchanged
    artifacts = httpx.post(
        f"{stack.settings.endpoints.prefect_api}/artifacts/filter",
        json={"flow_runs": {"id": {"any_": [job["flow_run_id"]]}}},
    ).json()
    (artifact,) = [a for a in artifacts if a["key"] == "reingest-counts"]
    assert artifact["type"] == "markdown" and f"| {counts['skipped']} |" in artifact["data"]


def test_the_nightly_schedule_can_be_paused_and_stays_paused_when_the_worker_restarts(
    stack: Stack, admin: ApiClient
) -> None:
    schedule = admin.get("/api/v1/admin/reingest/schedule").json()
    assert schedule["scheduled"] and schedule["cron"] == "0 3 * * *"
    assert schedule["active"] and schedule["next_run_at"]
    try:
        paused = admin.patch("/api/v1/admin/reingest/schedule", json={"active": False}).json()
        assert paused["active"] is False and paused["next_run_at"] is None
        assert admin.get("/api/v1/admin/reingest/schedule").json()["active"] is False
        # The serve process re-registers prefect.yaml's deployments when it starts again.
        stack.stop_service("worker")
        stack.start_service("worker")
        assert admin.get("/api/v1/admin/reingest/schedule").json()["active"] is False
    finally:
        resumed = admin.patch("/api/v1/admin/reingest/schedule", json={"active": True}).json()
    assert resumed["active"] is True and resumed["next_run_at"]


def test_the_health_page_sees_the_serve_process_polling(admin: ApiClient) -> None:
    health = admin.get("/api/v1/admin/health").json()
    assert all(c["ok"] for c in health["components"].values()), health["components"]
    polled = [w for w in health["workers"] if w["kind"] == "deployment"]
    assert polled and all(w["ok"] for w in polled)
    assert set(health["links"]["deployments"]) == {
        "ingest-documents",
        "ingest-document",
        "reingest-corpus",
    }
