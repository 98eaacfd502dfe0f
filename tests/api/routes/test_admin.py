"""The console's admin data in process on a real PostgreSQL (Prefect and Chroma are down):
analytics from the aggregates the requests added, their CSV, system health and its history."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable

from fastapi.testclient import TestClient

from api.health_sampler import HealthSampler
from api.services import Services

Headers = dict[str, str]


def services_of(client: TestClient) -> Services:
    found: Services = client.app.state.services  # type: ignore[attr-defined]
    return found


def test_analytics_count_each_users_requests_and_each_routes_latency(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    root, alice = sign_in("root", is_admin=True), sign_in("alice")
    for _ in range(3):
        assert client.get("/api/v1/me", headers=alice).status_code == 200
    client.get("/api/v1/jobs/nope", headers=alice)  # a 404
    asyncio.run(services_of(client).usage.flush())

    response = client.get("/api/v1/admin/analytics", params={"days": 1}, headers=root)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["days"] == 1
    mine = next(row for row in body["per_day"] if row["user"] == "alice")
    assert mine["requests"] == 4 and mine["uploads"] == 0 and mine["questions"] == 0
    me = next(r for r in body["per_route"] if (r["method"], r["route"]) == ("GET", "/api/v1/me"))
    assert me["count"] == 3 and me["errors"] == 0 and me["p50_ms"] is not None
    job = next(r for r in body["per_route"] if r["route"] == "/api/v1/jobs/{job_id}")
    assert job["client_errors"] == 1


def test_the_csv_export_cannot_smuggle_a_formula(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    root, evil = sign_in("root", is_admin=True), sign_in("@evil")
    client.get("/api/v1/me", headers=evil)
    asyncio.run(services_of(client).usage.flush())

    response = client.get("/api/v1/admin/analytics.csv", params={"days": 1}, headers=root)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:3] == ["day", "user", "requests"]
    assert "'@evil" in [row[1] for row in rows[1:]]
    routes = client.get(
        "/api/v1/admin/analytics.csv", params={"table": "per_route"}, headers=root
    ).text
    assert routes.startswith("method,route,count")


def test_only_an_admin_sees_the_console(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    alice = sign_in("alice")
    for path in ("/api/v1/admin/analytics", "/api/v1/admin/health", "/api/v1/admin/analytics.csv"):
        assert client.get(path, headers=alice).status_code == 403


def test_health_says_what_is_down_and_keeps_a_history(
    client: TestClient, sign_in: Callable[..., Headers]
) -> None:
    root = sign_in("root", is_admin=True)
    sampler = HealthSampler(services_of(client))
    assert asyncio.run(sampler.sample_once())
    assert not asyncio.run(sampler.sample_once())  # one sample per interval

    response = client.get("/api/v1/admin/health", headers=root)

    assert response.status_code == 200, response.text
    body = response.json()
    components = body["components"]
    assert components["database"]["ok"] and components["disk"]["ok"]
    assert not components["prefect"]["ok"] and "not reachable" in components["prefect"]["detail"]
    assert components["smtp"]["required"] is False
    assert body["workers"] == []
    assert body["queue"] == {"scheduled": 0, "late": 0, "running": 0, "oldest_waiting_s": None}
    assert body["disk"]["free_bytes"] > 0
    (point,) = body["history"]
    assert point["ok"]["database"] is True and point["ok"]["prefect"] is False
    assert body["links"]["work_pool"].endswith("/work-pools/work-pool/ragline-ingest")


def test_readiness_reports_the_mail_server_and_the_disk(client: TestClient) -> None:
    response = client.get("/readyz")
    components = response.json()["components"]
    assert {"smtp", "disk"} <= set(components)
    assert components["disk"]["ok"] and components["disk"]["required"]
    assert response.status_code == 503  # Prefect and Chroma are down here
