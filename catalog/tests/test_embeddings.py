"""Query embeddings asked for at the same time share one forward pass of the real model."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

import numpy as np

from catalog import embeddings

Embed = Callable[[Sequence[str]], list[list[float]]]


def _held_batcher(until_queued: int, then: Embed) -> tuple[embeddings.QueryBatcher, list[int]]:
    """A batcher whose first forward pass starts only once `until_queued` more requests wait behind it,
    and the sizes of the batches it runs."""
    sizes: list[int] = []

    def embed(texts: Sequence[str]) -> list[list[float]]:
        if not sizes:
            deadline = time.monotonic() + 10
            while len(batcher._queue) < until_queued and time.monotonic() < deadline:
                time.sleep(0.005)
        sizes.append(len(texts))
        return then(texts)

    batcher = embeddings.QueryBatcher(embed)
    return batcher, sizes


def _ask_all(batcher: embeddings.QueryBatcher, texts: list[str]) -> dict[str, list[float] | BaseException]:
    out: dict[str, list[float] | BaseException] = {}

    def ask(text: str) -> None:
        try:
            out[text] = batcher.embed(text)
        except BaseException as exc:  # noqa: BLE001 (compared by the test)
            out[text] = exc

    threads = [threading.Thread(target=ask, args=(t,)) for t in texts]
    for t in threads:
        t.start()
        time.sleep(0.01)
    for t in threads:
        t.join(timeout=30)
    return out


def test_concurrent_queries_share_a_forward_pass() -> None:
    texts = [f"how to model {word} in cassandra" for word in ("users", "videos", "comments", "ratings", "tags")]
    alone = {t: embeddings.embed_text(t) for t in texts}
    batcher, sizes = _held_batcher(len(texts) - 1, embeddings.embed_texts)
    got = _ask_all(batcher, texts)
    assert sizes == [1, len(texts) - 1]  # the first alone, the four that came meanwhile together
    for text in texts:
        vector = got[text]
        assert not isinstance(vector, BaseException)
        assert np.allclose(vector, alone[text], atol=1e-5)  # padding in a batch changes nothing


def test_an_error_reaches_its_batch_and_the_next_batch_still_runs() -> None:
    real = embeddings.embed_texts
    calls: list[int] = []

    def fail_first(texts: Sequence[str]) -> list[list[float]]:
        calls.append(len(texts))
        if len(calls) == 1:
            raise RuntimeError("model failed")
        return real(texts)

    batcher, sizes = _held_batcher(2, fail_first)
    got = _ask_all(batcher, ["first", "second", "third"])
    assert sizes == [1, 2]
    failed = [text for text, vector in got.items() if isinstance(vector, BaseException)]
    assert len(failed) == 1  # the one in the failed batch; the two behind it were embedded
    assert isinstance(got[failed[0]], RuntimeError)
    assert len(batcher.embed("afterwards")) == 384  # nothing is left busy
