"""WS /api/v1/ws: a snapshot of the caller's jobs, then every change as it happens."""

from __future__ import annotations

import asyncio
import contextlib
import json

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from sqlmodel import Session, col, select

from api.deps import ServicesDep
from api.live import CLOSE
from api.ratelimit import count_websocket_connect
from api.services import Services
from api.views import job_public
from ragline import jobs
from ragline.errors import AuthenticationError
from ragline.models import FINISHED_JOB_STATES, Job, User
from ragline.users import user_for_bearer

router = APIRouter(prefix="/api/v1", tags=["live"])

AUTH_TIMEOUT_S = 10
HEARTBEAT_S = 15
RECENT_FINISHED = 20
BAD_TOKEN = 4401
TOO_MANY_CONNECTS = 4429  # 4000 + the HTTP status, like BAD_TOKEN


def snapshot(session: Session, user_id: str, prefect_ui_url: str) -> dict[str, object]:
    unfinished = session.exec(
        select(Job)
        .where(Job.owner_id == user_id, col(Job.state).not_in(list(FINISHED_JOB_STATES)))
        .order_by(col(Job.created_at).desc())
    )
    finished = session.exec(
        select(Job)
        .where(Job.owner_id == user_id, col(Job.state).in_(list(FINISHED_JOB_STATES)))
        .order_by(col(Job.created_at).desc())
        .limit(RECENT_FINISHED)
    )
    rows = list(unfinished) + list(finished)
    versions = jobs.versions_for_jobs(session, [j.id for j in rows])
    return {
        "type": "snapshot",
        "jobs": [
            job_public(j, versions[j.id], prefect_ui_url).model_dump(mode="json") for j in rows
        ],
    }


async def _authenticate(websocket: WebSocket, services: Services) -> tuple[User, str] | None:
    """The caller and the credential they signed in with (re-checked when access changes)."""
    token = websocket.query_params.get("token")
    if not token:
        with contextlib.suppress(TimeoutError, ValueError, WebSocketDisconnect):
            message = json.loads(await asyncio.wait_for(websocket.receive_text(), AUTH_TIMEOUT_S))
            if isinstance(message, dict) and message.get("type") == "auth":
                token = str(message.get("token") or "")
    if not token:
        return None

    def verify() -> tuple[User, str] | None:
        with Session(services.engine, expire_on_commit=False) as session:
            try:
                user = user_for_bearer(session, token, services.settings)
            except AuthenticationError:
                return None
            session.commit()
            return user, token

    return await asyncio.to_thread(verify)


@router.websocket("/ws")
async def live_jobs(websocket: WebSocket, services: ServicesDep) -> None:
    await websocket.accept()
    caller = await _authenticate(websocket, services)
    if caller is None:
        await websocket.close(code=BAD_TOKEN, reason="invalid or missing token")
        return
    user, credential = caller
    websocket.state.user_id = user.id  # for the request log
    if not count_websocket_connect(user.id):
        await websocket.close(code=TOO_MANY_CONNECTS, reason="too many connects; retry in a minute")
        return
    hub = services.hub
    queue = hub.subscribe(user.id, credential)
    try:
        await websocket.send_json(await asyncio.to_thread(_snapshot, services, user.id))
        receiver = asyncio.create_task(_drain_client(websocket))
        while not receiver.done():
            try:
                message = await asyncio.wait_for(queue.get(), HEARTBEAT_S)
            except TimeoutError:
                message = {"type": "heartbeat"}
            if message["type"] == CLOSE:  # the user's access ended meanwhile
                await websocket.close(code=message["code"], reason=message["reason"][:120])
                break
            await websocket.send_json(message)
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        hub.unsubscribe(user.id, queue)


def _snapshot(services: Services, user_id: str) -> dict[str, object]:
    with Session(services.engine) as session:
        return snapshot(session, user_id, services.settings.endpoints.prefect_ui)


async def _drain_client(websocket: WebSocket) -> None:
    """Reads (and ignores) what the client sends, so a disconnect is noticed at once."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            await websocket.receive_text()
