"""Input rules for video fields (submit and edit, from the API and the Studio forms alike)."""

from __future__ import annotations

from catalog import youtube
from catalog.domain import MAX_DESCRIPTION_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, MAX_TITLE_LENGTH, normalise_tags
from killrvideo import text
from killrvideo.errors import ValidationFailed


def clean_title(value: str | None, *, required: bool = False) -> str | None:
    if value is None:
        return None
    text.check("title", "The title", value)
    title = " ".join(value.split())
    if required and not title:
        raise ValidationFailed.for_field("title", "Enter a title.")
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationFailed.for_field("title", f"Keep the title under {MAX_TITLE_LENGTH} characters.")
    return title


def clean_description(value: str | None) -> str | None:
    if value is None:
        return None
    text.check("description", "The description", value, multiline=True)
    cleaned = value.replace("\r\n", "\n").strip()
    if len(cleaned) > MAX_DESCRIPTION_LENGTH:
        raise ValidationFailed.for_field(
            "description", f"Keep the description under {MAX_DESCRIPTION_LENGTH} characters."
        )
    return cleaned


def clean_tags(values: list[str] | tuple[str, ...] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if len(values) > MAX_TAGS:
        raise ValidationFailed.for_field("tags", f"Use at most {MAX_TAGS} tags.")
    if any(len(v.strip()) > MAX_TAG_LENGTH for v in values):
        raise ValidationFailed.for_field("tags", f"Keep each tag under {MAX_TAG_LENGTH} characters.")
    for value in values:
        text.check("tags", "A tag", value)
    return normalise_tags(values)


def parse_url(youtube_url: str) -> str:
    try:
        return youtube.parse_youtube_id(youtube_url)
    except youtube.InvalidYouTubeUrl as exc:
        raise ValidationFailed.for_field("youtubeUrl", str(exc), code="INVALID_YOUTUBE_URL") from exc
