"""Which files an upload sends, and how they are split into requests."""

from pathlib import Path

import pytest

from ragline.cli.selection import SelectionError, batches, select_files


def tree(root: Path, *paths: str) -> None:
    for path in paths:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(path)


def test_a_folder_needs_recursive(tmp_path: Path) -> None:
    tree(tmp_path, "docs/a.md")

    with pytest.raises(SelectionError, match="--recursive"):
        select_files([tmp_path / "docs"], recursive=False)


def test_recursive_takes_every_visible_file_once_in_order(tmp_path: Path) -> None:
    tree(tmp_path, "docs/b.md", "docs/a.md", "docs/sub/c.txt", "docs/.git/x", "docs/.hidden.md")

    selection = select_files([tmp_path / "docs", tmp_path / "docs" / "a.md"], recursive=True)

    assert [f.name for f in selection.files] == ["a.md", "b.md", "c.txt"]
    assert selection.files[0].size == len("docs/a.md")
    assert selection.same_name == []


def test_a_second_file_of_the_same_name_is_left_out_not_sent_as_a_new_version(
    tmp_path: Path,
) -> None:
    tree(tmp_path, "a/readme.md", "b/readme.md")

    selection = select_files([tmp_path], recursive=True)

    assert [f.path for f in selection.files] == [tmp_path / "a" / "readme.md"]
    assert selection.same_name == [(tmp_path / "b" / "readme.md", tmp_path / "a" / "readme.md")]


def test_a_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SelectionError, match="no such file"):
        select_files([tmp_path / "nope.pdf"], recursive=False)


def test_requests_hold_at_most_the_servers_file_limit(tmp_path: Path) -> None:
    tree(tmp_path, *(f"f{n:02d}.md" for n in range(7)))
    files = select_files([tmp_path], recursive=True).files

    split = batches(files, 3)

    assert [len(b) for b in split] == [3, 3, 1]
    assert [f for b in split for f in b] == files
