"""HTML forms for community pages. Validation rules live in the services; forms only shape input."""

from __future__ import annotations

from django import forms

from community.domain import MAX_COMMENT_LENGTH
from killrvideo.forms import Form


class CommentForm(Form):
    # No max_length here: the service counts after trimming and says so; the textarea's maxlength helps typing.
    text = forms.CharField(
        label="Add a comment",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT_LENGTH, "placeholder": "Say something nice…"}),
        error_messages={"required": "Write something before posting."},
    )
