from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.day_usage import DayUsage
    from ..models.route_usage import RouteUsage


T = TypeVar("T", bound="Analytics")


@_attrs_define
class Analytics:
    """
    Attributes:
        days (int):
        per_day (list[DayUsage]):
        per_route (list[RouteUsage]):
    """

    days: int
    per_day: list[DayUsage]
    per_route: list[RouteUsage]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        days = self.days

        per_day = []
        for per_day_item_data in self.per_day:
            per_day_item = per_day_item_data.to_dict()
            per_day.append(per_day_item)

        per_route = []
        for per_route_item_data in self.per_route:
            per_route_item = per_route_item_data.to_dict()
            per_route.append(per_route_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "days": days,
                "per_day": per_day,
                "per_route": per_route,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.day_usage import DayUsage  # noqa: PLC0415
        from ..models.route_usage import RouteUsage  # noqa: PLC0415

        d = dict(src_dict)
        days = d.pop("days")

        per_day = []
        _per_day = d.pop("per_day")
        for per_day_item_data in _per_day:
            per_day_item = DayUsage.from_dict(per_day_item_data)

            per_day.append(per_day_item)

        per_route = []
        _per_route = d.pop("per_route")
        for per_route_item_data in _per_route:
            per_route_item = RouteUsage.from_dict(per_route_item_data)

            per_route.append(per_route_item)

        analytics = cls(
            days=days,
            per_day=per_day,
            per_route=per_route,
        )

        analytics.additional_properties = d
        return analytics

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
