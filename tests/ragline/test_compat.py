"""Each patch of a library's internals against the library installed: a test here fails when
the patched thing is gone, has another signature or source, or the installed version is not
the one ragline.compat was checked against. Fix the patch, then bump CHECKED_AGAINST."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Coroutine
from importlib.metadata import version
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from ragline import compat


def installed(library: str) -> str:
    return platform.python_version() if library == "python" else version(library)


def assert_checked(library: str) -> None:
    assert installed(library) == compat.CHECKED_AGAINST[library], (
        f"{library} is {installed(library)}, ragline.compat was checked against "
        f"{compat.CHECKED_AGAINST[library]}: re-read its patches for {library}, then bump"
    )


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def source_digest(function: object) -> str:
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]  # type: ignore[arg-type]


@pytest.mark.parametrize("library", sorted(compat.CHECKED_AGAINST))
def test_every_patched_library_is_the_version_checked(library: str) -> None:
    assert_checked(library)


def test_quiet_libraries_sets_the_opt_outs_but_keeps_the_operators_values() -> None:
    env = {k: v for k, v in os.environ.items() if k not in compat.LIBRARY_ENVIRONMENT}
    env["DO_NOT_TRACK"] = "yes, mine"
    code = (
        "import json, os; from ragline import compat; compat.quiet_libraries(); "
        "print(json.dumps({k: os.environ[k] for k in compat.LIBRARY_ENVIRONMENT}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == compat.LIBRARY_ENVIRONMENT | {"DO_NOT_TRACK": "yes, mine"}


def test_unstructured_reads_the_opt_outs() -> None:
    from unstructured import _usage_notice, utils

    assert "DO_NOT_TRACK" in inspect.getsource(utils._telemetry_opt_out)
    assert "SCARF_NO_ANALYTICS" in inspect.getsource(utils._telemetry_opt_out)
    assert "UNSTRUCTURED_DISABLE_NOTICE" in inspect.getsource(_usage_notice)


def test_importing_ragline_changes_no_environment_and_loads_no_framework() -> None:
    code = (
        "import json, os, sys; before = dict(os.environ); "
        "import ragline.compat, ragline.embedding, ragline.parsing, ragline.pipeline, "
        "ragline.sandbox, ragline.vectorstore, ragline.warmup; "
        "frameworks = {'prefect', 'fastapi', 'slowapi', 'starlette', 'unstructured', 'chromadb'}; "
        "print(json.dumps([dict(os.environ) == before, sorted(frameworks & set(sys.modules))]))"
    )
    env = {k: v for k, v in os.environ.items() if k not in compat.LIBRARY_ENVIRONMENT}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == [True, []]


# --- unstructured ------------------------------------------------------------------------------


def test_use_offline_nlp_replaces_unstructureds_spacy_loader() -> None:
    assert_checked("unstructured")
    from unstructured.nlp import tokenize

    source = inspect.getsource(tokenize)  # the attributes themselves may be patched already
    assert "def _load_spacy_model() -> spacy.language.Language:" in source
    assert "return _load_spacy_model()" in inspect.getsource(tokenize._get_nlp.__wrapped__)
    assert hasattr(tokenize._get_nlp, "cache_clear")

    compat.use_offline_nlp()
    assert tokenize._get_nlp().pipe_names == ["sentencizer"]


def test_a_word_of_thousands_of_brackets_tokenises_in_linear_time() -> None:
    """JSON-like text under .txt (20,000 brackets took 69 s in spaCy) spent two minutes in
    the parser (issue 22)."""
    from unstructured.nlp import tokenize

    compat.use_offline_nlp()
    nlp = tokenize._get_nlp()
    started = time.perf_counter()
    doc = nlp("[" * 50_000 + " ok. " + "]" * 50_000)
    assert time.perf_counter() - started < 2
    assert doc.text == "x" * 50_000 + " ok. " + "x" * 50_000  # counted, never shown
    assert [t.text for t in nlp("Short words (stay as they are).")][:3] == ["Short", "words", "("]


# --- chromadb ----------------------------------------------------------------------------------


def test_give_chroma_a_timeout_replaces_the_httpx_chromadb_builds_its_client_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert_checked("chromadb")
    import chromadb.api.fastapi

    builds = inspect.getsource(chromadb.api.fastapi.FastAPI.__init__)
    assert "httpx.Client(timeout=None" in builds
    assert hasattr(chromadb.api.fastapi, "httpx")

    monkeypatch.setattr(chromadb.api.fastapi, "httpx", chromadb.api.fastapi.httpx)  # restored
    compat.give_chroma_a_timeout(httpx.Timeout(3.0, connect=1.0))
    with chromadb.api.fastapi.httpx.Client(timeout=None) as client:
        assert client.timeout == httpx.Timeout(3.0, connect=1.0)
    assert chromadb.api.fastapi.httpx.Limits is httpx.Limits  # everything else is httpx's
    # That the timeout reaches a real client of a hung server: tests/ragline/test_vectorstore.py


# --- Prefect -----------------------------------------------------------------------------------


def test_run_flow_runs_in_forkserver_replaces_the_multiprocessing_prefect_spawns_runs_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert_checked("prefect")
    from prefect import flow_engine

    assert 'multiprocessing.get_context("spawn")' in inspect.getsource(
        flow_engine.run_flow_in_subprocess
    )
    assert hasattr(flow_engine, "multiprocessing")

    monkeypatch.setattr(flow_engine, "multiprocessing", flow_engine.multiprocessing)  # restored
    compat.run_flow_runs_in_forkserver()
    patched: Any = flow_engine.multiprocessing
    assert patched.get_context("spawn").get_start_method() == "forkserver"
    assert patched.Queue is multiprocessing.Queue


def test_poll_runner_now_calls_the_runners_own_poll_once_started() -> None:
    assert_checked("prefect")
    from prefect.runner import Runner

    poll = Runner._get_and_submit_flow_runs
    assert inspect.iscoroutinefunction(poll) and parameters(poll) == ["self"]
    assert "self._scheduled_run_poller = ScheduledRunPoller(" in inspect.getsource(Runner)
    assert "self._scheduled_run_poller._get_and_submit_flow_runs()" in inspect.getsource(poll)

    runner = Runner(name="compat-test")
    assert not hasattr(runner, "_scheduled_run_poller")  # not started
    asyncio.run(compat.poll_runner_now(runner))  # does nothing, fails nothing


def test_the_cancellation_observer_renewal_uses_the_runners_own_observer() -> None:
    assert_checked("prefect")
    from prefect._internal.observers import FlowRunCancellingObserver
    from prefect.runner import Runner

    entering = inspect.getsource(Runner.__aenter__)
    assert "self._handle_cancellation_observer_failure" in entering  # looked up per call
    assert "self._cancelling_observer = await self._exit_stack.enter_async_context(" in entering
    assert parameters(FlowRunCancellingObserver) == [
        "on_cancelling",
        "polling_interval",
        "event_filter",
        "on_failure",
    ]
    observer = FlowRunCancellingObserver(on_cancelling=lambda _: None, polling_interval=3)
    observer.add_in_flight_flow_run_id(uuid.uuid4())
    assert len(observer._in_flight_flow_run_ids) == 1 and observer.polling_interval == 3
    assert inspect.iscoroutinefunction(observer._check_for_cancelled_flow_runs)

    runner = Runner(name="compat-test")
    compat.renew_cancellation_observer_on_failure(runner)
    assert inspect.iscoroutinefunction(runner._handle_cancellation_observer_failure)


def test_the_runners_poll_gives_up_after_three_failures_so_it_is_made_outage_tolerant() -> None:
    assert_checked("prefect")
    from prefect.runner._scheduled_run_poller import ScheduledRunPoller
    from prefect.utilities.services import critical_service_loop

    defaults = inspect.signature(critical_service_loop).parameters
    assert (defaults["consecutive"].default, defaults["backoff"].default) == (3, 1)
    assert "critical_service_loop" in inspect.getsource(ScheduledRunPoller.run)
    assert parameters(ScheduledRunPoller._get_and_submit_flow_runs) == ["self", "task_group"]

    compat.keep_polling_through_prefect_outages()
    compat.keep_polling_through_prefect_outages()  # once is enough, twice changes nothing
    patched = ScheduledRunPoller._get_and_submit_flow_runs
    assert getattr(patched, "tolerates_outages", False)
    assert not getattr(inspect.unwrap(patched), "tolerates_outages", False)


def test_an_outage_tolerant_poll_survives_5xx_and_no_connection_but_not_a_4xx() -> None:
    request = httpx.Request("GET", "http://prefect/api/flow_runs/filter")

    def failing(error: Exception) -> Callable[[], Coroutine[Any, Any, None]]:
        async def poll() -> None:
            raise error

        return poll

    outage = httpx.HTTPStatusError("down", request=request, response=httpx.Response(503))
    asyncio.run(compat.outage_tolerant(failing(outage))())
    asyncio.run(compat.outage_tolerant(failing(httpx.ConnectError("refused")))())
    mistake = httpx.HTTPStatusError("bad", request=request, response=httpx.Response(422))
    with pytest.raises(httpx.HTTPStatusError):
        asyncio.run(compat.outage_tolerant(failing(mistake))())


# --- slowapi -----------------------------------------------------------------------------------


def test_add_rate_limit_headers_calls_slowapis_header_injection() -> None:
    assert_checked("slowapi")
    from limits import parse
    from slowapi import Limiter
    from slowapi.util import get_remote_address
    from starlette.requests import Request
    from starlette.responses import JSONResponse

    assert parameters(Limiter._inject_headers) == ["self", "response", "current_limit"]

    limiter = Limiter(key_func=get_remote_address, headers_enabled=True)
    limit = parse("5/minute")
    limiter.limiter.hit(limit, "client")
    app = SimpleNamespace(state=SimpleNamespace(limiter=limiter))
    request = Request(
        {"type": "http", "app": app, "state": {"view_rate_limit": (limit, ["client"])}}
    )
    response = compat.add_rate_limit_headers(request, JSONResponse({}))
    assert response.headers["X-RateLimit-Limit"] == "5"
    assert response.headers["X-RateLimit-Remaining"] == "4"
    assert int(response.headers["Retry-After"]) > 0


def test_count_rate_limits_in_sets_what_slowapis_init_sets_from_storage_uri() -> None:
    assert_checked("slowapi")
    from limits import parse
    from limits.storage import MemoryStorage
    from limits.strategies import FixedWindowRateLimiter
    from slowapi import Limiter
    from slowapi.util import get_remote_address

    assert "storage_uri" in parameters(Limiter.__init__)
    built = Limiter(key_func=get_remote_address, storage_uri="memory://")
    assert {"_storage_uri", "_storage", "_limiter", "_strategy"} <= set(vars(built))
    assert isinstance(built.limiter, FixedWindowRateLimiter)

    limiter = Limiter(key_func=get_remote_address)
    limiter.limiter.hit(parse("1/minute"), "client")
    compat.count_rate_limits_in(limiter, "memory://")
    assert isinstance(limiter._storage, MemoryStorage) and limiter._storage_uri == "memory://"
    assert isinstance(limiter.limiter, FixedWindowRateLimiter)
    assert limiter.limiter.hit(parse("1/minute"), "client")  # counting afresh, in the new one


# --- CPython multiprocessing ------------------------------------------------------------------


def test_inheriting_fork_server_process_copies_cpythons_launch() -> None:
    """The copy in ragline.compat replays these two functions; a change in either (the same
    source is then no longer what was copied) needs the copy re-done."""
    assert_checked("python")
    from multiprocessing import forkserver, popen_forkserver, spawn

    assert source_digest(popen_forkserver.Popen._launch) == "214844899bd3407f"  # type: ignore[attr-defined]
    assert source_digest(forkserver.ForkServer.connect_to_new_process) == "5684c8147d001e92"
    server = vars(forkserver._forkserver)
    assert {"_forkserver_pid", "_forkserver_address", "_forkserver_alive_fd"} <= set(server)
    assert "init_main_from_name" in inspect.getsource(spawn.get_preparation_data)
    # Its behaviour (no __main__ re-run, the inherited server reused): tests/ragline/test_sandbox.py
