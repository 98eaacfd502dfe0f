from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.notification_channel import NotificationChannel, check_notification_channel
from ..models.notification_state import NotificationState, check_notification_state

T = TypeVar("T", bound="NotificationPublic")


@_attrs_define
class NotificationPublic:
    """
    Attributes:
        attempts (int):
        channel (NotificationChannel):
        created_at (datetime.datetime):
        id (str):
        job_id (str):
        last_error (None | str):
        last_status (int | None):
        next_attempt_at (datetime.datetime):
        sent_at (datetime.datetime | None):
        state (NotificationState):
        target (str):
    """

    attempts: int
    channel: NotificationChannel
    created_at: datetime.datetime
    id: str
    job_id: str
    last_error: None | str
    last_status: int | None
    next_attempt_at: datetime.datetime
    sent_at: datetime.datetime | None
    state: NotificationState
    target: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        channel: str = self.channel

        created_at = self.created_at.isoformat()

        id = self.id

        job_id = self.job_id

        last_error: None | str
        last_error = self.last_error

        last_status: int | None
        last_status = self.last_status

        next_attempt_at = self.next_attempt_at.isoformat()

        sent_at: None | str
        if isinstance(self.sent_at, datetime.datetime):
            sent_at = self.sent_at.isoformat()
        else:
            sent_at = self.sent_at

        state: str = self.state

        target = self.target

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "channel": channel,
                "created_at": created_at,
                "id": id,
                "job_id": job_id,
                "last_error": last_error,
                "last_status": last_status,
                "next_attempt_at": next_attempt_at,
                "sent_at": sent_at,
                "state": state,
                "target": target,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempts = d.pop("attempts")

        channel = check_notification_channel(d.pop("channel"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        job_id = d.pop("job_id")

        def _parse_last_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last_error = _parse_last_error(d.pop("last_error"))

        def _parse_last_status(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_status = _parse_last_status(d.pop("last_status"))

        next_attempt_at = datetime.datetime.fromisoformat(d.pop("next_attempt_at"))

        def _parse_sent_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sent_at_type_0 = datetime.datetime.fromisoformat(data)

                return sent_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        sent_at = _parse_sent_at(d.pop("sent_at"))

        state = check_notification_state(d.pop("state"))

        target = d.pop("target")

        notification_public = cls(
            attempts=attempts,
            channel=channel,
            created_at=created_at,
            id=id,
            job_id=job_id,
            last_error=last_error,
            last_status=last_status,
            next_attempt_at=next_attempt_at,
            sent_at=sent_at,
            state=state,
            target=target,
        )

        notification_public.additional_properties = d
        return notification_public

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
