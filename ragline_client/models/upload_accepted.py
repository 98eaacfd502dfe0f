from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.document_public import DocumentPublic
    from ..models.job_public import JobPublic
    from ..models.rejected_file import RejectedFile


T = TypeVar("T", bound="UploadAccepted")


@_attrs_define
class UploadAccepted:
    """
    Attributes:
        documents (list[DocumentPublic]):
        job (JobPublic):
        rejected (list[RejectedFile] | Unset):
    """

    documents: list[DocumentPublic]
    job: JobPublic
    rejected: list[RejectedFile] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        documents = []
        for documents_item_data in self.documents:
            documents_item = documents_item_data.to_dict()
            documents.append(documents_item)

        job = self.job.to_dict()

        rejected: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.rejected, Unset):
            rejected = []
            for rejected_item_data in self.rejected:
                rejected_item = rejected_item_data.to_dict()
                rejected.append(rejected_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "documents": documents,
                "job": job,
            }
        )
        if rejected is not UNSET:
            field_dict["rejected"] = rejected

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.document_public import DocumentPublic  # noqa: PLC0415
        from ..models.job_public import JobPublic  # noqa: PLC0415
        from ..models.rejected_file import RejectedFile  # noqa: PLC0415

        d = dict(src_dict)
        documents = []
        _documents = d.pop("documents")
        for documents_item_data in _documents:
            documents_item = DocumentPublic.from_dict(documents_item_data)

            documents.append(documents_item)

        job = JobPublic.from_dict(d.pop("job"))

        _rejected = d.pop("rejected", UNSET)
        rejected: list[RejectedFile] | Unset = UNSET
        if _rejected is not UNSET:
            rejected = []
            for rejected_item_data in _rejected:
                rejected_item = RejectedFile.from_dict(rejected_item_data)

                rejected.append(rejected_item)

        upload_accepted = cls(
            documents=documents,
            job=job,
            rejected=rejected,
        )

        upload_accepted.additional_properties = d
        return upload_accepted

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
