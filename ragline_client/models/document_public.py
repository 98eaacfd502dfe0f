from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.document_status import DocumentStatus, check_document_status

T = TypeVar("T", bound="DocumentPublic")


@_attrs_define
class DocumentPublic:
    """
    Attributes:
        chunks (int):
        content_type (str):
        created_at (datetime.datetime):
        error (None | str):
        filename (str):
        id (str):
        last_job_id (None | str):
        sha256 (str):
        size_bytes (int):
        status (DocumentStatus):
        updated_at (datetime.datetime):
    """

    chunks: int
    content_type: str
    created_at: datetime.datetime
    error: None | str
    filename: str
    id: str
    last_job_id: None | str
    sha256: str
    size_bytes: int
    status: DocumentStatus
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunks = self.chunks

        content_type = self.content_type

        created_at = self.created_at.isoformat()

        error: None | str
        error = self.error

        filename = self.filename

        id = self.id

        last_job_id: None | str
        last_job_id = self.last_job_id

        sha256 = self.sha256

        size_bytes = self.size_bytes

        status: str = self.status

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunks": chunks,
                "content_type": content_type,
                "created_at": created_at,
                "error": error,
                "filename": filename,
                "id": id,
                "last_job_id": last_job_id,
                "sha256": sha256,
                "size_bytes": size_bytes,
                "status": status,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chunks = d.pop("chunks")

        content_type = d.pop("content_type")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        filename = d.pop("filename")

        id = d.pop("id")

        def _parse_last_job_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_job_id = _parse_last_job_id(d.pop("last_job_id"))

        sha256 = d.pop("sha256")

        size_bytes = d.pop("size_bytes")

        status = check_document_status(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        document_public = cls(
            chunks=chunks,
            content_type=content_type,
            created_at=created_at,
            error=error,
            filename=filename,
            id=id,
            last_job_id=last_job_id,
            sha256=sha256,
            size_bytes=size_bytes,
            status=status,
            updated_at=updated_at,
        )

        document_public.additional_properties = d
        return document_public

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
