from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.admin_health_components import AdminHealthComponents
    from ..models.disk_health import DiskHealth
    from ..models.health_point import HealthPoint
    from ..models.prefect_links import PrefectLinks
    from ..models.queue_health import QueueHealth
    from ..models.worker_health import WorkerHealth


T = TypeVar("T", bound="AdminHealth")


@_attrs_define
class AdminHealth:
    """
    Attributes:
        components (AdminHealthComponents):
        disk (DiskHealth):
        history (list[HealthPoint]): Samples of the last hour, oldest first.
        links (PrefectLinks):
        queue (QueueHealth):
        sample_every_s (float):
        workers (list[WorkerHealth]):
    """

    components: AdminHealthComponents
    disk: DiskHealth
    history: list[HealthPoint]
    links: PrefectLinks
    queue: QueueHealth
    sample_every_s: float
    workers: list[WorkerHealth]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        components = self.components.to_dict()

        disk = self.disk.to_dict()

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        links = self.links.to_dict()

        queue = self.queue.to_dict()

        sample_every_s = self.sample_every_s

        workers = []
        for workers_item_data in self.workers:
            workers_item = workers_item_data.to_dict()
            workers.append(workers_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "components": components,
                "disk": disk,
                "history": history,
                "links": links,
                "queue": queue,
                "sample_every_s": sample_every_s,
                "workers": workers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.admin_health_components import AdminHealthComponents  # noqa: PLC0415
        from ..models.disk_health import DiskHealth  # noqa: PLC0415
        from ..models.health_point import HealthPoint  # noqa: PLC0415
        from ..models.prefect_links import PrefectLinks  # noqa: PLC0415
        from ..models.queue_health import QueueHealth  # noqa: PLC0415
        from ..models.worker_health import WorkerHealth  # noqa: PLC0415

        d = dict(src_dict)
        components = AdminHealthComponents.from_dict(d.pop("components"))

        disk = DiskHealth.from_dict(d.pop("disk"))

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = HealthPoint.from_dict(history_item_data)

            history.append(history_item)

        links = PrefectLinks.from_dict(d.pop("links"))

        queue = QueueHealth.from_dict(d.pop("queue"))

        sample_every_s = d.pop("sample_every_s")

        workers = []
        _workers = d.pop("workers")
        for workers_item_data in _workers:
            workers_item = WorkerHealth.from_dict(workers_item_data)

            workers.append(workers_item)

        admin_health = cls(
            components=components,
            disk=disk,
            history=history,
            links=links,
            queue=queue,
            sample_every_s=sample_every_s,
            workers=workers,
        )

        admin_health.additional_properties = d
        return admin_health

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
