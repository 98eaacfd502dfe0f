"""What the stack would start, without starting anything."""

from pathlib import Path

from pydantic import SecretStr

from ragline.settings import PROJECT_ROOT, Settings
from scripts.plan import SERVICES, child_env, plan


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


def test_everything_but_postgres_in_start_order_by_stage(tmp_path: Path) -> None:
    settings = make_settings(
        data_dir=tmp_path, api_port=9123, rate_limit_storage="redis://127.0.0.1:6390"
    )
    wanted = [name for name in SERVICES if name != "postgres"]  # planning it finds binaries
    services, notes = plan(settings, child_env(settings, {}), wanted)
    assert [s.name for s in services] == wanted and notes == []
    assert [s.stage for s in services] == [1, 1, 1, 1, 1, 2, 2]
    assert [s.name for s in services if s.oneshot] == ["bootstrap"]
    assert all(s.cwd == PROJECT_ROOT for s in services)
    assert {s.name: s.url for s in services}["api"] == "http://127.0.0.1:9123"


def test_only_the_services_named_are_planned(tmp_path: Path) -> None:
    settings = make_settings(data_dir=tmp_path, mail_enabled=False)
    services, notes = plan(settings, child_env(settings, {}), ["chroma", "mail"])
    assert [s.name for s in services] == ["chroma"]
    assert notes == ["mail: skipped (mail disabled or RAGLINE_SMTP_HOST is not local)"]


def test_external_services_are_not_started(tmp_path: Path) -> None:
    settings = make_settings(
        data_dir=tmp_path,
        database_url="postgresql+psycopg://u:p@db/ragline",
        prefect_database_url="postgresql+asyncpg://u:p@db/prefect",
        prefect_api_url="http://prefect:4200/api",
        chroma_url="http://chroma:8000",
        smtp_host="smtp.example.org",
        rate_limit_storage="redis://redis.example.org:6379/0",
    )
    services, notes = plan(settings, child_env(settings, {}))
    assert [service.name for service in services] == ["bootstrap", "worker", "api"]
    assert [note.split(":")[0] for note in notes] == [
        "postgres",
        "prefect",
        "chroma",
        "mail",
        "redis",
    ]


def test_a_redis_is_started_only_for_rate_limits_counted_in_one_on_this_machine(
    tmp_path: Path,
) -> None:
    in_memory = make_settings(data_dir=tmp_path)
    assert plan(in_memory, {}, ["redis"]) == (
        [],
        ["redis: skipped (rate limits counted in memory://)"],
    )
    local = make_settings(data_dir=tmp_path, rate_limit_storage="redis://localhost:6391")
    (redis,), _ = plan(local, {}, ["redis"])
    assert Path(redis.argv[0]).name == "redis-server" and Path(redis.argv[0]).is_file()
    assert redis.argv[1:5] == ["--bind", "127.0.0.1", "--port", "6391"]
    assert str(local.paths.data / "redis") in redis.argv
