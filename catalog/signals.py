"""What the catalog tells the apps above it (which it never imports): they connect in their AppConfig.ready().

`video_visibility_changed` is sent after a video becomes public (READY and not deleted) or stops being public
(soft delete, restore, processing finished): community hides or shows its comments and activity, discovery
its search entries, moderation records it. Receivers get `video` (the stored `Video`) and `public` (bool).
"""

from __future__ import annotations

from django.dispatch import Signal

video_visibility_changed = Signal()

# Sent after every stored change of a video (edit, processing step, delete, restore): `old` and `new`
# (`Video`s). Discovery keeps its tag suggestions and search entries in step from the difference.
video_changed = Signal()

# Sent after a video's embedding was (re)computed and stored: `video_id`. Discovery gives the video's search
# entry the new vector (the embedding is computed after the video becomes READY, and again after an edit).
video_embedded = Signal()

# Sent when a view was counted (first in its window, not the owner): `video` and `user_id` (None when the
# viewer is anonymous). Community records a signed-in user's counted views in their activity.
view_counted = Signal()

# Sent by `manage.py import_killrvideo_data` after the catalog part of the dataset is in: `directory` (the
# dataset clone), `youtube_ids` (the imported videos' YouTube ids, sorted), `verbosity`. Community imports the
# dataset's comments and ratings onto those videos; each receiver returns a one-line summary to print.
dataset_imported = Signal()
