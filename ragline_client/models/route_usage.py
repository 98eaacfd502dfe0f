from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RouteUsage")


@_attrs_define
class RouteUsage:
    """
    Attributes:
        client_errors (int): Answers 400 to 499.
        count (int):
        error_rate (float): errors / count.
        errors (int): Answers 500 and above.
        method (str):
        p50_ms (float | None):
        p95_ms (float | None):
        route (str):
    """

    client_errors: int
    count: int
    error_rate: float
    errors: int
    method: str
    p50_ms: float | None
    p95_ms: float | None
    route: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_errors = self.client_errors

        count = self.count

        error_rate = self.error_rate

        errors = self.errors

        method = self.method

        p50_ms: float | None
        p50_ms = self.p50_ms

        p95_ms: float | None
        p95_ms = self.p95_ms

        route = self.route

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_errors": client_errors,
                "count": count,
                "error_rate": error_rate,
                "errors": errors,
                "method": method,
                "p50_ms": p50_ms,
                "p95_ms": p95_ms,
                "route": route,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_errors = d.pop("client_errors")

        count = d.pop("count")

        error_rate = d.pop("error_rate")

        errors = d.pop("errors")

        method = d.pop("method")

        def _parse_p50_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p50_ms = _parse_p50_ms(d.pop("p50_ms"))

        def _parse_p95_ms(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        p95_ms = _parse_p95_ms(d.pop("p95_ms"))

        route = d.pop("route")

        route_usage = cls(
            client_errors=client_errors,
            count=count,
            error_rate=error_rate,
            errors=errors,
            method=method,
            p50_ms=p50_ms,
            p95_ms=p95_ms,
            route=route,
        )

        route_usage.additional_properties = d
        return route_usage

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
