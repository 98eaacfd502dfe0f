"""How the API process's background loops keep going: a failure is logged, never fatal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger("ragline.loops")

RETRY_LOOP_S = 1.0


async def forever(name: str, follow: Callable[[], Awaitable[None]]) -> None:
    """Runs a follower (of a stream) again whenever it ends or fails."""
    while True:
        try:
            await follow()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            logger.warning("%s interrupted: %s", name, exc)
        await asyncio.sleep(RETRY_LOOP_S)


async def every(
    name: str,
    seconds: float,
    step: Callable[[], Awaitable[object]],
    wake: asyncio.Event | None = None,
) -> None:
    """Runs ``step`` every ``seconds`` (sooner when ``wake`` is set), logging its failures."""
    while True:
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("%s failed", name)
        if wake is None:
            await asyncio.sleep(seconds)
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), seconds)
            wake.clear()
