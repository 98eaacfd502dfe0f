"""Job announcements over PostgreSQL notifications, on the test stack's real database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlmodel import Session

from ragline.db import engine_for
from ragline.job_updates import announce, listen
from scripts.stack import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def _heard(updates: AsyncIterator[str], within_s: float) -> list[str]:
    heard: list[str] = []
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(within_s):
            async for job_id in updates:
                heard.append(job_id)
    return heard


async def test_a_committed_announcement_is_heard_and_a_rolled_back_one_is_not(
    stack: Stack,
) -> None:
    url = stack.settings.endpoints.app_database
    updates = listen(url)
    # Start listening (the first step runs LISTEN) before anything is announced.
    first = asyncio.ensure_future(anext(updates))
    await asyncio.sleep(0.5)

    def write() -> None:
        with Session(engine_for(url)) as session:
            announce(session, "job-rolled-back")
            session.rollback()
        with Session(engine_for(url)) as session:
            announce(session, "job-1")
            session.commit()

    await asyncio.to_thread(write)
    assert await asyncio.wait_for(first, 5) == "job-1"
    assert await _heard(updates, within_s=0.5) == []
    await updates.aclose()
