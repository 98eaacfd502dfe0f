"""Changes to who may connect, over PostgreSQL ``NOTIFY``: every API process re-checks its sockets.

A user disabled, signed out or whose password changed must lose their open WebSockets, and
those may be held by any API process. The change is announced in the transaction that
records it (delivered if and only if it commits), like job updates (:mod:`ragline.job_updates`);
each process then re-checks the credentials of that user's sockets and closes the ones no
longer valid. The payload is only the user id: what is valid is read from the database.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from sqlalchemy import text
from sqlmodel import Session

from ragline import job_updates

CHANNEL = "ragline_access_updates"


def announce(session: Session, user_id: str) -> None:
    """Tells every API process to re-check ``user_id``'s sockets, once this transaction commits."""
    session.execute(
        text("SELECT pg_notify(:channel, :user_id)"), {"channel": CHANNEL, "user_id": user_id}
    )


async def listen(database_url: str) -> AsyncGenerator[str, None]:
    """Yields the id of each user announced from now on; raises when the link drops."""
    async for user_id in job_updates.listen(database_url, CHANNEL):
        yield user_id
