"""Closes the sockets of users whose access just changed, in every API process.

A user disabled, signed out (one token) or whose password changed (their other tokens) is
announced over PostgreSQL (:mod:`ragline.access_updates`); each process re-checks the
credential of each of that user's sockets it holds and closes those no longer valid, with
the same code as a bad token at connect time.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import Engine
from sqlmodel import Session

from api.live import Hub
from ragline import access_updates
from ragline.errors import AuthenticationError
from ragline.settings import Settings
from ragline.users import caller_for_bearer

BAD_TOKEN = 4401


class AccessWatch:
    def __init__(self, engine: Engine, database_url: str, hub: Hub, settings: Settings) -> None:
        self.engine = engine
        self.database_url = database_url
        self.hub = hub
        self.settings = settings

    async def follow(self) -> None:
        async for user_id in access_updates.listen(self.database_url):
            await self.recheck(user_id)

    async def recheck(self, user_id: str) -> None:
        for queue, credential in self.hub.sockets_of(user_id):
            reason = await asyncio.to_thread(self._refusal, credential)
            if reason is not None:
                self.hub.close(queue, BAD_TOKEN, reason)

    def _refusal(self, credential: str) -> str | None:
        """Why this credential is no longer accepted, or None while it is."""
        with Session(self.engine) as session:
            try:
                caller_for_bearer(session, credential, self.settings)
            except AuthenticationError as exc:
                return exc.message
            finally:
                session.rollback()  # an API key's last use is not worth a write here
        return None
