"""A local stand-in for the two YouTube endpoints the catalog calls.

Tests must not depend on the real YouTube (network, quota, videos that change),
so this stdlib HTTP server answers ``GET /youtube/v3/videos`` and
``GET /oembed`` in the documented response formats, driven by a per-video
scenario registry that each test fills in.

Usage::

    standin = start_youtube_standin(api_key="k")
    standin.set_scenario("dQw4w9WgXcQ", OkVideo(title="Never Gonna"))
    fetch_metadata("dQw4w9WgXcQ", api_key="k",
                   data_api_base_url=standin.data_api_base_url,
                   oembed_url=standin.oembed_url)
    standin.stop()

Videos with no registered scenario behave as unknown (not found).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final
from urllib.parse import parse_qs, urlsplit

logger = logging.getLogger(__name__)

DATA_API_PATH: Final = "/youtube/v3/videos"
OEMBED_PATH: Final = "/oembed"


# --------------------------------------------------------------------------- #
# Scenarios
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class OkVideo:
    title: str = "Stand-in video"
    description: str = ""
    tags: tuple[str, ...] = ()
    duration: str = "PT3M33S"  # ISO-8601, as contentDetails.duration
    # Key -> URL; width/height are filled in from YouTube's documented sizes.
    thumbnails: Mapping[str, str] = field(default_factory=dict)
    channel_title: str = "Stand-in channel"
    privacy_status: str = "public"
    embeddable: bool = True
    upload_status: str = "processed"


@dataclass(frozen=True)
class NotFound:
    pass


@dataclass(frozen=True)
class Private:
    video: OkVideo = OkVideo()


@dataclass(frozen=True)
class EmbeddingDisabled:
    video: OkVideo = OkVideo()


@dataclass(frozen=True)
class FailThenOk:
    """Answer 503 ``failures`` times, then behave like ``video``."""

    failures: int
    video: OkVideo = OkVideo()


@dataclass(frozen=True)
class Slow:
    """Sleep ``delay_seconds`` (longer than the client timeout) before answering."""

    delay_seconds: float
    video: OkVideo = OkVideo()


@dataclass(frozen=True)
class QuotaExceeded:
    pass


@dataclass(frozen=True)
class Malformed:
    """200 with a body of the wrong shape (Data API) / not JSON (oEmbed)."""


Scenario = OkVideo | NotFound | Private | EmbeddingDisabled | FailThenOk | Slow | QuotaExceeded | Malformed

_THUMBNAIL_SIZES: Final = {
    "default": (120, 90),
    "medium": (320, 180),
    "high": (480, 360),
    "standard": (640, 480),
    "maxres": (1280, 720),
}


@dataclass(frozen=True)
class RecordedRequest:
    endpoint: str  # "data_api" | "oembed" | "unknown"
    path: str
    params: Mapping[str, str]


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    content_type: str


# --------------------------------------------------------------------------- #
# Response builders (documented formats)
# --------------------------------------------------------------------------- #


def _json_reply(status: int, payload: Any) -> _Reply:
    return _Reply(status, json.dumps(payload).encode(), "application/json; charset=UTF-8")


def _text_reply(status: int, text: str) -> _Reply:
    # YouTube's oEmbed errors are a bare status with a one-word text body.
    return _Reply(status, text.encode(), "text/html; charset=utf-8")


def _api_error(status: int, reason: str, domain: str, message: str) -> _Reply:
    error = {"message": message, "domain": domain, "reason": reason}
    return _json_reply(status, {"error": {"code": status, "message": message, "errors": [error]}})


def _video_resource(video_id: str, video: OkVideo) -> dict[str, Any]:
    thumbnails = {
        key: {"url": url, "width": _THUMBNAIL_SIZES.get(key, (0, 0))[0], "height": _THUMBNAIL_SIZES.get(key, (0, 0))[1]}
        for key, url in video.thumbnails.items()
    }
    snippet: dict[str, Any] = {
        "publishedAt": "2024-01-01T00:00:00Z",
        "channelId": "UCstandinstandinstandin0",
        "title": video.title,
        "description": video.description,
        "thumbnails": thumbnails,
        "channelTitle": video.channel_title,
        "categoryId": "22",
        "liveBroadcastContent": "none",
    }
    if video.tags:  # The API omits "tags" entirely when a video has none.
        snippet["tags"] = list(video.tags)
    return {
        "kind": "youtube#video",
        "etag": f"etag-{video_id}",
        "id": video_id,
        "snippet": snippet,
        "contentDetails": {
            "duration": video.duration,
            "dimension": "2d",
            "definition": "hd",
            "caption": "false",
            "licensedContent": False,
            "contentRating": {},
            "projection": "rectangular",
        },
        "status": {
            "uploadStatus": video.upload_status,
            "privacyStatus": video.privacy_status,
            "license": "youtube",
            "embeddable": video.embeddable,
            "publicStatsViewable": True,
            "madeForKids": False,
        },
    }


def _video_list(items: list[dict[str, Any]]) -> _Reply:
    return _json_reply(
        200,
        {
            "kind": "youtube#videoListResponse",
            "etag": "etag-list",
            "items": items,
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
        },
    )


def _oembed_body(video_id: str, video: OkVideo) -> dict[str, Any]:
    watch = f"https://www.youtube.com/watch?v={video_id}"
    return {
        "title": video.title,
        "author_name": video.channel_title,
        "author_url": "https://www.youtube.com/@standin",
        "type": "video",
        "height": 113,
        "width": 200,
        "version": "1.0",
        "provider_name": "YouTube",
        "provider_url": "https://www.youtube.com/",
        "thumbnail_height": 360,
        "thumbnail_width": 480,
        "thumbnail_url": f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg",
        "html": (
            f'<iframe width="200" height="113" src="https://www.youtube.com/embed/{video_id}?feature=oembed" '
            f'frameborder="0" allowfullscreen title="{video.title}" data-watch="{watch}"></iframe>'
        ),
    }


# --------------------------------------------------------------------------- #
# Server
# --------------------------------------------------------------------------- #


class YouTubeStandIn:
    """Owns the server thread, the scenario registry and the request log."""

    def __init__(self, api_key: str | None) -> None:
        self.api_key = api_key
        self._lock = threading.Lock()
        self._scenarios: dict[str, Scenario] = {}
        self._failures_left: dict[str, int] = {}
        self._requests: list[RecordedRequest] = []
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        # Daemon, non-joined handler threads: a "slow" request must not block stop().
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="youtube-standin", daemon=True
        )
        self._thread.start()

    # ---- configuration ---------------------------------------------------- #

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def data_api_base_url(self) -> str:
        return f"{self.base_url}/youtube/v3"

    @property
    def oembed_url(self) -> str:
        return f"{self.base_url}{OEMBED_PATH}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def set_scenario(self, video_id: str, scenario: Scenario) -> None:
        with self._lock:
            self._scenarios[video_id] = scenario
            if isinstance(scenario, FailThenOk):
                self._failures_left[video_id] = scenario.failures

    def reset(self) -> None:
        with self._lock:
            self._scenarios.clear()
            self._failures_left.clear()
            self._requests.clear()

    def stop(self) -> None:
        self._stopping.set()  # wakes "slow" handlers early
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # ---- request handling (called from handler threads) ------------------- #

    def handle(self, path: str, params: Mapping[str, str]) -> _Reply:
        endpoint = {DATA_API_PATH: "data_api", OEMBED_PATH: "oembed"}.get(path, "unknown")
        with self._lock:
            self._requests.append(RecordedRequest(endpoint, path, dict(params)))
        if endpoint == "data_api":
            return self._data_api(params)
        if endpoint == "oembed":
            return self._oembed(params)
        return _text_reply(404, "Not Found")

    def _next_scenario(self, video_id: str) -> Scenario:
        """The scenario for this call, consuming one failure of FailThenOk."""
        with self._lock:
            scenario = self._scenarios.get(video_id, NotFound())
            if isinstance(scenario, FailThenOk) and self._failures_left.get(video_id, 0) > 0:
                self._failures_left[video_id] -= 1
                return scenario
            return scenario.video if isinstance(scenario, FailThenOk) else scenario

    def _data_api(self, params: Mapping[str, str]) -> _Reply:
        key_error = self._check_key(params.get("key"))
        if key_error is not None:
            return key_error
        video_id = params.get("id", "")
        if not video_id or "snippet" not in params.get("part", "").split(","):
            return _api_error(400, "missingRequiredParameter", "youtube.parameter", "No filter selected.")
        scenario = self._next_scenario(video_id)
        if isinstance(scenario, Slow):
            self._stopping.wait(scenario.delay_seconds)
            scenario = scenario.video
        return self._data_api_reply(video_id, scenario)

    def _check_key(self, key: str | None) -> _Reply | None:
        if self.api_key is None:
            return None
        if not key:
            return _api_error(
                403,
                "forbidden",
                "global",
                "Method doesn't allow unregistered callers (callers without established identity).",
            )
        if key != self.api_key:
            return _api_error(400, "badRequest", "global", "API key not valid. Please pass a valid API key.")
        return None

    def _data_api_reply(self, video_id: str, scenario: Scenario) -> _Reply:
        if isinstance(scenario, FailThenOk):
            return _api_error(503, "backendError", "global", "The service is currently unavailable.")
        if isinstance(scenario, QuotaExceeded):
            return _api_error(
                403,
                "quotaExceeded",
                "youtube.quota",
                "The request cannot be completed because you have exceeded your quota.",
            )
        if isinstance(scenario, Malformed):
            return _json_reply(200, {"kind": "youtube#videoListResponse", "items": "not-a-list"})
        if isinstance(scenario, NotFound):
            return _video_list([])
        video = _as_ok_video(scenario)
        return _video_list([_video_resource(video_id, video)])

    def _oembed(self, params: Mapping[str, str]) -> _Reply:
        video_id = _watch_id(params.get("url", ""))
        if video_id is None or params.get("format", "json") != "json":
            return _text_reply(400, "Bad Request")
        scenario = self._next_scenario(video_id)
        if isinstance(scenario, Slow):
            self._stopping.wait(scenario.delay_seconds)
            scenario = scenario.video
        return self._oembed_reply(video_id, scenario)

    def _oembed_reply(self, video_id: str, scenario: Scenario) -> _Reply:
        if isinstance(scenario, FailThenOk):
            return _text_reply(503, "Service Unavailable")
        if isinstance(scenario, QuotaExceeded):
            return _text_reply(429, "Too Many Requests")
        if isinstance(scenario, Malformed):
            return _text_reply(200, "Forbidden")
        if isinstance(scenario, NotFound):
            return _text_reply(404, "Not Found")
        video = _as_ok_video(scenario)
        if video.privacy_status == "private":
            return _text_reply(403, "Forbidden")
        if not video.embeddable:
            return _text_reply(401, "Unauthorized")
        return _json_reply(200, _oembed_body(video_id, video))


def _as_ok_video(scenario: Scenario) -> OkVideo:
    if isinstance(scenario, Private):
        return replace(scenario.video, privacy_status="private")
    if isinstance(scenario, EmbeddingDisabled):
        return replace(scenario.video, embeddable=False)
    if isinstance(scenario, OkVideo):
        return scenario
    raise TypeError(f"scenario {scenario!r} has no video")


def _watch_id(url: str) -> str | None:
    # Kept independent of catalog.youtube so a parser bug cannot hide here.
    parts = urlsplit(url)
    if parts.netloc != "www.youtube.com" or parts.path != "/watch":
        return None
    values = parse_qs(parts.query).get("v", [])
    return values[0] if values else None


def _handler_class(standin: YouTubeStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - stdlib naming
            parts = urlsplit(self.path)
            params = {name: values[0] for name, values in parse_qs(parts.query).items()}
            reply = standin.handle(parts.path, params)
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up (timeout test); nothing left to do.
                logger.debug("stand-in client disconnected before the reply")

        def _send(self, reply: _Reply) -> None:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            logger.debug("youtube stand-in: " + format, *args)

    return Handler


def start_youtube_standin(*, api_key: str | None = None) -> YouTubeStandIn:
    """Start a stand-in on a free local port; call ``.stop()`` when done.

    With ``api_key`` set, Data API calls must carry exactly that ``key``.
    """
    return YouTubeStandIn(api_key)
