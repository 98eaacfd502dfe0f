"""The serve process's warm forkserver, wired into Prefect (the runs themselves: tests/e2e)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from deployments.serve import schedules_of


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
