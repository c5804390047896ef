"""Search: keyword (the store's BM25), semantic (vectors), hybrid; transcript moments, filters, sorts, removal,
and bad input on the API and the page. Every search here runs under the no-scan check."""

from __future__ import annotations

from http import HTTPStatus

import pytest

from catalog import services as catalog
from discovery import repositories as repo
from discovery.services import search, search_index
from killrvideo.pagination import PageRequest

RESULT_KEYS = {
    "videoId", "title", "thumbnailUrl", "userId", "submittedAt", "views", "viewCount", "averageRating",
    "totalRatingsCount", "status", "description", "tags", "score", "matchedTags", "moment",
}  # fmt: skip

TOMBSTONES = (
    "so when you delete data in cassandra nothing is removed right away instead a marker called a tombstone is "
    "written and it is only purged after the grace period which defaults to ten days"
)


def _publish(publish_video, owner, title, tags, description):
    """A READY video whose description is set by its owner (the YouTube stand-in's oEmbed carries none)."""
    video = publish_video(owner, title=title, tags=tags)
    return catalog.video_edit(actor=owner, video_id=video.video_id, description=description)


@pytest.fixture
def catalogue(creator, other_creator, publish_video):
    made = {
        "compaction": _publish(
            publish_video, creator, "Tuning Cassandra compaction", ("operations", "apache_cassandra"),
            "Size-tiered and leveled compaction strategies for busy clusters.",
        ),
        "sourdough": _publish(
            publish_video, other_creator, "Baking sourdough bread at home", ("cooking",),
            "Flour, water, salt and a starter: a crusty loaf in your own oven.",
        ),
        "vector": _publish(
            publish_video, other_creator, "Vector search with Astra DB", ("vector", "astra"),
            "Embeddings and similarity search for generative AI applications.",
        ),
        "talk": _publish(
            publish_video, creator, "Cassandra internals talk", ("cassandra",),
            "A conference talk about the storage engine.",
        ),
    }  # fmt: skip
    repo.passages_put_many(
        made["talk"].video_id,
        [(0, "welcome everyone thanks for coming to this session"), (754, TOMBSTONES), (820, "questions please")],
    )
    search_index.passages_embed(made["talk"].video_id)
    return made


def _search(text, mode="hybrid", **options):
    query = search.search_query(query=text, mode=mode, **options)
    return search.videos_search(query=query, request=PageRequest(1, 10))


def _titles(page):
    return [r.video.name for r in page.items]


def test_keyword_ranks_by_the_words_and_says_why(catalogue):
    page = _search("compaction strategies", mode="keyword")
    assert _titles(page)[0] == "Tuning Cassandra compaction"
    top = page.items[0]
    assert ("compaction", True) in top.title
    assert any(hit for _, hit in top.description), top
    assert "Baking sourdough bread at home" not in _titles(page)
    # the english analyzer stems: the singular finds the plural
    assert _titles(_search("strategy", mode="keyword")) == ["Tuning Cassandra compaction"]
    # tags are searchable by their words, and reported
    tagged = _search("apache", mode="keyword")
    assert tagged.items[0].tags == ["apache_cassandra"]


def test_semantic_finds_a_paraphrase_without_its_words(catalogue):
    page = _search("making a loaf with natural yeast", mode="semantic")
    assert "Baking sourdough bread at home" in _titles(page)[:3]
    hybrid = _search("making a loaf with natural yeast")
    assert _titles(hybrid)[0] == "Baking sourdough bread at home"


def test_a_transcript_moment_is_found_with_its_time(catalogue, client):
    page = _search("tombstone grace period", mode="keyword")
    top = page.items[0]
    assert top.video.name == "Cassandra internals talk"
    assert top.moment is not None
    assert (top.moment.start, top.moment.label) == (754, "12:34")
    assert "tombstone" in top.moment.excerpt
    semantic = _search("how long until deleted rows are really gone", mode="semantic")
    assert semantic.items[0].video.name == "Cassandra internals talk"
    assert semantic.items[0].moment.start == 754

    body = client.get("/search", {"q": "tombstone grace period"}).content.decode()
    watch = f"/watch/{top.video.video_id}?t=754"
    assert f'href="{watch}"' in body
    assert "At 12:34" in body
    player = client.get(watch).content.decode()
    assert "start=754" in player
    assert "Starts at 12:34" in player


def test_hybrid_gives_one_result_per_video_with_true_totals(catalogue):
    page = _search("cassandra")
    ids = [r.video.video_id for r in page.items]
    assert len(ids) == len(set(ids))
    assert page.total == len(ids)
    assert {"Tuning Cassandra compaction", "Cassandra internals talk"} <= set(_titles(page))
    second = search.videos_search(query=search.search_query(query="cassandra"), request=PageRequest(2, 1))
    assert second.total == page.total
    assert second.items[0].video.video_id == ids[1]


def test_filters_and_sorts(catalogue, creator):
    assert _titles(_search("cassandra", tag="operations")) == ["Tuning Cassandra compaction"]
    assert _search("cassandra", tag="nope").total == 0
    newest = _titles(_search("cassandra", sort="newest"))
    assert newest.index("Cassandra internals talk") < newest.index("Tuning Cassandra compaction")
    assert _search("cassandra", period="week").total == _search("cassandra").total  # all uploaded just now


def test_a_removed_video_vanishes_from_search_and_comes_back(catalogue, creator):
    talk = catalogue["talk"]
    # found through its transcript only: whether it is public comes from a cached flag, asked first here
    before = _search("tombstone grace period", mode="keyword")
    assert "Cassandra internals talk" in _titles(before)
    catalog.video_soft_delete(actor=creator, video_id=talk.video_id)
    after = _search("tombstone grace period", mode="keyword")
    assert "Cassandra internals talk" not in _titles(after)
    assert after.total == before.total - 1
    assert "Cassandra internals talk" not in _titles(_search("tombstone grace period"))
    assert "Cassandra internals talk" not in _titles(_search("cassandra internals"))
    catalog.video_restore(actor=creator, video_id=talk.video_id)
    assert _titles(_search("cassandra internals", mode="keyword"))[0] == "Cassandra internals talk"


def test_an_edit_is_searchable_at_once(catalogue, creator):
    video = catalogue["compaction"]
    catalog.video_edit(actor=creator, video_id=video.video_id, title="Repair and anti-entropy")
    assert _titles(_search("entropy", mode="keyword")) == ["Repair and anti-entropy"]


def test_api_shape_and_modes(client, catalogue):
    for mode in ("hybrid", "semantic", "keyword"):
        response = client.get("/api/v1/search/videos", {"query": "cassandra compaction", "mode": mode})
        assert response.status_code == HTTPStatus.OK, response.content
        body = response.json()
        assert set(body["pagination"]) == {"currentPage", "pageSize", "totalItems", "totalPages"}
        assert body["data"], mode
        assert set(body["data"][0]) == RESULT_KEYS
    moment = client.get("/api/v1/search/videos", {"query": "tombstone grace period"}).json()["data"][0]["moment"]
    assert moment["start"] == 754
    assert moment["label"] == "12:34"


def test_direct_json_is_what_the_declared_schemas_write(client, catalogue, viewer):
    """Search, related and For You write their JSON directly (killrvideo.schemas.page_json/list_json): the
    body is exactly what ninja would write after validating it against the route's response schema."""
    import json

    from ninja.responses import NinjaJSONEncoder
    from pydantic import TypeAdapter

    from accounts.tests.factories import api_headers
    from discovery.schemas import RecommendationPageOut, RelatedItemOut, SearchPageOut

    talk = catalogue["talk"].video_id
    answers = [
        (SearchPageOut, client.get("/api/v1/search/videos", {"query": "tombstone grace period"})),
        (SearchPageOut, client.get("/api/v1/search/videos", {"query": "cassandra", "mode": "keyword"})),
        (TypeAdapter(list[RelatedItemOut]), client.get(f"/api/v1/videos/id/{talk}/related")),
        (RecommendationPageOut, client.get("/api/v1/recommendations/foryou", **api_headers(viewer))),
    ]
    for schema, response in answers:
        assert response.status_code == HTTPStatus.OK, response.content
        adapter = schema if isinstance(schema, TypeAdapter) else TypeAdapter(schema)
        validated = adapter.dump_python(adapter.validate_json(response.content))
        assert response.content.decode() == json.dumps(validated, cls=NinjaJSONEncoder)
        assert response.json()["data"] if isinstance(response.json(), dict) else response.json()


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"query": ""},
        {"query": "   "},
        {"query": "x" * 201},
        {"query": "cassandra", "mode": "fuzzy"},
        {"query": "cassandra", "page": "0"},
        {"query": "cassandra", "pageSize": "101"},
        {"query": "cassandra", "sort": "random"},
        {"query": "cassandra", "uploaded": "decade"},
        {"query": "cassandra", "page": "x"},
    ],
)
def test_bad_parameters_are_422_json(client, params):
    response = client.get("/api/v1/search/videos", params)
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY, response.content
    assert set(response.json()) >= {"detail", "code"}


def test_odd_queries_are_answered_not_500(client, catalogue):
    # one catalogue for every case (publishing it is most of this test's time)
    for text in ["the", "!!!", "<script>alert(1)</script>", "\"'; --", "a b c", "日本語", "💥", "x:y"]:
        for mode in ("hybrid", "keyword", "semantic"):
            response = client.get("/api/v1/search/videos", {"query": text, "mode": mode})
            assert response.status_code == HTTPStatus.OK, (text, mode, response.content)
        page = client.get("/search", {"q": text})
        assert page.status_code == HTTPStatus.OK
        assert "<script>alert(1)" not in page.content.decode()


def test_search_page_states(client, catalogue):
    empty = client.get("/search").content.decode()
    assert "What would you like to watch?" in empty
    none = client.get("/search", {"q": "cassandrax", "mode": "keyword"}).content.decode()
    assert "No videos match" in none
    assert 'href="/tags/cassandra"' in none  # a nearby tag to try
    too_long = client.get("/search", {"q": "x" * 300})
    assert too_long.status_code == HTTPStatus.OK
    assert "at most 200 characters" in too_long.content.decode() or "Results for" in too_long.content.decode()
    found = client.get("/search", {"q": "compaction", "mode": "keyword", "sort": "views"}).content.decode()
    assert "<mark>compaction</mark>" in found.lower()
    assert 'option value="views" selected' in found


@pytest.mark.allows_scan  # the import is an operator command
def test_the_dataset_import_indexes_transcripts_as_timed_passages(client):
    from io import StringIO

    from django.core.management import call_command

    from catalog.services import importer
    from killrvideo.tests.support import DATASET_DIR

    if not DATASET_DIR.is_dir():
        pytest.skip("the public dataset is not checked out next to the project")

    from catalog import signals
    from killrvideo.tests.support import receivers_off

    def run_import():
        with receivers_off(signals.dataset_imported, "community.import"):  # comments: community's own test
            call_command(
                "import_killrvideo_data", str(DATASET_DIR), "--password", "dataset-pass-1", "--limit", "3",
                stdout=StringIO(), verbosity=0,
            )  # fmt: skip

    run_import()
    youtube_ids = [path.stem for path in importer.video_files(DATASET_DIR, 3)]
    indexed = {yt: repo.passages_read(importer.video_uuid(yt, 0)) for yt in youtube_ids}
    youtube_id, stored = max(indexed.items(), key=lambda kv: len(kv[1]))
    assert len(stored) > 3
    starts = [start for start, _, _ in stored]
    assert starts == sorted(set(starts))
    assert all(b - a >= 55 for a, b in zip(starts, starts[1:], strict=False))  # ~60 s windows
    assert not any(embedded for _, _, embedded in stored)  # the worker embeds them

    run_import()  # idempotent: the same passages, not twice as many
    video_id = importer.video_uuid(youtube_id, 0)
    assert repo.passages_read(video_id) == stored

    assert search_index.passages_embed(video_id) == len(stored)
    assert all(embedded for _, _, embedded in repo.passages_read(video_id))
    assert search_index.passages_embed(video_id) == 0
    start, text_, _ = stored[len(stored) // 2]
    phrase = " ".join(text_.split()[10:16])
    found = _search(phrase, mode="keyword")
    hit = next(r for r in found.items if r.video.video_id == video_id)
    assert hit.moment is not None


@pytest.mark.allows_scan  # an operator command
def test_rebuild_search_index_repairs_missed_and_stale_entries(catalogue):
    import uuid
    from io import StringIO

    from django.core.management import call_command

    repo.search_video_remove(catalogue["vector"].video_id)  # as if a signal had been missed
    ghost = uuid.uuid4()
    repo.search_video_put(ghost, "a ghost entry", None)
    assert "Vector search with Astra DB" not in _titles(_search("astra", mode="keyword"))
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue().strip() == "4 videos indexed, 1 stale entries dropped"
    assert _titles(_search("astra", mode="keyword")) == ["Vector search with Astra DB"]
    assert ghost not in repo.search_video_ids_scan()


@pytest.mark.allows_scan  # the import is an operator command
def test_the_worker_embeds_an_imported_transcript(celery_worker):
    import time
    from io import StringIO

    from django.core.management import call_command

    from catalog.services import importer
    from killrvideo.tests.support import DATASET_DIR

    if not DATASET_DIR.is_dir():
        pytest.skip("the public dataset is not checked out next to the project")
    call_command(
        "import_killrvideo_data", str(DATASET_DIR), "--password", "dataset-pass-1", "--limit", "1",
        stdout=StringIO(), verbosity=0,
    )  # fmt: skip
    video_id = importer.video_uuid(importer.video_files(DATASET_DIR, 1)[0].stem, 0)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        stored = repo.passages_read(video_id)
        if stored and all(embedded for _, _, embedded in stored):
            break
        time.sleep(0.5)
    else:
        pytest.fail("the worker did not embed the imported passages")
    assert repo.passages_nearest(search.query_vector(stored[0][1]), 1)[0].start == stored[0][0]


def test_binary_vector_sorts_rank_as_float_arrays_do(catalogue):
    """Vector reads send the query in the Data API's binary form (killrvideo.astra.vector_sort): the same
    rows in the same order with the same similarities as the vector sent as an array of numbers."""
    from killrvideo.astra import get_table, vector_sort

    vector = search.query_vector("baking bread")
    table = get_table("search_videos")

    def nearest(sort_value):
        rows = table.find({}, sort={"embedding": sort_value}, projection={"videoid": True}, limit=10,
                          include_similarity=True)  # fmt: skip
        return [(row["videoid"], row["$similarity"]) for row in rows]

    assert vector_sort(vector)["$binary"]
    assert nearest(vector_sort(vector)) == nearest(list(vector))
    assert nearest(list(vector))[0][0] == catalogue["sourdough"].video_id


def test_one_word_lists_are_shared_between_queries_until_the_index_changes(catalogue):
    """A query whose keyword lists are thin completes them with one-word passage lists; those are cached per
    word under the search index's version, so another query with the same words reads only its new ones,
    and a write to the index makes them read again."""
    from killrvideo.tests.support import counting_reads

    def passage_reads(text):
        with counting_reads() as reads:
            search.videos_search(query=search.search_query(query=text, mode="keyword"), request=PageRequest())
        return reads.finds["search_passages"]

    assert passage_reads("tombstone zebra quokka") == 1 + 3  # the whole query, then each word
    assert passage_reads("quokka tombstone crust") == 1 + 1  # only "crust" is new
    repo.passages_put_many(catalogue["compaction"].video_id, [(0, "leveled compaction explained")])
    assert passage_reads("zebra tombstone quokka") == 1 + 3  # the index changed: every word is read again
