"""Job updates over PostgreSQL ``LISTEN``/``NOTIFY``: the ingestion flow announces, the API listens.

A flow announces a change in the transaction that records it, so the announcement is
delivered if and only if the change commits, and whoever reads the job on hearing it sees
the change. Through Prefect's event bus each announcement would cost its server an event's
work (ingest, persist, evaluate triggers, relay) several times per document; a notification
costs PostgreSQL next to nothing (docs/DECISIONS.md has the figures).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import psycopg
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

CHANNEL = "ragline_job_updates"


def announce(session: Session, job_id: str) -> None:
    """Tells every listener that ``job_id`` changed, once this session's transaction commits."""
    session.execute(
        text("SELECT pg_notify(:channel, :job_id)"), {"channel": CHANNEL, "job_id": job_id}
    )


async def listen(database_url: str, channel: str = CHANNEL) -> AsyncGenerator[str, None]:
    """Yields the id of each job announced from now on (or each payload on another
    ``channel``); ends by raising when the link drops."""
    # SQLAlchemy's URL names its driver ("postgresql+psycopg://"); libpq wants it plain.
    conninfo = make_url(database_url).set(drivername="postgresql")
    async with await psycopg.AsyncConnection.connect(
        conninfo.render_as_string(hide_password=False), autocommit=True
    ) as connection:
        await connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
        async for notification in connection.notifies():
            yield notification.payload
