"""Every place ragline reaches into a library's private parts, and the environment that
keeps libraries quiet: one module per library, listed here, so an upgrade has one place to
check.

Each patch, with (the library and version it was checked against): who calls it; the test
that pins it, in ``tests/ragline/compat/``.

- :func:`quiet_libraries` (unstructured 0.27.35): ragline.warmup, ragline.sandbox;
  test_environment.py
- :func:`use_offline_nlp` (unstructured 0.27.35): ragline.parsing.markup;
  test_unstructured_nlp.py
- :func:`give_chroma_a_timeout` (chromadb 1.5.9): ragline.vectorstore; test_chromadb_client.py
- :func:`default_tls_context` (chromadb 1.5.9): ragline.warmup; test_chromadb_client.py
- :func:`run_flow_runs_in_forkserver` (prefect 3.9.1): deployments/serve.py;
  test_prefect_runner.py
- :func:`poll_runner_now` (prefect 3.9.1): deployments/serve.py; test_prefect_runner.py
- :func:`renew_cancellation_observer_on_failure` (prefect 3.9.1): deployments/serve.py;
  test_prefect_runner.py
- :func:`keep_polling_through_prefect_outages` (prefect 3.9.1): deployments/serve.py;
  test_prefect_runner.py
- :func:`add_rate_limit_headers` (slowapi 0.1.10): api/errors.py; test_slowapi_limits.py
- :func:`count_rate_limits_in` (slowapi 0.1.10): api/ratelimit.py; test_slowapi_limits.py
- :class:`InheritingForkServerProcess` (python 3.11.7): ragline.sandbox;
  test_cpython_forkserver.py

The modules: :mod:`.environment` (the opt-outs), :mod:`.unstructured_nlp` (unstructured and
spaCy), :mod:`.chromadb_client`, :mod:`.prefect_runner`, :mod:`.slowapi_limits` (slowapi on
Starlette), :mod:`.cpython_forkserver`. Each function says what it patches and why; callers
use them as ``compat.<name>``.

Each test fails when the patched thing changes (gone, another signature, other source) and
when the installed version is not the one in :data:`CHECKED_AGAINST` (the list above is held
to it by ``test_checked_against.py``): after an upgrade, re-read the patched code, adjust the
function, then bump the version.

``ragline/`` is framework-free: every library is imported inside the function that patches
it, so importing this package loads none of them (Prefect and slowapi only ever run here in
the processes that already use them).
"""

from __future__ import annotations

from ragline.compat.chromadb_client import default_tls_context, give_chroma_a_timeout
from ragline.compat.cpython_forkserver import InheritingForkServerProcess
from ragline.compat.environment import LIBRARY_ENVIRONMENT, quiet_libraries
from ragline.compat.prefect_runner import (
    keep_polling_through_prefect_outages,
    poll_runner_now,
    renew_cancellation_observer_on_failure,
    run_flow_runs_in_forkserver,
)
from ragline.compat.slowapi_limits import add_rate_limit_headers, count_rate_limits_in
from ragline.compat.unstructured_nlp import use_offline_nlp

#: The version of each library whose internals the modules of this package were written against.
CHECKED_AGAINST = {
    "prefect": "3.9.1",
    "chromadb": "1.5.9",
    "unstructured": "0.27.35",
    "slowapi": "0.1.10",
    "python": "3.11.7",
}

__all__ = [
    "CHECKED_AGAINST",
    "LIBRARY_ENVIRONMENT",
    "InheritingForkServerProcess",
    "add_rate_limit_headers",
    "count_rate_limits_in",
    "default_tls_context",
    "give_chroma_a_timeout",
    "keep_polling_through_prefect_outages",
    "poll_runner_now",
    "quiet_libraries",
    "renew_cancellation_observer_on_failure",
    "run_flow_runs_in_forkserver",
    "use_offline_nlp",
]
