"""The app's HTTP plumbing, without the stack: request ids, rate limits, the error shape."""

import json
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from starlette.requests import Request

from api import app as app_module
from api import ratelimit
from api.app import create_app
from api.ratelimit import caller_key, limiter, remember_api_key
from ragline.credentials import create_access_token
from ragline.errors import TooManyRequests
from ragline.models import utcnow
from ragline.settings import PROJECT_ROOT, Settings


def make_client(**overrides: object) -> TestClient:
    values: dict[str, object] = {
        "data_dir": tempfile.mkdtemp(prefix="ragline-app-"),  # where the request log goes
        # Nothing listens there: these tests never reach a backing service.
        "database_url": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "prefect_api_url": "http://127.0.0.1:1/api",
        "chroma_url": "http://127.0.0.1:1",
    }
    settings = Settings(_env_file=None, **(values | overrides))  # type: ignore[arg-type]
    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_every_response_carries_a_request_id() -> None:
    client = make_client()
    assert client.get("/healthz").headers["x-request-id"]
    assert client.get("/healthz", headers={"X-Request-ID": "abc"}).headers["x-request-id"] == "abc"


def test_unknown_api_paths_are_json_404s() -> None:
    response = make_client().get("/api/v1/nope")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such endpoint.", "code": "not_found"}


def test_a_missing_token_is_a_401_with_the_error_shape() -> None:
    response = make_client().get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_too_many_logins_get_429_with_retry_after() -> None:
    client = make_client()
    limiter.reset()
    statuses = [
        client.post("/api/v1/auth/login", json={"username": "a", "password": "b"}).status_code
        for _ in range(25)
    ]
    assert 429 in statuses  # the default login limit is 20/minute
    limited = client.post("/api/v1/auth/login", json={"username": "a", "password": "b"})
    assert limited.status_code == 429
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    limiter.reset()


def test_api_calls_share_one_budget_across_endpoints_and_methods() -> None:
    """Regression: slowapi's default limit applied to no GET (its middleware took the web UI's
    exempt catch-all for the route) and counted each URL apart."""
    client = make_client(rate_limit_default="4/minute")
    limiter.reset()
    calls = [
        client.get("/api/v1/me"),
        client.get("/api/v1/jobs/1"),
        client.post("/api/v1/api-keys", json={"name": "x"}),
        client.get("/api/v1/no-such-thing"),
    ]
    assert [r.status_code for r in calls] == [401, 401, 401, 404]
    limited = client.get("/api/v1/jobs/2")
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert "Too many calls (4/minute)" in limited.json()["detail"]
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert client.get("/healthz").status_code == 200  # probes and the UI are not API calls
    limiter.reset()


def test_a_brute_force_on_one_account_is_slowed_whatever_header_or_address_it_sends() -> None:
    client = make_client(rate_limit_login="1000/minute", rate_limit_login_per_user="5/minute")
    limiter.reset()
    statuses = [
        client.post(
            "/api/v1/auth/login",
            json={"username": "Alice", "password": f"guess-{n}"},
            headers={"Authorization": f"Bearer made-up-{n}", "X-Forwarded-For": f"10.0.0.{n}"},
        ).status_code
        for n in range(8)
    ]
    assert statuses[5:] == [429, 429, 429], statuses
    limited = client.post("/api/v1/auth/login", json={"username": " alice ", "password": "x"})
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    other = client.post("/api/v1/auth/login", json={"username": "bob", "password": "x"})
    assert other.status_code != 429  # another account keeps its own budget
    limiter.reset()


def test_calls_go_through_while_the_rate_limit_storage_is_unreachable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = make_client(rate_limit_storage="redis://127.0.0.1:1")  # nothing listens there

    assert client.get("/api/v1/me").json()["code"] == "not_authenticated"
    login = client.post("/api/v1/auth/login", json={"username": "a", "password": "b"})
    assert login.json()["code"] == "database_unavailable"  # past both login budgets
    assert "rate-limit storage redis://127.0.0.1:1 unreachable" in caplog.text


def test_the_budget_is_the_verified_users_and_made_up_tokens_share_the_address() -> None:
    settings = Settings(_env_file=None)
    ratelimit.configure(settings)  # tokens are checked with the app's settings
    token = create_access_token("user-1", "session-1", utcnow() + timedelta(minutes=5), settings)

    def key(authorization: str | None) -> str:
        headers = [(b"authorization", authorization.encode())] if authorization else []
        scope = {"type": "http", "headers": headers, "client": ("10.1.2.3", 5000)}
        return caller_key(Request(scope))

    assert key(f"Bearer {token}") == key(f"bearer {token}") == "user:user-1"
    assert key("Bearer made-up") == key("Bearer rgl_unknown") == key(None) == "addr:10.1.2.3"
    remember_api_key("rgl_verified", "user-2")
    assert key("Bearer rgl_verified") == "user:user-2"


def test_an_api_keys_first_call_in_a_process_is_charged_to_its_user() -> None:
    """Regression: a key was charged to its user only once this process had verified it
    (after the general budget's check), so each API process counted its first call against
    the address and the user's shared budget stretched by one call per process."""
    settings = Settings(_env_file=None, rate_limit_default="2/minute")
    owners = {"rgl_seen-by-another-process": "user-4"}
    ratelimit.configure(settings, owners.get)

    def call(authorization: str) -> None:
        scope = {
            "type": "http",
            "path": "/api/v1/documents",
            "headers": [(b"authorization", authorization.encode())],
            "client": ("10.1.2.4", 5000),
        }
        ratelimit.count_api_call(Request(scope))

    try:
        call("Bearer rgl_seen-by-another-process")
        assert (
            caller_key(
                Request(
                    {
                        "type": "http",
                        "headers": [(b"authorization", b"Bearer rgl_seen-by-another-process")],
                    }
                )
            )
            == "user:user-4"
        )
        call("Bearer rgl_seen-by-another-process")
        with pytest.raises(TooManyRequests):
            call("Bearer rgl_seen-by-another-process")
        call("Bearer rgl_nobodys")  # an unknown key counts against the address, still free
    finally:
        limiter.reset()


def test_the_budget_of_an_app_made_with_its_own_settings_checks_tokens_with_them() -> None:
    """Regression: the limiter checked login tokens with the environment's settings, so an
    app given other settings (another secret key) counted its users by address."""
    secret = SecretStr("a-signing-secret-only-this-app-knows-32b")
    settings = make_client(secret_key=secret).app.state.services.settings  # type: ignore[attr-defined]
    token = create_access_token("user-3", "session-3", utcnow() + timedelta(minutes=5), settings)
    scope = {
        "type": "http",
        "headers": [(b"authorization", f"Bearer {token}".encode())],
        "client": ("10.1.2.3", 5000),
    }
    assert caller_key(Request(scope)) == "user:user-3"


def test_the_built_ui_and_its_large_assets_are_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: slowapi's ASGI middleware broke files sent in several chunks."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>ragline</title>")
    (tmp_path / "assets" / "app.js").write_bytes(b"x" * 300_000)
    monkeypatch.setattr(app_module, "FRONTEND_DIST", tmp_path)
    client = make_client()
    asset = client.get("/assets/app.js")
    assert asset.status_code == 200 and len(asset.content) == 300_000
    assert "ragline" in client.get("/jobs/123").text  # any UI path falls back to index.html


def test_the_ui_is_built_against_this_api() -> None:
    # The UI's typed client is generated from frontend/openapi.json (npm run gen:api).
    committed = json.loads((PROJECT_ROOT / "frontend" / "openapi.json").read_text())
    served = create_app(Settings(_env_file=None)).openapi()
    assert served == committed, (
        "frontend/openapi.json is stale: run npm --prefix frontend run gen:api"
    )
