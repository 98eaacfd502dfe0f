from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Difference")


@_attrs_define
class Difference:
    """
    Attributes:
        chunks (int):
        document_id (str):
        index (str): vectors (Chroma) or keywords (the keyword index).
        kind (str): orphaned: not live and not being ingested; missing: a live version lacks chunks (negative: has
            extra).
        owner_id (None | str):
        version_id (str):
    """

    chunks: int
    document_id: str
    index: str
    kind: str
    owner_id: None | str
    version_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunks = self.chunks

        document_id = self.document_id

        index = self.index

        kind = self.kind

        owner_id: None | str
        owner_id = self.owner_id

        version_id = self.version_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunks": chunks,
                "document_id": document_id,
                "index": index,
                "kind": kind,
                "owner_id": owner_id,
                "version_id": version_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chunks = d.pop("chunks")

        document_id = d.pop("document_id")

        index = d.pop("index")

        kind = d.pop("kind")

        def _parse_owner_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        owner_id = _parse_owner_id(d.pop("owner_id"))

        version_id = d.pop("version_id")

        difference = cls(
            chunks=chunks,
            document_id=document_id,
            index=index,
            kind=kind,
            owner_id=owner_id,
            version_id=version_id,
        )

        difference.additional_properties = d
        return difference

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
