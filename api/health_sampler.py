"""The system's health now (components, job queue, disk), and the loop that samples it into
PostgreSQL for the health page's chart of the last hour.

Every API process runs the loop; :func:`ragline.health.store_sample` keeps one sample per
interval whichever process takes it, and prunes those past ``health_retention_hours``.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlmodel import Session

from api.health_checks import components
from api.loops import every
from api.schemas import ComponentHealth
from api.services import Services
from ragline import health
from ragline.db import session_scope
from ragline.models import HealthSample, utcnow


@dataclass(frozen=True)
class HealthNow:
    components: dict[str, ComponentHealth]
    queue: health.Queue
    disk: health.Disk


async def health_now(services: Services) -> HealthNow:
    def read() -> tuple[health.Queue, health.Disk]:
        with Session(services.engine) as session:
            return health.queue(session), health.disk(services.settings.paths.data)

    found, (queue, disk) = await asyncio.gather(components(services), asyncio.to_thread(read))
    return HealthNow(found, queue, disk)


class HealthSampler:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.every_s = services.settings.health_sample_seconds

    async def run_forever(self) -> None:
        await every("health samples", self.every_s, self.sample_once)

    async def sample_once(self) -> bool:
        """Takes a sample and stores it, unless another process just did."""
        now = await health_now(self.services)
        sample = HealthSample(
            taken_at=utcnow(),
            components={
                name: {"ok": c.ok, "latency_ms": c.latency_ms} for name, c in now.components.items()
            },
            scheduled=now.queue.scheduled,
            running=now.queue.running,
            late=now.queue.late,
            oldest_waiting_s=now.queue.oldest_waiting_s,
            disk_free_bytes=now.disk.free_bytes,
        )
        keep = self.services.settings.health_retention_hours

        def store() -> bool:
            with session_scope(self.services.engine) as session:
                return health.store_sample(session, sample, self.every_s, keep)

        return await asyncio.to_thread(store)
