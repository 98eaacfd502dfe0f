from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.difference import Difference


T = TypeVar("T", bound="ConsistencyReport")


@_attrs_define
class ConsistencyReport:
    """
    Attributes:
        differences (list[Difference]):
        documents (int):
        live_chunks (int):
        ok (bool):
        repaired (bool):
        requeued_job_ids (list[str]): Re-ingestion jobs of incomplete documents.
    """

    differences: list[Difference]
    documents: int
    live_chunks: int
    ok: bool
    repaired: bool
    requeued_job_ids: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        differences = []
        for differences_item_data in self.differences:
            differences_item = differences_item_data.to_dict()
            differences.append(differences_item)

        documents = self.documents

        live_chunks = self.live_chunks

        ok = self.ok

        repaired = self.repaired

        requeued_job_ids = self.requeued_job_ids

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "differences": differences,
                "documents": documents,
                "live_chunks": live_chunks,
                "ok": ok,
                "repaired": repaired,
                "requeued_job_ids": requeued_job_ids,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.difference import Difference  # noqa: PLC0415

        d = dict(src_dict)
        differences = []
        _differences = d.pop("differences")
        for differences_item_data in _differences:
            differences_item = Difference.from_dict(differences_item_data)

            differences.append(differences_item)

        documents = d.pop("documents")

        live_chunks = d.pop("live_chunks")

        ok = d.pop("ok")

        repaired = d.pop("repaired")

        requeued_job_ids = cast(list[str], d.pop("requeued_job_ids"))

        consistency_report = cls(
            differences=differences,
            documents=documents,
            live_chunks=live_chunks,
            ok=ok,
            repaired=repaired,
            requeued_job_ids=requeued_job_ids,
        )

        consistency_report.additional_properties = d
        return consistency_report

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
