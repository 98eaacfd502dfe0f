"""One API process at a time leads, on a real PostgreSQL; the lead moves when its holder dies."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Coroutine
from typing import Any

import psycopg
import pytest

from api import leader
from api.leader import Leadership, libpq_url

pytestmark = pytest.mark.anyio
KEY = 4242


async def test_one_leads_and_the_other_takes_over_when_it_dies(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(leader, "RETRY_S", 0.2)
    monkeypatch.setattr(leader, "CHECK_S", 0.2)
    working: list[str] = []

    def work_of(name: str) -> Callable[[], Coroutine[Any, Any, None]]:
        async def work() -> None:
            working.append(name)
            try:
                await asyncio.Event().wait()
            finally:
                working.remove(name)

        return work

    first, second = Leadership(database_url, KEY, "a"), Leadership(database_url, KEY, "b")
    runs = [
        asyncio.create_task(first.run(work_of("a"))),
        asyncio.create_task(second.run(work_of("b"))),
    ]
    try:
        await _until(lambda: len(working) == 1)
        await asyncio.sleep(1.0)
        assert len(working) == 1  # never both
        holder = first if first.leading else second

        # The holder's connection ends, as when its process or host dies.
        with psycopg.connect(libpq_url(database_url), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks"
                " WHERE locktype = 'advisory' AND objid = %s",
                (KEY,),
            )
        await _until(lambda: (second if holder is first else first).leading)
        await asyncio.sleep(0.5)
        assert len(working) == 1
    finally:
        for run in runs:
            run.cancel()
        for run in runs:
            with contextlib.suppress(asyncio.CancelledError):
                await run


async def _until(check: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
