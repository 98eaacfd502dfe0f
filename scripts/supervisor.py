"""Keep the local stack running: a service that dies is reported and restarted with backoff.

``make run`` supervises the stack it started: when a long-running service exits, the
supervisor prints its exit code (or signal) and the tail of its log, and starts it again after
a delay that doubles with each death in a row; the other services keep running. A service that
dies again right after each restart is given up after a few attempts (the rest still runs, and
``make status`` says so). One-shots (the bootstrap) are never restarted, nor is a service
stopped on purpose with :meth:`Stack.stop_service`. A stop request (Ctrl-C, ``make stop``)
stops everything in order.

Why a loop of our own rather than supervisord: :class:`~scripts.stack.Stack` already knows
each service's command, stage, preparation (initdb), health check and post-start step
(provisioning the databases), and stops them in order. supervisord knows none of that: it
would need a configuration generated from the plan, its own daemon and control socket, and
the staged start and ordered stop would stay ours anyway. What it would add, restarting one
process with a backoff, is the few lines below.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from scripts.postgres import PostgresError
from scripts.services import Running, StartupError, describe_exit, tail, terminate
from scripts.stack import Stack

# In the run directory while a supervisor runs: each restarted service's record, for status.
RESTARTS_FILE = "restarts.json"


@dataclass(frozen=True)
class Backoff:
    """When to restart a service that died, and when to stop trying.

    The delay doubles with each death in a row: ``first_s``, twice that, four times … at most
    ``cap_s``. A service that stayed up ``stable_s`` before dying starts the count afresh: its
    start went well, something later killed it. After ``attempts`` restarts in a row that each
    died within ``stable_s``, restarting is given up: its log will say why.
    """

    first_s: float = 1.0
    cap_s: float = 30.0
    stable_s: float = 60.0
    attempts: int = 5

    def delay(self, deaths_in_a_row: int) -> float:
        return float(min(self.cap_s, self.first_s * 2 ** (deaths_in_a_row - 1)))


@dataclass
class Restarts:
    """One service's restart record, as the supervisor keeps it and ``make status`` shows it."""

    count: int = 0  # restarts so far
    in_a_row: int = 0  # deaths since it last stayed up for Backoff.stable_s
    gave_up: bool = False
    last_exit: str = ""

    def died(self, uptime_s: float, how: str, backoff: Backoff) -> float | None:
        """Record a death after ``uptime_s``; the delay before restarting, or None: give up."""
        if uptime_s >= backoff.stable_s:
            self.in_a_row = 0
        self.in_a_row += 1
        self.last_exit = how
        if self.in_a_row > backoff.attempts:
            self.gave_up = True
            return None
        return backoff.delay(self.in_a_row)


def read_restarts(run_dir: Path) -> dict[str, Restarts]:
    """The records a running supervisor wrote; none when it is not running."""
    try:
        records = json.loads((run_dir / RESTARTS_FILE).read_text())
    except (OSError, ValueError):
        return {}
    return {name: Restarts(**record) for name, record in records.items()}


class Supervisor:
    """Watches a started :class:`Stack` until ``stack.stopping`` is set, then stops it.

    ``run()`` may run in a thread of its own (tests do); ``check()`` is one round of it.
    """

    def __init__(self, stack: Stack, backoff: Backoff | None = None, poll_s: float = 0.5) -> None:
        self.stack = stack
        self.backoff = backoff or Backoff()
        self.poll_s = poll_s
        self.restarts: dict[str, Restarts] = {}
        self._due: dict[str, float] = {}  # service → when to start it again (time.monotonic)
        self._starting: dict[str, Running] = {}  # restarted, not answering its health check yet

    def run(self) -> int:
        """Supervise until a stop is requested, then stop every service in order; returns 0."""
        try:
            while not self.stack.stopping.wait(self.poll_s):
                self.check()
            return 0
        finally:
            self.stack.echo("stopping...")
            self.stack.stop()
            (self.stack.run_dir / RESTARTS_FILE).unlink(missing_ok=True)
            self.stack.echo("stopped")

    def check(self) -> None:
        for running in self.stack.take_exited():
            self._starting.pop(running.service.name, None)
            terminate(running.process.pid)  # what it left behind, so the restart starts clean
            self._died(running, describe_exit(running.process.returncode))
        for name, running in list(self._starting.items()):
            self._check_started(name, running)
        for name, due in list(self._due.items()):
            if name in self.stack.stopped_on_purpose:
                del self._due[name]
            elif time.monotonic() >= due:
                del self._due[name]
                self._restart(name)

    def _died(self, running: Running, how: str) -> None:
        name, now = running.service.name, time.monotonic()
        record = self.restarts.setdefault(name, Restarts())
        delay = record.died(now - running.started, how, self.backoff)
        log = f"last lines of its log ({running.log_path}):\n{tail(running.log_path)}"
        if delay is None:
            self.stack.echo(
                f"{name} died ({how}) after {record.in_a_row - 1} restarts in a row: "
                f"given up, the other services keep running; {log}"
            )
        else:
            self._due[name] = now + delay
            self.stack.echo(
                f"{name} died ({how}); restart {record.count + 1} in {delay:g} s; {log}"
            )
        self._write_restarts()

    def _restart(self, name: str) -> None:
        record = self.restarts[name]
        record.count += 1
        self._write_restarts()
        try:
            self._starting[name] = self.stack.launch(self.stack.replan(name))
        except (OSError, StartupError, PostgresError) as error:  # e.g. initdb, a missing binary
            delay = record.died(0.0, f"could not start: {error}", self.backoff)
            self.stack.echo(f"{name}: restart {record.count} failed to start: {error}")
            if delay is None:
                self.stack.echo(f"{name}: given up, the other services keep running")
            else:
                self._due[name] = time.monotonic() + delay
            self._write_restarts()
            return
        self.stack.echo(f"{name}: restarting (restart {record.count})")

    def _check_started(self, name: str, running: Running) -> None:
        """A restarted service answers (back up) or overstays its start-up time (a death)."""
        service, up_s = running.service, time.monotonic() - running.started
        if running not in self.stack.running:  # stopped on purpose meanwhile
            del self._starting[name]
        elif service.ready():
            del self._starting[name]
            try:
                if service.on_ready is not None:
                    service.on_ready()
            except Exception as error:  # must not take the supervisor, so the stack, down
                self.stack.forget(running)
                terminate(running.process.pid)
                self._died(running, f"its post-start step failed: {error}")
                return
            self.stack.echo(
                f"{name}: back up in {up_s:.1f} s (restart {self.restarts[name].count})"
            )
        elif up_s > service.timeout_s:
            del self._starting[name]
            self.stack.forget(running)
            terminate(running.process.pid)
            self._died(running, f"not ready after {service.timeout_s:.0f} s")

    def _write_restarts(self) -> None:
        path = self.stack.run_dir / RESTARTS_FILE
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps({n: asdict(r) for n, r in self.restarts.items()}))
        partial.replace(path)  # status never reads half a file
