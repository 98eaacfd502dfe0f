from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WebhookSaved")


@_attrs_define
class WebhookSaved:
    """
    Attributes:
        secret (None | str): The signing secret, when it is new (shown this once): verify X-Ragline-Signature =
            sha256=HMAC-SHA256(secret, body).
        secret_hint (None | str): The secret's first characters, to recognise it.
        url (None | str): Receives a signed POST when one of your jobs ends.
    """

    secret: None | str
    secret_hint: None | str
    url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        secret: None | str
        secret = self.secret

        secret_hint: None | str
        secret_hint = self.secret_hint

        url: None | str
        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "secret": secret,
                "secret_hint": secret_hint,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_secret(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        secret = _parse_secret(d.pop("secret"))

        def _parse_secret_hint(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        secret_hint = _parse_secret_hint(d.pop("secret_hint"))

        def _parse_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        url = _parse_url(d.pop("url"))

        webhook_saved = cls(
            secret=secret,
            secret_hint=secret_hint,
            url=url,
        )

        webhook_saved.additional_properties = d
        return webhook_saved

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
