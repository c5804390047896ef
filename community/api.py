"""Community endpoints of the contract: ratings, comments, a user's comments and activity.

One Router for the app (mounted by killrvideo/api.py); each part of the app keeps its endpoints in
`community/endpoints/<part>.py` as a sub-router added here, one line each.
"""

from __future__ import annotations

from ninja import Router

router = Router(tags=["community"])
