"""Runs a few calls at once in daemon threads, each with a copy of the caller's context.

Why not a thread pool: a pool's threads are joined when the interpreter exits, so a flow
run told to stop (the runner's SIGTERM on cancellation) would linger until every running
document finished embedding. Daemon threads die with the process; what they leave half
done is safe by design (versions are only switched live in one transaction at the end).

The copied context carries Prefect's run context, so a subflow started in a thread is a
child of the caller's flow run, exactly as if it had been called in line.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def run_side_by_side(calls: Sequence[Callable[[], T]], width: int) -> list[T]:
    """Runs ``calls`` at most ``width`` at a time, in order of start; results in call order.

    The first exception raised by a call is re-raised here once every call has ended.
    The calling thread only waits, so a signal still interrupts it at once.
    """
    if width <= 1 or len(calls) <= 1:
        return [call() for call in calls]
    results: list[T | None] = [None] * len(calls)
    errors: list[BaseException] = []
    next_index = iter(range(len(calls)))
    pick = threading.Lock()

    def lane() -> None:
        while True:
            with pick:
                index = next(next_index, None)
            if index is None:
                return
            try:
                results[index] = calls[index]()
            except BaseException as exc:  # handed to the caller's thread
                errors.append(exc)

    lanes = [
        threading.Thread(
            target=contextvars.copy_context().run, args=(lane,), name=f"lane-{n}", daemon=True
        )
        for n in range(min(width, len(calls)))
    ]
    for thread in lanes:
        thread.start()
    for thread in lanes:
        thread.join()
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]  # every slot is filled when no call raised
