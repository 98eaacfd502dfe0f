"""What the compat tests read of a patched library: its version, signatures, source."""

from __future__ import annotations

import hashlib
import inspect
import platform
from importlib.metadata import version

from ragline import compat


def installed(library: str) -> str:
    return platform.python_version() if library == "python" else version(library)


def assert_checked(library: str) -> None:
    assert installed(library) == compat.CHECKED_AGAINST[library], (
        f"{library} is {installed(library)}, ragline.compat was checked against "
        f"{compat.CHECKED_AGAINST[library]}: re-read its patches for {library}, then bump"
    )


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def source_digest(function: object) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]  # type: ignore[arg-type]
