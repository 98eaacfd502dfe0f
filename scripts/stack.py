"""Start, supervise and stop the local stack: ``python -m scripts.stack up | down | status``.

Services start in stages, each once the previous stage answers its health checks:
postgres, then prefect + chroma + mail + bootstrap (one-shot), then worker + api
(:func:`scripts.plan.plan`). A service with an external URL in the settings is skipped, and so is
one whose code does not exist yet. In the foreground the supervisor stops everything (last stage
first) on Ctrl-C or SIGTERM and exits 0, or, if a service dies, reports it with its log's tail,
stops the rest and exits 1. ``up --detach`` runs the same supervisor in the background
(``LOGS/stack.log``, ``RUN/stack.pid``) and returns once everything answers. ``down`` stops it,
or whatever a crashed supervisor left. Tests use :class:`Stack` directly.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType, TracebackType

from pydantic import SecretStr

from ragline.settings import PROJECT_ROOT, Settings, get_settings
from scripts import postgres
from scripts.plan import SERVICES, child_env, plan, service_ports, settings_env, urls
from scripts.services import (
    Interrupted,
    Running,
    Service,
    StartupError,
    describe_exit,
    launch,
    port_in_use,
    read_pid_file,
    tail,
    terminate,
    wait_ready,
    write_pid_file,
)

SUPERVISOR = "stack"


class Stack:
    """The local stack as one object: ``start()`` blocks until every service answers.

    ``only`` limits it to some services (tests start just postgres and chroma);
    ``echo`` receives progress lines.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        only: Collection[str] | None = None,
        echo: Callable[[str], None] = print,
    ) -> None:
        self.settings = settings
        self.only = only
        self.echo = echo
        self.running: list[Running] = []
        self.messages: list[str] = []  # what one-shots printed, e.g. the admin's password
        self.stopping = threading.Event()
        self.env = child_env(settings)

    @property
    def logs_dir(self) -> Path:
        return self.settings.paths.logs

    @property
    def run_dir(self) -> Path:
        return self.settings.paths.run

    def urls(self) -> dict[str, str]:
        names = {r.service.name for r in self.running}
        return {name: url for name, url in urls(self.settings).items() if name in names}

    def start(self) -> None:
        """Start every planned service in order; on any failure stop what started, then raise."""
        services, notes = plan(self.settings, self.env, self.only)
        for note in notes:
            if self.only is None or note.split(":")[0] in self.only:
                self.echo(note)
        self._check_ports(services)
        stages = sorted({service.stage for service in services})
        try:
            for stage in stages:
                self._start_stage([s for s in services if s.stage == stage])
        except BaseException:
            self.stop()
            raise

    def _check_ports(self, services: list[Service]) -> None:
        ports = service_ports(self.settings)
        for service in services:
            if service.name in ports and port_in_use(*ports[service.name]):
                host, port = ports[service.name]
                variable = {"mail": "RAGLINE_SMTP_PORT"}.get(
                    service.name, f"RAGLINE_{service.name.upper()}_PORT"
                )
                raise StartupError(
                    f"{service.name}: port {host}:{port} is already in use by "
                    f"another program; free it or set {variable}"
                )

    def _start_stage(self, stage: list[Service]) -> None:
        """Start a stage's services together, then wait for each: they do not need each other."""
        started = time.monotonic()
        launched = []
        for service in stage:
            if service.prepare is not None:
                service.prepare()
            launched.append(launch(service, self.logs_dir, self.run_dir))
            self.running.append(launched[-1])
        for running in launched:
            service = running.service
            wait_ready(running, self.stopping)
            if service.on_ready is not None:
                service.on_ready()
            if service.oneshot:
                self._collect_output(running)
            self.echo(
                f"{service.name}: ready in {time.monotonic() - started:.1f} s"
                + (f" ({service.url})" if service.url else "")
            )

    def _collect_output(self, running: Running) -> None:
        self.running.remove(running)
        running.pid_path.unlink(missing_ok=True)
        out = self.run_dir / f"{running.service.name}.out"
        if out.exists():
            self.messages += out.read_text().splitlines()
            out.unlink()

    def dead(self) -> tuple[Running, int] | None:
        """The first service that has exited, with its exit code."""
        for running in self.running:
            code = running.process.poll()
            if code is not None:
                return running, code
        return None

    def stop_service(self, name: str) -> None:
        """Stops one running service, e.g. for a test of what happens while it is down."""
        (running,) = [r for r in self.running if r.service.name == name]
        terminate(running.process.pid)
        running.process.wait()
        running.pid_path.unlink(missing_ok=True)
        self.running.remove(running)

    def start_service(self, name: str) -> None:
        """Starts one planned service again and waits until it answers."""
        services, _notes = plan(self.settings, self.env, self.only)
        self._start_stage([s for s in services if s.name == name])

    def stop(self) -> None:
        """Stop every started service, a stage at a time, last first; safe to call twice."""
        while self.running:
            stage = [r for r in self.running if r.service.stage == self.running[-1].service.stage]
            started = time.monotonic()
            terminate(*(r.process.pid for r in stage))
            for running in stage:
                self.running.remove(running)
                running.process.poll()
                running.pid_path.unlink(missing_ok=True)
            names = ", ".join(r.service.name for r in stage)
            self.echo(f"{names}: stopped in {time.monotonic() - started:.1f} s")

    def supervise(self) -> int:
        """Watch the services until one dies (exit 1) or a stop is requested (exit 0)."""
        try:
            while not self.stopping.wait(0.5):
                found = self.dead()
                if found is not None:
                    running, code = found
                    self.echo(
                        f"{running.service.name} died ({describe_exit(code)}); "
                        f"last lines of its log ({running.log_path}):\n"
                        f"{tail(running.log_path)}"
                    )
                    return 1
            return 0
        finally:
            self.echo("stopping...")
            self.stop()
            self.echo("stopped")

    def summary(self) -> str:
        s, names = self.settings, {r.service.name for r in self.running}
        link = urls(s)
        lines = ["", "ragline is running:"]
        if "api" in names:
            lines += [
                f"  Web UI and API  {link['api']}",
                f"  API docs        {link['api']}/api/v1/docs",
            ]
        if "prefect" in names:
            lines.append(f"  Prefect UI      {link['prefect']}")
        if "chroma" in names:
            lines.append(f"  Chroma          {link['chroma']}")
        if "mail" in names:
            lines.append(
                f"  Mail (Maildir)  {s.paths.data / 'mail'}  (SMTP 127.0.0.1:{s.smtp_port})"
            )
        if "postgres" in names:
            lines.append(
                f"  PostgreSQL      127.0.0.1:{s.postgres_port} (databases ragline, prefect)"
            )
        lines.append(f"  Logs            {s.paths.logs}")
        lines += [f"  {message}" for message in self.messages]
        return "\n".join(lines)

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def throwaway_settings(data_dir: object, admin_password: str, **overrides: object) -> Settings:
    """Settings for a throw-away stack (tests, benchmarks): its own data directory, free
    ports, a known admin password."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "api_port": free_port(),
        "postgres_port": free_port(),
        "prefect_port": free_port(),
        "chroma_port": free_port(),
        "smtp_port": free_port(),
        "admin_password": SecretStr(admin_password),
    }
    return Settings(_env_file=None, **(values | overrides))  # type: ignore[arg-type]


# --- the command line -------------------------------------------------------------------------


def running_pids(settings: Settings) -> dict[str, int]:
    """Live processes from pid files (stale files are removed on the way)."""
    found: dict[str, int] = {}
    for name in (SUPERVISOR, *SERVICES):
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
            return stack.supervise()
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
    for name in reversed(SERVICES):  # leftovers: a crashed supervisor, or a foreground one
        if name in pids:
            print(f"stopping {name} (pid {pids[name]})")
            terminate(pids[name])
        (settings.paths.run / f"{name}.pid").unlink(missing_ok=True)
    (settings.paths.run / f"{SUPERVISOR}.pid").unlink(missing_ok=True)
    print("stopped.")
    return 0


def print_status(settings: Settings) -> None:
    pids, link = running_pids(settings), urls(settings)
    for name in (SUPERVISOR, *SERVICES):
        if name == "bootstrap":
            continue
        state = f"up    pid {pids[name]:<8}" if name in pids else "down" + " " * 14
        print(f"{name:<10} {state} {link.get(name, '')}".rstrip())


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
