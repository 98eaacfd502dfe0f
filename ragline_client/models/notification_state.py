from typing import Literal

NotificationState = Literal["failed", "pending", "sent"]

NOTIFICATION_STATE_VALUES: set[NotificationState] = {
    "failed",
    "pending",
    "sent",
}


def check_notification_state(value: str) -> NotificationState:
    if value in NOTIFICATION_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {NOTIFICATION_STATE_VALUES!r}")
