"""The FastAPI application: ``uvicorn api.app:create_app --factory``."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import Depends, FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.routing import APIRoute
from sqlalchemy import Engine

from api import metrics, ratelimit
from api.errors import error_response, install_error_handlers
from api.health_sampler import HealthSampler
from api.loops import forever
from api.middleware import RequestLog
from api.ratelimit import limiter
from api.request_log import request_logger
from api.routes import (
    admin,
    auth,
    consistency,
    documents,
    health,
    jobs,
    live,
    notifications,
    query,
    users,
)
from api.security_headers import SecurityHeaders
from api.services import Services
from ragline import warmup
from ragline.db import migrate, session_scope
from ragline.settings import PROJECT_ROOT, Settings, get_settings
from ragline.users import api_key_owner

logger = logging.getLogger("ragline.api")
FRONTEND_DIST = PROJECT_ROOT / "frontend" / "dist"


def _route_id(route: APIRoute) -> str:
    # Keeps the generated client's names short and stable: "documents-upload_documents".
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        # A line for every call to Chroma and Prefect would bury the request log.
        logging.getLogger("httpx").setLevel(logging.WARNING)

    services = Services.build(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(migrate, services.engine)
        # Load the model before the first question, not during it.
        await asyncio.to_thread(warmup.api_process, settings)
        loops = [
            asyncio.create_task(services.reconciler.run_forever(), name="reconciler"),
            asyncio.create_task(
                forever("access updates", services.access_watch.follow), name="access"
            ),
            asyncio.create_task(services.sender.run_forever(), name="notifications"),
            asyncio.create_task(services.usage.run_forever(), name="usage"),
            asyncio.create_task(HealthSampler(services).run_forever(), name="health"),
        ]
        try:
            yield
        finally:
            for loop in loops:
                loop.cancel()
            await asyncio.gather(*loops, return_exceptions=True)
            with contextlib.suppress(Exception):  # the last seconds' usage, if the db is up
                await services.usage.flush()
            await services.gateway.aclose()
            services.sender.close()
            metrics.forget_this_process()

    app = FastAPI(
        title="ragline",
        version="1.0.0",
        summary="Document ingestion for retrieval-augmented generation.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        generate_unique_id_function=_route_id,
        lifespan=lifespan,
        dependencies=[Depends(ratelimit.count_api_call)],
    )
    app.state.services = services
    app.state.limiter = limiter  # slowapi looks for it there
    ratelimit.configure(settings, functools.partial(_api_key_owner, services.engine))

    install_error_handlers(app)
    if origins := [o.strip() for o in settings.cors_origins.split(",") if o.strip()]:
        # Bearer tokens, never cookies: no credentialed requests to allow.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["Retry-After", "X-Request-ID"],
            max_age=600,
        )
    app.add_middleware(SecurityHeaders, docs_path=app.docs_url)
    # Added last, so it wraps everything.
    app.add_middleware(RequestLog, log=request_logger(settings), usage=services.usage)
    for router in (
        auth.router,
        users.router,
        notifications.router,
        documents.router,
        jobs.router,
        query.router,
        live.router,
        admin.router,
        consistency.router,
    ):
        app.include_router(router)
    app.include_router(health.router)
    _serve_frontend(app, FRONTEND_DIST)
    return app


def _api_key_owner(engine: Engine, key: str) -> str | None:
    """For the rate limits: whose API key ``key`` is (one indexed read)."""
    with session_scope(engine) as session:
        return api_key_owner(session, key)


def _serve_frontend(app: FastAPI, dist: Path) -> None:
    """The built React app at /, with every unknown non-API path falling back to it."""

    @app.get("/{path:path}", include_in_schema=False, response_model=None)
    def frontend(path: str) -> Response:
        if path.startswith("api/"):
            return error_response(404, "No such endpoint.", "not_found")
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            return FileResponse(candidate)
        index = dist / "index.html"
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return error_response(
            404,
            "The web UI is not built: run `make run` (or `npm run build` in frontend/).",
            "ui_not_built",
        )
