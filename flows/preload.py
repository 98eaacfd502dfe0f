"""Everything a flow-run process needs, imported once by the serve process's forkserver.

See deployments/serve.py: flow-run processes fork from a process that already holds these
modules (and warmed-up parsers), instead of importing them again in every run.
"""

import chromadb  # noqa: F401
import onnxruntime  # noqa: F401
import tokenizers  # noqa: F401

import flows.ingest  # noqa: F401
import flows.reingest  # noqa: F401
import ragline._parser_warmup  # noqa: F401
