"""HTML pages: listings, watch page, Creator Studio forms and the live status fragment."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from accounts.tests.factories import signed_in_client
from catalog import services
from catalog.domain import VideoStatus
from catalog.repositories import listings as listings_repo
from catalog.tests.youtube_standin import OkVideo

VID = "dQw4w9WgXcQ"


def test_public_pages_list_a_ready_video(client, creator, publish_video):
    video = publish_video(creator, title="Visible <b>title</b>", tags=("cassandra",))
    for url in (
        "/",
        "/explore",
        "/explore?page=abc",
        "/tags/cassandra",
        "/search?q=Cassandra",
        f"/users/{creator.user_id}/videos",
    ):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        html = response.content.decode()
        assert "Visible &lt;b&gt;title&lt;/b&gt;" in html, url
        assert f"/watch/{video.video_id}" in html, url


def test_user_videos_fragment_for_htmx(client, creator, publish_video):
    publish_video(creator, title="In fragment")
    response = client.get(f"/users/{creator.user_id}/videos", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "In fragment" in html
    assert "<html" not in html


def test_watch_page(client, creator, publish_video):
    video = publish_video(creator, title="Watch me", tags=("t1",))
    services.video_edit(
        actor=creator,
        video_id=video.video_id,
        description='See https://example.com/x?a=1&b=2 and <script>alert("x")</script>',
    )
    html = client.get(f"/watch/{video.video_id}").content.decode()
    assert f"https://www.youtube-nocookie.com/embed/{video.youtube_id}" in html
    assert 'rel="nofollow ugc noopener"' in html
    assert 'href="https://example.com/x?a=1&amp;b=2"' in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert 'href="/tags/t1"' in html
    assert f'href="/users/{creator.user_id}"' in html
    # Click-to-load player: no iframe until the viewer asks; a plain link to YouTube works without JavaScript.
    assert "<iframe" not in html
    assert f'href="https://www.youtube.com/watch?v={video.youtube_id}"' in html
    # The sidebar landmark wraps the widgets registered for it (discovery's related videos).
    assert html.count("<aside") == 1
    assert f'hx-get="/watch/{video.video_id}/related"' in html


def test_watch_page_hides_unready_video_from_others(client, creator, other_creator, standin):
    video = services.video_submit(actor=creator, youtube_url=f"https://youtu.be/{VID}").video
    assert client.get(f"/watch/{video.video_id}").status_code == HTTPStatus.NOT_FOUND
    assert signed_in_client(client, other_creator).get(f"/watch/{video.video_id}").status_code == 404
    assert signed_in_client(client, creator).get(f"/watch/{video.video_id}").status_code == 200


def test_studio_requires_a_creator(client, viewer):
    assert client.get("/studio").status_code == HTTPStatus.FOUND  # to sign in
    assert signed_in_client(client, viewer).get("/studio").status_code == HTTPStatus.FORBIDDEN
    assert client.post("/studio/new", {"youtube_url": f"https://youtu.be/{VID}"}).status_code in (302, 403)


def test_studio_submit_then_status_fragment(client, creator, standin):
    standin.set_scenario(VID, OkVideo(title="Submitted"))
    signed_in_client(client, creator)
    response = client.post("/studio/new", {"youtube_url": f"https://youtu.be/{VID}", "tags": "A, b"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    status_url = response["Location"]
    page = client.get(status_url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "PENDING" in page
    fragment = client.get(status_url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.strip().startswith('<div id="video-status"')
    assert "<html" not in fragment


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"youtube_url": "https://vimeo.com/1"}, "not a YouTube link"),
        ({"youtube_url": ""}, "required"),
        ({"youtube_url": f"https://youtu.be/{VID}", "title": "t" * 151}, "at most 150"),
    ],
)
def test_studio_submit_invalid_rerenders_with_422(client, creator, data, message):
    response = signed_in_client(client, creator).post("/studio/new", data)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert message in response.content.decode()
    assert listings_repo.studio_read(creator.user_id, deleted=False, limit=10) == []


def test_studio_edit_delete_restore(client, creator, other_creator, publish_video):
    video = publish_video(creator, title="Before")
    signed_in_client(client, other_creator)
    assert client.post(f"/studio/videos/{video.video_id}/delete").status_code == HTTPStatus.FORBIDDEN
    signed_in_client(client, creator)
    response = client.post(f"/studio/videos/{video.video_id}/edit", {"title": "", "tags": ""})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    response = client.post(f"/studio/videos/{video.video_id}/edit", {"title": "After", "description": "", "tags": "x"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert services.video_get(video_id=video.video_id).name == "After"
    assert client.post(f"/studio/videos/{video.video_id}/delete").status_code == HTTPStatus.SEE_OTHER
    assert "After" in client.get("/studio?show=deleted").content.decode()
    assert client.post(f"/studio/videos/{video.video_id}/restore").status_code == HTTPStatus.SEE_OTHER
    studio = client.get("/studio").content.decode()
    assert "After" in studio
    assert "badge-ready" in studio
    assert services.video_get(video_id=video.video_id).status is VideoStatus.READY


def test_profile_page_lazy_loads_the_users_videos(client, creator, publish_video):
    publish_video(creator, title="On my channel")
    html = client.get(f"/users/{creator.user_id}").content.decode()
    assert f'hx-get="/users/{creator.user_id}/videos"' in html


def test_submit_form_live_preview(client, creator, standin):
    standin.set_scenario(VID, OkVideo(title="Previewed <i>title</i>"))
    signed_in_client(client, creator)
    form = client.get("/studio/new").content.decode()
    assert 'hx-post="/studio/preview"' in form
    assert 'id="video-preview"' in form
    html = client.post("/studio/preview", {"youtube_url": f"https://youtu.be/{VID}"}, HTTP_HX_REQUEST="true")
    assert "Previewed &lt;i&gt;title&lt;/i&gt;" in html.content.decode()
    bad = client.post("/studio/preview", {"youtube_url": "https://vimeo.com/1"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == HTTPStatus.OK
    assert "not a YouTube link" in bad.content.decode()


def test_watch_page_renders_registered_widgets_with_fallback_links(client, creator, publish_video):
    """A later app (community, discovery) registers a widget; the watch page shows it without being edited."""
    from killrvideo import widgets

    video = publish_video(creator, title="With widgets")
    added = [
        widgets.register("watch.sidebar", "studio_video_status", "Related videos"),
        widgets.register("watch.comments", "studio_video_edit", "Comments"),
    ]
    try:
        html = client.get(f"/watch/{video.video_id}").content.decode()
    finally:
        for widget in added:
            widgets.unregister(widget)
    for url, label in (
        (f"/studio/videos/{video.video_id}", "Related videos"),
        (f"/studio/videos/{video.video_id}/edit", "Comments"),
    ):
        assert f'hx-get="{url}" hx-trigger="load" hx-swap="outerHTML"' in html
        assert f'<a href="{url}">{label}</a>' in html
    assert '<aside class="side-list" aria-label="More videos">' in html
    assert 'class="watch has-sidebar"' in html
    assert f'hx-get="/studio/videos/{video.video_id}"' not in client.get(f"/watch/{video.video_id}").content.decode()
