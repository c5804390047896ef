"""The rating widget on the watch page: what each visitor sees, HTMX and no-JS posts, cards on listings."""

from __future__ import annotations

import re
import uuid
from http import HTTPStatus

import pytest
from django.test import Client

from accounts.tests.factories import signed_in_client
from catalog import services as catalog_services
from community.tests.ratings_support import NEW, post_rating, stored, stored_rating

HTMX = {"HTTP_HX_REQUEST": "true"}


def _widget_url(video_id: uuid.UUID) -> str:
    return f"/watch/{video_id}/rating"


def _submit_url(video_id: uuid.UUID) -> str:
    return f"/watch/{video_id}/rating/set"


def _checked(html: str) -> list[str]:
    return re.findall(r'value="(\d)" checked', html)


def test_the_watch_page_declares_the_widget_with_a_link_fallback(client, creator, publish_video):
    video = publish_video(creator)
    html = client.get(f"/watch/{video.video_id}").content.decode()
    assert f'hx-get="{_widget_url(video.video_id)}"' in html
    assert f'<a href="{_widget_url(video.video_id)}">Rate this video</a>' in html


def test_signed_out_visitors_see_the_average_and_a_sign_in_link(client, creator, viewer, publish_video):
    video = publish_video(creator)
    post_rating(client, NEW, video.video_id, {"rating": 4}, viewer)
    html = client.get(_widget_url(video.video_id), **HTMX).content.decode()
    assert "4.0 out of 5" in html
    assert "from 1 rating" in html
    assert f'href="/signin?next=%2Fwatch%2F{video.video_id}"' in html
    assert "Sign in to rate" in html
    assert 'type="radio"' not in html
    assert "<html" not in html  # a fragment for htmx


def test_a_viewer_sees_five_labelled_radios_with_their_own_rating_checked(client, creator, viewer, publish_video):
    video = publish_video(creator)
    signed_in_client(client, viewer)
    html = client.get(_widget_url(video.video_id), **HTMX).content.decode()
    assert "No ratings yet" in html
    assert _checked(html) == []
    assert "<fieldset" in html
    assert "<legend>Your rating</legend>" in html
    for n, label in enumerate(["1 star", "2 stars", "3 stars", "4 stars", "5 stars"], start=1):
        assert f'<label for="rating-star-{n}">' in html
        assert f">{label}</span>" in html
    post_rating(client, NEW, video.video_id, {"rating": 3}, viewer)
    assert _checked(client.get(_widget_url(video.video_id), **HTMX).content.decode()) == ["3"]


def test_the_owner_sees_the_average_but_no_form(client, creator, viewer, publish_video):
    video = publish_video(creator)
    post_rating(client, NEW, video.video_id, {"rating": 5}, viewer)
    signed_in_client(client, creator)
    html = client.get(_widget_url(video.video_id), **HTMX).content.decode()
    assert "5.0 out of 5" in html
    assert "You can’t rate your own video" in html
    assert "<form" not in html
    posted = client.post(_submit_url(video.video_id), {"rating": "1"}, **HTMX)
    assert posted.status_code == HTTPStatus.FORBIDDEN
    assert stored(video.video_id) == (1, 5)


def test_htmx_post_re_renders_the_widget_with_the_new_average(client, creator, viewer, publish_video):
    video = publish_video(creator)
    signed_in_client(client, viewer)
    response = client.post(_submit_url(video.video_id), {"rating": "4"}, **HTMX)
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'id="video-rating"' in html
    assert "4.0 out of 5" in html
    assert "from 1 rating" in html
    assert _checked(html) == ["4"]
    assert "<html" not in html
    changed = client.post(_submit_url(video.video_id), {"rating": "2"}, **HTMX).content.decode()
    assert "2.0 out of 5" in changed
    assert "from 1 rating" in changed
    assert _checked(changed) == ["2"]
    assert stored_rating(video.video_id, viewer) == 2


def test_no_js_post_redirects_back_to_the_watch_page(client, creator, viewer, publish_video):
    video = publish_video(creator, title="Plain form")
    signed_in_client(client, viewer)
    response = client.post(_submit_url(video.video_id), {"rating": "5"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    assert response["Location"] == f"/watch/{video.video_id}"
    page = client.get(response["Location"]).content.decode()
    assert "You rated “Plain form” 5 stars." in page
    full = client.get(_widget_url(video.video_id)).content.decode()  # the fallback link's page
    assert "<html" in full
    assert "5.0 out of 5" in full
    assert _checked(full) == ["5"]


def test_signed_out_posts_go_to_sign_in_and_back_to_the_video(client, creator, publish_video):
    video = publish_video(creator)
    plain = client.post(_submit_url(video.video_id), {"rating": "5"})
    assert plain.status_code == HTTPStatus.SEE_OTHER
    assert plain["Location"] == f"/signin?next=%2Fwatch%2F{video.video_id}"
    htmx = client.post(_submit_url(video.video_id), {"rating": "5"}, **HTMX)
    assert htmx["HX-Redirect"] == f"/signin?next=%2Fwatch%2F{video.video_id}"
    assert stored(video.video_id) is None


@pytest.mark.parametrize("value", ["0", "6", "five", "2.5", "", "99999999999999999999", "٣"])
def test_bad_form_values_are_422_and_write_nothing(client, creator, viewer, publish_video, value):
    video = publish_video(creator)
    signed_in_client(client, viewer)
    for headers in (HTMX, {}):
        response = client.post(_submit_url(video.video_id), {"rating": value}, **headers)
        assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
        assert "Choose a rating from 1 to 5 stars." in response.content.decode()
    assert client.post(_submit_url(video.video_id)).status_code == HTTPStatus.UNPROCESSABLE_ENTITY  # no field
    assert stored(video.video_id) is None
    assert stored_rating(video.video_id, viewer) is None


def test_missing_or_hidden_videos_have_no_widget(client, creator, viewer, publish_video):
    hidden = publish_video(creator)
    catalog_services.video_soft_delete(actor=creator, video_id=hidden.video_id)
    signed_in_client(client, viewer)
    for video_id in (uuid.uuid4(), hidden.video_id):
        assert client.get(_widget_url(video_id)).status_code == HTTPStatus.NOT_FOUND
        assert client.post(_submit_url(video_id), {"rating": "3"}).status_code == HTTPStatus.NOT_FOUND
    assert client.get(_submit_url(hidden.video_id)).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_widget_per_role(request, creator, publish_video):
    video = publish_video(creator)
    expect_form = {"viewer": True, "creator": False, "other_creator": True, "moderator": True, "admin": True}
    for role, has_form in expect_form.items():
        client = signed_in_client(Client(), request.getfixturevalue(role))
        html = client.get(_widget_url(video.video_id), **HTMX).content.decode()
        assert ("<form" in html) is has_form, role
        posted = client.post(_submit_url(video.video_id), {"rating": "3"}, **HTMX)
        assert posted.status_code == (HTTPStatus.OK if has_form else HTTPStatus.FORBIDDEN), role
    assert stored(video.video_id) == (4, 12)


def test_cards_on_listing_pages_show_the_average(client, creator, viewer, other_creator, publish_video):
    rated = publish_video(creator, title="Well liked", tags=("rated",))
    publish_video(creator, title="Not yet rated", tags=("rated",))
    post_rating(client, NEW, rated.video_id, {"rating": 5}, viewer)
    post_rating(client, NEW, rated.video_id, {"rating": 4}, other_creator)
    for url in ("/", "/explore", "/tags/rated", f"/users/{creator.user_id}/videos"):
        html = client.get(url).content.decode()
        assert html.count('4.5<span class="visually-hidden"> out of 5</span>') == 1, url
    api = client.get("/api/v1/videos/by-tag/rated").json()["data"]
    by_title = {card["title"]: card for card in api}
    assert (by_title["Well liked"]["averageRating"], by_title["Well liked"]["totalRatingsCount"]) == (4.5, 2)
    assert (by_title["Not yet rated"]["averageRating"], by_title["Not yet rated"]["totalRatingsCount"]) == (None, 0)
    detail = client.get(f"/api/v1/videos/id/{rated.video_id}").json()
    assert (detail["averageRating"], detail["totalRatingsCount"]) == (4.5, 2)
