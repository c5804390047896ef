"""HTML forms for Creator Studio.

Forms bound the input (lengths) and check the link early for a quick inline message; the rules themselves are
the catalog services' (the same for the API), and the errors those raise land on the matching fields through
`killrvideo.forms.apply_service_errors` (e.g. `youtubeUrl` -> `youtube_url`).
"""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from catalog import youtube
from catalog.domain import MAX_DESCRIPTION_LENGTH, MAX_TITLE_LENGTH, parse_tag_text
from killrvideo.forms import Form


class _VideoFieldsForm(Form):
    """Labels and help in the same style as the account forms (no colon, help next to the field)."""

    title = forms.CharField(label="Title", max_length=MAX_TITLE_LENGTH, required=False)
    description = forms.CharField(
        label="Description",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_DESCRIPTION_LENGTH,
        required=False,
    )
    tags = forms.CharField(
        label="Tags",
        required=False,
        max_length=1000,
        help_text="Separate tags with commas, e.g. cassandra, data modeling",
        # Tag autocomplete (static/js/combobox.js) completes the last tag from discovery's suggestions.
        widget=forms.TextInput(attrs={"data-suggest-url": reverse_lazy("tag_suggestions"), "data-suggest-list": ""}),
    )

    def tag_list(self) -> list[str]:
        return list(parse_tag_text(self.cleaned_data.get("tags") or ""))


class VideoSubmitForm(_VideoFieldsForm):
    youtube_url = forms.CharField(
        label="YouTube link",
        max_length=youtube.MAX_URL_LENGTH,
        help_text="Any YouTube video link: watch, youtu.be, shorts, live or embed.",
        widget=forms.URLInput(
            attrs={
                "placeholder": "https://www.youtube.com/watch?v=…",
                "autofocus": True,
                # Progressive enhancement: a live preview of the real YouTube metadata as the link is typed.
                "hx-post": reverse_lazy("studio_video_preview"),
                "hx-trigger": "change, keyup changed delay:700ms",
                "hx-target": "#video-preview",
            }
        ),
    )
    field_order = ["youtube_url", "title", "description", "tags"]

    def clean_youtube_url(self) -> str:
        value = self.cleaned_data["youtube_url"]
        try:
            youtube.parse_youtube_id(value)
        except youtube.InvalidYouTubeUrl as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value


class VideoEditForm(_VideoFieldsForm):
    title = forms.CharField(label="Title", max_length=MAX_TITLE_LENGTH, required=True)
