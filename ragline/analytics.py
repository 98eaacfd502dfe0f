"""Usage aggregates in PostgreSQL: per day and user, per day and route.

The API counts requests in memory (:class:`UsageBatch`) and adds each batch to the day's rows
with one upsert per row (:func:`write`), so the request path costs a dictionary update and the
database a few statements every few seconds, whatever the traffic. Job ends add the documents
ingested and failed in the transaction that ends the job (:func:`record_job_end`).

Latency is kept as a fixed histogram per route and day (:data:`LATENCY_BOUNDS_MS`), so days
and processes add up exactly and p50/p95 are read from it (:func:`percentile`), to within a
bucket, interpolated.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import text
from sqlmodel import Session, col, select

from ragline.models import RouteDay, UsageDay, User, utcnow

#: Upper bounds of the latency buckets, ms; one more bucket holds everything slower.
LATENCY_BOUNDS_MS: tuple[float, ...] = (
    5,
    10,
    25,
    50,
    100,
    250,
    500,
    1000,
    2500,
    5000,
    10000,
    30000,
)
BUCKETS = len(LATENCY_BOUNDS_MS) + 1
ANONYMOUS = "-"  # the user of a request nobody signed


def bucket_of(latency_ms: float) -> int:
    return bisect.bisect_left(LATENCY_BOUNDS_MS, latency_ms)


def percentile(buckets: Sequence[int], q: float) -> float | None:
    """The ``q``-quantile (0..1) of a latency histogram, interpolated inside its bucket."""
    total = sum(buckets)
    if total == 0:
        return None
    rank = q * total
    seen = 0
    for index, count in enumerate(buckets):
        if count and seen + count >= rank:
            low = LATENCY_BOUNDS_MS[index - 1] if index else 0.0
            if index >= len(LATENCY_BOUNDS_MS):
                return float(low)  # slower than the last bound: say that bound
            high = LATENCY_BOUNDS_MS[index]
            return round(low + (high - low) * (rank - seen) / count, 1)
        seen += count
    return float(LATENCY_BOUNDS_MS[-1])


@dataclass
class UserCounts:
    requests: int = 0
    uploads: int = 0
    upload_bytes: int = 0
    questions: int = 0


@dataclass
class RouteCounts:
    count: int = 0
    errors: int = 0  # 5xx: ours
    client_errors: int = 0  # 4xx: the caller's
    buckets: list[int] = field(default_factory=lambda: [0] * BUCKETS)

    def add(self, count: int, errors: int, client_errors: int, buckets: Sequence[int]) -> None:
        self.count += count
        self.errors += errors
        self.client_errors += client_errors
        self.buckets = [a + b for a, b in zip(self.buckets, buckets, strict=True)]


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


@dataclass(frozen=True)
class DayRow:
    day: date
    user: str
    requests: int
    uploads: int
    bytes: int
    documents: int
    failed: int
    questions: int


@dataclass(frozen=True)
class RouteRow:
    method: str
    route: str
    count: int
    errors: int
    client_errors: int
    error_rate: float
    p50_ms: float | None
    p95_ms: float | None


def since(days: int) -> date:
    """The first day of the last ``days`` days, today (UTC) included."""
    return utcnow().date() - timedelta(days=days - 1)


def per_day(session: Session, days: int) -> list[DayRow]:
    """Each user's usage per day, newest day first; users by name (anonymous as "-")."""
    query = (
        select(UsageDay, User.username)
        .join(User, col(User.id) == UsageDay.user_id, isouter=True)
        .where(col(UsageDay.day) >= since(days))
        .order_by(col(UsageDay.day).desc(), col(User.username))
    )
    return [
        DayRow(
            day=row.day,
            user=username or ANONYMOUS,
            requests=row.requests,
            uploads=row.uploads,
            bytes=row.upload_bytes,
            documents=row.documents,
            failed=row.failed,
            questions=row.questions,
        )
        for row, username in session.exec(query)
    ]


def per_route(session: Session, days: int) -> list[RouteRow]:
    """Each route over the period: counts, error rate (5xx), p50/p95; busiest first."""
    totals: dict[tuple[str, str], RouteCounts] = defaultdict(RouteCounts)
    for row in session.exec(select(RouteDay).where(col(RouteDay.day) >= since(days))):
        totals[(row.method, row.route)].add(
            row.count, row.errors, row.client_errors, row.latency_buckets
        )
    return sorted(
        (
            RouteRow(
                method=method,
                route=route,
                count=c.count,
                errors=c.errors,
                client_errors=c.client_errors,
                error_rate=round(c.errors / c.count, 4) if c.count else 0.0,
                p50_ms=percentile(c.buckets, 0.5),
                p95_ms=percentile(c.buckets, 0.95),
            )
            for (method, route), c in totals.items()
        ),
        key=lambda r: (-r.count, r.route, r.method),
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    cell = "" if value is None else str(value)
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_rows(rows: Iterable[object], columns: Sequence[str]) -> list[list[str]]:
    return [list(columns)] + [[csv_safe(getattr(r, c)) for c in columns] for r in rows]
