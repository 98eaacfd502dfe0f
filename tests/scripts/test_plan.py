"""What the stack would start, without starting anything."""

import json
from pathlib import Path

from pydantic import SecretStr

from ragline.settings import MAX_LOCAL_WORKERS, PROJECT_ROOT, Settings
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
        data_dir=tmp_path,
        api_port=9123,
        storage_url="s3://files",
        s3_endpoint_url="http://127.0.0.1:9333",
        workers=MAX_LOCAL_WORKERS,
    )
    wanted = [name for name in SERVICES if name != "postgres"]  # planning it finds binaries
    services, notes = plan(settings, child_env(settings, {}), wanted)
    assert [s.name for s in services] == wanted and notes == []
    assert [s.stage for s in services] == [1] * 5 + [2] * (MAX_LOCAL_WORKERS + 1)
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
    )
    services, notes = plan(settings, child_env(settings, {}))
    assert [service.name for service in services] == ["bootstrap", "worker", "api"]
    assert [note.split(":")[0] for note in notes] == ["postgres", "prefect", "chroma", "mail"]


def test_seaweedfs_runs_only_for_s3_storage_on_this_host(tmp_path: Path) -> None:
    local_s3 = make_settings(
        data_dir=tmp_path,
        storage_url="s3://files/ragline",
        s3_endpoint_url="http://localhost:9000",
        s3_access_key_id="key",
        s3_secret_access_key="secret",
    )
    services, _ = plan(local_s3, child_env(local_s3, {}), ["seaweed"])
    [seaweed] = services
    assert seaweed.prepare is not None
    seaweed.prepare()
    assert "-s3.port=9000" in seaweed.argv and seaweed.url == "http://localhost:9000"
    config = json.loads((tmp_path / "seaweed" / "s3.json").read_text())
    assert config["identities"][0]["credentials"] == [{"accessKey": "key", "secretKey": "secret"}]
    for elsewhere, note in (
        ({"storage_url": "file://", "s3_endpoint_url": "http://127.0.0.1:9000"}, []),
        (
            {"storage_url": "s3://files", "s3_endpoint_url": "https://s3.example.org"},
            ["seaweed: skipped (S3 at https://s3.example.org)"],
        ),
        ({"storage_url": "s3://files"}, ["seaweed: skipped (S3 at AWS)"]),
    ):
        settings = make_settings(data_dir=tmp_path, **elsewhere)
        assert plan(settings, child_env(settings, {}), ["seaweed"]) == ([], note)


def test_each_worker_on_one_host_has_a_limit_of_its_own(tmp_path: Path) -> None:
    one = make_settings(data_dir=tmp_path, worker_name="box")
    services, notes = plan(one, child_env(one, {}), ["worker", "worker-2"])
    assert [s.name for s in services] == ["worker"] and notes == []  # no word about worker-2
    two = make_settings(data_dir=tmp_path, worker_name="box", workers=2)
    services, _ = plan(two, child_env(two, {}), ["worker", "worker-2"])
    names = [s.env["RAGLINE_WORKER_NAME"] for s in services]
    assert [s.name for s in services] == ["worker", "worker-2"] and names == ["box", "box-2"]
    assert services[0].argv == services[1].argv and services[1].url == services[0].url
