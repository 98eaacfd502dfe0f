"""The command line (``up``, ``status``, ``down``) over real processes, on the mail sink or
PostgreSQL to stay fast. Restarts under ``up`` are in test_supervisor.py."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from ragline.settings import Settings
from scripts.services import read_pid_file
from scripts.stack import Stack
from tests.scripts.command_line import Foreground, cli, processes_using

pytestmark = pytest.mark.e2e
MakeSettings = Callable[..., Settings]


def test_status_reports_each_running_service(small_stack: Stack) -> None:
    result = cli(small_stack.settings, "status")
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    for running in small_stack.running:
        assert f"up    pid {running.process.pid}" in lines[running.service.name]
    assert lines["api"].split()[1] == "down"
    assert "restarts" not in result.stdout


def test_up_refuses_politely_while_running(small_stack: Stack) -> None:
    result = cli(small_stack.settings, "up")
    assert result.returncode == 0
    assert "already running" in result.stdout


def test_ctrl_c_stops_everything_and_exits_0(tmp_path: Path, stack_settings: MakeSettings) -> None:
    settings = stack_settings(tmp_path)
    with Foreground(settings, "mail") as up:
        assert up.interrupt() == 0
    assert up.wait_for("stopped") > up.wait_for("stopping...")
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
