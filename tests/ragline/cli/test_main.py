"""The console script: where pyproject points, and a refusal as one line with exit status 1."""

import sys
import tomllib
from importlib import import_module
from pathlib import Path

import pytest

from ragline.cli import main as cli
from ragline.settings import PROJECT_ROOT


def test_the_console_script_is_this_main() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    module, _, name = project["scripts"]["ragline"].partition(":")

    assert getattr(import_module(module), name) is cli.main


def test_without_a_token_a_command_says_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The environment is the command's input: a config file that does not exist, no token.
    monkeypatch.setenv("RAGLINE_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("RAGLINE_TOKEN", raising=False)
    monkeypatch.setattr(sys, "argv", ["ragline", "jobs"])

    with pytest.raises(SystemExit) as exited:
        cli.main()

    captured = capsys.readouterr()
    assert exited.value.code == 1 and captured.out == ""
    assert captured.err.splitlines() == [
        "ragline: Not logged in: run `ragline login` or set RAGLINE_TOKEN."
    ]
