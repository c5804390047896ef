"""Sentiment: VADER's compound score and our labels on clear sentences; one analyser per process."""

from __future__ import annotations

import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from community import sentiment
from community.domain import Sentiment


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("I love this video, it is wonderful and so helpful!", Sentiment.POSITIVE),
        ("Great explanation, thanks a lot :)", Sentiment.POSITIVE),
        ("This is terrible, boring and a waste of time.", Sentiment.NEGATIVE),
        ("I hate how confusing and awful this was.", Sentiment.NEGATIVE),
        ("The video is ten minutes long.", Sentiment.NEUTRAL),
        ("It covers partition keys and clustering columns.", Sentiment.NEUTRAL),
    ],
)
def test_clear_sentences_get_their_label(text, label):
    scored = sentiment.analyse(text)
    assert scored.label is label
    assert -1.0 <= scored.score <= 1.0
    assert Sentiment.of_score(scored.score) is label


def test_thresholds_are_vaders():
    assert Sentiment.of_score(0.05) is Sentiment.POSITIVE
    assert Sentiment.of_score(0.0499) is Sentiment.NEUTRAL
    assert Sentiment.of_score(-0.0499) is Sentiment.NEUTRAL
    assert Sentiment.of_score(-0.05) is Sentiment.NEGATIVE


def test_the_analyser_is_built_once_and_scoring_is_fast():
    assert sentiment.analyzer() is sentiment.analyzer()
    started = time.perf_counter()
    for n in range(1000):
        sentiment.analyse(f"Comment {n}: a really good talk, but the audio was bad.")
    assert time.perf_counter() - started < 1.0  # well under a millisecond a comment


def test_an_unknown_model_setting_is_refused():
    with override_settings(COMMUNITY_SENTIMENT_ANALYZER="nope"), pytest.raises(ImproperlyConfigured):
        sentiment.analyzer()
