"""What the benchmarks share: a throw-away stack on free ports and a signed-in client."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ragline.settings import Settings
from scripts.apiclient import ApiClient
from scripts.stack import Stack, throwaway_settings

ADMIN_PASSWORD = "bench-admin-password"


@contextmanager
def bench_stack(data_dir: Path, **overrides: Any) -> Iterator[Stack]:
    overrides.setdefault("rate_limit_enabled", False)
    settings = throwaway_settings(data_dir, ADMIN_PASSWORD, **overrides)
    with Stack(settings, echo=lambda line: None) as stack:
        yield stack


def admin_client(settings: Settings) -> ApiClient:
    return ApiClient.signed_in(settings.api_url, "admin", ADMIN_PASSWORD)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]
