import contextvars
import threading
import time

import pytest

from flows.side_by_side import run_side_by_side

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="none")


def test_results_come_back_in_call_order_whatever_finishes_first() -> None:
    def after(delay: float, value: int) -> int:
        time.sleep(delay)
        return value

    calls = [lambda d=d, v=v: after(d, v) for v, d in enumerate([0.2, 0.0, 0.1, 0.0])]

    assert run_side_by_side(calls, width=2) == [0, 1, 2, 3]


def test_never_more_than_width_calls_at_once() -> None:
    running, peak = 0, 0
    lock = threading.Lock()

    def call() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1

    run_side_by_side([call] * 7, width=3)

    assert peak == 3


def test_calls_see_the_callers_context() -> None:
    request_id.set("req-42")

    seen = run_side_by_side([request_id.get, request_id.get, request_id.get], width=2)

    assert seen == ["req-42"] * 3


def test_an_exception_reaches_the_caller_after_the_other_calls_ran() -> None:
    done: list[int] = []

    def fail() -> None:
        raise ValueError("bad file")

    calls = [fail, lambda: done.append(1), lambda: done.append(2)]

    with pytest.raises(ValueError, match="bad file"):
        run_side_by_side(calls, width=2)
    assert sorted(done) == [1, 2]


def test_width_one_runs_in_the_callers_thread() -> None:
    caller = threading.get_ident()

    assert run_side_by_side([threading.get_ident] * 2, width=1) == [caller, caller]


def test_lanes_are_daemon_threads_so_a_stopped_run_exits_at_once() -> None:
    daemons = run_side_by_side([lambda: threading.current_thread().daemon] * 2, width=2)

    assert daemons == [True, True]
