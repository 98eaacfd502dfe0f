"""CPython's forkserver launch, for the parse sandbox's children. Checked against CPython
3.11.7 (:data:`ragline.compat.CHECKED_AGAINST`)."""

from __future__ import annotations

import io
import os
import socket
from multiprocessing import (
    context,
    forkserver,
    popen_forkserver,
    reduction,
    resource_tracker,
    spawn,
    util,
)
from multiprocessing.context import ForkServerProcess
from typing import Any


class InheritingForkServerProcess(ForkServerProcess):
    """A forkserver process launched with two changes to CPython's way:

    * the child does not re-import the caller's ``__main__`` (spawn semantics, which the
      forkserver keeps, would re-import Prefect in every child of a flow run started as
      ``python -m prefect.engine``);
    * a process that was itself forked from a fork server (a flow run under
      ``deployments/serve.py``) asks that server for the child. CPython records the server's
      pid only in the process that started it, so its children would start a second, cold
      server of their own.

    Replaces the private ``popen_forkserver.Popen._launch`` with a copy that drops the
    ``init_main_from_*`` preparation keys and connects to the inherited server, reading
    ``ForkServer``'s private ``_forkserver_pid``, ``_forkserver_address`` and
    ``_forkserver_alive_fd``. Checked against CPython 3.11.7.
    """

    @staticmethod
    def _Popen(process_obj: Any) -> _InheritingPopen:  # noqa: N802 - multiprocessing's name
        return _InheritingPopen(process_obj)


class _InheritingPopen(popen_forkserver.Popen):
    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_name", None)
        prep_data.pop("init_main_from_path", None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = _connect_to_fork_server(self._fds)  # type: ignore[attr-defined]
        parent_w = os.dup(w)
        close_fds = util.close_fds  # type: ignore[attr-defined]
        self.finalizer = util.Finalize(self, close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


def _connect_to_fork_server(fds: list[int]) -> tuple[int, int]:
    """Asks a fork server for a new process; returns (sentinel, data pipe) as
    ``forkserver.connect_to_new_process`` does, using the inherited server if there is one."""
    server: Any = forkserver._forkserver
    if server._forkserver_pid is None and server._forkserver_address is not None:
        try:
            return _request_fork(server, fds)
        except OSError:  # it is gone: start our own below
            pass
    pipes: tuple[int, int] = forkserver.connect_to_new_process(fds)
    return pipes


def _request_fork(server: Any, fds: list[int]) -> tuple[int, int]:
    """``ForkServer.connect_to_new_process`` without its ``ensure_running``."""
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(server._forkserver_address)
        parent_r, child_w = os.pipe()
        child_r, parent_w = os.pipe()
        tracker_fd = resource_tracker.getfd()
        all_fds = [child_r, child_w, server._forkserver_alive_fd, tracker_fd, *fds]
        try:
            reduction.sendfds(client, all_fds)
        except BaseException:
            os.close(parent_r)
            os.close(parent_w)
            raise
        finally:
            os.close(child_r)
            os.close(child_w)
        return parent_r, parent_w
