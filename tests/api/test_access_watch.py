"""Sockets of a user whose access ended are closed, in every API process (PostgreSQL NOTIFY)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from api.access_watch import BAD_TOKEN, AccessWatch
from api.live import CLOSE, Hub
from ragline import users
from ragline.credentials import token_claims
from ragline.db import session_scope
from ragline.settings import Settings

pytestmark = pytest.mark.anyio


def settings_for(engine: Engine) -> Settings:
    return Settings(
        _env_file=None,
        database_url=engine.url.render_as_string(hide_password=False),
        secret_key=SecretStr("access-watch-tests-signing-secret-of-32-bytes"),
    )


def signed_in(engine: Engine, settings: Settings) -> tuple[str, str, str]:
    """A new user signed in twice: (user id, first token, second token)."""
    with session_scope(engine) as session:
        user = users.create_user(session, "alice", "alice-password")
        return (
            user.id,
            users.sign_in(session, user, settings),
            users.sign_in(session, user, settings),
        )


async def first_message_after(
    change: Callable[[], None], queue: asyncio.Queue[dict[str, Any]], watch: AccessWatch
) -> dict[str, Any]:
    """What ``queue`` receives, within 5 s, once ``change`` commits while ``watch`` follows."""
    follower = asyncio.create_task(watch.follow())
    await asyncio.sleep(0.5)  # listening
    try:
        change()
        return await asyncio.wait_for(queue.get(), 5)
    finally:
        follower.cancel()


async def test_a_signed_out_token_closes_its_socket_and_only_that_one(engine: Engine) -> None:
    settings = settings_for(engine)
    user_id, first, second = signed_in(engine, settings)
    hub = Hub()
    ended, kept = hub.subscribe(user_id, first), hub.subscribe(user_id, second)

    def sign_out() -> None:
        with session_scope(engine) as session:
            users.sign_out(session, token_claims(first, settings).session_id)

    message = await first_message_after(
        sign_out, ended, AccessWatch(engine, settings.endpoints.app_database, hub, settings)
    )

    assert message["type"] == CLOSE and message["code"] == BAD_TOKEN
    assert kept.empty()


async def test_disabling_a_user_closes_every_socket_of_theirs(engine: Engine) -> None:
    settings = settings_for(engine)
    user_id, first, second = signed_in(engine, settings)
    hub = Hub()
    queues = [hub.subscribe(user_id, first), hub.subscribe(user_id, second)]
    with session_scope(engine) as session:
        admin = users.create_user(session, "root", "root-password", is_admin=True)
        users.update_user(
            session, admin, users.get_user(session, user_id), users.UserChanges(disabled=True)
        )

    await AccessWatch(engine, settings.endpoints.app_database, hub, settings).recheck(user_id)

    assert [q.get_nowait()["type"] for q in queues] == [CLOSE, CLOSE]


async def test_revoking_an_api_key_closes_its_sockets_within_seconds(engine: Engine) -> None:
    """Issue 22 item 7: a revoked key's open socket must not outlive the key."""
    settings = settings_for(engine)
    user_id, token, _ = signed_in(engine, settings)
    with session_scope(engine) as session:
        user = users.get_user(session, user_id)
        key, secret = users.create_api_key(session, user, "laptop")
        key_id = key.id
    hub = Hub()
    revoked, kept = hub.subscribe(user_id, secret), hub.subscribe(user_id, token)

    def revoke() -> None:
        with session_scope(engine) as session:
            users.revoke_api_key(session, users.get_user(session, user_id), key_id)

    message = await first_message_after(
        revoke, revoked, AccessWatch(engine, settings.endpoints.app_database, hub, settings)
    )

    assert message["type"] == CLOSE and message["code"] == BAD_TOKEN
    assert kept.empty()
