from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.notify_choice import NotifyChoice, check_notify_choice

T = TypeVar("T", bound="UserPublic")


@_attrs_define
class UserPublic:
    """
    Attributes:
        created_at (datetime.datetime):
        disabled (bool):
        email (None | str):
        id (str):
        is_admin (bool):
        notify (NotifyChoice): Which of a user's job ends are notified (by mail and webhook).
        quota_bytes (int | None): Most bytes the user may store; null: the default (RAGLINE_QUOTA_BYTES).
        quota_documents (int | None): Most documents; null: the server's default (RAGLINE_QUOTA_DOCUMENTS).
        username (str):
    """

    created_at: datetime.datetime
    disabled: bool
    email: None | str
    id: str
    is_admin: bool
    notify: NotifyChoice
    quota_bytes: int | None
    quota_documents: int | None
    username: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        disabled = self.disabled

        email: None | str
        email = self.email

        id = self.id

        is_admin = self.is_admin

        notify: str = self.notify

        quota_bytes: int | None
        quota_bytes = self.quota_bytes

        quota_documents: int | None
        quota_documents = self.quota_documents

        username = self.username

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "disabled": disabled,
                "email": email,
                "id": id,
                "is_admin": is_admin,
                "notify": notify,
                "quota_bytes": quota_bytes,
                "quota_documents": quota_documents,
                "username": username,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        disabled = d.pop("disabled")

        def _parse_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email = _parse_email(d.pop("email"))

        id = d.pop("id")

        is_admin = d.pop("is_admin")

        notify = check_notify_choice(d.pop("notify"))

        def _parse_quota_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        quota_bytes = _parse_quota_bytes(d.pop("quota_bytes"))

        def _parse_quota_documents(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        quota_documents = _parse_quota_documents(d.pop("quota_documents"))

        username = d.pop("username")

        user_public = cls(
            created_at=created_at,
            disabled=disabled,
            email=email,
            id=id,
            is_admin=is_admin,
            notify=notify,
            quota_bytes=quota_bytes,
            quota_documents=quota_documents,
            username=username,
        )

        user_public.additional_properties = d
        return user_public

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
