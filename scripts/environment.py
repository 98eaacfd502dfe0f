"""What every process of the local stack sees: the resolved settings as ``RAGLINE_``
variables, no stray ``RAGLINE_``/Prefect settings of the developer's shell, Prefect's client
settings and credentials, and the offline and no-telemetry switches."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping

from pydantic import SecretStr

from ragline.credentials import kept_secret
from ragline.settings import Settings
from scripts.prefect_tuning import local_prefect_client_env
from scripts.services import LOCAL_HOSTS

# A developer's Prefect settings that would point our processes at another server or profile.
_FOREIGN_PREFECT = (
    "PREFECT_API_",
    "PREFECT_SERVER_",
    "PREFECT_UI_",
    "PREFECT_HOME",
    "PREFECT_PROFILE",
    "PREFECT_DEBUG_MODE",
)


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
    if auth := prefect_auth(settings):
        env.update(PREFECT_API_AUTH_STRING=auth, RAGLINE_PREFECT_AUTH_STRING=auth)
    return env


def prefect_auth(settings: Settings) -> str | None:
    """The credentials of Prefect's API: the ones configured, else, when our own server
    listens beyond loopback, ones generated once and kept in DATA_DIR/prefect_auth."""
    if settings.prefect_auth_string:
        return settings.prefect_auth_string.get_secret_value()
    if settings.prefect_api_url or settings.prefect_host in LOCAL_HOSTS:
        return None
    settings.paths.data.mkdir(parents=True, exist_ok=True)
    new = "ragline:" + secrets.token_urlsafe(24)
    return kept_secret(str(settings.paths.data / "prefect_auth"), new)
