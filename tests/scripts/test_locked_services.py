"""Prefect and Chroma listen on loopback; bound elsewhere, Prefect wants credentials that the
stack generates and keeps in the data directory, and Chroma (which checks none) is refused."""

from __future__ import annotations

import base64
import json
import stat
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import SecretStr

from ragline.settings import Settings
from scripts.environment import child_env
from scripts.plan import plan
from scripts.services import Service, StartupError
from scripts.stack import Stack


def make_settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def planned(settings: Settings, name: str) -> Service:
    (service,) = plan(settings, child_env(settings, {}), [name])[0]
    return service


def test_by_default_both_listen_on_loopback_and_nobody_needs_credentials(tmp_path: Path) -> None:
    settings = make_settings(data_dir=tmp_path)
    for name in ("prefect", "chroma"):
        argv = planned(settings, name).argv
        assert argv[argv.index("--host") + 1] == "127.0.0.1"
    env = child_env(settings, {})
    assert "PREFECT_API_AUTH_STRING" not in env
    assert "PREFECT_SERVER_API_AUTH_STRING" not in planned(settings, "prefect").env
    assert not (tmp_path / "prefect_auth").exists()


def test_prefect_bound_elsewhere_requires_credentials_every_client_gets(tmp_path: Path) -> None:
    settings = make_settings(data_dir=tmp_path, prefect_host="0.0.0.0")
    server = planned(settings, "prefect")
    assert server.argv[server.argv.index("--host") + 1] == "0.0.0.0"
    auth = server.env["PREFECT_SERVER_API_AUTH_STRING"]
    assert auth.startswith("ragline:") and len(auth) > 30
    kept = tmp_path / "prefect_auth"
    assert kept.read_text() == auth
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    env = child_env(settings, {})  # what the worker, the API and the bootstrap start with
    assert env["PREFECT_API_AUTH_STRING"] == auth
    assert env["RAGLINE_PREFECT_AUTH_STRING"] == auth  # the API's own REST client
    for name in ("worker", "api", "bootstrap"):
        assert planned(settings, name).env["PREFECT_API_AUTH_STRING"] == auth
    assert child_env(settings, {})["PREFECT_API_AUTH_STRING"] == auth  # kept, not renewed


def test_configured_prefect_credentials_are_used_as_they_are(tmp_path: Path) -> None:
    settings = make_settings(
        data_dir=tmp_path, prefect_host="0.0.0.0", prefect_auth_string=SecretStr("ops:s3cret")
    )
    assert planned(settings, "prefect").env["PREFECT_SERVER_API_AUTH_STRING"] == "ops:s3cret"
    assert child_env(settings, {})["PREFECT_API_AUTH_STRING"] == "ops:s3cret"
    assert not (tmp_path / "prefect_auth").exists()


def test_chroma_is_never_opened_beyond_loopback(tmp_path: Path) -> None:
    """Chroma 1.5.9's server ignores CHROMA_SERVER_AUTHN_* (an unauthenticated listing of
    collections answered 200 with token auth configured), so it is refused, not exposed."""
    settings = make_settings(data_dir=tmp_path, chroma_host="0.0.0.0")
    with pytest.raises(StartupError, match="checks no credentials"):
        planned(settings, "chroma")


def _status(url: str, data: bytes | None = None, auth: str | None = None) -> int:
    headers = {"Content-Type": "application/json"}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.e2e
def test_a_prefect_bound_elsewhere_refuses_unauthenticated_calls(
    tmp_path: Path, stack_settings: Callable[..., Settings]
) -> None:
    settings = stack_settings(tmp_path, prefect_host="0.0.0.0")
    with Stack(settings, only={"postgres", "prefect"}) as stack:
        api = stack.settings.endpoints.prefect_api
        auth = (tmp_path / "prefect_auth").read_text()
        body = json.dumps({"limit": 1}).encode()
        assert _status(f"{api}/flows/filter", body) == 401
        assert _status(f"{api}/flows/filter", body, auth="ragline:guess") == 401
        assert _status(f"{api}/flows/filter", body, auth=auth) == 200
        assert _status(f"{api}/health") == 200  # probes stay open
