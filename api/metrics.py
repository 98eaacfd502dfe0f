"""Prometheus metrics of the API process, served at /metrics."""

from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter("ragline_http_requests_total", "HTTP requests.", ["method", "route", "status"])
REQUEST_SECONDS = Histogram(
    "ragline_http_request_duration_seconds", "HTTP request latency.", ["method", "route"]
)
UPLOADED_FILES = Counter("ragline_uploaded_files_total", "Files received.", ["outcome"])
UPLOADED_BYTES = Counter("ragline_uploaded_bytes_total", "Bytes of accepted files.")
JOBS_FINISHED = Counter("ragline_jobs_finished_total", "Jobs that ended.", ["state"])
WS_CONNECTIONS = Gauge("ragline_websocket_connections", "Open WebSocket connections.")
QUERY_SECONDS = Histogram("ragline_query_duration_seconds", "Time to answer a question.")
QUERY_FALLBACKS = Counter(
    "ragline_query_keyword_fallbacks_total",
    "Questions answered by keywords alone because the vector store was unreachable.",
)
