"""The name a file is stored and shown under, from whatever name a client sent.

Files are stored by their content's hash, never by this name, so a name cannot reach the
file system; it is still shown in lists, citations and mails, so it loses what could
mislead a reader or a terminal: folders (``../``, ``C:\\``), control characters (NUL),
bidi overrides that make ``exe.txt`` read as ``txt.exe``, leading dots and runs of spaces.
Reserved Windows device names (``CON``, ``NUL.txt``) are kept: they are only ever text here.
"""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from ragline.errors import InvalidInput

MAX_CHARS = 200
"""Longer names are cut, keeping their extension."""


def clean_filename(raw: str) -> str:
    """A display-safe name; :class:`InvalidInput` (``invalid_filename``) when nothing
    remains (no name, only dots or spaces), since a file must be told apart by its name."""
    name = PureWindowsPath(PurePosixPath(raw).name).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    name = " ".join(name.split()).strip(". ")
    if len(name) > MAX_CHARS:
        stem, dot, ext = name.rpartition(".")
        keep = MAX_CHARS - len(ext) - 1
        name = (stem[:keep] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_CHARS]
    if not name:
        raise InvalidInput(
            "A file was sent without a usable name; give it a name such as report.pdf.",
            code="invalid_filename",
        )
    return name
