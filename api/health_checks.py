"""Each component's health, timed: PostgreSQL, Prefect, the ingestion worker, Chroma, the mail
server and the data disk. ``/readyz``, the admin health page and the sampler all ask here.

A check never raises: a failure is the component's ``detail``. The mail server is reported
but not *required*: notifications wait in the outbox while it is down, so the API still
serves (``/readyz`` stays 200); a full disk is required (uploads would fail).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import text

from api.schemas import ComponentHealth
from api.services import Services, worker_stale_after_s
from ragline import health

CHECK_TIMEOUT_S = 3.0
NOT_REQUIRED = frozenset({"smtp"})


async def timed(check: Callable[[], Awaitable[str | None]], required: bool) -> ComponentHealth:
    started = time.perf_counter()
    try:
        detail = await asyncio.wait_for(check(), CHECK_TIMEOUT_S)
        ok = True
    except Exception as exc:  # any failure is reported, never raised
        detail, ok = getattr(exc, "message", None) or str(exc) or type(exc).__name__, False
    latency = round((time.perf_counter() - started) * 1000, 1)
    return ComponentHealth(ok=ok, latency_ms=latency, detail=detail, required=required)


async def components(services: Services) -> dict[str, ComponentHealth]:
    settings = services.settings

    async def database() -> str | None:
        def ping() -> None:
            with services.engine.connect() as connection:
                connection.execute(text("SELECT 1"))

        await asyncio.to_thread(ping)
        return None

    async def prefect() -> str | None:
        await services.gateway.ping()
        return None

    async def worker() -> str | None:
        if not await services.gateway.worker_online(worker_stale_after_s(settings)):
            raise RuntimeError("No ingestion worker is polling for runs.")
        return None

    async def chroma() -> str | None:
        await asyncio.to_thread(services.vector_store.heartbeat)
        return None

    async def smtp() -> str | None:
        await asyncio.to_thread(health.check_smtp, settings, CHECK_TIMEOUT_S)
        return f"{settings.smtp_host}:{settings.smtp_port}"

    async def disk() -> str | None:
        found = await asyncio.to_thread(health.disk, settings.paths.data)
        free = f"{found.free_bytes / 2**30:.1f} GiB free of {found.total_bytes / 2**30:.1f} GiB"
        if not found.enough(settings):
            raise RuntimeError(f"The data disk is nearly full: {free}.")
        return free

    checks: dict[str, Callable[[], Awaitable[str | None]]] = {
        "database": database,
        "prefect": prefect,
        "worker": worker,
        "chroma": chroma,
        "disk": disk,
    }
    if settings.mail_enabled:
        checks["smtp"] = smtp
    results = await asyncio.gather(
        *(timed(check, name not in NOT_REQUIRED) for name, check in checks.items())
    )
    return dict(zip(checks, results, strict=True))
