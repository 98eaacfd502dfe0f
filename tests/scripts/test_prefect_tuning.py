"""Prefect settings for our own server's clients, and none for someone else's server."""

import ssl
from pathlib import Path

from ragline.settings import Settings
from scripts.environment import child_env
from scripts.plan import plan
from scripts.prefect_tuning import PREFECT_SERVER_TUNING


def make_settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_clients_of_our_own_prefect_server_skip_csrf_and_the_full_ca_bundle(
    tmp_path: Path,
) -> None:
    env = child_env(make_settings(data_dir=tmp_path), {})
    assert env["PREFECT_CLIENT_CSRF_SUPPORT_ENABLED"] == "false"
    bundle = Path(env["PREFECT_API_SSL_CERT_FILE"])
    assert bundle.read_text().count("BEGIN CERTIFICATE") == 1
    ssl.create_default_context(cafile=bundle)  # a bundle Prefect's client can load
    assert child_env(make_settings(data_dir=tmp_path), {}) == env  # written once, reused


def test_clients_of_someone_elses_prefect_server_keep_prefects_defaults(tmp_path: Path) -> None:
    settings = make_settings(data_dir=tmp_path, prefect_api_url="https://prefect.example/api")
    env = child_env(settings, {})
    assert "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED" not in env
    assert "PREFECT_API_SSL_CERT_FILE" not in env


def test_our_prefect_server_records_task_runs_in_batches(tmp_path: Path) -> None:
    settings = make_settings(data_dir=tmp_path)
    (server,) = plan(settings, child_env(settings, {}), ["prefect"])[0]
    assert PREFECT_SERVER_TUNING and PREFECT_SERVER_TUNING.items() <= server.env.items()
