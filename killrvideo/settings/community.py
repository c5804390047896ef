"""Community: comments, sentiment, ratings and activity."""

from __future__ import annotations

from .environment import env

COMMENT_RATE_LIMIT = env.int("COMMENT_RATE_LIMIT", default=10)  # comments per user per window
COMMENT_RATE_WINDOW_SECONDS = env.int("COMMENT_RATE_WINDOW_SECONDS", default=60)
# The sentiment model behind community.sentiment: "vader" (vadersentiment, offline).
COMMUNITY_SENTIMENT_ANALYZER = env("COMMUNITY_SENTIMENT_ANALYZER", default="vader")
RATING_RATE_LIMIT = env.int("RATING_RATE_LIMIT", default=60)  # rating changes per user per window
RATING_RATE_WINDOW_SECONDS = env.int("RATING_RATE_WINDOW_SECONDS", default=60)
# Bayesian average: how many site-average ratings a video starts with (its pull towards the site mean).
RATING_PRIOR_WEIGHT = env.float("RATING_PRIOR_WEIGHT", default=5.0)
