"""Community use cases. Other apps import from here (e.g. moderation calls `comment_soft_delete`)."""

from __future__ import annotations

# Comments.
from community.services.comments import comment_get as comment_get
from community.services.comments import comment_post as comment_post
from community.services.comments import comment_posted as comment_posted
from community.services.comments import comment_restore as comment_restore
from community.services.comments import comment_soft_delete as comment_soft_delete
from community.services.comments import comment_video as comment_video
from community.services.comments import user_comment_count as user_comment_count
from community.services.comments import user_comments_feed as user_comments_feed
from community.services.comments import user_comments_page as user_comments_page
from community.services.comments import video_comment_count as video_comment_count
from community.services.comments import video_comment_mood as video_comment_mood
from community.services.comments import video_comments_feed as video_comments_feed
from community.services.comments import video_comments_page as video_comments_page

# Ratings (explicit re-exports: one line each, so other parts' lines never collide).
from community.services.ratings import bayesian_average as bayesian_average
from community.services.ratings import bayesian_averages as bayesian_averages
from community.services.ratings import rating_of as rating_of
from community.services.ratings import rating_saved as rating_saved
from community.services.ratings import rating_set as rating_set
from community.services.ratings import rating_summary as rating_summary
from community.services.ratings import ratings_summary_many as ratings_summary_many
