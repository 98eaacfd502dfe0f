"""What is counted: a user's requests, a route's calls and its latency histogram, from
which p50/p95 are read."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

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
