"""What the stack would start, without starting anything."""

import ssl
from pathlib import Path

from pydantic import SecretStr

from ragline.settings import Settings
from scripts.plan import child_env, plan


def make_settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_children_get_the_resolved_settings_and_lose_stray_ones(tmp_path: Path) -> None:
    settings = make_settings(data_dir=tmp_path, api_port=9123, admin_password=SecretStr("pw"))
    stray = {
        "PREFECT_API_URL": "https://elsewhere/api",
        "PREFECT_PROFILES_PATH": "/tmp/profiles.toml",
        "RAGLINE_CHROMA_URL": "http://elsewhere:8000",
        "PATH": "/usr/bin",
    }
    env = child_env(settings, stray)
    assert env["PREFECT_API_URL"] == settings.endpoints.prefect_api
    assert "PREFECT_PROFILES_PATH" not in env and "RAGLINE_CHROMA_URL" not in env
    assert env["PATH"] == "/usr/bin"
    assert env["RAGLINE_DATA_DIR"] == str(tmp_path.resolve())
    assert env["RAGLINE_API_PORT"] == "9123"
    assert env["RAGLINE_ADMIN_PASSWORD"] == "pw"
    assert env["RAGLINE_RATE_LIMIT_ENABLED"] == "true"
    assert env["DO_NOT_TRACK"] == "1" and env["HF_HUB_OFFLINE"] == "1"


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


def test_external_services_are_not_started(tmp_path: Path) -> None:
    settings = make_settings(
        data_dir=tmp_path,
        database_url="postgresql+psycopg://u:p@db/ragline",
        prefect_database_url="postgresql+asyncpg://u:p@db/prefect",
        prefect_api_url="http://prefect:4200/api",
        chroma_url="http://chroma:8000",
        smtp_host="smtp.example.org",
    )
    services, notes = plan(settings, child_env(settings, {}))
    names = [service.name for service in services]
    assert not {"postgres", "prefect", "chroma", "mail"} & set(names)
    assert len(notes) >= 4
