"""Each process's warm-up does its work and keeps the fork-safety rule. The fork servers' own
use of them runs for real in tests/ragline/test_sandbox.py and tests/e2e."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from ragline import compat, warmup
from ragline.embedding import OnnxEmbedder
from ragline.embedding.onnx import default_model_path
from ragline.model_files import ensure_tokenizer
from ragline.settings import Settings


def run_python(code: str, **env: str) -> str:
    """``code`` in a fresh interpreter whose environment lacks the libraries' opt-outs."""
    clean = {k: v for k, v in os.environ.items() if k not in compat.LIBRARY_ENVIRONMENT}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_parse_server_is_quiet_and_has_run_every_parser_once() -> None:
    out = run_python(
        """
        import json, os, sys
        from ragline import compat, warmup
        warmup.parse_server()
        from unstructured.nlp import tokenize
        print(json.dumps([
            {k: os.environ.get(k) for k in compat.LIBRARY_ENVIRONMENT},
            tokenize._get_nlp().pipe_names,
            sorted(m for m in ("docx", "pptx", "pypdfium2") if m in sys.modules),
        ]))
        """
    )
    assert json.loads(out) == [
        compat.LIBRARY_ENVIRONMENT,
        ["sentencizer"],  # offline: the blank pipeline, set up before any document
        ["docx", "pptx", "pypdfium2"],
    ]


def test_the_flow_run_server_loads_the_model_but_stays_fork_safe() -> None:
    out = run_python(
        """
        import json, sys
        from ragline import warmup
        from ragline.embedding import get_embedder
        from ragline.settings import Settings
        warmup.flow_run_server()
        embedder = get_embedder(Settings())
        print(json.dumps([
            embedder.fork_safe,
            sorted(m for m in warmup.FLOW_RUN_MODULES if m in sys.modules),
            "unstructured.partition.docx" in sys.modules,
        ]))
        """,
        RAGLINE_EMBEDDING_THREADS="2",
    )
    assert json.loads(out) == [True, sorted(warmup.FLOW_RUN_MODULES), True]


def test_start_forkserver_returns_once_its_preload_is_imported(tmp_path: Path) -> None:
    (tmp_path / "slow_preload.py").write_text(
        "import time, pathlib\ntime.sleep(1)\n"
        f"pathlib.Path({str(tmp_path / 'imported')!r}).touch()\n"
    )
    # On PYTHONPATH: a fork server in Python 3.11 ignores the sys.path it is handed.
    out = run_python(
        f"""
        import pathlib
        from ragline import warmup
        warmup.start_forkserver(["slow_preload"])
        print(pathlib.Path({str(tmp_path / "imported")!r}).exists())
        """,
        PYTHONPATH=str(tmp_path),
    )
    assert out.strip() == "True"


def test_warm_model_builds_the_all_cores_session() -> None:
    tokenizer = ensure_tokenizer(Settings().paths.models)
    embedder = OnnxEmbedder(default_model_path(), tokenizer, threads=2)
    assert embedder.fork_safe
    warmup.warm_model(embedder)
    assert not embedder.fork_safe  # which is why it runs only after any fork
    assert (
        embedder.session(embedder.core_share.alone).get_session_options().intra_op_num_threads == 2
    )


def test_the_api_gets_its_model_ready_for_a_lone_question() -> None:
    embedder = warmup.api_process(Settings(embedding_threads=2))
    assert isinstance(embedder, OnnxEmbedder)
    assert not embedder.fork_safe  # the all-cores session is built
