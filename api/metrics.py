"""Prometheus metrics of the API, served at /metrics.

With several API processes (``RAGLINE_API_PROCESSES``) each writes its values under
``PROMETHEUS_MULTIPROC_DIR`` and whichever process answers /metrics adds them all up, so a
scrape sees the whole API, not one process picked by the load balancer.
"""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter("ragline_http_requests_total", "HTTP requests.", ["method", "route", "status"])
REQUEST_SECONDS = Histogram(
    "ragline_http_request_duration_seconds", "HTTP request latency.", ["method", "route"]
)
UPLOADED_FILES = Counter("ragline_uploaded_files_total", "Files received.", ["outcome"])
UPLOADED_BYTES = Counter("ragline_uploaded_bytes_total", "Bytes of accepted files.")
JOBS_FINISHED = Counter("ragline_jobs_finished_total", "Jobs that ended.", ["state"])
WS_CONNECTIONS = Gauge(
    "ragline_websocket_connections",
    "Open WebSocket connections.",
    multiprocess_mode="livesum",  # the live processes' sockets, together
)
QUERY_SECONDS = Histogram("ragline_query_duration_seconds", "Time to answer a question.")
QUERY_FALLBACKS = Counter(
    "ragline_query_keyword_fallbacks_total",
    "Questions answered by keywords alone because the vector store was unreachable.",
)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus's text format, and its content type."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def forget_this_process() -> None:
    """Drops this process's live gauges from the sum when it stops."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
