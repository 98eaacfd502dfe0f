"""The web UI in a real browser against the real stack: frontend/e2e/ run by node.

The scenarios (sign in, upload with live progress, ask, cancel, retry, every page, the operator
console's pages at 1280 and 390 pixels wide) live in frontend/e2e/tests.mjs; this test gives them
a stack, a user of their own who starts with nothing, the admin, Chromium and a built UI, and
fails with the runner's output when a scenario fails. Screenshots land in test-artifacts/browser/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import uuid
from pathlib import Path

import pytest

from scripts.apiclient import ApiClient
from scripts.stack import Stack
from tests.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"
SHOTS = ROOT / "test-artifacts" / "browser"
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# The scenarios take about a minute; this only stops a hung browser from hanging the suite.
RUN_TIMEOUT_S = 300


def ensure_chromium() -> None:
    """Debian's chromium (playwright's own browser downloads do not work here)."""
    if CHROMIUM.exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "chromium"]
        if subprocess.run(install, env=env).returncode != 0:  # stale package lists
            subprocess.run(["apt-get", "update"], env=env, check=True)
            subprocess.run(install, env=env, check=True)
    if not CHROMIUM.exists():
        pytest.fail(
            f"the browser tests need Chromium at {CHROMIUM}: run `sudo apt-get install -y "
            "chromium` (or set CHROMIUM_PATH)"
        )


def ensure_built_ui() -> None:
    """playwright-core from node_modules, and the dist/ the API serves at /."""
    steps = []
    if not (FRONTEND / "node_modules" / "playwright-core").is_dir():
        steps.append(["npm", "--prefix", str(FRONTEND), "ci"])
    if not (FRONTEND / "dist" / "index.html").is_file():
        steps.append(["npm", "--prefix", str(FRONTEND), "run", "build"])
    if steps and not shutil.which("npm"):
        pytest.fail("the browser tests need npm to build the UI: apt-get install npm")
    for step in steps:
        subprocess.run(step, check=True)


def run_scenarios(env: dict[str, str]) -> tuple[int, str]:
    """Runs frontend/e2e/run.mjs, echoing its lines as they come; returns (exit code, output)."""
    lines: list[str] = []
    with subprocess.Popen(
        ["node", "e2e/run.mjs"],
        cwd=FRONTEND,
        env=os.environ | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as runner:
        watchdog = threading.Timer(RUN_TIMEOUT_S, runner.kill)
        watchdog.start()
        try:
            assert runner.stdout is not None
            for line in runner.stdout:
                print(line, end="", flush=True)
                lines.append(line)
        finally:
            watchdog.cancel()
        code = runner.wait()
    if code < 0:
        lines.append(f"(killed after {RUN_TIMEOUT_S} s)\n")
    return code, "".join(lines)


def test_the_web_ui_in_a_browser(stack: Stack, admin: ApiClient) -> None:
    if not shutil.which("node"):
        pytest.skip("Node.js is not installed (apt-get install nodejs npm)")
    ensure_chromium()
    ensure_built_ui()
    username = f"browser{uuid.uuid4().hex[:8]}"
    password = f"{username}-password"
    admin.create_user(username, password)

    code, output = run_scenarios(
        {
            "E2E_BASE_URL": stack.settings.endpoints.api,
            "E2E_USERNAME": username,
            "E2E_PASSWORD": password,
            "E2E_ADMIN_USERNAME": "admin",
            "E2E_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "E2E_SHOTS": str(SHOTS),
            "CHROMIUM_PATH": str(CHROMIUM),
        }
    )

    assert code == 0, f"browser scenarios failed (screenshots in {SHOTS}):\n{output}"
