"""Usage aggregates: the latency histogram's percentiles, formula-safe CSV, and upserts that
add up across batches and writers (real PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import Engine

from ragline import analytics
from ragline.analytics import UsageBatch
from ragline.db import session_scope
from ragline.models import utcnow
from tests.factories.rows import user


def test_percentiles_are_read_from_the_histogram_within_a_bucket() -> None:
    buckets = [0] * analytics.BUCKETS
    buckets[analytics.bucket_of(7)] = 50  # 5-10 ms
    buckets[analytics.bucket_of(300)] = 50  # 250-500 ms
    assert analytics.percentile(buckets, 0.5) == 10.0
    assert 250 < (analytics.percentile(buckets, 0.95) or 0) <= 500
    assert analytics.percentile([0] * analytics.BUCKETS, 0.5) is None
    slow = [0] * analytics.BUCKETS
    slow[-1] = 3
    assert analytics.percentile(slow, 0.95) == analytics.LATENCY_BOUNDS_MS[-1]


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted() -> None:
    for dangerous in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert analytics.csv_safe(dangerous) == "'" + dangerous
    assert analytics.csv_safe("alice") == "alice" and analytics.csv_safe(None) == ""
    assert analytics.csv_safe(12) == "12"


def batch(user_id: str, day: date, *, latency_ms: float = 20.0) -> UsageBatch:
    """An upload and a question by the user, and a question nobody signed that failed."""
    usage = UsageBatch()
    for who, route, status, size in (
        (user_id, "/api/v1/documents", 202, 1000),
        (user_id, "/api/v1/query", 200, 50),
        (None, "/api/v1/query", 500, 50),
    ):
        usage.record(
            user_id=who,
            method="POST",
            route=route,
            status=status,
            latency_ms=latency_ms,
            bytes_in=size,
            day=day,
        )
    return usage


def test_batches_from_several_writers_add_up(engine: Engine) -> None:
    alice = user(engine, "alice")
    today = utcnow().date()

    def write(n: int) -> None:
        with session_scope(engine) as session:
            analytics.write(session, batch(alice, today, latency_ms=7 if n % 2 else 300))

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(8)))
    with session_scope(engine) as session:
        analytics.record_job_end(session, alice, documents=3, failed=1)
        days = analytics.per_day(session, 7)
        routes = analytics.per_route(session, 7)

    mine = next(d for d in days if d.user == "alice")
    assert (mine.requests, mine.uploads, mine.bytes, mine.questions) == (16, 8, 8000, 8)
    assert (mine.documents, mine.failed) == (3, 1)
    assert next(d for d in days if d.user == analytics.ANONYMOUS).requests == 8
    query = next(r for r in routes if r.route == "/api/v1/query")
    assert (query.count, query.errors, query.error_rate) == (16, 8, 0.5)
    assert query.p50_ms == 10.0 and query.p95_ms is not None and query.p95_ms > 250


def test_days_outside_the_period_are_left_out(engine: Engine) -> None:
    alice = user(engine, "alice")
    with session_scope(engine) as session:
        analytics.write(session, batch(alice, date(2001, 1, 1)))
        assert analytics.per_day(session, 30) == []
        assert analytics.per_route(session, 30) == []
