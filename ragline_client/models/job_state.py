from typing import Literal

JobState = Literal[
    "cancelled", "cancelling", "completed", "crashed", "failed", "pending", "running", "scheduled"
]

JOB_STATE_VALUES: set[JobState] = {
    "cancelled",
    "cancelling",
    "completed",
    "crashed",
    "failed",
    "pending",
    "running",
    "scheduled",
}


def check_job_state(value: str) -> JobState:
    if value in JOB_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {JOB_STATE_VALUES!r}")
