"""prefect.yaml is the single source of deployments; the names in code must match it."""

from deployments.serve import flow_from_entrypoint, load_deployments
from ragline.deployments import (
    INGEST_DEPLOYMENT,
    INGEST_DOCUMENT_DEPLOYMENT,
    REINGEST_DEPLOYMENT,
    WORK_POOL,
)


def test_every_deployment_name_used_in_code_is_declared() -> None:
    declared = {
        f"{flow_from_entrypoint(spec['entrypoint']).name}/{spec['name']}"
        for spec in load_deployments()
    }
    assert {INGEST_DEPLOYMENT, INGEST_DOCUMENT_DEPLOYMENT, REINGEST_DEPLOYMENT} <= declared


def test_every_deployment_is_described_and_pooled() -> None:
    for spec in load_deployments():
        assert spec.get("description"), spec["name"]
        assert spec["work_pool"]["name"] == WORK_POOL


def test_reingest_runs_on_a_schedule_with_a_timezone() -> None:
    (reingest,) = [s for s in load_deployments() if s["name"] == "reingest-corpus"]
    (schedule,) = reingest["schedules"]
    assert schedule["cron"] and schedule["timezone"] == "UTC"
