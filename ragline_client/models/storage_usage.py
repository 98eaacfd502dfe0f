from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StorageUsage")


@_attrs_define
class StorageUsage:
    """What the caller stores against what they may store (null: no limit).

    Attributes:
        bytes_allowed (int | None):
        bytes_used (int): Bytes of the current file of each of their documents.
        documents (int):
        documents_allowed (int | None):
    """

    bytes_allowed: int | None
    bytes_used: int
    documents: int
    documents_allowed: int | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bytes_allowed: int | None
        bytes_allowed = self.bytes_allowed

        bytes_used = self.bytes_used

        documents = self.documents

        documents_allowed: int | None
        documents_allowed = self.documents_allowed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bytes_allowed": bytes_allowed,
                "bytes_used": bytes_used,
                "documents": documents,
                "documents_allowed": documents_allowed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_bytes_allowed(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        bytes_allowed = _parse_bytes_allowed(d.pop("bytes_allowed"))

        bytes_used = d.pop("bytes_used")

        documents = d.pop("documents")

        def _parse_documents_allowed(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        documents_allowed = _parse_documents_allowed(d.pop("documents_allowed"))

        storage_usage = cls(
            bytes_allowed=bytes_allowed,
            bytes_used=bytes_used,
            documents=documents,
            documents_allowed=documents_allowed,
        )

        storage_usage.additional_properties = d
        return storage_usage

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
