"""Every place ragline reaches into a library's private parts, and the environment that
keeps libraries quiet: one module, so an upgrade has one place to check.

- :func:`quiet_libraries`: telemetry and notice opt-outs (unstructured, Prefect);
  called by :mod:`ragline.warmup` and :mod:`ragline.sandbox`.
- :func:`use_offline_nlp`: unstructured 0.27.35's spaCy loader; :mod:`ragline.parsing.markup`.
- :func:`give_chroma_a_timeout`: chromadb 1.5.9's HTTP client; :mod:`ragline.vectorstore`.
- :func:`run_flow_runs_in_forkserver`: prefect 3.9.1's flow-run process start;
  ``deployments/serve.py``.
- :func:`poll_runner_now`: prefect 3.9.1's Runner poll; ``deployments/serve.py``.
- :func:`renew_cancellation_observer_on_failure`: prefect 3.9.1's Runner cancellation
  observer; ``deployments/serve.py``.
- :func:`keep_polling_through_prefect_outages`: prefect 3.9.1's scheduled-run poller;
  ``deployments/serve.py``.
- :func:`add_rate_limit_headers`: slowapi 0.1.10's header injection; ``api/errors.py``.
- :func:`count_rate_limits_in`: slowapi 0.1.10's limiter storage; ``api/ratelimit.py``.
- :class:`InheritingForkServerProcess`: CPython 3.11.7's forkserver launch;
  :mod:`ragline.sandbox`.

Each says what it patches and why. ``tests/ragline/test_compat.py`` has a test per patch that
fails when the patched thing changes (gone, another signature, other source) and when the
installed version is not the one in :data:`CHECKED_AGAINST`: after an upgrade, re-read the
patched code, adjust the function, then bump the version.

``ragline/`` is framework-free: every library is imported inside the function that patches
it, so importing this module loads none of them (Prefect and slowapi only ever run here in
the processes that already use them).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
import logging
import os
import re
import socket
import ssl
from collections.abc import Callable, Coroutine
from multiprocessing import (
    context,
    forkserver,
    popen_forkserver,
    reduction,
    resource_tracker,
    spawn,
    util,
)
from multiprocessing.context import ForkServerProcess
from typing import TYPE_CHECKING, Any

logger = logging.getLogger("ragline.compat")

if TYPE_CHECKING:
    import httpx
    from prefect.runner import Runner
    from slowapi import Limiter
    from starlette.requests import Request
    from starlette.responses import Response

#: The version of each library whose internals the functions below were written against.
CHECKED_AGAINST = {
    "prefect": "3.9.1",
    "chromadb": "1.5.9",
    "unstructured": "0.27.35",
    "slowapi": "0.1.10",
    "python": "3.11.7",
}

#: Opt-outs for libraries that phone home or advertise; an operator's own value wins.
LIBRARY_ENVIRONMENT = {
    # unstructured pings a telemetry endpoint when imported and at each partition (Prefect
    # and Hugging Face read DO_NOT_TRACK too); SCARF_NO_ANALYTICS is the ping's other switch.
    "DO_NOT_TRACK": "1",
    "SCARF_NO_ANALYTICS": "true",
    # unstructured's advertisement on the first partition of each process.
    "UNSTRUCTURED_DISABLE_NOTICE": "1",
}


def quiet_libraries() -> None:
    """Sets :data:`LIBRARY_ENVIRONMENT` in this process (and so its future children),
    leaving any variable the operator set alone.

    unstructured reads these when it is imported and at every partition: call this before
    either, in each process that parses (:mod:`ragline.warmup` names them). Not done on
    import: importing a module must not change the process's environment.
    """
    for name, value in LIBRARY_ENVIRONMENT.items():
        os.environ.setdefault(name, value)


# --- unstructured ------------------------------------------------------------------------------


def use_offline_nlp() -> None:
    """Gives unstructured a blank spaCy English pipeline with a sentencizer.

    unstructured >= 0.27 calls ``spacy.load("en_core_web_sm")`` on first use and, when the
    model is missing, downloads it from GitHub (fails offline; behind a dropping firewall it
    hangs). Patches ``unstructured.nlp.tokenize._load_spacy_model``, which the cached
    ``_get_nlp`` calls at call time, and clears that cache. The blank pipeline splits
    sentences but tags no parts of speech, so titles are guessed less well outside markup
    (:mod:`ragline.parsing.markup` corrects for it); it is also much faster and the same on
    every machine. Idempotent; call it before each partition. Checked against unstructured
    0.27.35.
    """
    from unstructured.nlp import tokenize

    if getattr(tokenize, "_ragline_offline", False):
        return
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.tokenizer = _LongWordGuard(nlp.tokenizer)
    tokenize._get_nlp.cache_clear()
    setattr(tokenize, "_load_spacy_model", lambda: nlp)  # noqa: B010 - a private hook
    setattr(tokenize, "_ragline_offline", True)  # noqa: B010


LONG_WORD_CHARS = 1000
"""No word of prose is this long; text that has one is data (JSON, base64, brackets)."""
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD_CHARS},}}")


class _LongWordGuard:
    """spaCy's tokenizer strips a word's affixes one at a time, searching the rest of the
    word each time: one run of 20,000 brackets took 69 s, a 1 MB one hours.
    unstructured only counts tokens (sentences, verbs, the share of alphabetic words) to
    guess titles, so a word of :data:`LONG_WORD_CHARS` or more is tokenised as letters of
    the same length; the elements' text is untouched."""

    def __init__(self, tokenizer: Callable[[str], Any]) -> None:
        self._tokenizer = tokenizer

    def __call__(self, text: str) -> Any:
        return self._tokenizer(_LONG_WORD.sub(lambda word: "x" * len(word[0]), text))


# --- chromadb ----------------------------------------------------------------------------------


class _HttpxWithTimeout:
    """Stands in for ``httpx`` inside ``chromadb.api.fastapi``: every client it builds gets
    the timeout."""

    def __init__(self, timeout: httpx.Timeout) -> None:
        self._timeout = timeout

    def __getattr__(self, name: str) -> Any:
        import httpx

        return getattr(httpx, name)

    def Client(self, *args: Any, **kwargs: Any) -> httpx.Client:  # noqa: N802 (httpx's name)
        import httpx

        # One TLS context for every client: httpx builds one from the whole CA bundle for
        # each client, for a plain-HTTP server too (a flow run's first store paid it).
        verify = kwargs.pop("verify", True)
        if verify is True:
            verify = default_tls_context()
        return httpx.Client(*args, **{**kwargs, "timeout": self._timeout, "verify": verify})


@functools.cache
def default_tls_context() -> ssl.SSLContext:
    """The TLS context httpx would build (certifi's CA bundle), built once per process; the
    flow runs' forkserver builds it before forking, so every run inherits it."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def give_chroma_a_timeout(timeout: httpx.Timeout) -> None:
    """Makes every chromadb HTTP client built from now on give up on a call after
    ``timeout``.

    chromadb's ``FastAPI`` client builds its ``httpx.Client(timeout=None)`` and has no
    setting for it, so a hung server would hang every question and store stage forever.
    Patches the ``httpx`` name in ``chromadb.api.fastapi`` with a stand-in whose ``Client``
    sets the timeout. Call it before building a client: building one already calls the
    server. Checked against chromadb 1.5.9.
    """
    import chromadb.api.fastapi

    chromadb.api.fastapi.httpx = _HttpxWithTimeout(timeout)  # type: ignore[attr-defined,assignment]


# --- Prefect -----------------------------------------------------------------------------------


class _ForkserverMultiprocessing:
    """Stands in for the ``multiprocessing`` module inside ``prefect.flow_engine``: Prefect
    asks for a "spawn" context to start a flow run, and gets the forkserver's."""

    def __getattr__(self, name: str) -> Any:
        import multiprocessing

        return getattr(multiprocessing, name)

    @staticmethod
    def get_context(method: str | None = None) -> context.BaseContext:
        import multiprocessing

        return multiprocessing.get_context("forkserver")


def run_flow_runs_in_forkserver() -> None:
    """Makes Prefect start every flow run of this process from the multiprocessing
    forkserver rather than a fresh ``spawn`` process.

    ``prefect.flow_engine.run_flow_in_subprocess`` takes ``multiprocessing.get_context(
    "spawn")`` and offers no way to choose another start method. Patches the
    ``multiprocessing`` name in ``prefect.flow_engine`` with a stand-in whose
    ``get_context`` returns the forkserver context, so runs fork from a process that has
    imported everything once (``deployments/serve.py``). Checked against prefect 3.9.1.
    """
    from prefect import flow_engine

    flow_engine.multiprocessing = _ForkserverMultiprocessing()  # type: ignore[attr-defined,assignment]


async def poll_runner_now(runner: Runner) -> None:
    """Makes a started Prefect ``Runner`` look for scheduled runs now, not at its next tick.

    Calls ``Runner._get_and_submit_flow_runs``, the poll the runner's own loop runs (it skips
    runs already being started, so an extra poll is harmless). The poller behind it,
    ``Runner._scheduled_run_poller``, exists only once ``Runner.start`` has set it up; until
    then this does nothing. Checked against prefect 3.9.1.
    """
    if hasattr(runner, "_scheduled_run_poller"):
        await runner._get_and_submit_flow_runs()  # type: ignore[no-untyped-call]


def renew_cancellation_observer_on_failure(runner: Runner, pause_s: float = 2.0) -> None:
    """Makes a Prefect ``Runner`` start a new cancellation observer when its observer gives up.

    The observer (``FlowRunCancellingObserver``) listens for Cancelling events and polls
    while the events stream is down; when its polls fail a few times in a row (a Prefect
    server restart of a few seconds is enough) it stops for good, and the runner only logs
    it (``Runner._handle_cancellation_observer_failure``): from then on no run of this
    process can be cancelled. Replaces that handler on this runner with one that, after
    ``pause_s``, enters a fresh observer into the runner's exit stack, hands it the runs in
    flight and checks once for runs cancelled meanwhile. Checked against prefect 3.9.1.
    """
    from prefect._internal.observers import FlowRunCancellingObserver

    async def renew() -> None:
        old = runner._cancelling_observer
        assert old is not None
        await asyncio.sleep(pause_s)
        new = FlowRunCancellingObserver(
            on_cancelling=old.on_cancelling,
            on_failure=old.on_failure,
            polling_interval=old.polling_interval,
        )
        await runner._exit_stack.enter_async_context(new)
        for flow_run_id in old._in_flight_flow_run_ids:
            new.add_in_flight_flow_run_id(flow_run_id)
        runner._cancelling_observer = new
        with contextlib.suppress(Exception):  # the new observer's own polls carry on
            await new._check_for_cancelled_flow_runs()  # type: ignore[no-untyped-call]

    runner._handle_cancellation_observer_failure = renew  # type: ignore[method-assign]


def keep_polling_through_prefect_outages() -> None:
    """Keeps a serve process polling for runs while the Prefect server fails or is away.

    The runner polls in ``critical_service_loop`` (``ScheduledRunPoller.run``), which gives up
    for good after three failed polls in a row (its ``backoff`` is 1): a PostgreSQL or Prefect
    restart of a few seconds answers 5xx or refuses the connection that long, the poller
    raises, and the serve process ends once its runs finish. Wraps
    ``ScheduledRunPoller._get_and_submit_flow_runs`` so that such a poll is logged and simply
    made again at the next tick. Checked against prefect 3.9.1.
    """
    from prefect.runner._scheduled_run_poller import ScheduledRunPoller

    poll = ScheduledRunPoller._get_and_submit_flow_runs
    if getattr(poll, "tolerates_outages", False):
        return
    ScheduledRunPoller._get_and_submit_flow_runs = outage_tolerant(poll)  # type: ignore[method-assign]


def outage_tolerant(
    poll: Callable[..., Coroutine[Any, Any, None]],
) -> Callable[..., Coroutine[Any, Any, None]]:
    """``poll``, except that an unreachable or failing (5xx) server is logged, not raised."""

    import httpx

    @functools.wraps(poll)
    async def tolerant(*args: Any, **kwargs: Any) -> None:
        try:
            await poll(*args, **kwargs)
        except httpx.TransportError as exc:
            logger.warning("Prefect is unreachable; polling again at the next tick: %s", exc)
        except httpx.HTTPStatusError as exc:
            if exc.response.status_code < 500:
                raise
            logger.warning("Prefect answered %s; polling again at the next tick", exc.response)

    tolerant.tolerates_outages = True  # type: ignore[attr-defined]
    return tolerant


# --- slowapi -----------------------------------------------------------------------------------


def add_rate_limit_headers(request: Request, response: Response) -> Response:
    """``response`` with the ``X-RateLimit-*`` and ``Retry-After`` headers slowapi puts on
    its own 429 answer, for a 429 answer of ours.

    slowapi has no public way: its own handler calls the private
    ``Limiter._inject_headers(response, current_limit)`` with the limit it stored in
    ``request.state.view_rate_limit``, on the limiter at ``request.app.state.limiter``.
    Checked against slowapi 0.1.10.
    """
    injected: Response = request.app.state.limiter._inject_headers(
        response, request.state.view_rate_limit
    )
    return injected


def count_rate_limits_in(limiter: Limiter, storage_uri: str, **options: float) -> None:
    """Points ``limiter`` at the storage ``storage_uri`` (``memory://``, ``redis://...``),
    built with ``options`` (e.g. the Redis client's timeouts).

    slowapi builds its storage once, in ``Limiter.__init__``, but the limiter must exist when
    the routes are decorated, before the app's settings are known. Setting
    ``_storage_uri``, ``_storage`` and ``_limiter`` is what ``__init__`` does with
    ``storage_uri=``; ``_strategy`` None means its default, fixed-window.
    Checked against slowapi 0.1.10 (limits 5.8.0).
    """
    from limits.storage import storage_from_string
    from limits.strategies import STRATEGIES

    limiter._storage_uri = storage_uri
    limiter._storage = storage_from_string(storage_uri, **(limiter._storage_options | options))
    limiter._limiter = STRATEGIES[limiter._strategy or "fixed-window"](limiter._storage)


# --- CPython multiprocessing ------------------------------------------------------------------


class InheritingForkServerProcess(ForkServerProcess):
    """A forkserver process launched with two changes to CPython's way:

    * the child does not re-import the caller's ``__main__`` (spawn semantics, which the
      forkserver keeps, would re-import Prefect in every child of a flow run started as
      ``python -m prefect.engine``);
    * a process that was itself forked from a fork server (a flow run under
      ``deployments/serve.py``) asks that server for the child. CPython records the server's
      pid only in the process that started it, so its children would start a second, cold
      server of their own.

    Replaces the private ``popen_forkserver.Popen._launch`` with a copy that drops the
    ``init_main_from_*`` preparation keys and connects to the inherited server, reading
    ``ForkServer``'s private ``_forkserver_pid``, ``_forkserver_address`` and
    ``_forkserver_alive_fd``. Checked against CPython 3.11.7.
    """

    @staticmethod
    def _Popen(process_obj: Any) -> _InheritingPopen:  # noqa: N802 - multiprocessing's name
        return _InheritingPopen(process_obj)


class _InheritingPopen(popen_forkserver.Popen):
    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_name", None)
        prep_data.pop("init_main_from_path", None)
        buf = io.BytesIO()
        context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            context.set_spawning_popen(None)
        self.sentinel, w = _connect_to_fork_server(self._fds)  # type: ignore[attr-defined]
        parent_w = os.dup(w)
        close_fds = util.close_fds  # type: ignore[attr-defined]
        self.finalizer = util.Finalize(self, close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


def _connect_to_fork_server(fds: list[int]) -> tuple[int, int]:
    """Asks a fork server for a new process; returns (sentinel, data pipe) as
    ``forkserver.connect_to_new_process`` does, using the inherited server if there is one."""
    server: Any = forkserver._forkserver
    if server._forkserver_pid is None and server._forkserver_address is not None:
        try:
            return _request_fork(server, fds)
        except OSError:  # it is gone: start our own below
            pass
    pipes: tuple[int, int] = forkserver.connect_to_new_process(fds)
    return pipes


def _request_fork(server: Any, fds: list[int]) -> tuple[int, int]:
    """``ForkServer.connect_to_new_process`` without its ``ensure_running``."""
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(server._forkserver_address)
        parent_r, child_w = os.pipe()
        child_r, parent_w = os.pipe()
        tracker_fd = resource_tracker.getfd()
        all_fds = [child_r, child_w, server._forkserver_alive_fd, tracker_fd, *fds]
        try:
            reduction.sendfds(client, all_fds)
        except BaseException:
            os.close(parent_r)
            os.close(parent_w)
            raise
        finally:
            os.close(child_r)
            os.close(child_w)
        return parent_r, parent_w
