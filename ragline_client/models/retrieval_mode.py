from typing import Literal

RetrievalMode = Literal["dense", "hybrid", "keyword"]

RETRIEVAL_MODE_VALUES: set[RetrievalMode] = {
    "dense",
    "hybrid",
    "keyword",
}


def check_retrieval_mode(value: str) -> RetrievalMode:
    if value in RETRIEVAL_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {RETRIEVAL_MODE_VALUES!r}")
