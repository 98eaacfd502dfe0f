"""Everything a flow-run process needs, imported once by the serve process's forkserver.

See deployments/serve.py: flow-run processes fork from a process that already holds these
modules, warmed-up parsers and the loaded model, instead of loading them again in every run.
The list comes from profiling a run: each line below was paid inside every run.
"""

import contextlib

import chromadb.api.fastapi  # noqa: F401  (chromadb resolves its HTTP client by name)
import fastapi  # noqa: F401  (Prefect imports it when it creates a subflow run)
import onnxruntime  # noqa: F401
import psycopg  # noqa: F401  (SQLAlchemy imports the driver on first connect)
import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401
import tokenizers  # noqa: F401

import flows.ingest  # noqa: F401
import flows.reingest  # noqa: F401
import ragline._parser_warmup  # noqa: F401
from ragline.embedding import get_embedder
from ragline.settings import Settings

# The model too: its files checked, its tokenizers read and its one-thread session built,
# ~0.6 s of CPU that every run paid. Only that session: one with threads would lose them in
# the fork. Best effort: if this fails, a run loads the model itself.
with contextlib.suppress(Exception):
    settings = Settings()
    if settings.embedding_backend == "onnx":
        get_embedder(settings)
