from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DayUsage")


@_attrs_define
class DayUsage:
    """
    Attributes:
        bytes_ (int): Bytes uploaded.
        day (datetime.date):
        documents (int): Documents ingested by jobs that ended.
        failed (int): Documents that failed.
        questions (int):
        requests (int):
        uploads (int): Upload requests accepted.
        user (str): A username, or "-" for calls nobody signed.
    """

    bytes_: int
    day: datetime.date
    documents: int
    failed: int
    questions: int
    requests: int
    uploads: int
    user: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        bytes_ = self.bytes_

        day = self.day.isoformat()

        documents = self.documents

        failed = self.failed

        questions = self.questions

        requests = self.requests

        uploads = self.uploads

        user = self.user

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "bytes": bytes_,
                "day": day,
                "documents": documents,
                "failed": failed,
                "questions": questions,
                "requests": requests,
                "uploads": uploads,
                "user": user,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bytes_ = d.pop("bytes")

        day = datetime.date.fromisoformat(d.pop("day"))

        documents = d.pop("documents")

        failed = d.pop("failed")

        questions = d.pop("questions")

        requests = d.pop("requests")

        uploads = d.pop("uploads")

        user = d.pop("user")

        day_usage = cls(
            bytes_=bytes_,
            day=day,
            documents=documents,
            failed=failed,
            questions=questions,
            requests=requests,
            uploads=uploads,
            user=user,
        )

        day_usage.additional_properties = d
        return day_usage

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
