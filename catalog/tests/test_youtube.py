"""Tests for catalog.youtube against the local YouTube stand-in (no Django, no DB)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from catalog.tests.youtube_standin import (
    EmbeddingDisabled,
    FailThenOk,
    Malformed,
    NotFound,
    OkVideo,
    Private,
    QuotaExceeded,
    Slow,
    YouTubeStandIn,
    start_youtube_standin,
)
from catalog.tests.youtube_urls import INVALID_URLS, VALID_URLS, VID
from catalog.youtube import (
    DEFAULT_DATA_API_BASE_URL,
    DEFAULT_OEMBED_URL,
    InvalidYouTubeUrl,
    YouTubeConfigurationError,
    YouTubeMetadata,
    YouTubePermanentError,
    YouTubeTransientError,
    canonical_watch_url,
    embed_url,
    fetch_metadata,
    parse_iso8601_duration,
    parse_youtube_id,
    thumbnail_url,
)

API_KEY = "standin-api-key"


# --------------------------------------------------------------------------- #
# URL parsing
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("url", VALID_URLS)
def test_parse_youtube_id_accepts(url: str) -> None:
    assert parse_youtube_id(url) == VID


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://youtu.be/a-b_c-d_e-f", "a-b_c-d_e-f"),
        ("https://www.youtube.com/watch?v=___________", "___________"),
    ],
)
def test_parse_youtube_id_keeps_id_characters(url: str, expected: str) -> None:
    assert parse_youtube_id(url) == expected


@pytest.mark.parametrize("url", INVALID_URLS)
def test_parse_youtube_id_rejects(url: str) -> None:
    with pytest.raises(InvalidYouTubeUrl) as info:
        parse_youtube_id(url)
    assert str(info.value)  # always a human-readable message


def test_invalid_url_is_a_value_error() -> None:
    assert issubclass(InvalidYouTubeUrl, ValueError)


def test_derived_urls() -> None:
    assert canonical_watch_url(VID) == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert thumbnail_url(VID) == "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg"
    assert embed_url(VID) == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def test_default_endpoints() -> None:
    assert DEFAULT_DATA_API_BASE_URL == "https://www.googleapis.com/youtube/v3"
    assert DEFAULT_OEMBED_URL == "https://www.youtube.com/oembed"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("PT1H2M3S", 3723),
        ("PT15M33S", 933),
        ("PT45S", 45),
        ("PT10M", 600),
        ("PT2H", 7200),
        ("P1DT2H3M4S", 93784),
        ("P1D", 86400),
        ("P1W", 604800),
        ("P0D", 0),
        ("PT0S", 0),
        ("", None),
        ("P", None),
        ("PT", None),
        ("P1DT", None),
        ("P1Y", None),
        ("PT1.5S", None),
        ("1:02:03", None),
    ],
)
def test_parse_iso8601_duration(value: str, seconds: int | None) -> None:
    assert parse_iso8601_duration(value) == seconds


# --------------------------------------------------------------------------- #
# Metadata fetching against the stand-in
# --------------------------------------------------------------------------- #


@pytest.fixture
def standin() -> Iterator[YouTubeStandIn]:
    server = start_youtube_standin(api_key=API_KEY)
    yield server
    server.stop()


def _via_api(standin: YouTubeStandIn, video_id: str = VID, **kwargs: object) -> YouTubeMetadata:
    options: dict[str, object] = {"api_key": API_KEY, "timeout_seconds": 2.0} | kwargs
    return fetch_metadata(
        video_id,
        data_api_base_url=standin.data_api_base_url,
        oembed_url=standin.oembed_url,
        **options,  # type: ignore[arg-type]
    )


def _via_oembed(standin: YouTubeStandIn, video_id: str = VID, **kwargs: object) -> YouTubeMetadata:
    return _via_api(standin, video_id, api_key=None, **kwargs)


ALL_THUMBNAILS = {
    "default": "https://i.ytimg.com/vi/dQw4w9WgXcQ/default.jpg",
    "medium": "https://i.ytimg.com/vi/dQw4w9WgXcQ/mqdefault.jpg",
    "high": "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg",
    "standard": "https://i.ytimg.com/vi/dQw4w9WgXcQ/sddefault.jpg",
    "maxres": "https://i.ytimg.com/vi/dQw4w9WgXcQ/maxresdefault.jpg",
}


def test_data_api_ok_returns_all_fields(standin: YouTubeStandIn) -> None:
    standin.set_scenario(
        VID,
        OkVideo(
            title="Never Gonna Give You Up",
            description="The official video.",
            tags=("rick astley", "80s"),
            duration="PT3M33S",
            thumbnails=ALL_THUMBNAILS,
            channel_title="Rick Astley",
        ),
    )
    assert _via_api(standin) == YouTubeMetadata(
        youtube_id=VID,
        title="Never Gonna Give You Up",
        description="The official video.",
        tags=("rick astley", "80s"),
        duration_seconds=213,
        thumbnail_url="https://i.ytimg.com/vi/dQw4w9WgXcQ/maxresdefault.jpg",
        channel_title="Rick Astley",
        source="data_api",
    )


def test_data_api_sends_documented_query(standin: YouTubeStandIn) -> None:
    standin.set_scenario(VID, OkVideo())
    _via_api(standin)
    (request,) = standin.requests
    assert request.path == "/youtube/v3/videos"
    assert dict(request.params) == {"part": "snippet,contentDetails,status", "id": VID, "key": API_KEY}


@pytest.mark.parametrize(
    ("available", "expected"),
    [
        (("default", "medium", "high", "standard"), "sddefault.jpg"),
        (("default", "medium", "high"), "hqdefault.jpg"),
        (("default", "medium"), "mqdefault.jpg"),
        (("default",), "default.jpg"),
    ],
)
def test_data_api_picks_best_thumbnail(standin: YouTubeStandIn, available: tuple[str, ...], expected: str) -> None:
    thumbnails = {key: ALL_THUMBNAILS[key] for key in available}
    standin.set_scenario(VID, OkVideo(thumbnails=thumbnails))
    assert _via_api(standin).thumbnail_url.endswith("/" + expected)


def test_data_api_without_thumbnails_falls_back_to_hqdefault(standin: YouTubeStandIn) -> None:
    standin.set_scenario(VID, OkVideo(thumbnails={}))
    assert _via_api(standin).thumbnail_url == thumbnail_url(VID)


def test_data_api_long_duration_and_missing_tags(standin: YouTubeStandIn) -> None:
    standin.set_scenario(VID, OkVideo(duration="P1DT1H2M3S", tags=()))
    metadata = _via_api(standin)
    assert metadata.duration_seconds == 90123
    assert metadata.tags == ()


def test_data_api_live_duration_is_unknown(standin: YouTubeStandIn) -> None:
    standin.set_scenario(VID, OkVideo(duration="P0D"))
    assert _via_api(standin).duration_seconds is None


def test_data_api_unlisted_is_accepted(standin: YouTubeStandIn) -> None:
    standin.set_scenario(VID, OkVideo(privacy_status="unlisted"))
    assert _via_api(standin).source == "data_api"


@pytest.mark.parametrize(
    ("scenario", "reason"),
    [
        (NotFound(), "not_found"),
        (Private(), "private"),
        (EmbeddingDisabled(), "embedding_disabled"),
        (OkVideo(upload_status="rejected"), "not_found"),
        (Malformed(), "invalid"),
    ],
)
def test_data_api_permanent_errors(standin: YouTubeStandIn, scenario: object, reason: str) -> None:
    standin.set_scenario(VID, scenario)  # type: ignore[arg-type]
    with pytest.raises(YouTubePermanentError) as info:
        _via_api(standin)
    assert info.value.reason == reason
    assert info.value.message


def test_data_api_unknown_video_is_not_found(standin: YouTubeStandIn) -> None:
    with pytest.raises(YouTubePermanentError) as info:
        _via_api(standin, "zzzzzzzzzzz")
    assert info.value.reason == "not_found"


def test_data_api_quota_exceeded_is_transient(standin: YouTubeStandIn) -> None:
    standin.set_scenario(VID, QuotaExceeded())
    with pytest.raises(YouTubeTransientError) as info:
        _via_api(standin)
    assert not isinstance(info.value, YouTubeConfigurationError)


def test_data_api_503_is_transient_then_recovers(standin: YouTubeStandIn) -> None:
    standin.set_scenario(VID, FailThenOk(failures=2, video=OkVideo(title="Back")))
    for _ in range(2):
        with pytest.raises(YouTubeTransientError):
            _via_api(standin)
    assert _via_api(standin).title == "Back"
    assert len(standin.requests) == 3  # fetch_metadata itself never retries


def test_data_api_timeout_is_transient_within_bound(standin: YouTubeStandIn) -> None:
    standin.set_scenario(VID, Slow(delay_seconds=5.0))
    started = time.monotonic()
    with pytest.raises(YouTubeTransientError):
        _via_api(standin, timeout_seconds=0.3)
    assert time.monotonic() - started < 2.0


def test_data_api_wrong_key_is_configuration_error(standin: YouTubeStandIn) -> None:
    standin.set_scenario(VID, OkVideo())
    with pytest.raises(YouTubeConfigurationError) as info:
        _via_api(standin, api_key="wrong-key")
    assert "wrong-key" not in str(info.value)


def test_connection_refused_is_transient() -> None:
    with socket.socket() as sock:  # grab a free port, then close it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(YouTubeTransientError):
        fetch_metadata(
            VID,
            api_key=API_KEY,
            data_api_base_url=f"http://127.0.0.1:{port}/youtube/v3",
            oembed_url=f"http://127.0.0.1:{port}/oembed",
            timeout_seconds=1.0,
        )


def test_malformed_id_is_rejected_without_a_request(standin: YouTubeStandIn) -> None:
    with pytest.raises(YouTubePermanentError) as info:
        _via_api(standin, "../../etc")
    assert info.value.reason == "invalid"
    assert standin.requests == []


def test_oembed_ok(standin: YouTubeStandIn) -> None:
    standin.set_scenario(VID, OkVideo(title="Never Gonna Give You Up", channel_title="Rick Astley"))
    assert _via_oembed(standin) == YouTubeMetadata(
        youtube_id=VID,
        title="Never Gonna Give You Up",
        description="",
        tags=(),
        duration_seconds=None,
        thumbnail_url="https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg",
        channel_title="Rick Astley",
        source="oembed",
    )
    (request,) = standin.requests
    assert request.path == "/oembed"
    assert dict(request.params) == {"url": canonical_watch_url(VID), "format": "json"}


@pytest.mark.parametrize(
    ("scenario", "reason"),
    [
        (NotFound(), "not_found"),  # 404
        (EmbeddingDisabled(), "embedding_disabled"),  # 401
        (Private(), "private"),  # 403
        (Malformed(), "invalid"),  # 200 with a non-JSON body
    ],
)
def test_oembed_permanent_errors(standin: YouTubeStandIn, scenario: object, reason: str) -> None:
    standin.set_scenario(VID, scenario)  # type: ignore[arg-type]
    with pytest.raises(YouTubePermanentError) as info:
        _via_oembed(standin)
    assert info.value.reason == reason


@pytest.mark.parametrize("scenario", [FailThenOk(failures=1), QuotaExceeded()])
def test_oembed_5xx_and_429_are_transient(standin: YouTubeStandIn, scenario: object) -> None:
    standin.set_scenario(VID, scenario)  # type: ignore[arg-type]
    with pytest.raises(YouTubeTransientError):
        _via_oembed(standin)


def test_oembed_timeout_is_transient_within_bound(standin: YouTubeStandIn) -> None:
    standin.set_scenario(VID, Slow(delay_seconds=5.0))
    started = time.monotonic()
    with pytest.raises(YouTubeTransientError):
        _via_oembed(standin, timeout_seconds=0.3)
    assert time.monotonic() - started < 2.0
