from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.prefect_links_deployments import PrefectLinksDeployments


T = TypeVar("T", bound="PrefectLinks")


@_attrs_define
class PrefectLinks:
    """
    Attributes:
        deployments (PrefectLinksDeployments): deployment name -> its page
        runs (str):
        ui (str):
        work_pool (str):
    """

    deployments: PrefectLinksDeployments
    runs: str
    ui: str
    work_pool: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        deployments = self.deployments.to_dict()

        runs = self.runs

        ui = self.ui

        work_pool = self.work_pool

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "deployments": deployments,
                "runs": runs,
                "ui": ui,
                "work_pool": work_pool,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prefect_links_deployments import PrefectLinksDeployments  # noqa: PLC0415

        d = dict(src_dict)
        deployments = PrefectLinksDeployments.from_dict(d.pop("deployments"))

        runs = d.pop("runs")

        ui = d.pop("ui")

        work_pool = d.pop("work_pool")

        prefect_links = cls(
            deployments=deployments,
            runs=runs,
            ui=ui,
            work_pool=work_pool,
        )

        prefect_links.additional_properties = d
        return prefect_links

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
