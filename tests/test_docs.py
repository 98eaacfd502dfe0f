"""The documentation stays true: docs/API.md lists what the app serves, the README stays short.

docs/API.md is the contract a client reads; the OpenAPI document is what the app serves. Each
endpoint table row opens with ``| METHOD /path``; a row marked ``(planned)`` names a fixed path
that is not served yet.
"""

from __future__ import annotations

import re
from functools import cache

from fastapi.routing import APIWebSocketRoute, iter_route_contexts

from api.app import create_app
from ragline.settings import PROJECT_ROOT, Settings

API_DOC = PROJECT_ROOT / "docs" / "API.md"
README = PROJECT_ROOT / "README.md"
BENCH_DOCS = [PROJECT_ROOT / "bench" / "README.md", PROJECT_ROOT / "bench" / "HISTORY.md"]
README_MAX_LINES = 150
README_MAX_LINE_CHARS = 200
PLANNED = "(planned)"
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
# Served outside /api/v1 or outside the OpenAPI document, and easy to forget.
MUST_BE_DOCUMENTED = {
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("WS", "/api/v1/ws"),
}
ENDPOINT_ROW = re.compile(r"^\|\s*(GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS|WS)\s+(/[^\s|`?]*)")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")

Endpoint = tuple[str, str]


def _normalised(path: str) -> str:
    """``/jobs/{job_id}`` and ``/jobs/{id}`` are the same endpoint."""
    return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/") or "/")


@cache
def served() -> frozenset[Endpoint]:
    """Every (method, path) the app answers: its OpenAPI operations and its WebSockets."""
    app = create_app(Settings(_env_file=None))
    endpoints = {
        (method.upper(), _normalised(path))
        for path, operations in app.openapi()["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    }
    # FastAPI 0.150 keeps included routers as lazy branches: their routes, with the prefixes
    # applied, come from iter_route_contexts rather than app.routes.
    endpoints |= {
        ("WS", _normalised(context.path))
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIWebSocketRoute) and context.path
    }
    return frozenset(endpoints)


def documented(*, planned: bool) -> dict[Endpoint, str]:
    """The endpoint rows of docs/API.md, planned or served, each with its row's text."""
    rows: dict[Endpoint, str] = {}
    for line in API_DOC.read_text().splitlines():
        match = ENDPOINT_ROW.match(line.strip())
        if match and (PLANNED in line) == planned:
            rows[match[1], _normalised(match[2])] = line.strip()
    return rows


def test_the_endpoints_that_are_easy_to_forget_are_served() -> None:
    missing = MUST_BE_DOCUMENTED - served()
    assert not missing, (
        f"The app no longer serves {sorted(missing)}. If it moved, update docs/API.md and "
        "MUST_BE_DOCUMENTED in tests/test_docs.py."
    )


def test_every_served_endpoint_is_documented() -> None:
    missing = sorted(served() - set(documented(planned=False)))
    assert not missing, (
        f"docs/API.md does not document {missing}. Add a row '| METHOD /path | who | what |' "
        "for each to its endpoint table (path parameters may use any name, e.g. {id})."
    )


def test_every_documented_endpoint_is_served() -> None:
    unserved = sorted(set(documented(planned=False)) - served())
    assert not unserved, (
        f"docs/API.md lists {unserved}, which the app does not serve. Fix the row's method or "
        f"path, or mark the row '{PLANNED}' if the endpoint is fixed but not implemented yet."
    )


def test_no_served_endpoint_is_still_marked_planned() -> None:
    done = sorted(set(documented(planned=True)) & served())
    assert not done, (
        f"docs/API.md marks {done} '{PLANNED}', but the app serves them. Remove the mark and "
        "describe what the endpoint returns."
    )


def test_readme_reads_in_five_minutes() -> None:
    lines = README.read_text().splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines, over {README_MAX_LINES}. Move detail to docs/ "
        "(ARCHITECTURE.md, DECISIONS.md, API.md) or bench/README.md and link it."
    )
    long = [n for n, line in enumerate(lines, 1) if len(line) > README_MAX_LINE_CHARS]
    assert not long, (
        f"README.md lines {long} are over {README_MAX_LINE_CHARS} characters. Shorten them; "
        "figures and their history belong in docs/DECISIONS.md and bench/HISTORY.md."
    )


def test_links_between_the_docs_lead_somewhere() -> None:
    pages = [README, *sorted((PROJECT_ROOT / "docs").glob("*.md")), *BENCH_DOCS]
    broken = [
        f"{page.relative_to(PROJECT_ROOT)} → {target}"
        for page in pages
        for target in MARKDOWN_LINK.findall(page.read_text())
        if not re.match(r"[a-z]+:", target)  # http:, mailto: ...
        and target.split("#")[0]
        and not (page.parent / target.split("#")[0]).exists()
    ]
    assert not broken, (
        f"These links point to no file: {broken}. Fix the relative path (the repository has "
        "no ../shared: the contract is docs/API.md)."
    )
