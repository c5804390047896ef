"""The sentiment of a comment, from a real model behind a small interface chosen by a setting.

`COMMUNITY_SENTIMENT_ANALYZER` names the model; the default, "vader", is VADER (the `vadersentiment` package:
a lexicon and rules tuned for short social-media text, offline, microseconds per comment). Its compound score
lies in -1..1 and is the stored `sentiment_score`; the label follows VADER's recommended thresholds
(`Sentiment.of_score`). The analyser is built once per process, on first use, and shared by every thread:
scoring only reads its lexicon.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from community.domain import Sentiment

# `sentiment_score` is a float column (32-bit): four decimals is what it can keep exactly enough.
SCORE_DECIMALS = 4


@dataclass(frozen=True)
class Scored:
    score: float
    label: Sentiment


class SentimentAnalyzer(Protocol):
    """A model that scores text from -1 (most negative) to 1 (most positive)."""

    name: str

    def score(self, text: str) -> float: ...


class VaderAnalyzer:
    name = "vader"

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._analyzer = SentimentIntensityAnalyzer()

    def score(self, text: str) -> float:
        return float(self._analyzer.polarity_scores(text)["compound"])


ANALYZERS: dict[str, Callable[[], SentimentAnalyzer]] = {"vader": VaderAnalyzer}

_lock = threading.Lock()
_analyzers: dict[str, SentimentAnalyzer] = {}


def analyzer() -> SentimentAnalyzer:
    """The configured analyser, built once per process (loading VADER's lexicon takes ~0.1 s)."""
    name = settings.COMMUNITY_SENTIMENT_ANALYZER
    existing = _analyzers.get(name)
    if existing is not None:
        return existing
    factory = ANALYZERS.get(name)
    if factory is None:
        raise ImproperlyConfigured(
            f"COMMUNITY_SENTIMENT_ANALYZER={name!r} is not a known model; use one of {sorted(ANALYZERS)}."
        )
    with _lock:
        if name not in _analyzers:
            _analyzers[name] = factory()
        return _analyzers[name]


def analyse(text: str) -> Scored:
    score = max(-1.0, min(1.0, round(analyzer().score(text), SCORE_DECIMALS)))
    return Scored(score=score, label=Sentiment.of_score(score))
