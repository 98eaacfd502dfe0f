"""What the benchmarks share: a throw-away stack on free ports and a signed-in client."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from ragline.settings import Settings
from scripts.apiclient import ApiClient
from scripts.stack import Stack

ADMIN_PASSWORD = "bench-admin-password"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def bench_stack(data_dir: Path, **overrides: Any) -> Iterator[Stack]:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "api_port": free_port(),
        "postgres_port": free_port(),
        "prefect_port": free_port(),
        "chroma_port": free_port(),
        "smtp_port": free_port(),
        "admin_password": SecretStr(ADMIN_PASSWORD),
        "rate_limit_enabled": False,
    }
    settings = Settings(_env_file=None, **(values | overrides))  # type: ignore[call-arg]
    with Stack(settings, echo=lambda line: None) as stack:
        yield stack


def admin_client(settings: Settings) -> ApiClient:
    return ApiClient.signed_in(settings.api_url, "admin", ADMIN_PASSWORD)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]
