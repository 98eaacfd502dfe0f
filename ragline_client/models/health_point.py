from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.health_point_latency_ms import HealthPointLatencyMs
    from ..models.health_point_ok import HealthPointOk


T = TypeVar("T", bound="HealthPoint")


@_attrs_define
class HealthPoint:
    """
    Attributes:
        at (datetime.datetime):
        disk_free_bytes (int | None):
        late (int):
        latency_ms (HealthPointLatencyMs):
        ok (HealthPointOk):
        running (int):
        scheduled (int):
    """

    at: datetime.datetime
    disk_free_bytes: int | None
    late: int
    latency_ms: HealthPointLatencyMs
    ok: HealthPointOk
    running: int
    scheduled: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        disk_free_bytes: int | None
        disk_free_bytes = self.disk_free_bytes

        late = self.late

        latency_ms = self.latency_ms.to_dict()

        ok = self.ok.to_dict()

        running = self.running

        scheduled = self.scheduled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "disk_free_bytes": disk_free_bytes,
                "late": late,
                "latency_ms": latency_ms,
                "ok": ok,
                "running": running,
                "scheduled": scheduled,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.health_point_latency_ms import HealthPointLatencyMs  # noqa: PLC0415
        from ..models.health_point_ok import HealthPointOk  # noqa: PLC0415

        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_disk_free_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        disk_free_bytes = _parse_disk_free_bytes(d.pop("disk_free_bytes"))

        late = d.pop("late")

        latency_ms = HealthPointLatencyMs.from_dict(d.pop("latency_ms"))

        ok = HealthPointOk.from_dict(d.pop("ok"))

        running = d.pop("running")

        scheduled = d.pop("scheduled")

        health_point = cls(
            at=at,
            disk_free_bytes=disk_free_bytes,
            late=late,
            latency_ms=latency_ms,
            ok=ok,
            running=running,
            scheduled=scheduled,
        )

        health_point.additional_properties = d
        return health_point

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
