"""The supervisor: its backoff policy, and real services killed under it (through ``up`` as
``make run`` does, and in-process with a quick backoff for the cases that take many restarts)."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
import psycopg
import pytest

from ragline.settings import Settings
from scripts.services import read_pid_file
from scripts.stack import Stack
from scripts.supervisor import Backoff, Restarts, Supervisor, read_restarts
from tests.scripts.command_line import Foreground, cli, processes_using

MakeSettings = Callable[..., Settings]
QUICK = Backoff(first_s=0.2, cap_s=0.5, stable_s=30.0, attempts=3)


# --- the policy -------------------------------------------------------------------------------


def test_the_delay_doubles_from_one_second_up_to_thirty() -> None:
    assert [Backoff().delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def test_deaths_in_a_row_lengthen_the_delay_until_it_is_given_up() -> None:
    record, backoff = Restarts(), Backoff(attempts=5)
    delays = [record.died(uptime_s=0.5, how="exit code 1", backoff=backoff) for _ in range(6)]
    assert delays == [1, 2, 4, 8, 16, None]  # the first death, then five failed restarts
    assert record.gave_up and record.last_exit == "exit code 1"


def test_a_service_that_stayed_up_a_while_starts_its_backoff_afresh() -> None:
    record, backoff = Restarts(), Backoff(stable_s=60)
    for _ in range(4):
        record.died(uptime_s=1.0, how="exit code 1", backoff=backoff)
    assert record.died(uptime_s=61.0, how="exit code -9, SIGKILL", backoff=backoff) == 1
    assert not record.gave_up


# --- real services ----------------------------------------------------------------------------


def postgres_pid_and_answer(settings: Settings) -> tuple[int | None, object]:
    url = settings.endpoints.app_database.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url, connect_timeout=5) as conn:
        answer = conn.execute("SELECT 1").fetchone()
    return read_pid_file(settings.paths.run / "postgres.pid"), answer


def kill(settings: Settings, name: str) -> int:
    """SIGKILL a service, as when its host's OOM killer picks it; returns its pid."""
    pid = read_pid_file(settings.paths.run / f"{name}.pid")
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    return pid


@pytest.mark.e2e
def test_a_killed_service_is_restarted_and_reported_while_the_others_stay_up(
    tmp_path: Path, stack_settings: MakeSettings
) -> None:
    settings = stack_settings(tmp_path)
    with Foreground(settings, "postgres,mail") as up:
        postgres_before = postgres_pid_and_answer(settings)
        killed = kill(settings, "mail")

        died = up.wait_for("mail died")
        assert "mail died (exit code -9, SIGKILL); restart 1 in 1 s" in up.lines[died]
        assert "last lines of its log" in up.lines[died]
        log_tail = "\n".join(up.lines[died + 1 : died + 26])
        assert "mail sink on 127.0.0.1" in log_tail  # what mail.log said last
        assert up.wait_for("mail: back up") > up.wait_for("mail: restarting (restart 1)")
        restarted = read_pid_file(settings.paths.run / "mail.pid")
        assert restarted is not None and restarted != killed
        assert postgres_pid_and_answer(settings) == postgres_before

        status = {line.split()[0]: line for line in cli(settings, "status").stdout.splitlines()}
        assert f"up    pid {restarted}" in status["mail"]
        assert "restarts: 1, last exit: exit code -9, SIGKILL" in status["mail"]
        assert "restarts" not in status["postgres"]

        assert up.interrupt() == 0
    assert not processes_using(settings.paths.data)
    assert not (settings.paths.run / "restarts.json").exists()


@contextmanager
def supervised(stack: Stack, backoff: Backoff) -> Iterator[list[str]]:
    """The supervisor over ``stack`` in a thread; yields the lines it reports."""
    lines: list[str] = []
    stack.echo = lines.append
    thread = threading.Thread(target=Supervisor(stack, backoff, poll_s=0.05).run)
    thread.start()
    try:
        yield lines
    finally:
        stack.stopping.set()
        thread.join(60)


def wait_for_line(lines: list[str], fragment: str, timeout_s: float = 30) -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [line for line in list(lines) if fragment in line]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no line with {fragment!r} in:\n" + "\n".join(lines))


@pytest.fixture
def postgres_and_mail(tmp_path: Path, stack_settings: MakeSettings) -> Iterator[Stack]:
    """A stack of each test's own: the supervisor stops it at the end of the test."""
    with Stack(stack_settings(tmp_path), only={"postgres", "mail"}) as stack:
        yield stack


@pytest.mark.e2e
def test_a_service_that_keeps_dying_is_given_up_while_the_others_keep_running(
    postgres_and_mail: Stack,
) -> None:
    settings = postgres_and_mail.settings
    postgres_before = postgres_pid_and_answer(settings)
    with supervised(postgres_and_mail, QUICK) as lines, socket.socket() as squatter:
        killed = psutil.Process(kill(settings, "mail"))
        killed.wait(5)
        # Another program takes the mail sink's port: every restart fails to listen and exits.
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", settings.smtp_port))
        squatter.listen()

        given_up = wait_for_line(lines, "given up")
        assert given_up.startswith("mail died (exit code 1) after 3 restarts in a row: given up")
        assert "address already in use" in given_up.lower()  # the tail of its log says why
        assert [line for line in lines if "restarting" in line] == [
            f"mail: restarting (restart {n})" for n in (1, 2, 3)
        ]
        record = read_restarts(postgres_and_mail.run_dir)["mail"]
        assert (record.count, record.gave_up, record.last_exit) == (3, True, "exit code 1")
        time.sleep(1)  # the supervisor keeps going, and leaves the given-up service alone
        assert "mail: restarting (restart 4)" not in lines
        assert [r.service.name for r in postgres_and_mail.running] == ["postgres"]
        assert postgres_pid_and_answer(settings) == postgres_before
    assert not postgres_and_mail.running and lines[-1] == "stopped"


@pytest.mark.e2e
def test_a_service_stopped_on_purpose_is_not_restarted(postgres_and_mail: Stack) -> None:
    with supervised(postgres_and_mail, QUICK) as lines:
        postgres_and_mail.stop_service("mail")
        time.sleep(1)  # several times the first delay
        assert [r.service.name for r in postgres_and_mail.running] == ["postgres"]
        postgres_and_mail.start_service("mail")
        time.sleep(0.3)
        assert {r.service.name for r in postgres_and_mail.running} == {"postgres", "mail"}
        assert not [line for line in lines if "died" in line or "restart" in line]
        assert read_restarts(postgres_and_mail.run_dir) == {}
