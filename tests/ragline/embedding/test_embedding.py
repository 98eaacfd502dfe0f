"""The package's own functions: one embedder per configuration, a light import, the optional
backend's message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ragline.embedding import OnnxEmbedder, SentenceTransformersEmbedder, get_embedder
from ragline.errors import RaglineError
from ragline.settings import Settings


def test_get_embedder_builds_one_per_configuration(tokenizer_file: Path) -> None:
    first = get_embedder(Settings(embedding_batch_size=7))
    assert get_embedder(Settings(embedding_batch_size=7)) is first
    assert isinstance(first, OnnxEmbedder)
    with pytest.raises(RaglineError, match="EMBEDDING_API_URL"):
        get_embedder(Settings(embedding_backend="openai"))


def test_importing_embedding_loads_no_heavy_framework() -> None:
    code = (
        "import sys, ragline.embedding; "
        "print(sorted({'torch', 'fastapi', 'prefect', 'onnxruntime'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_sentence_transformers_backend_explains_the_missing_extra() -> None:
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("the st extra is installed")
    with pytest.raises(RaglineError, match=r"ragline\[st\]"):
        SentenceTransformersEmbedder("sentence-transformers/all-MiniLM-L6-v2")
