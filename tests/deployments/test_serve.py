"""The serve process's warm forkserver, wired into Prefect (the runs themselves: tests/e2e)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from prefect.runner import Runner

from deployments.serve import mark_serving, schedules_of


def test_prefect_starts_flow_runs_from_the_warm_forkserver(tmp_path: Path) -> None:
    (tmp_path / "marker_preload.py").write_text(
        f"import pathlib\npathlib.Path({str(tmp_path / 'preloaded')!r}).touch()\n"
    )
    code = f"""
        import json, pathlib
        from multiprocessing import forkserver
        from prefect import flow_engine
        from deployments import serve
        serve.PRELOAD = ["marker_preload"]  # flows.preload itself loads everything: e2e
        serve.use_warm_forkserver()
        print(json.dumps([
            flow_engine.multiprocessing.get_context("spawn").get_start_method(),
            pathlib.Path({str(tmp_path / "preloaded")!r}).exists(),
            forkserver._forkserver._forkserver_pid is not None,
        ]))
        """
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=os.environ | {"PYTHONPATH": str(tmp_path)},  # a fork server ignores sys.path
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # Prefect asks for "spawn" and gets the forkserver, which had imported its preload
    # before serve went on to poll for runs.
    assert json.loads(result.stdout) == ["forkserver", True, True]


def test_a_schedule_keeps_the_active_flag_an_operator_left_it_with() -> None:
    spec = {"schedules": [{"cron": "0 3 * * *"}, {"cron": "0 4 * * *", "active": False}]}

    fresh = schedules_of(spec, left_by_operators={})
    assert [(c.cron, c.active) for c in fresh] == [("0 3 * * *", True), ("0 4 * * *", False)]

    kept = schedules_of(spec, left_by_operators={"0 3 * * *": False, "0 4 * * *": True})
    assert [(c.cron, c.active) for c in kept] == [("0 3 * * *", False), ("0 4 * * *", True)]
    assert all(c.timezone == "UTC" for c in kept)


def test_the_serving_mark_is_written_only_once_the_runner_has_polled(tmp_path: Path) -> None:
    runner = SimpleNamespace(last_polled=None)
    marker = tmp_path / "run" / "serving-123"

    async def poll_after_a_while() -> None:
        marking = asyncio.create_task(mark_serving(cast(Runner, runner), marker))
        await asyncio.sleep(0.5)
        assert not marker.exists() and not marking.done()
        runner.last_polled = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
        await asyncio.wait_for(marking, timeout=5)

    asyncio.run(poll_after_a_while())
    assert marker.read_text() == "2026-12-03T18:00:00+00:00\n"
