"""The local stack over real processes: a small one (PostgreSQL, Chroma, the mail sink) to stay
fast, and the command line (``up``, ``status``, ``down``) on the mail sink or PostgreSQL."""

from __future__ import annotations

import json
import mailbox
import os
import signal
import smtplib
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import psutil
import psycopg
import pytest

from ragline.settings import PROJECT_ROOT, Settings
from scripts.plan import child_env
from scripts.services import read_pid_file
from scripts.stack import Stack

pytestmark = pytest.mark.e2e
MakeSettings = Callable[..., Settings]


@pytest.fixture(scope="module")
def small_stack(
    tmp_path_factory: pytest.TempPathFactory, stack_settings: MakeSettings
) -> Iterator[Stack]:
    settings = stack_settings(tmp_path_factory.mktemp("small"))
    with Stack(settings, only={"postgres", "chroma", "mail"}) as stack:
        yield stack


def cli(settings: Settings, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.stack", *args],
        env=child_env(settings),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_foreground(settings: Settings, only: str) -> subprocess.Popen[str]:
    """``up --only ...`` in the foreground, returned once it says everything is running."""
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "scripts.stack", "up", "--only", only],
        env=child_env(settings),
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert supervisor.stdout is not None
    for line in supervisor.stdout:
        if line.startswith("Stop with Ctrl-C"):
            return supervisor
    raise AssertionError(f"the stack did not start (exit code {supervisor.wait()})")


def processes_using(data_dir: Path) -> list[psutil.Process]:
    """Processes whose command line mentions ``data_dir``: what a stack there left behind."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if any(str(data_dir) in part for part in proc.info["cmdline"] or []):
            found.append(proc)
    return found


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


def test_mail_sink_stores_messages_in_a_maildir(small_stack: Stack) -> None:
    settings = small_stack.settings
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@localhost", "b@localhost", "done"
    message.set_content("job finished")
    with smtplib.SMTP("127.0.0.1", settings.smtp_port, timeout=5) as smtp:
        smtp.send_message(message)
    stored = list(mailbox.Maildir(settings.paths.data / "mail"))
    assert [m["Subject"] for m in stored] == ["done"]


def test_status_reports_each_running_service(small_stack: Stack) -> None:
    result = cli(small_stack.settings, "status")
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    for running in small_stack.running:
        assert f"up    pid {running.process.pid}" in lines[running.service.name]
    assert lines["api"].split()[1] == "down"


def test_up_refuses_politely_while_running(small_stack: Stack) -> None:
    result = cli(small_stack.settings, "up")
    assert result.returncode == 0
    assert "already running" in result.stdout


def test_supervisor_reports_a_dead_service_with_its_log_tail(
    tmp_path: Path, stack_settings: MakeSettings
) -> None:
    settings = stack_settings(tmp_path)
    supervisor = start_foreground(settings, "mail")
    mail_pid = read_pid_file(settings.paths.run / "mail.pid")
    assert mail_pid is not None
    os.kill(mail_pid, signal.SIGKILL)
    out, _ = supervisor.communicate(timeout=30)
    assert supervisor.returncode == 1
    assert "mail died (exit code -9, SIGKILL); last lines of its log" in out
    assert "mail sink on 127.0.0.1" in out  # the tail of mail.log
    assert not processes_using(settings.paths.data)


def test_ctrl_c_stops_everything_and_exits_0(tmp_path: Path, stack_settings: MakeSettings) -> None:
    settings = stack_settings(tmp_path)
    supervisor = start_foreground(settings, "mail")
    supervisor.send_signal(signal.SIGINT)
    supervisor.communicate(timeout=30)
    assert supervisor.returncode == 0
    assert not processes_using(settings.paths.data)
    assert not list(settings.paths.run.glob("*.pid"))


def test_detached_stack_is_stopped_by_down_leaving_nothing_behind(
    tmp_path: Path, stack_settings: MakeSettings
) -> None:
    settings = stack_settings(tmp_path)
    started = cli(settings, "up", "--detach", "--only", "postgres,mail", timeout=120)
    assert started.returncode == 0, started.stdout + started.stderr
    assert "ragline is running" in started.stdout
    for name in ("stack", "postgres", "mail"):
        assert read_pid_file(settings.paths.run / f"{name}.pid") is not None

    stopped = cli(settings, "down")
    assert stopped.returncode == 0
    assert not processes_using(settings.paths.data)
    assert not list(settings.paths.run.glob("*.pid"))
    assert "not running" in cli(settings, "down").stdout  # idempotent


def test_down_cleans_up_after_a_crashed_supervisor(
    tmp_path: Path, stack_settings: MakeSettings
) -> None:
    settings = stack_settings(tmp_path)
    assert cli(settings, "up", "--detach", "--only", "mail").returncode == 0
    supervisor = read_pid_file(settings.paths.run / "stack.pid")
    assert supervisor is not None
    os.kill(supervisor, signal.SIGKILL)  # its services outlive it
    assert read_pid_file(settings.paths.run / "mail.pid") is not None
    assert cli(settings, "down").returncode == 0
    assert not processes_using(settings.paths.data)


def test_the_session_stack_answers_on_every_url(stack: Stack) -> None:
    """The fixture other e2e tests use: whatever it started is healthy."""
    started = stack.urls()
    assert {"postgres", "prefect", "chroma"} <= set(started)
    with urllib.request.urlopen(
        f"{stack.settings.endpoints.prefect_api}/health", timeout=5
    ) as response:
        assert response.status == 200
    if "api" in started:
        with urllib.request.urlopen(f"{started['api']}/readyz", timeout=10) as response:
            assert json.loads(response.read())["status"] == "ok"
