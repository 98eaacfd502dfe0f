"""Liveness, readiness (each component, timed) and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from api.deps import ServicesDep
from api.errors import error_responses
from api.health_checks import components
from api.metrics import exposition
from api.schemas import Readiness

router = APIRouter(tags=["health"], responses=error_responses(429))


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "A component is down."}},
)
async def readyz(services: ServicesDep) -> JSONResponse:
    """503 when a required component is down (the mail server is reported, not required)."""
    found = await components(services)
    ok = all(c.ok or not c.required for c in found.values())
    body = Readiness(status="ok" if ok else "degraded", components=found)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)


@router.get("/metrics", response_class=Response)
def metrics() -> Response:
    body, media_type = exposition()
    return Response(body, media_type=media_type)
