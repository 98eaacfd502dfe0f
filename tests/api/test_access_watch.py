"""Sockets of a user whose access ended are closed, in every API process (PostgreSQL NOTIFY)."""

from __future__ import annotations

import asyncio

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


async def test_a_signed_out_token_closes_its_socket_and_only_that_one(engine: Engine) -> None:
    settings = settings_for(engine)
    user_id, first, second = signed_in(engine, settings)
    hub = Hub()
    ended, kept = hub.subscribe(user_id, first), hub.subscribe(user_id, second)
    watch = AccessWatch(engine, settings.endpoints.app_database, hub, settings)
    follower = asyncio.create_task(watch.follow())
    await asyncio.sleep(0.5)  # listening
    try:
        with session_scope(engine) as session:
            session_id = token_claims(first, settings).session_id
            users.sign_out(session, session_id)

        message = await asyncio.wait_for(ended.get(), 5)
    finally:
        follower.cancel()

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
