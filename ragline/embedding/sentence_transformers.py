"""The real sentence-transformers (torch), if the user installed the ``st`` extra.

torch is imported only when this backend is built, never by importing ragline.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ragline.embedding.vectors import Vectors, no_vectors
from ragline.errors import RaglineError


class SentenceTransformersEmbedder:
    """The real sentence-transformers (torch); needs ``pip install 'ragline[st]'``."""

    def __init__(self, model_name: str, batch_size: int = 32, device: str = "cpu") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise RaglineError(
                "The sentence-transformers backend needs the optional extra: "
                "pip install 'ragline[st]' (it brings torch), or use the onnx backend.",
                code="backend_not_installed",
            ) from error
        self._model = SentenceTransformer(model_name, device=device)
        self.batch_size = batch_size
        self.dimension: int = self._model.get_embedding_dimension() or 0
        self.model_id = f"st:{model_name}:maxlen{self._model.max_seq_length}"

    def count_tokens(self, text: str) -> int:
        # verbose=False: counting a text longer than the model's limit is what we want here.
        encoded = self._model.tokenizer(text, add_special_tokens=False, verbose=False)
        return len(encoded["input_ids"])

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return no_vectors(self.dimension)
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True
        )
        return np.asarray(vectors, dtype=np.float32)
