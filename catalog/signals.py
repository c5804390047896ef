"""What the catalog tells the apps above it (which it never imports): they connect in their AppConfig.ready().

`video_visibility_changed` is sent after a video becomes public (READY and not deleted) or stops being public
(soft delete, restore, processing finished): community hides or shows its comments and activity, discovery
its search entries, moderation records it. Receivers get `video` (the stored `Video`) and `public` (bool).
"""

from __future__ import annotations

from django.dispatch import Signal

video_visibility_changed = Signal()

# Sent when a view was counted (first in its window, not the owner): `video` and `user_id` (None when the
# viewer is anonymous). Community records a signed-in user's counted views in their activity.
view_counted = Signal()
