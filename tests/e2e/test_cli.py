"""The ``ragline`` command against the real stack, run as a user would: a subprocess."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from ragline.settings import PROJECT_ROOT
from scripts.apiclient import ApiClient
from scripts.stack import Stack
from tests.factories.files import long_text

pytestmark = pytest.mark.e2e

Ragline = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def ragline(stack: Stack, tmp_path: Path) -> Ragline:
    """``ragline(*args, token=None)``: the console script (``python -m ragline.cli``, the same
    ``main`` pyproject's ``[project.scripts]`` names) with this test's own config file."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("RAGLINE_")}
    base |= {
        "HOME": str(tmp_path / "home"),
        "RAGLINE_URL": stack.settings.endpoints.api,
        "RAGLINE_CONFIG": str(tmp_path / "config.toml"),
        "COLUMNS": "120",
    }

    def run(*args: str, token: str | None = None) -> subprocess.CompletedProcess[str]:
        env = base | ({"RAGLINE_TOKEN": token} if token else {})
        return subprocess.run(
            [sys.executable, "-m", "ragline.cli", *args],
            env=env,
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=240,
        )

    return run


def token_of(client: ApiClient) -> str:
    return client.headers["Authorization"].removeprefix("Bearer ")


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    return result


def parsed(result: subprocess.CompletedProcess[str]) -> Any:
    return json.loads(ok(result).stdout)


def one_line_failure(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ragline: "), result.stderr
    return lines[0]


def test_login_upload_a_folder_and_wait_list_jobs_and_ask(
    admin: ApiClient, ragline: Ragline, tmp_path: Path
) -> None:
    username = f"cli-{uuid4().hex[:8]}"
    admin.create_user(username, "cli-password-1")
    folder = tmp_path / "handbook"
    (folder / "site").mkdir(parents=True)
    (folder / "parking.md").write_text(
        "# Parking\n\nVisitors park in the blue garage on level three, next to the lifts.\n"
    )
    (folder / "site" / "hours.txt").write_text("The office opens at nine on weekdays.\n")
    (folder / ".notes.md").write_text("hidden files are not uploaded\n")

    signed_in = ok(ragline("login", "--username", username, "--password", "cli-password-1"))

    assert f"as {username}" in signed_in.stdout
    config = tmp_path / "config.toml"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    uploaded = parsed(ragline("upload", str(folder), "--recursive", "--wait", "--json"))
    (job,) = uploaded["jobs"]
    assert job["state"] == "completed" and uploaded["rejected"] == []
    assert sorted(d["filename"] for d in job["documents"]) == ["hours.txt", "parking.md"]
    assert [j["id"] for j in parsed(ragline("jobs", "--json"))] == [job["id"]]
    assert job["id"] in ok(ragline("jobs")).stdout

    answer = ok(ragline("ask", "Where do visitors park?"))
    assert "blue garage" in answer.stdout
    assert "[1] parking.md" in answer.stdout
    cited = parsed(ragline("ask", "When does the office open?", "--top-k", "1", "--json"))
    assert [c["filename"] for c in cited["citations"]] == ["hours.txt"]


def test_uploading_with_bars_reports_refused_files_and_exits_1(
    new_user: Callable[..., ApiClient], ragline: Ragline, tmp_path: Path
) -> None:
    good = tmp_path / "guide.md"
    good.write_text("# Guide\n\nThe kettle is in the second cupboard.\n")
    bad = tmp_path / "tool.pdf"
    bad.write_bytes(b"\x7fELF" + bytes(range(256)) * 8)  # an executable named .pdf
    with new_user() as user:
        result = ragline("upload", str(good), str(bad), "--wait", token=token_of(user))

        assert result.returncode == 1, (result.stdout, result.stderr)
        assert "job " in result.stdout
        assert "refused tool.pdf" in result.stderr
        assert result.stderr.strip().splitlines()[-1].startswith("ragline: 1 of 2 files")
        assert "kettle" in user.ask("Where is the kettle?")["answer"]


def test_cancel_then_retry_until_it_ends(
    new_user: Callable[..., ApiClient], ragline: Ragline, tmp_path: Path
) -> None:
    manual = tmp_path / "manual.txt"
    manual.write_text(long_text(15_000))
    with new_user() as user:
        token = token_of(user)
        (job,) = parsed(ragline("upload", str(manual), "--json", token=token))["jobs"]

        cancelled = parsed(ragline("cancel", job["id"], "--json", token=token))
        assert cancelled["state"] in ("cancelling", "cancelled")
        assert user.wait_for_job(job["id"], timeout_s=60)["state"] == "cancelled"
        retried = parsed(ragline("retry", job["id"], "--wait", "--json", token=token))

        assert retried["retry_of"] == job["id"] and retried["state"] == "completed"
        assert [d["stage"] for d in retried["documents"]] == ["done"]
        again = one_line_failure(ragline("cancel", job["id"], token=token))
        assert "cancel" in again.lower()


def test_a_bad_token_or_a_missing_right_is_one_line_and_exit_1(
    user: ApiClient, ragline: Ragline
) -> None:
    refused = one_line_failure(ragline("jobs", token="not-a-token"))
    not_signed_in = one_line_failure(ragline("ask", "anything?"))
    not_admin = one_line_failure(ragline("reingest", token=token_of(user)))
    no_such_job = one_line_failure(ragline("retry", "nope", token=token_of(user)))

    assert "token" in refused.lower() or "authenticat" in refused.lower()
    assert "ragline login" in not_signed_in
    assert "admin" in not_admin.lower()
    assert "no such job" in no_such_job.lower()


def test_an_admin_reingests_and_waits(admin: ApiClient, ragline: Ragline) -> None:
    job = parsed(ragline("reingest", "--wait", "--json", token=token_of(admin)))

    assert (job["kind"], job["state"]) == ("reingest", "completed")


def test_login_with_a_key_checks_it_before_keeping_it(
    user: ApiClient, ragline: Ragline, tmp_path: Path
) -> None:
    refused = one_line_failure(ragline("login", "--token", "not-a-token"))
    assert not (tmp_path / "config.toml").exists(), refused

    ok(ragline("login", "--token", token_of(user)))

    assert "job" in ok(ragline("jobs")).stdout  # the table's header, from the kept key
