"""What the stack would start, without starting anything."""

import json
import subprocess
import sys
from pathlib import Path

from ragline.settings import PROJECT_ROOT, Settings
from scripts.environment import child_env
from scripts.plan import SERVICES, plan
from scripts.services import Service, launch, terminate


def make_settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_everything_but_postgres_in_start_order_by_stage(tmp_path: Path) -> None:
    settings = make_settings(
        data_dir=tmp_path,
        api_port=9123,
        storage_url="s3://files",
        s3_endpoint_url="http://127.0.0.1:9333",
        rate_limit_storage="redis://127.0.0.1:6390",
    )
    wanted = [name for name in SERVICES if name != "postgres"]  # planning it finds binaries
    services, notes = plan(settings, child_env(settings, {}), wanted)
    assert [s.name for s in services] == wanted and notes == []
    assert [s.stage for s in services] == [1, 1, 1, 1, 1, 1, 2, 2]
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


def test_several_api_processes_share_the_port_and_sum_their_metrics(tmp_path: Path) -> None:
    one = make_settings(data_dir=tmp_path)
    (api,), _ = plan(one, child_env(one, {}), ["api"])
    assert "--workers" not in api.argv and "PROMETHEUS_MULTIPROC_DIR" not in api.env

    three = make_settings(data_dir=tmp_path, api_processes=3)
    (api,), _ = plan(three, child_env(three, {}), ["api"])
    assert api.argv[api.argv.index("--workers") + 1] == "3"
    metrics_dir = Path(api.env["PROMETHEUS_MULTIPROC_DIR"])
    metrics_dir.mkdir(parents=True)
    (metrics_dir / "counter_123.db").write_bytes(b"left by the last run")
    assert api.prepare is not None
    api.prepare()
    assert metrics_dir.is_dir() and not any(metrics_dir.iterdir())


def test_a_redis_is_started_only_for_rate_limits_counted_in_one_on_this_machine(
    tmp_path: Path,
) -> None:
    in_memory = make_settings(data_dir=tmp_path)
    assert plan(in_memory, {}, ["redis"]) == ([], [])  # not part of this layout
    remote = make_settings(data_dir=tmp_path, rate_limit_storage="redis://cache.example.org:6379")
    assert plan(remote, {}, ["redis"])[1] == [
        "redis: skipped (rate limits counted in the Redis at cache.example.org)"
    ]
    local = make_settings(data_dir=tmp_path, rate_limit_storage="redis://localhost:6391")
    (redis,), _ = plan(local, {}, ["redis"])
    assert Path(redis.argv[0]).name == "redis-server" and Path(redis.argv[0]).is_file()
    assert redis.argv[1:5] == ["--bind", "127.0.0.1", "--port", "6391"]
    assert str(local.paths.data / "redis") in redis.argv


def test_each_worker_on_one_host_has_a_limit_of_its_own(tmp_path: Path) -> None:
    one = make_settings(data_dir=tmp_path, worker_name="box")
    services, notes = plan(one, child_env(one, {}), ["worker", "worker-2"])
    assert [s.name for s in services] == ["worker"] and notes == []  # no word about worker-2
    two = make_settings(data_dir=tmp_path, worker_name="box", workers=2)
    services, _ = plan(two, child_env(two, {}), ["worker", "worker-2"])
    names = [s.env["RAGLINE_WORKER_NAME"] for s in services]
    assert [s.name for s in services] == ["worker", "worker-2"] and names == ["box", "box-2"]
    assert services[0].argv == services[1].argv and services[1].url == services[0].url
    (second,), _ = plan(two, child_env(two, {}), ["worker-2"])  # restarted on its own
    assert second.name == "worker-2"


def test_each_worker_is_ready_on_its_own_poll_not_on_another_workers(tmp_path: Path) -> None:
    """Regression: worker-2 was reported ready on worker's poll of the deployments they share."""
    settings = make_settings(data_dir=tmp_path, workers=2)
    first, second = plan(settings, child_env(settings, {}), ["worker", "worker-2"])[0]
    idle = [sys.executable, "-c", "import time; time.sleep(60)"]
    started = [
        launch(Service(name=s.name, argv=idle, env={}), settings.paths.logs, settings.paths.run)
        for s in (first, second)
    ]
    try:
        assert not first.ready() and not second.ready()  # neither has polled
        settings.paths.serving(started[0].process.pid).write_text("polled\n")
        assert first.ready() and not second.ready()
        settings.paths.serving(started[1].process.pid).write_text("polled\n")
        assert second.ready()
    finally:
        terminate(*(s.process.pid for s in started))


def test_a_killed_workers_mark_is_removed_before_a_worker_starts(tmp_path: Path) -> None:
    """So that a new serve process given the dead one's pid is not taken as serving."""
    settings = make_settings(data_dir=tmp_path)
    (worker,), _ = plan(settings, child_env(settings, {}), ["worker"])
    pid_of_gone = [sys.executable, "-c", "import os; print(os.getpid())"]
    gone = subprocess.run(pid_of_gone, capture_output=True, text=True, check=True)
    settings.paths.run.mkdir(parents=True)
    left_by_the_dead, of_the_living = (settings.paths.serving(p) for p in (int(gone.stdout), 1))
    left_by_the_dead.write_text("polled\n")
    of_the_living.write_text("polled\n")
    assert worker.prepare is not None
    worker.prepare()
    assert not left_by_the_dead.exists() and of_the_living.exists()
