"""Driving ``python -m scripts.stack`` as a user does, from tests of the command line and of
the supervisor behind it."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from ragline.settings import PROJECT_ROOT, Settings
from scripts.environment import child_env


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


class Foreground:
    """``up --only ...`` in the foreground (``make run``), its output collected as it comes."""

    def __init__(self, settings: Settings, only: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "scripts.stack", "up", "--only", only],
            env=child_env(settings),
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            self.wait_for("Stop with Ctrl-C")
        except BaseException:
            self.interrupt()
            raise

    def __enter__(self) -> Foreground:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process.poll() is None:
            self.interrupt()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, fragment: str, timeout_s: float = 60) -> int:
        """The index of the first line containing ``fragment``, waiting for it to come."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for index, line in enumerate(list(self.lines)):
                if fragment in line:
                    return index
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.1)
        raise AssertionError(f"no line with {fragment!r}; the output so far:\n{self.output}")

    def interrupt(self, timeout_s: float = 60) -> int:
        """Ctrl-C: the exit code once it has stopped everything."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout_s)
        self._reader.join(timeout_s)
        return code


def processes_using(data_dir: Path) -> list[psutil.Process]:
    """Processes whose command line mentions ``data_dir``: what a stack there left behind."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if any(str(data_dir) in part for part in proc.info["cmdline"] or []):
            found.append(proc)
    return found
