"""CPython's forkserver launch, which ragline.compat.cpython_forkserver copies."""

from __future__ import annotations

import inspect

from tests.ragline.compat.inspection import assert_checked, source_digest


def test_inheriting_fork_server_process_copies_cpythons_launch() -> None:
    """The copy in ragline.compat replays these two functions; a change in either (the same
    source is then no longer what was copied) needs the copy re-done."""
    assert_checked("python")
    from multiprocessing import forkserver, popen_forkserver, spawn

    assert source_digest(popen_forkserver.Popen._launch) == "214844899bd3407f"  # type: ignore[attr-defined]
    assert source_digest(forkserver.ForkServer.connect_to_new_process) == "5684c8147d001e92"
    server = vars(forkserver._forkserver)
    assert {"_forkserver_pid", "_forkserver_address", "_forkserver_alive_fd"} <= set(server)
    assert "init_main_from_name" in inspect.getsource(spawn.get_preparation_data)
    # Its behaviour (no __main__ re-run, the inherited server reused): tests/ragline/test_sandbox.py
