from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stage import Stage, check_stage

T = TypeVar("T", bound="JobDocumentPublic")


@_attrs_define
class JobDocumentPublic:
    """
    Attributes:
        chunks_done (int):
        chunks_total (int):
        document_id (str):
        error (None | str):
        filename (str):
        finished_at (datetime.datetime | None):
        progress (float):
        sha256 (str):
        size_bytes (int):
        stage (Stage):
        started_at (datetime.datetime | None):
        updated_at (datetime.datetime):
        version_id (str): This upload's version of the document.
    """

    chunks_done: int
    chunks_total: int
    document_id: str
    error: None | str
    filename: str
    finished_at: datetime.datetime | None
    progress: float
    sha256: str
    size_bytes: int
    stage: Stage
    started_at: datetime.datetime | None
    updated_at: datetime.datetime
    version_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chunks_done = self.chunks_done

        chunks_total = self.chunks_total

        document_id = self.document_id

        error: None | str
        error = self.error

        filename = self.filename

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        progress = self.progress

        sha256 = self.sha256

        size_bytes = self.size_bytes

        stage: str = self.stage

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        updated_at = self.updated_at.isoformat()

        version_id = self.version_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chunks_done": chunks_done,
                "chunks_total": chunks_total,
                "document_id": document_id,
                "error": error,
                "filename": filename,
                "finished_at": finished_at,
                "progress": progress,
                "sha256": sha256,
                "size_bytes": size_bytes,
                "stage": stage,
                "started_at": started_at,
                "updated_at": updated_at,
                "version_id": version_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chunks_done = d.pop("chunks_done")

        chunks_total = d.pop("chunks_total")

        document_id = d.pop("document_id")

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        filename = d.pop("filename")

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        progress = d.pop("progress")

        sha256 = d.pop("sha256")

        size_bytes = d.pop("size_bytes")

        stage = check_stage(d.pop("stage"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version_id = d.pop("version_id")

        job_document_public = cls(
            chunks_done=chunks_done,
            chunks_total=chunks_total,
            document_id=document_id,
            error=error,
            filename=filename,
            finished_at=finished_at,
            progress=progress,
            sha256=sha256,
            size_bytes=size_bytes,
            stage=stage,
            started_at=started_at,
            updated_at=updated_at,
            version_id=version_id,
        )

        job_document_public.additional_properties = d
        return job_document_public

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
