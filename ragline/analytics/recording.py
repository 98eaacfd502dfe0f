"""Counting requests in memory and adding them, and job ends, to the day rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import text
from sqlmodel import Session

from ragline.analytics.counts import ANONYMOUS, RouteCounts, UserCounts, bucket_of
from ragline.models import utcnow

# What counts as an upload and a question: the route templates of the contract.
UPLOAD_ROUTE = ("POST", "/api/v1/documents")
QUESTION_ROUTE = ("POST", "/api/v1/query")


class UsageBatch:
    """Counts since the last write. Not thread-safe: used from the event loop only."""

    def __init__(self) -> None:
        self.users: dict[tuple[date, str], UserCounts] = defaultdict(UserCounts)
        self.routes: dict[tuple[date, str, str], RouteCounts] = defaultdict(RouteCounts)

    def __bool__(self) -> bool:
        return bool(self.users or self.routes)

    def record(
        self,
        *,
        user_id: str | None,
        method: str,
        route: str,
        status: int,
        latency_ms: float,
        bytes_in: int,
        day: date | None = None,
    ) -> None:
        day = day or utcnow().date()
        user = self.users[(day, user_id or ANONYMOUS)]
        user.requests += 1
        if 200 <= status < 300 and (method, route) == UPLOAD_ROUTE:
            user.uploads += 1
            user.upload_bytes += bytes_in
        if 200 <= status < 300 and (method, route) == QUESTION_ROUTE:
            user.questions += 1
        counts = self.routes[(day, method, route)]
        counts.count += 1
        counts.errors += status >= 500
        counts.client_errors += 400 <= status < 500
        counts.buckets[bucket_of(latency_ms)] += 1

    def merge(self, other: UsageBatch) -> None:
        """Adds another batch's counts to this one (one that could not be written)."""
        for key, theirs in other.users.items():
            mine = self.users[key]
            for name, value in vars(theirs).items():
                setattr(mine, name, getattr(mine, name) + value)
        for route_key, route in other.routes.items():
            self.routes[route_key].add(
                route.count, route.errors, route.client_errors, route.buckets
            )


_ADD_USER_DAY = text(
    """
    INSERT INTO usageday (day, user_id, requests, uploads, upload_bytes, questions,
                          documents, failed)
    VALUES (:day, :user_id, :requests, :uploads, :upload_bytes, :questions,
            :documents, :failed)
    ON CONFLICT (day, user_id) DO UPDATE SET
        requests = usageday.requests + excluded.requests,
        uploads = usageday.uploads + excluded.uploads,
        upload_bytes = usageday.upload_bytes + excluded.upload_bytes,
        questions = usageday.questions + excluded.questions,
        documents = usageday.documents + excluded.documents,
        failed = usageday.failed + excluded.failed
    """
)
_ADD_ROUTE_DAY = text(
    """
    INSERT INTO routeday (day, method, route, count, errors, client_errors, latency_buckets)
    VALUES (:day, :method, :route, :count, :errors, :client_errors, :buckets)
    ON CONFLICT (day, method, route) DO UPDATE SET
        count = routeday.count + excluded.count,
        errors = routeday.errors + excluded.errors,
        client_errors = routeday.client_errors + excluded.client_errors,
        latency_buckets = ARRAY(
            SELECT a + b
            FROM unnest(routeday.latency_buckets, excluded.latency_buckets)
                 WITH ORDINALITY AS u(a, b, i)
            ORDER BY i
        )
    """
)


def write(session: Session, batch: UsageBatch) -> None:
    """Adds a batch to the day rows (any number of API processes may write at once)."""
    users = [
        {"day": day, "user_id": user_id, "documents": 0, "failed": 0, **vars(counts)}
        for (day, user_id), counts in sorted(batch.users.items())
    ]
    routes = [
        {
            "day": day,
            "method": method,
            "route": route,
            "count": c.count,
            "errors": c.errors,
            "client_errors": c.client_errors,
            "buckets": c.buckets,
        }
        for (day, method, route), c in sorted(batch.routes.items())
    ]
    # Sorted, so two processes writing the same rows lock them in the same order.
    if users:
        session.execute(_ADD_USER_DAY, users)
    if routes:
        session.execute(_ADD_ROUTE_DAY, routes)


def record_job_end(session: Session, owner_id: str, *, documents: int, failed: int) -> None:
    """Adds a finished job's documents (ingested, failed) to its owner's day."""
    if documents or failed:
        session.execute(
            _ADD_USER_DAY,
            {
                "day": utcnow().date(),
                "user_id": owner_id,
                "requests": 0,
                "uploads": 0,
                "upload_bytes": 0,
                "questions": 0,
                "documents": documents,
                "failed": failed,
            },
        )
