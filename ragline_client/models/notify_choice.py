from typing import Literal

NotifyChoice = Literal["all", "failures", "none"]

NOTIFY_CHOICE_VALUES: set[NotifyChoice] = {
    "all",
    "failures",
    "none",
}


def check_notify_choice(value: str) -> NotifyChoice:
    if value in NOTIFY_CHOICE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {NOTIFY_CHOICE_VALUES!r}")
