"""Usage aggregates in PostgreSQL: per day and user, per day and route.

The API counts requests in memory (:class:`UsageBatch`) and adds each batch to the day's rows
with one upsert per row (:func:`write`), so the request path costs a dictionary update and the
database a few statements every few seconds, whatever the traffic. Job ends add the documents
ingested and failed in the transaction that ends the job (:func:`record_job_end`).

Latency is kept as a fixed histogram per route and day (:data:`LATENCY_BOUNDS_MS`), so days
and processes add up exactly and p50/p95 are read from it (:func:`percentile`), to within a
bucket, interpolated.

The modules: :mod:`.counts` (what is counted, the histogram), :mod:`.recording` (the
write side), :mod:`.reports` (the read side); import from here.
"""

from __future__ import annotations

from ragline.analytics.counts import (
    ANONYMOUS,
    BUCKETS,
    LATENCY_BOUNDS_MS,
    RouteCounts,
    UserCounts,
    bucket_of,
    percentile,
)
from ragline.analytics.recording import (
    QUESTION_ROUTE,
    UPLOAD_ROUTE,
    UsageBatch,
    record_job_end,
    write,
)
from ragline.analytics.reports import (
    FORMULA_STARTS,
    DayRow,
    RouteRow,
    csv_rows,
    csv_safe,
    per_day,
    per_route,
    since,
)

__all__ = [
    "ANONYMOUS",
    "BUCKETS",
    "DayRow",
    "FORMULA_STARTS",
    "LATENCY_BOUNDS_MS",
    "QUESTION_ROUTE",
    "RouteCounts",
    "RouteRow",
    "UPLOAD_ROUTE",
    "UsageBatch",
    "UserCounts",
    "bucket_of",
    "csv_rows",
    "csv_safe",
    "per_day",
    "per_route",
    "percentile",
    "record_job_end",
    "since",
    "write",
]
