"""The local stack over real processes: a small one (PostgreSQL, Chroma, the mail sink) to stay
fast, stopping and starting one service of it, SeaweedFS and two workers on their own, and the
session's full stack."""

from __future__ import annotations

import json
import mailbox
import os
import smtplib
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import psycopg
import pytest
import s3fs

from ragline.s3_storage import fsspec_options
from ragline.settings import Settings
from scripts.services import read_pid_file
from scripts.stack import Stack, free_port
from tests.conftest import s3_settings

pytestmark = pytest.mark.e2e
MakeSettings = Callable[..., Settings]


def test_postgres_serves_both_databases_to_the_ragline_role(small_stack: Stack) -> None:
    settings = small_stack.settings
    url = settings.endpoints.app_database.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("ragline",)
    prefect_url = settings.endpoints.prefect_database.replace("postgresql+asyncpg", "postgresql")
    with psycopg.connect(prefect_url) as conn:
        extensions = conn.execute("SELECT extname FROM pg_extension").fetchall()
        assert ("pg_trgm",) in extensions
    assert (settings.paths.postgres / "password").stat().st_mode & 0o777 == 0o600


def test_postgres_refuses_a_wrong_password(small_stack: Stack) -> None:
    port = small_stack.settings.postgres_port
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(f"postgresql://ragline:wrong@127.0.0.1:{port}/ragline")


def test_chroma_answers_its_heartbeat(small_stack: Stack) -> None:
    url = f"{small_stack.settings.endpoints.chroma}/api/v2/heartbeat"
    with urllib.request.urlopen(url, timeout=5) as response:
        assert "nanosecond heartbeat" in json.loads(response.read())


def send_mail(settings: Settings, subject: str) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@localhost", "b@localhost", subject
    message.set_content("job finished")
    with smtplib.SMTP("127.0.0.1", settings.smtp_port, timeout=5) as smtp:
        smtp.send_message(message)


def test_mail_sink_stores_messages_in_a_maildir(small_stack: Stack) -> None:
    settings = small_stack.settings
    send_mail(settings, "done")
    stored = list(mailbox.Maildir(settings.paths.data / "mail"))
    assert "done" in [m["Subject"] for m in stored]


def test_a_service_stopped_and_started_again_serves_as_before(small_stack: Stack) -> None:
    settings = small_stack.settings
    small_stack.stop_service("mail")
    assert "mail" not in small_stack.urls()
    assert read_pid_file(settings.paths.run / "mail.pid") is None
    small_stack.start_service("mail")
    assert "mail" in small_stack.urls() and not small_stack.stopped_on_purpose
    send_mail(settings, "after a restart")
    stored = list(mailbox.Maildir(settings.paths.data / "mail"))
    assert "after a restart" in [m["Subject"] for m in stored]


def test_the_session_stack_answers_on_every_url(stack: Stack) -> None:
    """The fixture other e2e tests use: whatever it started is healthy."""
    started = stack.urls()
    assert {"postgres", "prefect", "chroma"} <= set(started)
    with urllib.request.urlopen(
        f"{stack.settings.endpoints.prefect_api}/health", timeout=5
    ) as response:
        assert response.status == 200
    if "api" in started:
        assert readiness(started["api"], within_s=60)["status"] == "ok"


def readiness(api: str, within_s: float) -> dict[str, object]:
    """``/readyz``'s body once it answers 200, or its last body: a fault test that ran before
    may have restarted a service, which the supervisor brings back within seconds."""
    deadline = time.monotonic() + within_s
    while True:
        try:
            with urllib.request.urlopen(f"{api}/readyz", timeout=10) as response:
                return dict(json.loads(response.read()))
        except urllib.error.HTTPError as exc:
            body = dict(json.loads(exc.read()))
            if time.monotonic() > deadline:
                return body
        time.sleep(1)


def test_seaweedfs_stops_at_once_and_keeps_what_it_stored(tmp_path: Path) -> None:
    """Regression: stopping it took 15 s (its filer's fixed drain of gRPC streams)."""
    settings = s3_settings(tmp_path, free_port())
    small, large = b"written just before the stop", os.urandom(9 * 1024 * 1024)  # in chunks
    with Stack(settings, only=["seaweed"], echo=lambda _: None) as stack:
        store = s3fs.S3FileSystem(**fsspec_options(settings), skip_instance_cache=True)
        store.pipe({"ragline-test/kept/large": large, "ragline-test/kept/small": small})
        started = time.monotonic()
        stack.stop_service("seaweed")
        assert time.monotonic() - started < 5
        stack.start_service("seaweed")
        # No retries: reported ready, it serves at once (its volume server can join the
        # master seconds after the gateway first answers).
        store = s3fs.S3FileSystem(
            **fsspec_options(settings),
            skip_instance_cache=True,
            config_kwargs={"retries": {"max_attempts": 1}},
        )
        store.retries = 1
        assert store.cat("ragline-test/kept/small") == small
        assert store.cat("ragline-test/kept/large") == large


def test_each_of_two_workers_is_ready_only_once_it_has_polled_itself(
    tmp_path: Path, stack_settings: MakeSettings
) -> None:
    """Regression: worker-2 was reported ready on worker's poll of the deployments they share."""
    settings = stack_settings(tmp_path, workers=2)
    ready_at: dict[str, datetime] = {}

    def note(line: str) -> None:
        if ": ready in " in line:
            ready_at[line.split(":")[0]] = datetime.now(UTC)

    with Stack(settings, only={"postgres", "prefect", "worker", "worker-2"}, echo=note):
        for name in ("worker", "worker-2"):
            pid = read_pid_file(settings.paths.run / f"{name}.pid")
            assert pid is not None
            polled = datetime.fromisoformat(settings.paths.serving(pid).read_text().strip())
            assert polled <= ready_at[name]
