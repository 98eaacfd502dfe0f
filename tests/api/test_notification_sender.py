"""The notification outbox against real components: PostgreSQL, an aiosmtpd mail server that
is stopped and started, and a real HTTP receiver that checks each webhook's signature."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import Session, select

from api.notification_sender import NotificationSender
from ragline import notifications, users, webhooks
from ragline.db import session_scope
from ragline.models import (
    Job,
    JobState,
    Notification,
    NotificationChannel,
    NotificationState,
    NotifyChoice,
    User,
)
from ragline.settings import Settings
from scripts.stack import free_port


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class MailServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, server_hostname="localhost"
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer(free_port())
    yield server
    server.stop()


def settings_for(engine: Engine, smtp_port: int) -> Settings:
    return Settings(
        _env_file=None,
        database_url=engine.url.render_as_string(hide_password=False),
        smtp_port=smtp_port,
        public_url="https://ragline.example.org/",
        notify_retry_first_s=0.2,
        notify_retry_max_s=0.4,
    )


def ended_job(engine: Engine, owner: User, state: str = "completed") -> dict[str, Any]:
    """A finished job row, and the job as the API would show it."""
    with session_scope(engine) as session:
        job = Job(owner_id=owner.id, state=JobState(state))
        session.add(job)
    return {"id": job.id, "kind": "ingest", "state": state, "error": None, "documents": []}


def owner(engine: Engine, name: str = "alice", **fields: Any) -> User:
    with session_scope(engine) as session:
        user = users.create_user(session, name, "a-long-password", email=f"{name}@example.com")
        for field, value in fields.items():
            setattr(user, field, value)
        session.add(user)
    return user


def enqueue(engine: Engine, user: User, settings: Settings, state: str = "completed") -> None:
    job = ended_job(engine, user, state)
    with session_scope(engine) as session:
        notifications.enqueue_job_end(session, session.get_one(User, user.id), job, settings)


def rows(engine: Engine) -> list[Notification]:
    with Session(engine) as session:
        return list(session.exec(select(Notification)))


def test_the_owners_choice_decides_what_is_notified() -> None:
    assert notifications.wanted(NotifyChoice.ALL, "completed")
    assert notifications.wanted(NotifyChoice.FAILURES, "crashed")
    assert notifications.wanted(NotifyChoice.FAILURES, "failed")
    assert not notifications.wanted(NotifyChoice.FAILURES, "completed")
    assert not notifications.wanted(NotifyChoice.NONE, "failed")


def test_a_mail_waits_while_the_mail_server_is_down_and_is_sent_once_when_it_is_back(
    engine: Engine, mail_server: MailServer
) -> None:
    settings = settings_for(engine, mail_server.port)
    sender = NotificationSender(engine, settings)
    enqueue(engine, owner(engine), settings, "crashed")

    assert sender.send_one()  # nobody listens on the port yet
    (waiting,) = rows(engine)
    assert waiting.state == NotificationState.PENDING and waiting.attempts == 1
    assert waiting.last_error and "mail server" in waiting.last_error

    mail_server.start()
    deadline = time.monotonic() + 10
    while rows(engine)[0].state != NotificationState.SENT:
        assert time.monotonic() < deadline, rows(engine)
        sender.send_one()
        time.sleep(0.05)
    for _ in range(5):  # a sent mail is never claimed again
        assert not sender.send_one()

    (mail,) = mail_server.inbox.messages
    assert mail["To"] == "alice@example.com" and "crashed" in mail["Subject"]
    assert mail["Message-ID"] == f"<{waiting.id}@ragline>"
    assert f"https://ragline.example.org/#/jobs/{waiting.job_id}" in mail.get_payload()


def test_two_senders_side_by_side_send_each_mail_once(
    engine: Engine, mail_server: MailServer
) -> None:
    mail_server.start()
    settings = settings_for(engine, mail_server.port)
    user = owner(engine)
    for _ in range(20):
        enqueue(engine, user, settings)
    senders = [NotificationSender(engine, settings) for _ in range(2)]

    def drain(sender: NotificationSender) -> int:
        sent = 0
        while sender.send_one():
            sent += 1
        return sent

    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(drain, senders))

    assert sum(counts) == 20
    ids = [m["Message-ID"] for m in mail_server.inbox.messages]
    assert len(ids) == 20 and len(set(ids)) == 20
    assert all(n.state == NotificationState.SENT and n.attempts == 1 for n in rows(engine))


def test_nothing_is_queued_for_a_user_who_wants_no_notifications(engine: Engine) -> None:
    settings = settings_for(engine, free_port())
    enqueue(engine, owner(engine, notify=NotifyChoice.NONE, webhook_url="http://x/"), settings)
    enqueue(engine, owner(engine, "bob", notify=NotifyChoice.FAILURES), settings, "completed")
    enqueue(engine, owner(engine, "carol", notify=NotifyChoice.FAILURES), settings, "failed")
    assert [n.target for n in rows(engine)] == ["carol@example.com"]


class Receiver(BaseHTTPRequestHandler):
    """Answers 500 to the first delivery and 200 after; records what it was sent."""

    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((dict(self.headers), body))
        self.send_response(500 if len(self.received) == 1 else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_webhook_is_signed_with_the_users_secret_and_retried_until_it_is_taken(
    engine: Engine,
) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    settings = settings_for(engine, free_port()).model_copy(update={"mail_enabled": False})
    user = owner(engine)
    with session_scope(engine) as session:
        secret = users.set_webhook(session, session.get_one(User, user.id), url)
    assert secret is not None
    enqueue(engine, user, settings, "failed")
    sender = NotificationSender(engine, settings)
    try:
        deadline = time.monotonic() + 10
        while rows(engine)[0].state != NotificationState.SENT:
            assert time.monotonic() < deadline, rows(engine)
            sender.send_one()
            time.sleep(0.05)
    finally:
        server.shutdown()
        sender.close()

    (row,) = rows(engine)
    assert row.channel == NotificationChannel.WEBHOOK and row.attempts == 2
    assert row.last_status == 200 and row.last_error is None
    (first_headers, first), (headers, body) = Receiver.received
    assert body == first  # a retry sends the very same bytes
    assert webhooks.verify(body, secret, headers[webhooks.SIGNATURE_HEADER])
    assert not webhooks.verify(body, "another-secret", headers[webhooks.SIGNATURE_HEADER])
    assert headers[webhooks.DELIVERY_HEADER] == first_headers[webhooks.DELIVERY_HEADER] == row.id
    sent = json.loads(body)
    assert sent["event"] == "job.finished" and sent["job"]["state"] == "failed"
    assert sent["job_url"] == f"https://ragline.example.org/#/jobs/{row.job_id}"
