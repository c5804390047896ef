"""Popular tags: a one-partition table clustered by count, kept in step with the tag counts, shown on Explore
(widget slot `explore.main`); and the tag page's header with its true total."""

from __future__ import annotations

from http import HTTPStatus

import pytest
from django.core.management import call_command

from catalog import services as catalog
from discovery import repositories as repo
from discovery.services import popular
from killrvideo import widgets
from killrvideo.tests.browser import check_axe


def _popular() -> list[tuple[str, int]]:
    return [(item.tag, item.videos) for item in popular.popular_tags(limit=50)]


def test_ranking_keeps_the_top_with_ties_alphabetical() -> None:
    counts = {f"tag{n:03d}": n % 7 for n in range(150)}
    ranked = popular._ranked(counts)
    assert len(ranked) == 100
    assert list(ranked.items())[:3] == [("tag006", 6), ("tag013", 6), ("tag020", 6)]
    assert all(value > 0 for value in ranked.values())


def test_popular_tags_follow_publish_edit_delete_restore(creator, publish_video) -> None:
    first = publish_video(creator, title="One", tags=("cassandra", "database"))
    publish_video(creator, title="Two", tags=("cassandra", "vector"))
    publish_video(creator, title="Three", tags=("cassandra", "database", "astra"))
    assert _popular() == [("cassandra", 3), ("database", 2), ("astra", 1), ("vector", 1)]
    assert [item.tag for item in popular.popular_tags(limit=2)] == ["cassandra", "database"]

    catalog.video_edit(actor=creator, video_id=first.video_id, tags=["cassandra", "vector"])
    assert _popular() == [("cassandra", 3), ("vector", 2), ("astra", 1), ("database", 1)]

    catalog.video_soft_delete(actor=creator, video_id=first.video_id)
    assert _popular() == [("cassandra", 2), ("astra", 1), ("database", 1), ("vector", 1)]
    catalog.video_restore(actor=creator, video_id=first.video_id)
    assert _popular() == [("cassandra", 3), ("vector", 2), ("astra", 1), ("database", 1)]


def test_the_partition_stays_bounded(creator, publish_video, settings) -> None:
    settings.POPULAR_TAGS_KEEP = 2
    publish_video(creator, title="One", tags=("a1", "b1", "c1"))
    publish_video(creator, title="Two", tags=("a1", "b1"))
    publish_video(creator, title="Three", tags=("a1",))
    assert _popular() == [("a1", 3), ("b1", 2)]
    assert len(repo.popular_tags_read(10)) == 2


@pytest.mark.allows_scan
def test_the_rebuild_rewrites_the_table(creator, publish_video) -> None:
    publish_video(creator, title="One", tags=("database",))
    publish_video(creator, title="Two", tags=("database", "dance"))
    repo.popular_tag_remove("database", 2)
    repo.popular_tag_put("datum", 9)

    call_command("rebuild_tag_suggestions", verbosity=0)

    assert _popular() == [("database", 2), ("dance", 1)]


def test_explore_shows_popular_tags_with_counts(client, creator, publish_video) -> None:
    publish_video(creator, title="One", tags=("cassandra", "database"))
    publish_video(creator, title="Two", tags=("cassandra",))
    assert [w.url_name for w in widgets.for_slot("explore.main")] == ["popular_tags_widget"]

    page = client.get("/explore").content.decode()
    assert 'hx-get="/explore/popular-tags"' in page
    assert 'href="/explore/popular-tags">Popular tags</a>' in page  # the fallback without JavaScript
    assert "/explore/popular-tags" not in client.get("/tags/cassandra").content.decode()

    fragment = client.get("/explore/popular-tags", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert fragment.index("#cassandra") < fragment.index("#database")
    assert '<span class="count">2<span class="visually-hidden"> videos</span></span>' in fragment
    assert '<span class="count">1<span class="visually-hidden"> video</span></span>' in fragment
    assert 'href="/tags/cassandra"' in fragment
    full = client.get("/explore/popular-tags")
    assert full.status_code == HTTPStatus.OK
    assert "<html" in full.content.decode()


def test_tag_page_header_shows_the_true_total(client, creator, publish_video) -> None:
    for n in range(25):  # more than one page (24 cards)
        publish_video(creator, title=f"Talk {n}", tags=("cassandra",))
    first = client.get("/tags/cassandra").content.decode()
    second = client.get("/tags/cassandra?page=2").content.decode()
    for html in (first, second):
        assert "<h1>#cassandra</h1>" in html
        assert "25 videos with this tag" in html
    assert second.count('class="video-card"') == 1


@pytest.mark.browser
def test_browser_explore_loads_the_popular_tags(page, creator, publish_video) -> None:
    publish_video(creator, title="One", tags=("cassandra", "database"))
    publish_video(creator, title="Two", tags=("cassandra",))
    page.goto("/explore")
    section = page.get_by_role("region", name="Popular tags")
    section.get_by_role("link", name="#cassandra 2 videos").wait_for()
    assert section.get_by_role("link").count() == 2
    check_axe(page)
