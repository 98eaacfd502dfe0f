"""The local stack as one object, :class:`Stack`: start it in stages, stop it in order.

Services start in stages, each once the previous stage answers its health checks:
postgres, then prefect + chroma + mail + bootstrap (one-shot), then worker + api
(:func:`scripts.plan.plan`). A service with an external URL in the settings is skipped.
Tests and benchmarks use :class:`Stack` directly; ``make run`` (``python -m scripts.stack``,
:mod:`scripts.stack_cli`) adds the supervisor (:mod:`scripts.supervisor`), which restarts a
service that dies.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path
from types import TracebackType

import psutil
from pydantic import SecretStr

from ragline.settings import Settings
from scripts.environment import child_env
from scripts.plan import plan, service_ports, urls
from scripts.services import (
    Running,
    Service,
    StartupError,
    StopSignals,
    launch,
    port_in_use,
    terminate,
    wait_ready,
)


class Stack:
    """The local stack: ``start()`` blocks until every service answers; ``stop()`` ends it.

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
        # Services stopped by stop_service until start_service: the supervisor leaves them be.
        self.stopped_on_purpose: set[str] = set()
        # Guards ``running``: the supervisor's thread reaps and restarts while a test stops one.
        self.lock = threading.Lock()
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
                variable = {
                    "mail": "RAGLINE_SMTP_PORT",
                    "redis": "RAGLINE_RATE_LIMIT_STORAGE",
                }.get(service.name, f"RAGLINE_{service.name.upper()}_PORT")
                raise StartupError(
                    f"{service.name}: port {host}:{port} is already in use by "
                    f"another program; free it or set {variable}"
                )

    def _start_stage(self, stage: list[Service]) -> None:
        """Start a stage's services together, then wait for each: they do not need each other."""
        started = time.monotonic()
        launched = [self.launch(service) for service in stage]
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

    def launch(self, service: Service) -> Running:
        """Prepare and start ``service`` without waiting for it to answer."""
        if service.prepare is not None:
            service.prepare()
        running = launch(service, self.logs_dir, self.run_dir)
        with self.lock:
            self.running.append(running)
        return running

    def replan(self, name: str) -> Service:
        """A fresh plan of one service, to start it again."""
        (service,) = plan(self.settings, self.env, [name])[0]
        return service

    def _collect_output(self, running: Running) -> None:
        self.forget(running)
        out = self.run_dir / f"{running.service.name}.out"
        if out.exists():
            self.messages += out.read_text().splitlines()
            out.unlink()

    def forget(self, running: Running) -> None:
        """No longer count ``running`` as part of the stack (it exited, or is being stopped)."""
        with self.lock:
            if running in self.running:
                self.running.remove(running)
        running.pid_path.unlink(missing_ok=True)

    def take_exited(self) -> list[Running]:
        """The long-running services that have exited by themselves, now forgotten.

        Not one stopped on purpose (:meth:`stop_service`), nor a one-shot.
        """
        with self.lock:
            exited = [
                running
                for running in self.running
                if not running.service.oneshot
                and running.service.name not in self.stopped_on_purpose
                and running.process.poll() is not None
            ]
        for running in exited:
            self.forget(running)
        return exited

    def stop_service(self, name: str) -> None:
        """Stops one service, e.g. for a test of what happens while it is down.

        It stays down, even under the supervisor, until :meth:`start_service`.
        """
        self.stopped_on_purpose.add(name)
        with self.lock:
            found = [r for r in self.running if r.service.name == name]
        for running in found:
            self.forget(running)
            terminate(running.process.pid, signals=running.service.stop_signals)
            running.process.wait()

    def kill_service(self, name: str) -> None:
        """Kills one service and everything it started at once (SIGKILL), as when its host
        dies; like :meth:`stop_service`, it stays down until :meth:`start_service`."""
        self.stopped_on_purpose.add(name)
        with self.lock:
            found = [r for r in self.running if r.service.name == name]
        for running in found:
            self.forget(running)
            with contextlib.suppress(psutil.NoSuchProcess):
                leader = psutil.Process(running.process.pid)
                for process in [leader, *leader.children(recursive=True)]:
                    with contextlib.suppress(psutil.NoSuchProcess):
                        process.kill()
            running.process.wait()

    def start_service(self, name: str) -> None:
        """Starts one service again (planned afresh) and waits until it answers."""
        try:
            self._start_stage([self.replan(name)])
        finally:
            self.stopped_on_purpose.discard(name)

    def stop(self) -> None:
        """Stop every started service, a stage at a time, last first; safe to call twice."""
        while self.running:
            last = max(r.service.stage for r in self.running)
            stage = [r for r in self.running if r.service.stage == last]
            started = time.monotonic()
            # Quickest first: services that are killed outright are gone before the others.
            for signals in sorted({r.service.stop_signals for r in stage}, key=_worst_case_s):
                pids = [r.process.pid for r in stage if r.service.stop_signals == signals]
                terminate(*pids, signals=signals)
            for running in stage:
                running.process.poll()
                self.forget(running)
            names = ", ".join(r.service.name for r in stage)
            self.echo(f"{names}: stopped in {time.monotonic() - started:.1f} s")

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
        if "redis" in names:
            lines.append(f"  Redis (limits)  {s.rate_limit_storage}")
        if "postgres" in names:
            lines.append(
                f"  PostgreSQL      127.0.0.1:{s.postgres_port} (databases ragline, prefect)"
            )
        if "seaweed" in names:
            lines.append(f"  S3 (SeaweedFS)  {link['seaweed']} (bucket {s.storage.bucket})")
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


def _worst_case_s(signals: StopSignals) -> float:
    return sum(grace_s for _, grace_s in signals)


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


if __name__ == "__main__":
    # ``python -m scripts.stack`` is what make calls; the command line lives in its own module.
    # Imported by name, as pdb does, so it uses scripts.stack, not this __main__ copy.
    from scripts import stack_cli

    sys.exit(stack_cli.main())
