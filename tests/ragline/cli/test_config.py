"""Where the CLI keeps the server and token, and what overrides them."""

import stat
from pathlib import Path

from ragline.cli import config


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"HOME": str(tmp_path / "home"), **extra}


def test_without_a_file_it_is_the_local_server_and_no_token(tmp_path: Path) -> None:
    loaded = config.load(env_for(tmp_path))

    assert (loaded.url, loaded.token) == (config.DEFAULT_URL, None)
    assert loaded.path == tmp_path / "home" / ".config" / "ragline" / "config.toml"


def test_a_saved_token_is_read_back_and_only_its_owner_may_read_it(tmp_path: Path) -> None:
    env = env_for(tmp_path, XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    path = config.config_path(env)

    config.save(path, "http://ragline.example:8000", 'key-"quoted"\\ünïcode')

    assert path == tmp_path / "xdg" / "ragline" / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = config.load(env)
    assert (loaded.url, loaded.token) == ("http://ragline.example:8000", 'key-"quoted"\\ünïcode')


def test_saving_again_replaces_the_file_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "c" / "config.toml"
    config.save(path, "http://a", "one")
    path.chmod(0o644)  # someone loosened it: the new file is 600 again

    config.save(path, "http://b", "two")

    assert config.load({"RAGLINE_CONFIG": str(path)}).token == "two"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["config.toml"]


def test_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config.save(path, "http://from-file", "file-token")

    loaded = config.load(
        {"RAGLINE_CONFIG": str(path), "RAGLINE_URL": "http://env/", "RAGLINE_TOKEN": "env-token"}
    )

    assert (loaded.url, loaded.token) == ("http://env", "env-token")
