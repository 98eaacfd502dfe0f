"""What the API process holds for its lifetime, built once by the app factory.

Routes never reach for these directly: ``api/deps.py`` hands each route what it needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from api.access_watch import AccessWatch
from api.job_finished import OnJobFinished
from api.job_sync import JobSync
from api.live import Hub
from api.notification_sender import NotificationSender
from api.outbox import Outbox
from api.prefect_gateway import PrefectGateway
from api.publisher import Publisher
from api.reconciler import Reconciler
from api.usage import UsageRecorder
from ragline.db import get_engine
from ragline.settings import Settings
from ragline.storage import FileStore, open_file_store
from ragline.vectorstore import VectorStore, get_vector_store


@dataclass(frozen=True)
class Services:
    settings: Settings
    engine: Engine
    gateway: PrefectGateway
    vector_store: VectorStore
    files: FileStore
    hub: Hub
    outbox: Outbox
    sync: JobSync
    reconciler: Reconciler
    access_watch: AccessWatch
    sender: NotificationSender
    usage: UsageRecorder

    @classmethod
    def build(cls, settings: Settings) -> Services:
        endpoints = settings.endpoints
        engine = get_engine(settings)
        auth = settings.prefect_auth_string
        gateway = PrefectGateway(
            endpoints.prefect_api,
            ui_url=endpoints.prefect_ui,
            auth_string=auth.get_secret_value() if auth else None,
        )
        vector_store = get_vector_store(endpoints.chroma, settings.chroma_collection_prefix)
        hub = Hub()
        outbox = Outbox(engine, gateway)
        sender = NotificationSender(engine, settings)
        sync = JobSync(engine, vector_store, gateway.ui_url, OnJobFinished(settings, sender.wake))
        reconciler = Reconciler(
            engine,
            endpoints.app_database,
            gateway,
            outbox,
            sync,
            Publisher(engine, hub, gateway.ui_url),
            # A worker that has not polled for this long is gone (it polls every few seconds).
            worker_stale_after_s=worker_stale_after_s(settings),
            crashed_after_s=settings.crashed_after_s,
        )
        return cls(
            settings=settings,
            engine=engine,
            gateway=gateway,
            vector_store=vector_store,
            files=open_file_store(settings),
            hub=hub,
            outbox=outbox,
            sync=sync,
            reconciler=reconciler,
            access_watch=AccessWatch(engine, endpoints.app_database, hub, settings),
            sender=sender,
            usage=UsageRecorder(engine, settings.analytics_flush_seconds),
        )


def worker_stale_after_s(settings: Settings) -> float:
    return max(5.0, 3.0 * settings.runner_poll_seconds)
