from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QueueHealth")


@_attrs_define
class QueueHealth:
    """
    Attributes:
        late (int): Of those, past their start time.
        oldest_waiting_s (float | None): Age of the oldest waiting job.
        running (int): Jobs picked up (pending, running, cancelling).
        scheduled (int): Jobs waiting to be picked up.
    """

    late: int
    oldest_waiting_s: float | None
    running: int
    scheduled: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        late = self.late

        oldest_waiting_s: float | None
        oldest_waiting_s = self.oldest_waiting_s

        running = self.running

        scheduled = self.scheduled

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "late": late,
                "oldest_waiting_s": oldest_waiting_s,
                "running": running,
                "scheduled": scheduled,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        late = d.pop("late")

        def _parse_oldest_waiting_s(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        oldest_waiting_s = _parse_oldest_waiting_s(d.pop("oldest_waiting_s"))

        running = d.pop("running")

        scheduled = d.pop("scheduled")

        queue_health = cls(
            late=late,
            oldest_waiting_s=oldest_waiting_s,
            running=running,
            scheduled=scheduled,
        )

        queue_health.additional_properties = d
        return queue_health

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
