"""One child process of the local stack: how it is described, started, checked and stopped.

Every service runs in its own session (so its own process group): stopping it reaches the whole
tree, and a Ctrl-C typed at the terminal reaches only the supervisor, which then stops the
services in order. Output goes to ``LOGS/<name>.log``; the pid goes to ``RUN/<name>.pid`` as
``"<pid> <start time>"`` so that a pid recycled by an unrelated process after a crash is
recognised as stale rather than killed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import psutil

# The signals that stop a service, each with how long it is given to take effect.
StopSignals = tuple[tuple[signal.Signals, float], ...]

# Prefect processes ignore SIGTERM when backgrounded (STACK-NOTES), PostgreSQL treats SIGINT as a
# fast shutdown, uvicorn and Chroma stop on it too: SIGINT first, then escalate.
STOP_SIGNALS: StopSignals = (
    (signal.SIGINT, 15.0),
    (signal.SIGTERM, 5.0),
    (signal.SIGKILL, 5.0),
)

# The names of this machine's loopback interface: a service there is ours to start.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

# Health probes must never go through a developer's HTTP proxy.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class StartupError(RuntimeError):
    """A service could not be started; the message says why and shows its log's tail."""


class Interrupted(RuntimeError):
    """A stop was requested (Ctrl-C, SIGTERM) while services were starting."""


@dataclass
class Service:
    """A long-running child, or a one-shot command when ``oneshot`` is set."""

    name: str
    argv: list[str]
    env: dict[str, str]
    ready: Callable[[], bool] = lambda: True
    url: str = ""
    timeout_s: float = 30.0
    prepare: Callable[[], None] | None = None  # runs before the start, e.g. initdb
    on_ready: Callable[[], None] | None = None  # runs once healthy, e.g. create databases
    user: int | None = None  # uid/gid to run as: PostgreSQL refuses to run as root
    group: int | None = None
    oneshot: bool = False
    cwd: Path | None = None
    stage: int = 0  # services of one stage start together, after every earlier stage is ready
    stop_signals: StopSignals = STOP_SIGNALS


@dataclass
class Running:
    service: Service
    process: subprocess.Popen[bytes]
    log_path: Path
    pid_path: Path = field(default_factory=Path)
    started: float = field(default_factory=time.monotonic)  # how long it stayed up, if it dies


def launch(service: Service, logs_dir: Path, run_dir: Path) -> Running:
    """Start ``service`` in a new session, its output appended to its log, its pid recorded.

    A one-shot's stdout goes to ``RUN/<name>.out`` instead (private: the bootstrap prints the
    first admin's password there), its stderr to the log.
    """
    logs_dir.mkdir(parents=True, exist_ok=True)
    run_dir.mkdir(parents=True, exist_ok=True)
    log_path = logs_dir / f"{service.name}.log"
    with log_path.open("ab") as log, _stdout_for(service, run_dir, log) as out:
        log.write(f"\n--- {time.strftime('%Y-%m-%d %H:%M:%S')} starting {service.name}\n".encode())
        log.flush()
        process = subprocess.Popen(
            service.argv,
            env=service.env,
            cwd=service.cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=log,
            start_new_session=True,
            user=service.user,
            group=service.group,
            extra_groups=[] if service.user is not None else None,
        )
    pid_path = run_dir / f"{service.name}.pid"
    write_pid_file(pid_path, process.pid)
    return Running(service, process, log_path, pid_path)


def _stdout_for(service: Service, run_dir: Path, log: BinaryIO) -> ContextManager[BinaryIO]:
    if not service.oneshot:
        return nullcontext(log)
    path = run_dir / f"{service.name}.out"
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def wait_ready(running: Running, stop: threading.Event) -> None:
    """Block until the service answers its health check; raise with its log's tail if not."""
    service = running.service
    deadline = time.monotonic() + service.timeout_s
    while True:
        code = running.process.poll()
        if code is not None and not (service.oneshot and code == 0):
            raise StartupError(
                f"{service.name} exited during startup ({describe_exit(code)}); "
                f"last lines of {running.log_path}:\n{tail(running.log_path)}"
            )
        if code == 0 if service.oneshot else service.ready():
            return
        if stop.is_set():
            raise Interrupted(service.name)
        if time.monotonic() > deadline:
            raise StartupError(
                f"{service.name} was not ready after {service.timeout_s:.0f} s; "
                f"last lines of {running.log_path}:\n{tail(running.log_path)}"
            )
        stop.wait(0.2)


def describe_exit(code: int) -> str:
    if code < 0:
        return f"exit code {code}, {signal.Signals(-code).name}"
    return f"exit code {code}"


def terminate(*pids: int, signals: StopSignals = STOP_SIGNALS) -> None:
    """Stop the process groups led by ``pids`` and all their descendants, together.

    SIGINT to each group first, then SIGTERM and SIGKILL to whatever is left (or ``signals``).
    Descendants are collected first because some leave the group: Prefect may start flow-run
    processes in sessions of their own, and they must not outlive the stack. A leader that is
    already dead (killed) may have left processes in its group, e.g. the worker's flow runs:
    those go too.
    """
    family: list[psutil.Process] = []
    for pid in pids:
        try:
            leader = psutil.Process(pid)
            family += [leader, *leader.children(recursive=True)]
        except psutil.NoSuchProcess:
            family += _left_in_group(pid)
    for sig, grace_s in signals:
        if not family:
            return
        for pid in pids:
            _signal_group(pid, sig)
        if sig != signal.SIGINT:  # the group leaders had their chance to stop their children
            for proc in family:
                _signal_process(proc, sig)
        family = _still_running(family, grace_s)


def _still_running(procs: list[psutil.Process], timeout_s: float) -> list[psutil.Process]:
    """Those of ``procs`` still running after waiting up to ``timeout_s`` for them to exit.

    An exited process whose parent died is a zombie until init reaps it, which here can take
    seconds on a busy host: it has stopped, so it counts as gone. Our own children are reaped.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        _, procs = psutil.wait_procs(procs, timeout=0.05)
        procs = [proc for proc in procs if not has_exited(proc)]
        if not procs or time.monotonic() >= deadline:
            return procs


def has_exited(proc: psutil.Process) -> bool:
    """Gone, or a zombie waiting to be reaped."""
    try:
        return bool(proc.status() == psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return True


def _left_in_group(pgid: int) -> list[psutil.Process]:
    """What is still running in the process group of a leader that has exited."""
    found: list[psutil.Process] = []
    for proc in psutil.process_iter():
        try:
            if os.getpgid(proc.pid) == pgid:
                found += [proc, *proc.children(recursive=True)]
        except (OSError, psutil.Error):
            continue
    return found


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _signal_process(proc: psutil.Process, sig: signal.Signals) -> None:
    try:
        proc.send_signal(sig)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        pass


def write_pid_file(path: Path, pid: int) -> None:
    path.write_text(f"{pid} {psutil.Process(pid).create_time()}\n")


def read_pid_file(path: Path) -> int | None:
    """The live pid recorded in ``path``, or None (a missing, garbled or stale file)."""
    try:
        pid_text, started_text = path.read_text().split()
        pid, started = int(pid_text), float(started_text)
        alive = abs(psutil.Process(pid).create_time() - started) < 1.0
    except (OSError, ValueError, psutil.NoSuchProcess):
        return None
    return pid if alive else None


def tail(path: Path, lines: int = 25) -> str:
    try:
        with path.open("rb") as f:
            f.seek(max(0, f.seek(0, os.SEEK_END) - 64 * 1024))
            text = f.read().decode(errors="replace")
    except OSError:
        return "  (no log)"
    return "\n".join(f"  | {line}" for line in text.splitlines()[-lines:])


def http_ok(url: str, *, data: bytes | None = None, timeout_s: float = 2.0) -> bool:
    """True when ``url`` answers 2xx (a POST when ``data`` is given)."""
    return http_get(url, data=data, timeout_s=timeout_s) is not None


def http_get(
    url: str,
    *,
    data: bytes | None = None,
    timeout_s: float = 2.0,
    headers: dict[str, str] | None = None,
) -> bytes | None:
    """The body of a 2xx answer from ``url`` (a POST when ``data`` is given), or None."""
    headers = dict(headers or {})
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with _opener.open(request, timeout=timeout_s) as response:
            body: bytes = response.read()
            return body if 200 <= int(response.status) < 300 else None
    except (OSError, ValueError):
        return None


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0
