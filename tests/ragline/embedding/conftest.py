"""The tokenizer file every backend counts word pieces with."""

from __future__ import annotations

from pathlib import Path

import pytest

from ragline.model_files import ensure_tokenizer
from ragline.settings import Settings


@pytest.fixture(scope="session")
def tokenizer_file() -> Path:
    # A no-op when `make test` has already fetched it; a first plain `pytest` fetches it.
    return ensure_tokenizer(Settings().paths.models)
