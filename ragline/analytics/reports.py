"""Reading the day rows back: usage per day and user, calls per route, as CSV."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from ragline.analytics.counts import ANONYMOUS, RouteCounts, percentile
from ragline.models import RouteDay, UsageDay, User, utcnow


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
