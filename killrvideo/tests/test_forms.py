"""Service field errors land on the matching form fields (pure)."""

from __future__ import annotations

from killrvideo.errors import ValidationFailed


def test_service_errors_land_on_the_matching_form_fields():
    from django import forms

    from killrvideo.forms import apply_service_errors

    class VideoForm(forms.Form):
        youtube_url = forms.CharField(required=False)
        first_name = forms.CharField(required=False)

    form = VideoForm(data={})
    assert form.is_valid()
    errors = [
        {"field": "youtubeUrl", "message": "Not a YouTube link."},
        {"field": "first_name", "message": "Too long."},
        {"field": "somethingElse", "message": "General problem."},
    ]
    apply_service_errors(form, ValidationFailed("bad", errors=errors))
    assert form.errors["youtube_url"] == ["Not a YouTube link."]
    assert form.errors["first_name"] == ["Too long."]
    assert form.non_field_errors() == ["General problem."]
