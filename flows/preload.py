"""Everything a flow-run process needs, imported once by the serve process's forkserver.

See deployments/serve.py: flow-run processes fork from a process that already holds these
modules (and warmed-up parsers), instead of importing them again in every run. The list
comes from profiling a run: each line below was a lazy import paid inside every run.
"""

import chromadb.api.fastapi  # noqa: F401  (chromadb resolves its HTTP client by name)
import fastapi  # noqa: F401  (Prefect imports it when it creates a subflow run)
import onnxruntime  # noqa: F401
import psycopg  # noqa: F401  (SQLAlchemy imports the driver on first connect)
import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401
import tokenizers  # noqa: F401

import flows.ingest  # noqa: F401
import flows.reingest  # noqa: F401
import ragline._parser_warmup  # noqa: F401
