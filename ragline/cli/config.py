"""Where the CLI finds the server and its token.

``ragline login`` writes ``$XDG_CONFIG_HOME/ragline/config.toml`` (``~/.config/...`` when
unset; ``RAGLINE_CONFIG`` names another file) with mode 600: the token is a credential. The
environment wins over the file, so a script or CI job needs no file: ``RAGLINE_URL`` and
``RAGLINE_TOKEN``. (The service's settings ignore both: they are not fields of it.)
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Config:
    url: str
    token: str | None
    path: Path


def config_path(env: Mapping[str, str]) -> Path:
    if env.get("RAGLINE_CONFIG"):
        return Path(env["RAGLINE_CONFIG"])
    base = Path(env["XDG_CONFIG_HOME"]) if env.get("XDG_CONFIG_HOME") else None
    return (base or Path(env.get("HOME", "~")).expanduser() / ".config") / "ragline" / "config.toml"


def load(env: Mapping[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    path = config_path(env)
    stored: dict[str, object] = tomllib.loads(path.read_text()) if path.exists() else {}
    url = env.get("RAGLINE_URL") or str(stored.get("url") or DEFAULT_URL)
    token = env.get("RAGLINE_TOKEN") or (str(stored["token"]) if stored.get("token") else None)
    return Config(url=url.rstrip("/"), token=token, path=path)


def save(path: Path, url: str, token: str) -> None:
    """Writes the file readable by its owner only, replacing it in one step."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    # Created with mode 600: there is never a moment when others may read the token.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(f"url = {_toml_string(url)}\ntoken = {_toml_string(token)}\n")
    partial.replace(path)


def _toml_string(value: str) -> str:
    # A JSON string is a TOML basic string (same quotes and escapes), provided non-ASCII
    # characters stay themselves: TOML refuses the surrogate pairs JSON would write.
    return json.dumps(value, ensure_ascii=False)
