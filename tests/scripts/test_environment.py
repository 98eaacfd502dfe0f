"""What every child process of the stack sees."""

from pathlib import Path

from pydantic import SecretStr

from ragline.settings import Settings
from scripts.environment import child_env


def test_children_get_the_resolved_settings_and_lose_stray_ones(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, data_dir=tmp_path, api_port=9123, admin_password=SecretStr("pw")
    )
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
