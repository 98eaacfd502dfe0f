"""Prefect settings that make our own Prefect server, and its clients, cheaper to run.

They apply only to the server the local stack starts (and the clients that talk to it): an
external server (``RAGLINE_PREFECT_API_URL``) keeps Prefect's defaults. What each one saves is
measured by ``bench/prefect_costs.py`` (``--prefect-defaults`` runs it without the server's).
"""

from __future__ import annotations

import os
from pathlib import Path

import certifi

from ragline.settings import Settings

# Task runs are recorded in batches, at most a second late, instead of one transaction per
# state change: the server's CPU per task is what ingestion waits on between stages. The
# price is that a task run may show in Prefect's UI a second after it ran.
PREFECT_SERVER_TUNING = {
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "100",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_FLUSH_INTERVAL": "1",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_READ_BATCH_SIZE": "100",
    # Documents waiting for a slot (flows/slots.py) ask again within a second, not after up
    # to 30 s: a freed slot is taken at once. Leases kept on disk survive a server restart,
    # so a restart mid-job leaves no slot taken for good.
    "PREFECT_SERVER_CONCURRENCY_MAXIMUM_CONCURRENCY_SLOT_WAIT_SECONDS": "1",
    "PREFECT_SERVER_CONCURRENCY_LEASE_STORAGE": (
        "prefect.server.concurrency.lease_storage.filesystem"
    ),
}


def local_prefect_client_env(settings: Settings) -> dict[str, str]:
    """Prefect client settings for the server we start: plain HTTP, no CSRF protection.

    Prefect's engine opens a new API client for every subflow (for the task run that stands
    for it in the parent run). Each new client asks for a CSRF token before its first write
    and builds a TLS context from certifi's whole CA bundle, though our server speaks plain
    HTTP on 127.0.0.1 and has CSRF protection off. Both cost CPU per document, on the worker
    and on the server, for nothing: skip the token and hand the client a one-certificate
    bundle, which no connection to this server uses.
    """
    if settings.prefect_api_url:
        return {}
    return {
        "PREFECT_CLIENT_CSRF_SUPPORT_ENABLED": "false",
        "PREFECT_API_SSL_CERT_FILE": str(unused_ca_bundle(settings.paths.data / "prefect")),
    }


def unused_ca_bundle(folder: Path) -> Path:
    """A CA bundle holding certifi's first certificate: cheap to load, never consulted."""
    path = folder / "plain-http-ca.pem"
    if not path.exists():
        bundle = Path(certifi.where()).read_text()
        end = "-----END CERTIFICATE-----"
        first = bundle[bundle.index("-----BEGIN CERTIFICATE-----") : bundle.index(end) + len(end)]
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(first + "\n")
        partial.replace(path)  # never a half-written bundle, which every client would fail on
    return path
