"""Security headers on every response, CORS closed unless configured, and a CSP the built UI
lives within."""

from __future__ import annotations

import re

import pytest

from api.security_headers import UI_POLICY
from ragline.settings import PROJECT_ROOT
from tests.api.test_app import make_client

ORIGIN = "https://ui.example.org"


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/me", "/api/v1/nope", "/", "/jobs"])
def test_every_response_carries_the_security_headers(path: str) -> None:
    headers = make_client().get(path).headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy  # no inline or foreign scripts


def test_the_api_explorer_gets_the_policy_swagger_needs() -> None:
    policy = make_client().get("/api/v1/docs").headers["content-security-policy"]
    assert "https://cdn.jsdelivr.net" in policy
    assert "frame-ancestors 'none'" in policy


def test_a_header_a_route_set_itself_is_kept() -> None:
    csv = make_client().get("/metrics")
    assert csv.headers["content-type"].startswith("text/plain")
    assert csv.headers["x-content-type-options"] == "nosniff"


def test_the_built_ui_needs_nothing_the_policy_forbids() -> None:
    """The policy allows only same-origin scripts and styles: the build must have no inline
    script or style element and load nothing from another origin."""
    dist = PROJECT_ROOT / "frontend" / "dist" / "index.html"
    html = (
        dist.read_text()
        if dist.is_file()
        else (PROJECT_ROOT / "frontend" / "index.html").read_text()
    )
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script in index.html"
    assert "<style" not in html
    assert not re.search(r"""(src|href)=["']https?://""", html), "a foreign resource"
    assert "img-src 'self' data:" in UI_POLICY  # the favicon is a data: URL


def test_cors_is_closed_by_default() -> None:
    client = make_client()
    simple = client.get("/healthz", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in simple.headers
    preflight = client.options(
        "/api/v1/me",
        headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_answers_the_configured_origins_only() -> None:
    client = make_client(cors_origins=f"{ORIGIN}, https://other.example.org")
    preflight = client.options(
        "/api/v1/me",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-credentials" not in preflight.headers
    simple = client.get("/healthz", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    stranger = client.get("/healthz", headers={"Origin": "https://evil.example.org"})
    assert "access-control-allow-origin" not in stranger.headers
