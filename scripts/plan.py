"""What the local stack consists of: each service's command, environment, health check and URL.

The order of :func:`plan` is the start order; :mod:`scripts.stack` starts and supervises it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path

import certifi
from pydantic import SecretStr

from ragline.settings import PROJECT_ROOT, Settings
from scripts import postgres
from scripts.services import Service, http_get, http_ok, port_in_use

SERVICES = ("postgres", "prefect", "chroma", "mail", "bootstrap", "worker", "api")
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
# A developer's Prefect settings that would point our processes at another server or profile.
_FOREIGN_PREFECT = (
    "PREFECT_API_",
    "PREFECT_SERVER_",
    "PREFECT_UI_",
    "PREFECT_HOME",
    "PREFECT_PROFILE",
    "PREFECT_DEBUG_MODE",
)


def venv_bin(tool: str) -> str:
    """A tool of the interpreter's environment (.venv/bin/...), so make run needs no activation."""
    return str(Path(sys.executable).parent / tool)


def settings_env(settings: Settings) -> dict[str, str]:
    """Every set field as its RAGLINE_ variable, so children see exactly these settings."""
    env: dict[str, str] = {}
    for name in Settings.model_fields:
        value = getattr(settings, name)
        if value is None:
            continue
        if name == "data_dir":
            value = settings.paths.data
        elif isinstance(value, SecretStr):
            value = value.get_secret_value()
        elif isinstance(value, bool):
            value = str(value).lower()
        env[f"RAGLINE_{name.upper()}"] = str(value)
    return env


# Task runs are recorded in batches, at most a second late, instead of one transaction per
# state change: on this 2-core machine that cut the server's CPU per task from ~95 ms to
# ~35 ms and per document from ~0.6 s to ~0.35 s (bench/prefect_costs.py).
PREFECT_SERVER_TUNING = {
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "1",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_READ_BATCH_SIZE": "100",
}


def child_env(settings: Settings, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The parent's environment minus stray RAGLINE_/Prefect settings, plus the resolved ones."""
    base = os.environ if base is None else base
    env = {
        key: value
        for key, value in base.items()
        if not key.startswith(("RAGLINE_", *_FOREIGN_PREFECT))
    }
    no_proxy = ",".join(filter(None, [base.get("NO_PROXY", ""), "127.0.0.1,localhost"]))
    env.update(settings_env(settings))
    env.update(
        PREFECT_API_URL=settings.endpoints.prefect_api,
        PREFECT_HOME=str(settings.paths.data / "prefect"),
        DO_NOT_TRACK="1",
        ANONYMIZED_TELEMETRY="False",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        PYTHONUNBUFFERED="1",
        # Our services log to files: no terminal colours, so Prefect's console handler skips
        # its highlighting regexes on every line of every run.
        PREFECT_LOGGING_COLORS="false",
        NO_PROXY=no_proxy,
        no_proxy=no_proxy,
    )
    env.update(local_prefect_client_env(settings))
    return env


def local_prefect_client_env(settings: Settings) -> dict[str, str]:
    """Prefect client settings for the server we start: plain HTTP, no CSRF protection.

    Prefect's engine opens a new API client for every subflow (for the task run that stands
    for it in the parent run). Each new client asks for a CSRF token before its first write
    and builds a TLS context from certifi's whole CA bundle, though our server speaks plain
    HTTP on 127.0.0.1 and has CSRF protection off. Skipping the token and handing the client
    a one-certificate bundle, which no connection to this server uses, saved ~60 ms of the
    worker's CPU and ~40 ms of the server's per document (bench/prefect_costs.py's shape).
    Someone else's server (``RAGLINE_PREFECT_API_URL``) keeps Prefect's defaults.
    """
    if settings.prefect_api_url:
        return {}
    return {
        "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED": "false",
        "PREFECT_API_SSL_CERT_FILE": str(unused_ca_bundle(settings.paths.data / "prefect")),
    }


def unused_ca_bundle(folder: Path) -> Path:
    """A CA bundle holding certifi's first certificate: cheap to load, never consulted."""
    path = folder / "plain-http-ca.pem"
    if not path.exists():
        bundle = Path(certifi.where()).read_text()
        end = "-----END CERTIFICATE-----"
        first = bundle[bundle.index("-----BEGIN CERTIFICATE-----") : bundle.index(end) + len(end)]
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(first + "\n")
        partial.replace(path)  # never a half-written bundle, which every client would fail on
    return path


def urls(settings: Settings) -> dict[str, str]:
    """What each service is reached at, for status lines and the startup summary."""
    api_host = "127.0.0.1" if settings.api_host in {"0.0.0.0", "::"} else settings.api_host
    return {
        "postgres": f"postgresql://127.0.0.1:{settings.postgres_port}",
        "prefect": settings.endpoints.prefect_ui,
        "chroma": settings.endpoints.chroma,
        "mail": f"smtp://{settings.smtp_host}:{settings.smtp_port}",
        "bootstrap": "",
        "worker": settings.endpoints.prefect_ui + "/deployments",
        "api": f"http://{api_host}:{settings.api_port}",
    }


def plan(
    settings: Settings, env: dict[str, str], only: Collection[str] | None = None
) -> tuple[list[Service], list[str]]:
    """The services to start, in order, and a note for each one skipped.

    Stages: PostgreSQL (0); then Prefect, Chroma, the mail sink and the bootstrap, which only
    need the database (1); then the worker and the API (2), which need all of those.
    ``only`` keeps just the services named (nothing is prepared for the others).
    """
    services, notes = _plan(settings, env, only or SERVICES)
    return [s for s in services if only is None or s.name in only], notes


def _plan(
    settings: Settings, env: dict[str, str], only: Collection[str]
) -> tuple[list[Service], list[str]]:
    data, link = settings.paths.data, urls(settings)
    planned = datetime.now(UTC)
    services: list[Service] = []
    notes: list[str] = []

    if settings.database_url and settings.prefect_database_url:
        notes.append("postgres: skipped (RAGLINE_DATABASE_URL and RAGLINE_PREFECT_DATABASE_URL)")
    elif "postgres" in only:  # finding binaries and a system user has side effects
        services.append(postgres.service(settings, env))

    if settings.prefect_api_url:
        notes.append(f"prefect: skipped (external server {settings.prefect_api_url})")
    else:
        prefect_env = env | {
            "PREFECT_SERVER_DATABASE_CONNECTION_URL": settings.endpoints.prefect_database,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
            **PREFECT_SERVER_TUNING,
        }
        argv = [venv_bin("prefect"), *"server start --host 127.0.0.1 --port".split()]
        services.append(
            Service(
                name="prefect",
                argv=[*argv, str(settings.prefect_port)],
                env=prefect_env,
                ready=lambda: http_ok(f"{settings.endpoints.prefect_api}/health"),
                url=link["prefect"],
                timeout_s=120.0,  # the first start runs the migrations
                stage=1,
            )
        )

    if settings.chroma_url:
        notes.append(f"chroma: skipped (external server {settings.chroma_url})")
    else:
        argv = [venv_bin("chroma"), "run", "--path", str(data / "chroma"), "--host", "127.0.0.1"]
        services.append(
            Service(
                name="chroma",
                argv=[*argv, "--port", str(settings.chroma_port)],
                env=env,
                ready=lambda: http_ok(f"{settings.endpoints.chroma}/api/v2/heartbeat"),
                url=link["chroma"],
                timeout_s=60.0,
                stage=1,
            )
        )

    if not settings.mail_enabled or settings.smtp_host not in LOCAL_HOSTS:
        notes.append("mail: skipped (mail disabled or RAGLINE_SMTP_HOST is not local)")
    else:
        argv = [sys.executable, "-m", "scripts.mailsink", "--maildir", str(data / "mail")]
        services.append(
            Service(
                name="mail",
                argv=[*argv, "--host", "127.0.0.1", "--port", str(settings.smtp_port)],
                env=env,
                ready=lambda: port_in_use("127.0.0.1", settings.smtp_port),
                url=link["mail"],
                stage=1,
            )
        )

    def code_exists(name: str, relative: str) -> bool:
        if (PROJECT_ROOT / relative).is_file():
            return True
        notes.append(f"{name}: skipped ({relative} does not exist yet)")
        return False

    if code_exists("bootstrap", "ragline/bootstrap.py"):
        services.append(
            Service(
                name="bootstrap",
                argv=[sys.executable, "-m", "ragline.bootstrap"],
                env=env,
                oneshot=True,
                timeout_s=120.0,
                stage=1,
            )
        )

    if code_exists("worker", "deployments/serve.py"):
        services.append(
            Service(
                name="worker",
                argv=[sys.executable, "-m", "deployments.serve"],
                env=env | {"PREFECT_RUNNER_POLL_FREQUENCY": str(settings.runner_poll_seconds)},
                ready=lambda: _deployment_polled(settings, planned),
                url=link["worker"],
                timeout_s=90.0,
                stage=2,
            )
        )

    if code_exists("api", "api/app.py"):
        # No uvicorn access log: the API logs every request itself, with its id and user.
        argv = [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--no-access-log",
        ]
        services.append(
            Service(
                name="api",
                argv=[*argv, "--host", settings.api_host, "--port", str(settings.api_port)],
                env=env,
                ready=lambda: http_ok(f"{link['api']}/readyz"),
                url=link["api"],
                timeout_s=90.0,
                stage=2,
            )
        )
    for service in services:
        service.cwd = PROJECT_ROOT  # where prefect.yaml and the packages are
    return services, notes


def _deployment_polled(settings: Settings, since: datetime) -> bool:
    """A deployment has been polled since ``since``: the serve process is up and serving.

    ``status == READY`` alone is not enough: it survives from the previous run for a while.
    """
    body = http_get(f"{settings.endpoints.prefect_api}/deployments/filter", data=b"{}")
    polled = [d.get("last_polled") for d in json.loads(body or b"[]")]
    return any(p and datetime.fromisoformat(p) >= since for p in polled)


def service_ports(settings: Settings) -> dict[str, tuple[str, int]]:
    return {
        "postgres": ("127.0.0.1", settings.postgres_port),
        "prefect": ("127.0.0.1", settings.prefect_port),
        "chroma": ("127.0.0.1", settings.chroma_port),
        "mail": ("127.0.0.1", settings.smtp_port),
        "api": (
            "127.0.0.1" if settings.api_host in {"0.0.0.0", "::"} else settings.api_host,
            settings.api_port,
        ),
    }
