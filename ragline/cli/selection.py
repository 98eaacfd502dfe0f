"""Which files an upload sends, and in how many requests."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path


class SelectionError(Exception):
    """A path the user named cannot be uploaded as asked (missing, or a folder without -r)."""


@dataclass(frozen=True)
class LocalFile:
    path: Path
    size: int

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Selection:
    files: list[LocalFile]
    #: Files left out because an earlier one has the same name: ragline names a document by
    #: its file name, so the second would silently become a new version of the first.
    same_name: list[tuple[Path, Path]]


def select_files(paths: Iterable[Path], *, recursive: bool) -> Selection:
    """The files named, and with ``recursive`` those under the folders named, each once.

    Hidden files and folders (``.git``, ``.DS_Store``) under a folder are left out: nobody
    means to index them. A file named explicitly is always taken.
    """
    by_name: dict[str, LocalFile] = {}
    seen: set[Path] = set()
    same_name: list[tuple[Path, Path]] = []
    for path in paths:
        if path.is_dir():
            if not recursive:
                raise SelectionError(f"{path} is a folder: add --recursive to upload what it holds")
            candidates: Iterable[Path] = _visible_files_under(path)
        elif path.is_file():
            candidates = [path]
        else:
            raise SelectionError(f"{path}: no such file")
        for file in candidates:
            if file.resolve() in seen:
                continue
            seen.add(file.resolve())
            if file.name in by_name:
                same_name.append((file, by_name[file.name].path))
            else:
                by_name[file.name] = LocalFile(file, file.stat().st_size)
    return Selection(list(by_name.values()), same_name)


def _visible_files_under(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if path.is_file() and not hidden:
            yield path


def batches(files: Sequence[LocalFile], max_files: int) -> list[list[LocalFile]]:
    """Requests of at most ``max_files`` files (the server's limit), in the given order."""
    size = max(1, max_files)
    return [list(files[start : start + size]) for start in range(0, len(files), size)]
