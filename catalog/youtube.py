"""YouTube URL parsing and video metadata lookup.

Deliberately free of Django imports: callers pass settings (API key, base URLs,
timeouts) in, which keeps this module usable from views, Celery tasks and
management commands alike, and testable without a configured project.

Two metadata sources are supported:

* YouTube Data API v3 ``videos.list`` (needs an API key; gives description,
  tags, duration and privacy/embeddability status).
* oEmbed (no key; gives title, channel name and a thumbnail only).

Failures are split into *permanent* ones (the video itself is unusable, so
retrying is pointless) and *transient* ones (the network, YouTube or our quota
is at fault, so the caller should retry later).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal
from urllib.parse import SplitResult, parse_qs, urlsplit

import httpx

logger = logging.getLogger(__name__)

DEFAULT_DATA_API_BASE_URL: Final = "https://www.googleapis.com/youtube/v3"
DEFAULT_OEMBED_URL: Final = "https://www.youtube.com/oembed"

MAX_URL_LENGTH: Final = 2000

_VIDEO_ID_RE: Final = re.compile(r"[A-Za-z0-9_-]{11}")

# Hosts are matched exactly (after lower-casing), never by suffix or substring,
# so look-alikes such as "youtube.com.evil.net" or "notyoutube.com" fail.
_WATCH_HOSTS: Final = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"})
_NOCOOKIE_HOSTS: Final = frozenset({"youtube-nocookie.com", "www.youtube-nocookie.com"})
_SHORT_HOST: Final = "youtu.be"

# Path prefixes of the form "/<prefix>/<id>" that identify a single video.
_ID_PATH_PREFIXES: Final = frozenset({"embed", "shorts", "live", "v", "e"})
_NOCOOKIE_PATH_PREFIXES: Final = frozenset({"embed", "v"})

# "videoseries" is exactly 11 characters, so "/embed/videoseries?list=..."
# (a playlist embed) would otherwise pass as a video id.
_RESERVED_PATH_IDS: Final = frozenset({"videoseries"})

_SCHEME_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# "javascript:", "data:", "mailto:" ... but not "youtube.com:443/...".
_OPAQUE_SCHEME_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")

PermanentReason = Literal["not_found", "private", "embedding_disabled", "invalid"]
MetadataSource = Literal["data_api", "oembed"]

# Best first, as documented for snippet.thumbnails in videos.list.
_THUMBNAIL_PREFERENCE: Final = ("maxres", "standard", "high", "medium", "default")

# Data API error reasons that mean "not now" rather than "never".
_TRANSIENT_API_REASONS: Final = frozenset(
    {
        "quotaExceeded",
        "rateLimitExceeded",
        "userRateLimitExceeded",
        "dailyLimitExceeded",
        "backendError",
        "internalError",
    }
)

# uploadStatus values for which the video will never play.
_DEAD_UPLOAD_STATUSES: Final = frozenset({"deleted", "failed", "rejected"})

_DURATION_RE: Final = re.compile(
    r"P(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?"
)


# --------------------------------------------------------------------------- #
# Exceptions
# --------------------------------------------------------------------------- #


class InvalidYouTubeUrl(ValueError):
    """The text is not a URL of a single YouTube video."""


class YouTubeError(Exception):
    """Base class for metadata lookup failures."""


class YouTubePermanentError(YouTubeError):
    """The video cannot be used; retrying will not help."""

    def __init__(self, reason: PermanentReason, message: str) -> None:
        super().__init__(message)
        self.reason: PermanentReason = reason
        self.message = message


class YouTubeTransientError(YouTubeError):
    """Temporary failure (network, 5xx, 429, quota); retry later."""


class YouTubeConfigurationError(YouTubeTransientError):
    """YouTube rejected *our* request (bad/restricted API key, API disabled).

    A subclass of the transient error because the video is not at fault and
    fixing the configuration makes a retry succeed; callers that care can
    catch it separately to alert operators.
    """


# --------------------------------------------------------------------------- #
# URL handling
# --------------------------------------------------------------------------- #


def parse_youtube_id(url: str) -> str:
    """Return the 11-character video id from any single-video YouTube URL."""
    text = _normalise_url_text(url)
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # e.g. "http://[": an unterminated IPv6 host
        raise InvalidYouTubeUrl("That is not a YouTube link.") from exc
    host = _checked_host(parts)
    video_id = _id_from_parts(host, parts.path, parts.query)
    if video_id is None or not is_valid_youtube_id(video_id):
        raise InvalidYouTubeUrl(
            "That YouTube link does not point to a single video. "
            "Use a link like https://www.youtube.com/watch?v=VIDEO_ID."
        )
    return video_id


def is_valid_youtube_id(value: str) -> bool:
    return bool(_VIDEO_ID_RE.fullmatch(value)) and value not in _RESERVED_PATH_IDS


def canonical_watch_url(youtube_id: str) -> str:
    return f"https://www.youtube.com/watch?v={youtube_id}"


def thumbnail_url(youtube_id: str) -> str:
    return f"https://i.ytimg.com/vi/{youtube_id}/hqdefault.jpg"


def embed_url(youtube_id: str) -> str:
    # The privacy-enhanced domain sets no tracking cookies until playback.
    return f"https://www.youtube-nocookie.com/embed/{youtube_id}"


def _normalise_url_text(url: str) -> str:
    if not isinstance(url, str):
        raise InvalidYouTubeUrl("Please enter a YouTube link.")
    text = url.strip()
    if not text:
        raise InvalidYouTubeUrl("Please enter a YouTube link.")
    if len(text) > MAX_URL_LENGTH:
        raise InvalidYouTubeUrl(f"That link is too long (over {MAX_URL_LENGTH} characters).")
    if _SCHEME_RE.match(text):
        return text
    if text.startswith("//"):
        return "https:" + text
    if _OPAQUE_SCHEME_RE.match(text):
        raise InvalidYouTubeUrl("Only http and https YouTube links are accepted.")
    # People paste "youtube.com/watch?v=..." without a scheme.
    return "https://" + text


def _checked_host(parts: SplitResult) -> str:
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidYouTubeUrl("Only http and https YouTube links are accepted.")
    # Credentials in a URL are a classic spoofing trick ("youtube.com@evil").
    if parts.username is not None or parts.password is not None:
        raise InvalidYouTubeUrl("That is not a YouTube link.")
    try:
        port = parts.port
    except ValueError as exc:
        raise InvalidYouTubeUrl("That is not a valid link.") from exc
    if port not in (None, 80, 443):
        raise InvalidYouTubeUrl("That is not a YouTube link.")
    host = (parts.hostname or "").rstrip(".")
    if host in _WATCH_HOSTS or host in _NOCOOKIE_HOSTS or host == _SHORT_HOST:
        return host
    raise InvalidYouTubeUrl("That is not a YouTube link.")


def _id_from_parts(host: str, path: str, query: str) -> str | None:
    segments = [segment for segment in path.split("/") if segment]
    if host == _SHORT_HOST:
        return segments[0] if len(segments) == 1 else None
    prefixes = _NOCOOKIE_PATH_PREFIXES if host in _NOCOOKIE_HOSTS else _ID_PATH_PREFIXES
    if len(segments) == 2 and segments[0] in prefixes:
        return segments[1]
    if segments == ["watch"] and host in _WATCH_HOSTS:
        values = parse_qs(query).get("v", [])
        return values[0] if values else None
    return None


# --------------------------------------------------------------------------- #
# Metadata
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class YouTubeMetadata:
    youtube_id: str
    title: str
    description: str
    tags: tuple[str, ...]
    duration_seconds: int | None
    thumbnail_url: str
    channel_title: str
    source: MetadataSource


def fetch_metadata(
    youtube_id: str,
    *,
    api_key: str | None,
    data_api_base_url: str,
    oembed_url: str,
    timeout_seconds: float = 5.0,
    client: httpx.Client | None = None,
) -> YouTubeMetadata:
    """Look up a video: Data API when a key is configured, oEmbed otherwise.

    Makes exactly one HTTP request and never retries; retry policy (backoff,
    attempt limits) belongs to the caller, which knows whether it runs in a
    web request or a background task.
    """
    if not is_valid_youtube_id(youtube_id):
        raise YouTubePermanentError("invalid", "That is not a valid YouTube video id.")
    # Passed per request too, so an injected client cannot disable the bound.
    timeout = httpx.Timeout(timeout_seconds)
    if client is None:
        with httpx.Client(timeout=timeout, follow_redirects=False) as own_client:
            return _fetch(youtube_id, api_key, data_api_base_url, oembed_url, timeout, own_client)
    return _fetch(youtube_id, api_key, data_api_base_url, oembed_url, timeout, client)


def _fetch(
    youtube_id: str,
    api_key: str | None,
    data_api_base_url: str,
    oembed_url: str,
    timeout: httpx.Timeout,
    client: httpx.Client,
) -> YouTubeMetadata:
    if api_key:
        return _fetch_from_data_api(youtube_id, api_key, data_api_base_url, timeout, client)
    return _fetch_from_oembed(youtube_id, oembed_url, timeout, client)


def _get(
    client: httpx.Client,
    url: str,
    params: Mapping[str, str],
    timeout: httpx.Timeout,
    what: str,
) -> httpx.Response:
    # Exception text is built from the type only: httpx messages can contain
    # the request URL, which for the Data API carries the API key.
    try:
        return client.get(url, params=params, timeout=timeout, headers={"Accept": "application/json"})
    except httpx.TimeoutException as exc:
        logger.warning("YouTube %s request timed out (%s)", what, type(exc).__name__)
        raise YouTubeTransientError(f"YouTube {what} request timed out.") from exc
    except httpx.InvalidURL as exc:
        logger.error("YouTube %s URL is misconfigured", what)
        raise YouTubeConfigurationError(f"YouTube {what} URL is misconfigured.") from exc
    except httpx.HTTPError as exc:
        logger.warning("YouTube %s request failed (%s)", what, type(exc).__name__)
        raise YouTubeTransientError(f"Could not reach YouTube {what} ({type(exc).__name__}).") from exc


def _json_body(response: httpx.Response, what: str) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        logger.warning("YouTube %s returned a non-JSON body (status %s)", what, response.status_code)
        raise YouTubePermanentError("invalid", f"YouTube {what} returned an unreadable response.") from exc


def _is_transient_status(status_code: int) -> bool:
    return status_code == 429 or status_code >= 500


# ---- Data API v3 ---------------------------------------------------------- #


def _fetch_from_data_api(
    youtube_id: str,
    api_key: str,
    base_url: str,
    timeout: httpx.Timeout,
    client: httpx.Client,
) -> YouTubeMetadata:
    params = {"part": "snippet,contentDetails,status", "id": youtube_id, "key": api_key}
    response = _get(client, f"{base_url.rstrip('/')}/videos", params, timeout, "Data API")
    if response.status_code != 200:
        raise _data_api_error(youtube_id, response)
    item = _single_item(youtube_id, _json_body(response, "Data API"))
    _check_playable(youtube_id, item)
    metadata = _metadata_from_item(youtube_id, item)
    logger.info("Fetched YouTube metadata for %s from the Data API", youtube_id)
    return metadata


def _error_reasons(response: httpx.Response) -> set[str]:
    # Documented error shape: {"error": {"code", "message", "errors": [{"reason", ...}]}}
    try:
        error = response.json().get("error", {})
        return {str(entry.get("reason")) for entry in error.get("errors", [])}
    except (ValueError, AttributeError, TypeError):
        return set()


def _data_api_error(youtube_id: str, response: httpx.Response) -> YouTubeError:
    status, reasons = response.status_code, _error_reasons(response)
    if _is_transient_status(status) or reasons & _TRANSIENT_API_REASONS:
        logger.warning("YouTube Data API unavailable for %s: %s %s", youtube_id, status, sorted(reasons))
        return YouTubeTransientError(f"YouTube Data API is temporarily unavailable (HTTP {status}).")
    if status == 404:
        logger.info("YouTube Data API: video %s not found", youtube_id)
        return YouTubePermanentError("not_found", "This video does not exist on YouTube.")
    if 400 <= status < 500:
        # Our id is validated, so a 4xx here means the key or project is wrong.
        logger.error("YouTube Data API rejected our request: %s %s", status, sorted(reasons))
        return YouTubeConfigurationError(f"YouTube Data API rejected the request (HTTP {status}).")
    logger.warning("YouTube Data API: unexpected HTTP %s for %s", status, youtube_id)
    return YouTubeTransientError(f"Unexpected response from YouTube Data API (HTTP {status}).")


def _single_item(youtube_id: str, body: Any) -> Mapping[str, Any]:
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise _invalid_shape(youtube_id, "Data API", "missing 'items' list")
    if not items:
        # The documented "no such video" answer is 200 with an empty list.
        logger.info("YouTube Data API: video %s not found", youtube_id)
        raise YouTubePermanentError("not_found", "This video does not exist on YouTube.")
    item = items[0]
    if not isinstance(item, dict):
        raise _invalid_shape(youtube_id, "Data API", "item is not an object")
    return item


def _check_playable(youtube_id: str, item: Mapping[str, Any]) -> None:
    status = item.get("status")
    if not isinstance(status, dict):
        raise _invalid_shape(youtube_id, "Data API", "missing 'status'")
    if status.get("uploadStatus") in _DEAD_UPLOAD_STATUSES:
        logger.info("YouTube video %s has uploadStatus %s", youtube_id, status.get("uploadStatus"))
        raise YouTubePermanentError("not_found", "This video was removed from YouTube.")
    if status.get("privacyStatus") == "private":
        logger.info("YouTube video %s is private", youtube_id)
        raise YouTubePermanentError("private", "This YouTube video is private.")
    if status.get("embeddable") is False:
        logger.info("YouTube video %s does not allow embedding", youtube_id)
        raise YouTubePermanentError("embedding_disabled", "The owner of this YouTube video does not allow embedding.")


def _metadata_from_item(youtube_id: str, item: Mapping[str, Any]) -> YouTubeMetadata:
    snippet = item.get("snippet")
    details = item.get("contentDetails")
    if not isinstance(snippet, dict) or not isinstance(details, dict):
        raise _invalid_shape(youtube_id, "Data API", "missing 'snippet' or 'contentDetails'")
    title = snippet.get("title")
    if not isinstance(title, str) or not title.strip():
        raise _invalid_shape(youtube_id, "Data API", "missing title")
    return YouTubeMetadata(
        youtube_id=youtube_id,
        title=title,
        description=_optional_str(snippet.get("description")),
        tags=_tags(snippet.get("tags")),
        duration_seconds=_duration_of(youtube_id, details.get("duration")),
        thumbnail_url=best_thumbnail_url(snippet.get("thumbnails")) or thumbnail_url(youtube_id),
        channel_title=_optional_str(snippet.get("channelTitle")),
        source="data_api",
    )


def _optional_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _tags(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(tag for tag in value if isinstance(tag, str) and tag)


def _duration_of(youtube_id: str, value: Any) -> int | None:
    seconds = parse_iso8601_duration(value) if isinstance(value, str) else None
    if seconds is None and value is not None:
        logger.warning("YouTube video %s has unparseable duration %r", youtube_id, value)
    # Live and upcoming broadcasts report "P0D": the length is unknown, not zero.
    return seconds or None


def parse_iso8601_duration(value: str) -> int | None:
    """Seconds in a YouTube ISO-8601 duration ("PT1H2M3S", "P1DT2H"), else None.

    Years and months are rejected because their length in seconds is
    ambiguous; YouTube does not use them.
    """
    match = _DURATION_RE.fullmatch(value.strip())
    if match is None or value.strip() in ("P", "PT") or value.strip().endswith("T"):
        return None
    parts = {name: int(number) for name, number in match.groupdict(default="0").items()}
    days = parts["weeks"] * 7 + parts["days"]
    return ((days * 24 + parts["hours"]) * 60 + parts["minutes"]) * 60 + parts["seconds"]


def best_thumbnail_url(thumbnails: Any) -> str | None:
    """URL of the largest thumbnail: maxres > standard > high > medium > default."""
    if not isinstance(thumbnails, dict):
        return None
    for key in _THUMBNAIL_PREFERENCE:
        entry = thumbnails.get(key)
        url = entry.get("url") if isinstance(entry, dict) else None
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            return url
    return None


def _invalid_shape(youtube_id: str, what: str, detail: str) -> YouTubePermanentError:
    logger.warning("YouTube %s returned an unexpected shape for %s: %s", what, youtube_id, detail)
    return YouTubePermanentError("invalid", f"YouTube {what} returned an unexpected response.")


# ---- oEmbed --------------------------------------------------------------- #


def _fetch_from_oembed(
    youtube_id: str,
    oembed_url: str,
    timeout: httpx.Timeout,
    client: httpx.Client,
) -> YouTubeMetadata:
    params = {"url": canonical_watch_url(youtube_id), "format": "json"}
    response = _get(client, oembed_url, params, timeout, "oEmbed")
    if response.status_code != 200:
        raise _oembed_error(youtube_id, response.status_code)
    metadata = _metadata_from_oembed(youtube_id, _json_body(response, "oEmbed"))
    logger.info("Fetched YouTube metadata for %s from oEmbed", youtube_id)
    return metadata


def _oembed_error(youtube_id: str, status: int) -> YouTubeError:
    # YouTube's oEmbed answers errors with a bare status and a one-word body.
    # 400 is what it sends for ids that cannot exist, 404 for unknown ones.
    # 401 "Unauthorized" is what it sends when the owner disabled embedding
    # (the oEmbed spec reserves 401 for "private", but YouTube uses it for
    # non-embeddable videos); 403 "Forbidden" is sent for private videos.
    if status in (400, 404):
        logger.info("YouTube oEmbed: video %s not found (HTTP %s)", youtube_id, status)
        return YouTubePermanentError("not_found", "This video does not exist on YouTube.")
    if status == 401:
        logger.info("YouTube oEmbed: video %s does not allow embedding", youtube_id)
        return YouTubePermanentError("embedding_disabled", "The owner of this YouTube video does not allow embedding.")
    if status == 403:
        logger.info("YouTube oEmbed: video %s is private", youtube_id)
        return YouTubePermanentError("private", "This YouTube video is private.")
    logger.warning("YouTube oEmbed unavailable for %s: HTTP %s", youtube_id, status)
    if _is_transient_status(status):
        return YouTubeTransientError(f"YouTube oEmbed is temporarily unavailable (HTTP {status}).")
    return YouTubeTransientError(f"Unexpected response from YouTube oEmbed (HTTP {status}).")


def _metadata_from_oembed(youtube_id: str, body: Any) -> YouTubeMetadata:
    if not isinstance(body, dict):
        raise _invalid_shape(youtube_id, "oEmbed", "body is not an object")
    title = body.get("title")
    if not isinstance(title, str) or not title.strip():
        raise _invalid_shape(youtube_id, "oEmbed", "missing title")
    thumb = body.get("thumbnail_url")
    return YouTubeMetadata(
        youtube_id=youtube_id,
        title=title,
        description="",  # oEmbed carries no description, tags or duration.
        tags=(),
        duration_seconds=None,
        thumbnail_url=thumb if isinstance(thumb, str) and thumb else thumbnail_url(youtube_id),
        channel_title=_optional_str(body.get("author_name")),
        source="oembed",
    )
