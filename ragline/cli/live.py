"""Following jobs on the live socket (``WS /api/v1/ws``) until they end.

The generated client has no WebSocket, so this is by hand: authenticate with a first
``{"type": "auth"}`` message (a token in the URL would land in access logs), feed every
message to a :class:`~ragline.cli.progress.JobBoard`, and reconnect when the connection
drops (each connection starts with a fresh snapshot, so nothing is missed). A job the
snapshot does not hold (the user has many newer ones) is read once over HTTP.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.sync.client import connect as ws_connect

from ragline.cli.progress import JobBoard
from ragline.integrations.client import ApiError, checked
from ragline_client import AuthenticatedClient
from ragline_client.api.jobs import jobs_get_job
from ragline_client.models import JobPublic

BAD_TOKEN = 4401
RATE_LIMITED = 4429
RECONNECTS = 6
MAX_PAUSE_S = 10.0


def socket_url(api_url: str) -> str:
    scheme, rest = api_url.rstrip("/").split("://", 1)
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/api/v1/ws"


def follow(
    client: AuthenticatedClient,
    api_url: str,
    token: str,
    board: JobBoard,
    on_change: Callable[[], None],
) -> None:
    """Returns once every job on the board has ended; raises :class:`ApiError` if it can't."""
    failures = 0
    while not board.done:
        try:
            with ws_connect(socket_url(api_url), open_timeout=10, max_size=None) as socket:
                socket.send(json.dumps({"type": "auth", "token": token}))
                for raw in socket:
                    message = json.loads(raw)
                    changed = board.apply(message)
                    if message.get("type") == "snapshot":
                        failures = 0
                        changed = _read_unseen(client, board) or changed
                    if changed:
                        on_change()
                    if board.done:
                        return
            failures += 1
            reason = "closed by the server"
        except ConnectionClosed as exc:
            code = exc.rcvd.code if exc.rcvd else None
            if code == BAD_TOKEN:
                raise ApiError(
                    401, "The live socket refused the token.", "not_authenticated"
                ) from exc
            failures += 1
            reason = f"closed with code {code}" if code else "dropped"
            if code == RATE_LIMITED:
                failures = max(failures, 3)  # back off for longer
        except (OSError, InvalidHandshake, InvalidURI, TimeoutError) as exc:
            failures += 1
            reason = str(exc) or type(exc).__name__
        if failures > RECONNECTS:
            raise ApiError(0, f"Lost the live connection to {api_url} ({reason}).", "unreachable")
        time.sleep(min(MAX_PAUSE_S, 0.5 * 2**failures))


def _read_unseen(client: AuthenticatedClient, board: JobBoard) -> bool:
    changed = False
    for job_id in board.unseen:
        try:
            job = checked(jobs_get_job.sync_detailed(job_id, client=client), JobPublic)
        except httpx.HTTPError:
            continue  # the next snapshot tries again
        changed = board.update(job) or changed
    return changed
