from typing import Literal

DocumentStatus = Literal["cancelled", "failed", "processing", "queued", "ready"]

DOCUMENT_STATUS_VALUES: set[DocumentStatus] = {
    "cancelled",
    "failed",
    "processing",
    "queued",
    "ready",
}


def check_document_status(value: str) -> DocumentStatus:
    if value in DOCUMENT_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {DOCUMENT_STATUS_VALUES!r}")
