"""``small_stack``: PostgreSQL, Chroma and the mail sink, once per test module."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ragline.settings import Settings
from scripts.stack import Stack


@pytest.fixture(scope="module")
def small_stack(
    tmp_path_factory: pytest.TempPathFactory, stack_settings: Callable[..., Settings]
) -> Iterator[Stack]:
    settings = stack_settings(tmp_path_factory.mktemp("small"))
    with Stack(settings, only={"postgres", "chroma", "mail"}) as stack:
        yield stack
