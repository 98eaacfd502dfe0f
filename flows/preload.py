"""Serve's forkserver imports this as its preload module (see deployments/serve.py): every
flow-run process forks from a process that already holds these modules, warmed-up parsers
and the loaded model (:func:`ragline.warmup.flow_run_server`), instead of loading them again
in every run. Nothing else may import it.
"""

import fastapi  # noqa: F401  (Prefect imports it when it creates a subflow run)

import flows.ingest  # noqa: F401
import flows.reingest  # noqa: F401
from ragline import warmup

warmup.flow_run_server()
