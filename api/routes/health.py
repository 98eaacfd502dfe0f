"""Liveness, readiness (each component, timed) and Prometheus metrics."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from api.deps import ServicesDep
from api.schemas import ComponentHealth, Readiness
from api.services import worker_stale_after_s

router = APIRouter(tags=["health"])
CHECK_TIMEOUT_S = 3.0


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


async def _timed(check: Callable[[], Awaitable[str | None]]) -> ComponentHealth:
    started = time.perf_counter()
    try:
        detail = await asyncio.wait_for(check(), CHECK_TIMEOUT_S)
        ok = True
    except Exception as exc:  # any failure is reported, never raised
        detail, ok = getattr(exc, "message", None) or str(exc) or type(exc).__name__, False
    latency = round((time.perf_counter() - started) * 1000, 1)
    return ComponentHealth(ok=ok, latency_ms=latency, detail=detail)


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "A component is down."}},
)
async def readyz(services: ServicesDep) -> JSONResponse:
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
        if not await services.gateway.worker_online(worker_stale_after_s(services.settings)):
            raise RuntimeError("No ingestion worker is polling for runs.")
        return None

    async def chroma() -> str | None:
        await asyncio.to_thread(services.vector_store.heartbeat)
        return None

    checks = {"database": database, "prefect": prefect, "worker": worker, "chroma": chroma}
    results = await asyncio.gather(*(_timed(check) for check in checks.values()))
    components = dict(zip(checks, results, strict=True))
    ok = all(c.ok for c in components.values())
    body = Readiness(status="ok" if ok else "degraded", components=components)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


@router.get("/metrics", response_class=Response)
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
