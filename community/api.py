"""Community endpoints of the contract: ratings, comments, a user's comments and activity.

One Router for the app (mounted by killrvideo/api.py); each part of the app keeps its endpoints in
`community/endpoints/<part>.py` as a sub-router added here, one line each.
"""

from __future__ import annotations

from ninja import Router

from community.endpoints.activity import router as activity_router
from community.endpoints.comments import router as comments_router
from community.endpoints.ratings import router as ratings_router

router = Router(tags=["community"])
router.add_router("", activity_router)
router.add_router("", ratings_router)
router.add_router("", comments_router)
