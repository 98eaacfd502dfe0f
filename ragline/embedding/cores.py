"""How the users of one model share the process's cores.

A *user* is a thread with work for the model over a stretch of time: a document being
ingested, from the start of its subflow to its end (embedding, parsing or waiting on
Prefect), or a question for its embedding. A *call* is one ``embed`` running right now.
Each call gets a :class:`Share`: how many threads its session runs, and whether they spin
while idle.

- The cores are divided among the users (or the calls, if more): two documents in
  progress on 2 cores get one core each, also while the other one parses or waits, rather
  than taking turns at a two-thread session. No thread then waits for a partner busy
  elsewhere, and the core left over serves the parser and Prefect.
- A lone user gets every core, and its idle threads spin (onnxruntime's default, faster
  when nothing else runs). With several users, idle threads sleep: a spinning thread takes
  the time the parser and Prefect need.
- One thread always "spins": it has no partner to wait for, so the setting changes nothing
  and one session serves both cases.
- A small user (a document of a few chunks) runs on one thread: threads save little on a
  handful of texts, and the one-thread session exists from the start, where a session with
  threads costs a flow run more to build than such a document takes to embed.

``bench/embedding_threads.py`` measures each of these choices. The class knows nothing of
onnxruntime: :class:`ragline.embedding.onnx.OnnxEmbedder` asks it for a share per call and
keeps a session per share.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Share:
    """What one call may use: ``threads`` for its session, spinning or sleeping when idle."""

    threads: int
    spin: bool

    def __post_init__(self) -> None:
        if self.threads < 1:
            raise ValueError(f"a share has at least one thread, not {self.threads}")
        if self.threads == 1 and not self.spin:
            object.__setattr__(self, "spin", True)  # one thread has no partner to wait for


def usable_cpus() -> int:
    """The cores this process may run on (``os.cpu_count()`` reports the host's, even when
    an affinity mask or a container allows fewer)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class CoreShare:
    """Counts the users and calls of one model and hands each call its :class:`Share`.

    Thread-safe. ``with share.user():`` around a stretch of work makes the thread a user
    (re-entrant: a thread counts once however deeply it nests); ``with share.call() as s:``
    around one ``embed`` counts the call and says what it gets.
    """

    def __init__(self, cores: int) -> None:
        if cores < 1:
            raise ValueError(f"at least one core, not {cores}")
        self.cores = cores
        self._users = 0
        self._calls = 0
        self._counting = threading.Lock()
        self._thread = threading.local()

    @property
    def users(self) -> int:
        """Threads inside :meth:`user` right now."""
        return self._users

    @property
    def calls(self) -> int:
        """Calls inside :meth:`call` right now."""
        return self._calls

    @property
    def alone(self) -> Share:
        """The share of a lone user: every core, spinning."""
        return Share(self.cores, spin=True)

    def share_for(self, users: int, calls: int, *, small: bool = False) -> Share:
        """The rule: the cores divided among the users or the calls, whichever are more;
        idle threads spin only when there is at most one user; a small call gets one."""
        if small:
            return Share(1, spin=True)
        return Share(max(1, self.cores // max(users, calls, 1)), spin=users <= 1)

    @contextmanager
    def user(self, *, small: bool = False) -> Iterator[None]:
        """Counts this thread as a user of the model until the block ends; ``small``: its
        work is small (a document of a few chunks), so its calls run on one thread."""
        if getattr(self._thread, "is_user", False):
            yield
            return
        with self._counting:
            self._users += 1
        self._thread.is_user, self._thread.small = True, small
        try:
            yield
        finally:
            self._thread.is_user = self._thread.small = False
            with self._counting:
                self._users -= 1

    @contextmanager
    def call(self) -> Iterator[Share]:
        """Counts one call until the block ends; yields its share, fixed at its start."""
        small = getattr(self._thread, "small", False)
        with self._counting:
            self._calls += 1
            share = self.share_for(self._users, self._calls, small=small)
        try:
            yield share
        finally:
            with self._counting:
                self._calls -= 1
