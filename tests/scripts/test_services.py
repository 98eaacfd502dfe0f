"""Stopping a service's processes, including those it leaves behind when it is killed."""

import signal
import subprocess
import sys
import time

import psutil

from scripts.services import has_exited, terminate


def test_what_a_killed_service_left_in_its_group_is_stopped() -> None:
    """A killed worker's flow-run processes stay in its process group: a restart must not
    start beside them, and ``make stop`` must not leave them running."""
    # A shell's background job starts with SIGINT ignored, and its children inherit that; a
    # service's children obey SIGINT, so these must too wherever the suite is run from.
    spawn_two = (
        "import signal, subprocess, time; signal.signal(signal.SIGINT, signal.SIG_DFL);"
        " [subprocess.Popen(['sleep', '60']) for _ in '12']"
    )
    leader = subprocess.Popen(
        [sys.executable, "-c", spawn_two + "; time.sleep(60)"], start_new_session=True
    )
    deadline = time.monotonic() + 5
    while len(psutil.Process(leader.pid).children()) < 2:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    left = psutil.Process(leader.pid).children()
    leader.send_signal(signal.SIGKILL)
    leader.wait()
    assert all(proc.is_running() for proc in left)

    started = time.monotonic()
    terminate(leader.pid)
    assert all(has_exited(proc) for proc in left)
    # They obeyed the first signal, SIGINT. Orphans stay zombies until init reaps them, seconds
    # later on a busy host: waiting for that would make every stop that slow.
    assert time.monotonic() - started < 5


def test_stopping_a_process_that_is_gone_does_nothing() -> None:
    done = subprocess.Popen(["true"], start_new_session=True)
    done.wait()
    terminate(done.pid)
