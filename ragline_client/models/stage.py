from typing import Literal

Stage = Literal[
    "cancelled",
    "chunking",
    "done",
    "embedding",
    "failed",
    "parsing",
    "queued",
    "skipped",
    "storing",
]

STAGE_VALUES: set[Stage] = {
    "cancelled",
    "chunking",
    "done",
    "embedding",
    "failed",
    "parsing",
    "queued",
    "skipped",
    "storing",
}


def check_stage(value: str) -> Stage:
    if value in STAGE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {STAGE_VALUES!r}")
