"""Moderation endpoints of the contract: reports (`/flags`) and the moderator API (`/moderation/...`).

One Router for the app (mounted by killrvideo/api.py); each part keeps its endpoints in
`moderation/endpoints/<part>.py` as a sub-router added here, one line each.
"""

from __future__ import annotations

from ninja import Router

from moderation.endpoints.audit import router as audit_router
from moderation.endpoints.flags import router as flags_router
from moderation.endpoints.users import router as users_router

router = Router(tags=["moderation"])
router.add_router("", flags_router)
router.add_router("", audit_router)
router.add_router("", users_router)
