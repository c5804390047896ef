"""Comments on the watch page (widget) and a member's page: posting with htmx and without JavaScript,
escaping, deleting, "Show more" and the sign-in link."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.test import Client, override_settings

from accounts import services as accounts_services
from accounts.tests.factories import signed_in_client
from community import services

HTMX = {"HTTP_HX_REQUEST": "true"}
HOSTILE = '<script>alert(1)</script> <a href="javascript:alert(2)">x</a> javascript:alert(3) "onmouseover=alert(4)'


@pytest.fixture
def video(creator, publish_video):
    return publish_video(creator, title="Watch me")


def _widget(client, video_id, **params):
    return client.get(f"/videos/{video_id}/comments", params, **HTMX)


def test_the_watch_page_has_the_comments_slot(client, video):
    html = client.get(f"/watch/{video.video_id}").content.decode()
    assert f'hx-get="/videos/{video.video_id}/comments"' in html
    assert f'href="/videos/{video.video_id}/comments">Comments</a>' in html


def test_anonymous_visitors_read_and_get_a_sign_in_link_back(client, viewer, video):
    services.comment_post(actor=viewer, video_id=video.video_id, text="Nice one, thanks!")
    html = _widget(client, video.video_id).content.decode()
    assert "<html" not in html
    assert "1 comment</h2>" in html
    assert "Nice one, thanks!" in html
    assert f'href="/users/{viewer.user_id}">Vic Viewer</a>' in html
    assert f"/signin?next=%2Fwatch%2F{video.video_id}%23comments" in html
    assert "Sign in to comment" in html
    assert 'id="comment-form"' not in html
    assert "sentiment-positive" in html
    assert "Positive" in html
    assert 'title="Sentiment score' in html
    assert "<time" in html
    assert "just now" in html


def test_htmx_post_returns_the_comment_and_the_new_count(client, viewer, video):
    signed = signed_in_client(client, viewer)
    response = signed.post(f"/videos/{video.video_id}/comments/new", {"text": "This is awful and boring."}, **HTMX)
    assert response.status_code == HTTPStatus.CREATED
    html = response.content.decode()
    assert html.lstrip().startswith('<li class="comment"')
    assert "This is awful and boring." in html
    assert "sentiment-negative" in html
    assert '<h2 id="comments-title" class="comments-title" hx-swap-oob="true">1 comment</h2>' in html
    assert 'id="comments-mood"' in html
    assert "100%</strong> negative" in html
    assert services.video_comment_count(video_id=video.video_id) == 1


def test_no_js_post_redirects_to_the_watch_page(client, viewer, video):
    signed = signed_in_client(client, viewer)
    response = signed.post(f"/videos/{video.video_id}/comments/new", {"text": "Plain form"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == f"/watch/{video.video_id}#comments"
    from_page = signed.post(f"/videos/{video.video_id}/comments/new", {"text": "Again", "from": "comments"})
    assert from_page["Location"] == f"/videos/{video.video_id}/comments#comments"
    page = signed.get(f"/videos/{video.video_id}/comments").content.decode()
    assert "<html" in page
    assert "2 comments</h2>" in page
    assert "Plain form" in page


def test_invalid_posts_re_render_the_form_and_write_nothing(client, viewer, video):
    signed = signed_in_client(client, viewer)
    response = signed.post(f"/videos/{video.video_id}/comments/new", {"text": "   "}, **HTMX)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response["HX-Retarget"] == "#comment-form"
    assert "Write something before posting." in response.content.decode()
    plain = signed.post(f"/videos/{video.video_id}/comments/new", {"text": "x" * 1001})
    assert plain.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert "at most 1000 characters" in plain.content.decode()
    assert services.video_comment_count(video_id=video.video_id) == 0
    anonymous = Client().post(f"/videos/{video.video_id}/comments/new", {"text": "hi"})
    assert anonymous.status_code == HTTPStatus.SEE_OTHER
    assert anonymous["Location"].startswith("/signin?next=")


def test_rate_limit_shows_inline(client, viewer, video):
    signed = signed_in_client(client, viewer)
    with override_settings(COMMENT_RATE_LIMIT=1):
        signed.post(f"/videos/{video.video_id}/comments/new", {"text": "first"}, **HTMX)
        response = signed.post(f"/videos/{video.video_id}/comments/new", {"text": "second"}, **HTMX)
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert int(response["Retry-After"]) >= 1
    html = response.content.decode()
    assert "You can comment again in" in html
    assert "second</textarea>" in html
    assert services.video_comment_count(video_id=video.video_id) == 1


def test_hostile_input_is_shown_escaped_with_only_safe_links(client, viewer, video):
    services.comment_post(actor=viewer, video_id=video.video_id, text=HOSTILE + " https://example.org/ok")
    html = _widget(client, video.video_id).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert " onmouseover=" not in html
    assert "&quot;onmouseover=alert(4)" in html
    assert '<a href="https://example.org/ok" rel="nofollow ugc noopener">' in html


def test_delete_buttons_for_the_author_and_moderators_only(client, viewer, other_creator, moderator, video):
    comment = services.comment_post(actor=viewer, video_id=video.video_id, text="Delete me later")
    delete_url = f"/videos/{video.video_id}/comments/{comment.comment_id}/delete"
    assert delete_url not in _widget(client, video.video_id).content.decode()
    assert delete_url not in _widget(signed_in_client(client, other_creator), video.video_id).content.decode()
    assert delete_url in _widget(signed_in_client(client, moderator), video.video_id).content.decode()
    signed = signed_in_client(client, other_creator)
    assert signed.post(delete_url, **HTMX).status_code == HTTPStatus.FORBIDDEN
    assert delete_url in _widget(signed_in_client(client, viewer), video.video_id).content.decode()
    response = signed_in_client(client, viewer).post(delete_url, **HTMX)
    assert response.status_code == HTTPStatus.OK
    assert "Comment deleted." in response.content.decode()
    assert "0 comments</h2>" in response.content.decode()
    assert "Delete me later" not in _widget(client, video.video_id).content.decode()


def test_no_js_delete_redirects_back(client, viewer, video):
    comment = services.comment_post(actor=viewer, video_id=video.video_id, text="bye")
    url = f"/videos/{video.video_id}/comments/{comment.comment_id}/delete"
    response = signed_in_client(client, viewer).post(url)
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == f"/watch/{video.video_id}#comments"
    assert services.video_comment_count(video_id=video.video_id) == 0


def test_show_more_by_cursor_with_and_without_javascript(client, viewer, video):
    with override_settings(RATE_LIMITS_ENABLED=False):
        for n in range(60):
            services.comment_post(actor=viewer, video_id=video.video_id, text=f"number {n:02d}")
    first = _widget(client, video.video_id).content.decode()
    assert "number 59" in first
    assert "number 09" not in first
    assert "Show more comments" in first
    cursor = first.split("?cursor=")[1].split('"')[0].split("#")[0]
    from urllib.parse import unquote

    more = _widget(client, video.video_id, cursor=unquote(cursor)).content.decode()
    assert more.lstrip().startswith('<li class="comment"')
    assert "number 09" in more
    assert "number 00" in more
    assert "number 59" not in more
    assert 'id="comments-more" class="comments-more" hx-swap-oob="true"></div>' in more
    page = client.get(f"/videos/{video.video_id}/comments", {"cursor": unquote(cursor)}).content.decode()
    assert "<html" in page
    assert "number 00" in page
    assert "Back to the newest comments" in page
    bad = client.get(f"/videos/{video.video_id}/comments", {"cursor": "forged"})
    assert bad.status_code == HTTPStatus.UNPROCESSABLE_ENTITY


def test_a_members_comments_section(client, viewer, video):
    services.comment_post(actor=viewer, video_id=video.video_id, text="On my profile")
    profile = client.get(f"/users/{viewer.user_id}").content.decode()
    assert f'hx-get="/users/{viewer.user_id}/comments"' in profile
    assert "Comments by Vic Viewer" in profile
    html = client.get(f"/users/{viewer.user_id}/comments", **HTMX).content.decode()
    assert "On my profile" in html
    assert f'href="/watch/{video.video_id}#comments">Watch me</a>' in html
    assert "(1)" in html
    assert client.get(f"/users/{viewer.user_id}/comments").status_code == HTTPStatus.OK
    import uuid

    assert client.get(f"/users/{uuid.uuid4()}/comments").status_code == HTTPStatus.NOT_FOUND


def test_memoised_comments_follow_renames_and_own_comments_keep_their_form(client, viewer, other_creator, video):
    """Comments a viewer cannot delete are shared HTML (memoised); an author's new name is another key, and a
    comment the viewer may delete is rendered for them, with their own CSRF token in its form."""
    comment = services.comment_post(actor=viewer, video_id=video.video_id, text="Shared HTML")
    assert f'href="/users/{viewer.user_id}">Vic Viewer</a>' in _widget(client, video.video_id).content.decode()
    accounts_services.user_update_profile(user_id=viewer.user_id, first_name="Vera")
    html = _widget(client, video.video_id).content.decode()
    assert f'href="/users/{viewer.user_id}">Vera Viewer</a>' in html
    own = signed_in_client(Client(), viewer)
    own.get("/")  # a session with a CSRF cookie
    html = _widget(own, video.video_id).content.decode()
    delete_url = f"/videos/{video.video_id}/comments/{comment.comment_id}/delete"
    form = html[html.index(f'action="{delete_url}"') :].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form
    assert delete_url not in _widget(signed_in_client(Client(), other_creator), video.video_id).content.decode()
