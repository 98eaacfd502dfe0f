"""The command line of the local stack: ``python -m scripts.stack up | down | status``.

``up`` starts the stack (:class:`scripts.stack.Stack`) and supervises it in the foreground
(:mod:`scripts.supervisor`: a service that dies is reported and restarted); Ctrl-C or SIGTERM
stops everything, last stage first, and exits 0. ``up --detach`` runs the same supervisor in
the background (``LOGS/stack.log``, ``RUN/stack.pid``) and returns once everything answers.
``down`` stops it, or whatever a crashed supervisor left. ``status`` prints one line per
service: up or down, its pid and URL, and how often it was restarted.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from types import FrameType

from ragline.settings import PROJECT_ROOT, Settings, get_settings
from scripts import postgres
from scripts.environment import settings_env
from scripts.plan import service_names, urls
from scripts.services import (
    Interrupted,
    StartupError,
    read_pid_file,
    tail,
    terminate,
    write_pid_file,
)
from scripts.stack import Stack
from scripts.supervisor import RESTARTS_FILE, Restarts, Supervisor, read_restarts

SUPERVISOR = "stack"


def running_pids(settings: Settings) -> dict[str, int]:
    """Live processes from pid files (stale files are removed on the way)."""
    found: dict[str, int] = {}
    for name in (SUPERVISOR, *service_names(settings)):
        path = settings.paths.run / f"{name}.pid"
        pid = read_pid_file(path)
        if pid is not None:
            found[name] = pid
        elif path.exists():
            path.unlink(missing_ok=True)
    return found


@contextmanager
def stop_on_signals(stack: Stack) -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP ask the stack to stop instead of killing the supervisor."""

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stack.stopping.set()

    previous = {
        sig: signal.signal(sig, request_stop)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def up(settings: Settings, *, background: bool = False, only: Collection[str] | None = None) -> int:
    """Start and supervise in this process (the foreground, or the detached supervisor).

    The supervisor's pid goes to RUN/stack.pid in both cases, so ``make stop`` from another
    terminal asks it to stop the services in order.
    """
    already = running_pids(settings)
    if already:
        print(f"ragline is already running ({', '.join(already)}); `make stop` stops it.")
        print_status(settings)
        return 0
    stack = Stack(settings, only=only, echo=lambda line: print(line, flush=True))
    pid_file = settings.paths.run / f"{SUPERVISOR}.pid"
    ready_file = settings.paths.run / f"{SUPERVISOR}.ready"
    settings.paths.run.mkdir(parents=True, exist_ok=True)
    write_pid_file(pid_file, os.getpid())
    try:
        with stop_on_signals(stack):
            try:
                stack.start()
            except Interrupted:
                print("interrupted while starting; stopped", flush=True)
                return 0
            except (StartupError, postgres.PostgresError) as error:
                print(f"startup failed: {error}", flush=True)
                return 1
            summary = stack.summary()
            if background:  # `up --detach` prints it and deletes it; not in the log: a password
                partial = ready_file.with_suffix(".partial")
                fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as f:
                    f.write(summary + "\n")
                partial.rename(ready_file)
            else:
                print(summary, flush=True)
                print("\nStop with Ctrl-C (or `make stop` from another terminal).", flush=True)
            return Supervisor(stack).run()
    finally:
        pid_file.unlink(missing_ok=True)
        ready_file.unlink(missing_ok=True)


def up_detached(
    settings: Settings, *, only: Collection[str] | None = None, timeout_s: float = 600.0
) -> int:
    """Start the supervisor in the background; return once it reports ready (or failed)."""
    if running_pids(settings):
        return up(settings)  # says so and prints the status
    settings.paths.logs.mkdir(parents=True, exist_ok=True)
    settings.paths.run.mkdir(parents=True, exist_ok=True)
    ready_file = settings.paths.run / f"{SUPERVISOR}.ready"
    ready_file.unlink(missing_ok=True)
    log_path = settings.paths.logs / f"{SUPERVISOR}.log"
    with log_path.open("ab") as log:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "scripts.stack", "up", "--background"]
            + (["--only", ",".join(only)] if only else []),
            env=os.environ | settings_env(settings),
            cwd=PROJECT_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # survives the terminal and make
        )
    print(f"starting in the background (log: {log_path})...", flush=True)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if ready_file.exists():
            print(ready_file.read_text(), end="")
            ready_file.unlink()
            print("\nStop with `make stop`.")
            return 0
        if supervisor.poll() is not None:
            print(f"startup failed; last lines of {log_path}:\n{tail(log_path, 40)}")
            return 1
        time.sleep(0.3)
    print(
        f"not ready after {timeout_s:.0f} s; stopping. Last lines of {log_path}:\n"
        f"{tail(log_path, 40)}"
    )
    down(settings)
    return 1


def down(settings: Settings) -> int:
    """Stop a detached supervisor and any service left from a crash; idempotent."""
    pids = running_pids(settings)
    if not pids:
        print("ragline is not running.")
        return 0
    if SUPERVISOR in pids:
        # The supervisor stops the services in order; signal it directly, not its group.
        os.kill(pids.pop(SUPERVISOR), signal.SIGTERM)
        deadline = time.monotonic() + 120
        while running_pids(settings).get(SUPERVISOR) and time.monotonic() < deadline:
            time.sleep(0.2)
        pids = running_pids(settings)
        if SUPERVISOR in pids:
            terminate(pids.pop(SUPERVISOR))
    # Leftovers: a crashed supervisor, or a foreground one.
    for name in reversed(service_names(settings)):
        if name in pids:
            print(f"stopping {name} (pid {pids[name]})")
            terminate(pids[name])
        (settings.paths.run / f"{name}.pid").unlink(missing_ok=True)
    (settings.paths.run / f"{SUPERVISOR}.pid").unlink(missing_ok=True)
    (settings.paths.run / RESTARTS_FILE).unlink(missing_ok=True)
    print("stopped.")
    return 0


def print_status(settings: Settings) -> None:
    pids, link = running_pids(settings), urls(settings)
    restarts = read_restarts(settings.paths.run) if SUPERVISOR in pids else {}
    for name in (SUPERVISOR, *service_names(settings)):
        if name == "bootstrap" or (name != SUPERVISOR and name.split("-")[0] not in link):
            continue  # a one-shot, or a service this layout does not have
        state = f"up    pid {pids[name]:<8}" if name in pids else "down" + " " * 14
        note = restarts_note(restarts[name]) if name in restarts else ""
        print(f"{name:<10} {state} {link.get(name.split('-')[0], ''):<40} {note}".rstrip())


def restarts_note(record: Restarts) -> str:
    """How often the supervisor restarted a service, why it last died, whether it gave up."""
    note = f"restarts: {record.count}, last exit: {record.last_exit}"
    return note + (", given up" if record.gave_up else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.stack",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("up", help="start everything (Ctrl-C stops it)")
    start.add_argument("--detach", action="store_true", help="run in the background")
    start.add_argument(
        "--only", metavar="NAMES", help="comma-separated services, e.g. postgres,prefect,chroma"
    )
    start.add_argument("--background", action="store_true", help=argparse.SUPPRESS)
    commands.add_parser("down", help="stop everything")
    commands.add_parser("status", help="one line per service")
    args = parser.parse_args(argv)

    settings = get_settings()
    if args.command == "up":
        only = args.only.split(",") if args.only else None
        if args.detach:
            return up_detached(settings, only=only)
        return up(settings, background=args.background, only=only)
    if args.command == "down":
        return down(settings)
    print_status(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
