"""What the local stack consists of: each service's command, environment, health check and URL.

One function per service says how to run it, or why it is not started here (it runs
elsewhere, or is switched off); PostgreSQL, SeaweedFS and Redis have modules of their own
(:mod:`scripts.postgres`, :mod:`scripts.seaweed`, :mod:`scripts.redis`), and what every
child's environment holds is :mod:`scripts.environment`'s. :func:`plan` puts them in start
order; :mod:`scripts.stack` starts them and :mod:`scripts.supervisor` restarts one that dies.
"""

from __future__ import annotations

import shutil
import socket
import sys
from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path

import psutil

from ragline.settings import PROJECT_ROOT, Settings
from scripts import postgres, redis, seaweed
from scripts.environment import prefect_auth
from scripts.prefect_tuning import PREFECT_SERVER_TUNING
from scripts.services import (
    LOCAL_HOSTS,
    Service,
    StartupError,
    http_ok,
    port_in_use,
    read_pid_file,
)

# How to run one service with these settings and this environment: one service, or several of
# one kind (the workers), or why it is skipped (``None``: not part of this layout, say nothing).
Planner = Callable[[Settings, dict[str, str]], Service | list[Service] | str | None]


def venv_bin(tool: str) -> str:
    """A tool of the interpreter's environment (.venv/bin/...), so make run needs no activation."""
    return str(Path(sys.executable).parent / tool)


def api_address(settings: Settings) -> str:
    """The host a client on this machine reaches the API at (not the wildcard it binds)."""
    return _reachable(settings.api_host)


def _reachable(host: str) -> str:
    return "127.0.0.1" if host in {"0.0.0.0", "::"} else host


def urls(settings: Settings) -> dict[str, str]:
    """What each service is reached at, for status lines and the startup summary."""
    return {
        "postgres": f"postgresql://127.0.0.1:{settings.postgres_port}",
        "prefect": settings.endpoints.prefect_ui,
        "chroma": settings.endpoints.chroma,
        "mail": f"smtp://{settings.smtp_host}:{settings.smtp_port}",
        **({"seaweed": settings.s3_endpoint_url or ""} if settings.storage.bucket else {}),
        **({"redis": settings.rate_limit_storage} if redis.local_redis_port(settings) else {}),
        "bootstrap": "",
        "worker": settings.endpoints.prefect_ui + "/deployments",
        "api": f"http://{api_address(settings)}:{settings.api_port}",
    }


def service_ports(settings: Settings) -> dict[str, tuple[str, int]]:
    """Where each service that listens does so, to refuse a start on a port already taken."""
    return {
        "postgres": ("127.0.0.1", settings.postgres_port),
        "prefect": (_reachable(settings.prefect_host), settings.prefect_port),
        "chroma": ("127.0.0.1", settings.chroma_port),
        "mail": ("127.0.0.1", settings.smtp_port),
        "redis": ("127.0.0.1", redis.local_redis_port(settings) or 6379),  # used only if planned
        "api": (api_address(settings), settings.api_port),
    }


def plan(
    settings: Settings, env: dict[str, str], only: Collection[str] | None = None
) -> tuple[list[Service], list[str]]:
    """The services to start, in order, and a note for each one skipped.

    Stages: PostgreSQL (0); then Prefect, Chroma, the mail sink, SeaweedFS (S3) and the
    bootstrap, which only need the database (1); then the worker and the API (2), which need
    all of those.
    ``only`` keeps just the services named: the others are not even planned, since planning
    PostgreSQL has side effects (finding binaries, creating its system user).
    """
    services: list[Service] = []
    notes: list[str] = []
    link = urls(settings)
    for kind, planner in PLANNERS.items():
        if only is not None and not any(n == kind or n.startswith(f"{kind}-") for n in only):
            continue
        planned = planner(settings, env)
        if planned is None:
            continue
        if isinstance(planned, str):
            notes.append(f"{kind}: skipped ({planned})")
            continue
        for service in planned if isinstance(planned, list) else [planned]:
            if only is not None and kind not in only and service.name not in only:
                continue
            service.url = link[kind]
            service.cwd = PROJECT_ROOT  # where prefect.yaml and the packages are
            services.append(service)
    return services, notes


def postgres_service(settings: Settings, env: dict[str, str]) -> Service | str:
    if settings.database_url and settings.prefect_database_url:
        return "RAGLINE_DATABASE_URL and RAGLINE_PREFECT_DATABASE_URL"
    return postgres.service(settings, env)


def prefect_service(settings: Settings, env: dict[str, str]) -> Service | str:
    if settings.prefect_api_url:
        return f"external server {settings.prefect_api_url}"
    server_env = env | {
        "PREFECT_SERVER_DATABASE_CONNECTION_URL": settings.endpoints.prefect_database,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
        **PREFECT_SERVER_TUNING,
    }
    if auth := prefect_auth(settings):
        # Its health check stays open (Prefect exempts it); its UI asks for the string.
        server_env["PREFECT_SERVER_API_AUTH_STRING"] = auth
        server_env["PREFECT_UI_API_URL"] = settings.endpoints.prefect_ui + "/api"
    argv = [venv_bin("prefect"), "server", "start", "--host", settings.prefect_host]
    return Service(
        name="prefect",
        argv=[*argv, "--port", str(settings.prefect_port)],
        env=server_env,
        ready=lambda: http_ok(f"{settings.endpoints.prefect_api}/health"),
        timeout_s=120.0,  # the first start runs the migrations
        stage=1,
    )


def chroma_service(settings: Settings, env: dict[str, str]) -> Service | str:
    if settings.chroma_url:
        return f"external server {settings.chroma_url}"
    if settings.chroma_host not in LOCAL_HOSTS:
        # Measured: chroma 1.5.9's server ignores CHROMA_SERVER_AUTHN_* and answers anyone.
        raise StartupError(
            f"chroma: RAGLINE_CHROMA_HOST={settings.chroma_host} would open the vectors to "
            "anyone: Chroma's server checks no credentials. Keep it on 127.0.0.1 and put an "
            "authenticating proxy in front (RAGLINE_CHROMA_URL) to reach it from elsewhere."
        )
    path = settings.paths.data / "chroma"
    argv = [venv_bin("chroma"), "run", "--path", str(path), "--host", settings.chroma_host]
    return Service(
        name="chroma",
        argv=[*argv, "--port", str(settings.chroma_port)],
        env=env,
        ready=lambda: http_ok(f"{settings.endpoints.chroma}/api/v2/heartbeat"),
        timeout_s=60.0,
        stage=1,
    )


def mail_service(settings: Settings, env: dict[str, str]) -> Service | str:
    if not settings.mail_enabled or settings.smtp_host not in LOCAL_HOSTS:
        return "mail disabled or RAGLINE_SMTP_HOST is not local"
    maildir = settings.paths.data / "mail"
    argv = [sys.executable, "-m", "scripts.mailsink", "--maildir", str(maildir)]
    return Service(
        name="mail",
        argv=[*argv, "--host", "127.0.0.1", "--port", str(settings.smtp_port)],
        env=env,
        ready=lambda: port_in_use("127.0.0.1", settings.smtp_port),
        stage=1,
    )


def bootstrap_service(settings: Settings, env: dict[str, str]) -> Service | str:
    """Migrations and the first admin: a one-shot, which the worker and the API wait for."""
    return Service(
        name="bootstrap",
        argv=[sys.executable, "-m", "ragline.bootstrap"],
        env=env,
        oneshot=True,
        timeout_s=120.0,
        stage=1,
    )


def worker_services(settings: Settings, env: dict[str, str]) -> list[Service]:
    """``RAGLINE_WORKERS`` serve processes (``worker``, ``worker-2``, ...); the second and
    later are named after the host and their number, so each has its own document slots, as
    workers on separate hosts would."""
    env = env | {"PREFECT_RUNNER_POLL_FREQUENCY": str(settings.runner_poll_seconds)}
    host = settings.worker_name or socket.gethostname()
    return [
        Service(
            name=name,
            argv=[sys.executable, "-m", "deployments.serve"],
            env=env if n == 1 else env | {"RAGLINE_WORKER_NAME": f"{host}-{n}"},
            prepare=partial(_forget_dead_servers, settings),
            ready=partial(serving, settings, name),
            timeout_s=90.0,
            stage=2,
        )
        for n, name in enumerate(worker_names(settings), start=1)
    ]


def api_service(settings: Settings, env: dict[str, str]) -> Service | str:
    # No uvicorn access log: the API logs every request itself, with its id and user.
    argv = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--no-access-log"]
    if settings.api_processes > 1:
        argv += ["--workers", str(settings.api_processes)]
        # Each process counts its own requests; /metrics adds them all up from here.
        env = env | {"PROMETHEUS_MULTIPROC_DIR": str(settings.paths.run / "metrics")}
    return Service(
        name="api",
        argv=[*argv, "--host", settings.api_host, "--port", str(settings.api_port)],
        env=env,
        prepare=lambda: _empty_metrics_dir(env),
        ready=lambda: http_ok(f"{urls(settings)['api']}/readyz"),
        timeout_s=90.0,
        stage=2,
    )


def _empty_metrics_dir(env: dict[str, str]) -> None:
    """The multi-process metrics start from zero at each start, as a single process's do."""
    if folder := env.get("PROMETHEUS_MULTIPROC_DIR"):
        shutil.rmtree(folder, ignore_errors=True)
        Path(folder).mkdir(parents=True)


def serving(settings: Settings, name: str) -> bool:
    """The serve process started as ``name`` has polled Prefect itself.

    Its own mark (:meth:`ragline.settings.Paths.serving`), not a deployment's ``last_polled``:
    every worker serves the same deployments, so that moves with any worker's poll.
    """
    pid = read_pid_file(settings.paths.run / f"{name}.pid")
    return pid is not None and settings.paths.serving(pid).exists()


def _forget_dead_servers(settings: Settings) -> None:
    """Removes the marks of serve processes that died without removing theirs (killed), so
    that a new process given a dead one's pid is not taken as serving before it polls."""
    for path in settings.paths.run.glob("*"):
        pid = path.name.rpartition("-")[2]
        if pid.isdigit() and path == settings.paths.serving(int(pid)):
            if not psutil.pid_exists(int(pid)):
                path.unlink(missing_ok=True)


# In start order (see plan's docstring for the stages).
PLANNERS: dict[str, Planner] = {
    "postgres": postgres_service,
    "prefect": prefect_service,
    "chroma": chroma_service,
    "mail": mail_service,
    "seaweed": seaweed.service,
    "redis": redis.service,
    "bootstrap": bootstrap_service,
    "worker": worker_services,
    "api": api_service,
}
SERVICES = tuple(PLANNERS)


def service_names(settings: Settings) -> list[str]:
    """Every service this configuration runs, in start order, the workers counted out."""
    workers = worker_names(settings)
    return [name for kind in SERVICES for name in (workers if kind == "worker" else [kind])]


def worker_names(settings: Settings) -> list[str]:
    return ["worker", *(f"worker-{n}" for n in range(2, settings.workers + 1))]
