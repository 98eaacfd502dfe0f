"""The opt-outs that keep libraries quiet, and that unstructured still reads them."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys

from ragline import compat


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
