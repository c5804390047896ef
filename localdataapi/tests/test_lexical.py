"""Text indexes, `$match` and lexical (BM25) sort, driven through astrapy."""

from __future__ import annotations

import math
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from astrapy import AsyncDatabase, Database
from astrapy.data_types import DataAPIVector
from astrapy.exceptions import DataAPIResponseException
from astrapy.info import TableIndexType, TableTextIndexDefinition, TableTextIndexOptions
from astrapy.table import Table

from localdataapi import analyzers, lexical, textindex
from localdataapi.schema import qcol, qtable
from localdataapi.server import DataAPIServer
from localdataapi.storage import KeyspaceStore
from localdataapi.tests.conftest import KEYSPACE, connect, error_code, spawn_server

ROOT = Path(__file__).resolve().parents[2]
ENGLISH_FULL = {
    "tokenizer": {"name": "standard", "args": {}},
    "filters": [{"name": "lowercase"}, {"name": "stop"}, {"name": "porterstem"}, {"name": "asciifolding"}],
    "charFilters": [],
}


def _raises(code: str, fn: Callable[[], Any]) -> DataAPIResponseException:
    with pytest.raises(DataAPIResponseException) as info:
        fn()
    assert error_code(info.value) == code, info.value
    return info.value


def _ids(rows: list[dict[str, Any]]) -> list[Any]:
    return [r["id"] for r in rows]


def _tags_table(db: Database, name: str) -> Table[Any]:
    """The Data API's own integration-test fixture (FindWithLexicalSortTableIntegrationTest)."""
    table = db.create_table(
        name,
        definition={
            "columns": {"id": "text", "value": "text", "tags": "text", "tags2": "text", "n": "int"},
            "primaryKey": "id",
        },
    )
    table.create_text_index(f"{name}_tags", column="tags", options={"analyzer": "standard"})
    table.create_text_index(f"{name}_tags2", column="tags2")
    table.create_index(f"{name}_value", column="value")
    table.insert_many(
        [
            {"id": "1", "value": "First value", "tags": "tag1", "tags2": "abc", "n": 1},
            {"id": "2", "value": "Second value", "tags": "tag2", "tags2": "abc def", "n": 2},
            {"id": "3", "value": "Third value", "tags": "tag3 tag1", "tags2": "def xyz", "n": 1},
            {"id": "4", "value": "Fourth value", "tags": "tag2 tag1 tag3", "tags2": "xyz", "n": 2},
        ]
    )
    return table


# ---------------------------------------------------------------- createTextIndex / listIndexes / dropIndex


def test_create_list_and_drop_text_index(db: Database, server: DataAPIServer, name: str) -> None:
    table = db.create_table(
        name, definition={"columns": {"id": "int", "body": "text", "code": "ascii"}, "primaryKey": "id"}
    )
    table.create_text_index(f"{name}_body", column="body")  # default analyzer
    table.create_text_index(
        f"{name}_code",
        definition=TableTextIndexDefinition(column="code", options=TableTextIndexOptions(analyzer=ENGLISH_FULL)),
    )
    table.create_text_index(f"{name}_body", column="body", if_not_exists=True)
    described = {i.name: i for i in table.list_indexes()}
    assert set(described) == {f"{name}_body", f"{name}_code"}
    body = described[f"{name}_body"]
    assert body.index_type == TableIndexType.TEXT
    assert isinstance(body.definition, TableTextIndexDefinition)
    assert body.definition.column == "body"
    assert body.definition.options.analyzer == "standard"
    code = described[f"{name}_code"].definition
    assert isinstance(code, TableTextIndexDefinition)
    assert code.options.analyzer == ENGLISH_FULL
    raw = table.command({"listIndexes": {"options": {"explain": True}}})["status"]["indexes"]
    assert {
        "name": f"{name}_body",
        "definition": {"column": "body", "options": {"analyzer": "standard"}},
        "indexType": "text",
    } in raw
    _raises("CANNOT_ADD_EXISTING_INDEX", lambda: table.create_text_index(f"{name}_body", column="body"))
    db.drop_table_index(f"{name}_body")
    assert table.list_index_names() == [f"{name}_code"]
    _raises("CANNOT_LEXICAL_SORT_NON_INDEXED_COLUMNS", lambda: table.find({}, sort={"body": "x"}).to_list())
    drop_code = {"alterTable": {"operation": {"drop": {"columns": ["code"]}}}}
    _raises("CANNOT_DROP_INDEXED_COLUMNS", lambda: table.command(drop_code))
    db.drop_table(name)  # takes the remaining text index's tables with it
    assert server.storage is not None
    with server.storage.get(KEYSPACE).reader() as conn:
        left = conn.execute("SELECT name FROM sqlite_master WHERE name LIKE ?", (f"lx_{name}_%",)).fetchall()
    assert left == []


def test_create_text_index_errors(db: Database, name: str) -> None:
    table = db.create_table(name, definition={"columns": {"id": "int", "body": "text", "n": "int"}, "primaryKey": "id"})
    _raises("UNSUPPORTED_TEXT_INDEX_FOR_DATA_TYPES", lambda: table.create_text_index(f"{name}_n", column="n"))
    _raises("UNKNOWN_INDEX_COLUMN", lambda: table.create_text_index(f"{name}_x", column="nope"))
    _raises(
        "UNSUPPORTED_JSON_TYPE_FOR_TEXT_INDEX",
        lambda: table.command(
            {"createTextIndex": {"name": f"{name}_b", "definition": {"column": "body", "options": {"analyzer": 5}}}}
        ),
    )
    err = _raises(
        "INVALID_DATABASE_QUERY",
        lambda: table.create_text_index(f"{name}_b", column="body", options={"analyzer": "klingon"}),
    )
    assert err.error_descriptors[0].family == "SERVER"
    bad_filter = {"tokenizer": {"name": "standard"}, "filters": [{"name": "nosuchfilter"}]}
    _raises(
        "INVALID_DATABASE_QUERY",
        lambda: table.create_text_index(f"{name}_b", column="body", options={"analyzer": bad_filter}),
    )
    create = {"name": f"{name}_b", "definition": {"column": "body"}}
    _raises("UNSUPPORTED_INDEX_TYPE", lambda: table.command({"createTextIndex": {**create, "indexType": "vector"}}))
    _raises("UNKNOWN_INDEX_TYPE", lambda: table.command({"createTextIndex": {**create, "indexType": "fancy"}}))
    _raises("UNSUPPORTED_SCHEMA_NAME", lambda: table.create_text_index("bad name", column="body"))
    assert table.list_index_names() == []


# ---------------------------------------------------------------- $match


def test_match_filter(db: Database, name: str) -> None:
    table = _tags_table(db, name)
    assert sorted(_ids(table.find({"tags": {"$match": "tag3"}}).to_list())) == ["3", "4"]
    # Every analysed term must be present (SAI's analysed match); case and punctuation are analysed away.
    assert sorted(_ids(table.find({"tags": {"$match": "TAG1, 'tag3'"}}).to_list())) == ["3", "4"]
    assert _ids(table.find({"tags": {"$match": "tag1 tag2"}}).to_list()) == ["4"]
    assert table.find({"tags": {"$match": "tag9"}}).to_list() == []
    assert _ids(table.find({"tags": {"$match": "tag1"}, "n": 2}).to_list()) == ["4"]
    either = table.find({"$or": [{"tags": {"$match": "tag2"}}, {"tags2": {"$match": "abc"}}]}).to_list()
    assert sorted(_ids(either)) == ["1", "2", "4"]
    one = table.find_one({"tags2": {"$match": "xyz def"}})
    assert one is not None
    assert one["id"] == "3"


def test_match_errors(db: Database, name: str) -> None:
    table = _tags_table(db, name)
    err = _raises("CANNOT_LEXICAL_FILTER_NON_INDEXED_COLUMNS", lambda: table.find({"value": {"$match": "a"}}).to_list())
    assert "has text indexes on columns: tags, tags2" in str(err)
    _raises("CANNOT_LEXICAL_FILTER_NON_INDEXED_COLUMNS", lambda: table.find({"n": {"$match": "1"}}).to_list())
    err = _raises("FILTER_INVALID_EXPRESSION", lambda: table.find({"tags": {"$match": [1, 2]}}).to_list())
    assert "'$match' operator must have `String` value, was `Array`" in str(err)
    _raises("UNKNOWN_TABLE_COLUMNS", lambda: table.find({"nope": {"$match": "a"}}).to_list())
    _raises(
        "UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE", lambda: table.delete_many({"tags": {"$match": "tag1"}})
    )


def test_match_uses_the_index_analyzer(db: Database, name: str) -> None:
    table = db.create_table(
        name, definition={"columns": {"id": "int", "en": "text", "folded": "text", "ws": "text"}, "primaryKey": "id"}
    )
    table.create_text_index(f"{name}_en", column="en", options={"analyzer": "english"})
    table.create_text_index(f"{name}_folded", column="folded", options={"analyzer": ENGLISH_FULL})
    table.create_text_index(f"{name}_ws", column="ws", options={"analyzer": "whitespace"})
    table.insert_many(
        [
            {"id": 1, "en": "The runners were running", "folded": "Crème brûlée recipes", "ws": "Hello World"},
            {"id": 2, "en": "A quiet evening", "folded": "Creme brulee", "ws": "hello world"},
        ]
    )
    assert _ids(table.find({"en": {"$match": "runs"}}).to_list()) == [1]  # Porter: run
    assert table.find({"en": {"$match": "the"}}).to_list() == []  # only a stop word: no terms, no rows
    assert sorted(_ids(table.find({"folded": {"$match": "CREME"}}).to_list())) == [1, 2]
    assert _ids(table.find({"ws": {"$match": "Hello"}}).to_list()) == [1]  # whitespace: case kept


# ---------------------------------------------------------------- lexical sort


def test_lexical_sort_like_the_data_api(db: Database, name: str) -> None:
    table = _tags_table(db, name)
    assert _ids(table.find({}, sort={"tags": "tag2"}, projection={"id": True}).to_list()) == ["2", "4"]
    # Only rows with every term are ranked (row 1 has tag1 only), the shorter row first.
    assert _ids(table.find({}, sort={"tags": "tag1 'tag3'"}).to_list()) == ["3", "4"]
    assert _ids(table.find({"id": "2"}, sort={"tags": "tag2"}).to_list()) == ["2"]
    one = table.find_one({}, sort={"tags": "tag1"})
    assert one is not None
    assert one["id"] == "1"  # the shortest row containing the term
    assert _ids(table.find({"n": 1}, sort={"tags": "tag1"}).to_list()) == ["1", "3"]
    assert _ids(table.find({"tags2": {"$match": "xyz"}}, sort={"tags": "tag1"}).to_list()) == ["3", "4"]
    # Astra returns no score for lexical sorts on tables (includeSimilarity is for vector sorts);
    # astrapy then fills in None.
    rows = table.find({}, sort={"tags": "tag1"}, include_similarity=True).to_list()
    assert [r["$similarity"] for r in rows] == [None, None, None]
    raw = table.command({"find": {"sort": {"tags": "tag1"}, "options": {"includeSimilarity": True}}})
    assert all("$similarity" not in r for r in raw["data"]["documents"])


def test_lexical_sort_errors(db: Database, name: str) -> None:
    table = db.create_table(
        name,
        definition={
            "columns": {
                "id": "int",
                "a": "text",
                "b": "text",
                "plain": "text",
                "v": {"type": "vector", "dimension": 2},
            },
            "primaryKey": "id",
        },
    )
    table.create_text_index(f"{name}_a", column="a")
    table.create_text_index(f"{name}_b", column="b")
    table.create_vector_index(f"{name}_v", column="v")
    table.insert_one({"id": 1, "a": "x", "b": "y", "plain": "z", "v": DataAPIVector([1.0, 0.0])})
    err = _raises("CANNOT_LEXICAL_SORT_NON_INDEXED_COLUMNS", lambda: table.find({}, sort={"plain": "z"}).to_list())
    assert "has indexes on columns: a, b, v" in str(err)
    err = _raises("CANNOT_SORT_ON_SPECIAL_WITH_OTHERS", lambda: table.find({}, sort={"a": "x", "b": "y"}).to_list())
    assert "lexical sort on columns: a, b" in str(err)
    assert "vector/vectorize sort on columns: [None]" in str(err)
    err = _raises("CANNOT_SORT_ON_SPECIAL_WITH_OTHERS", lambda: table.find({}, sort={"a": "x", "id": 1}).to_list())
    assert "regular sort on columns: id" in str(err)
    err = _raises(
        "CANNOT_SORT_ON_SPECIAL_WITH_OTHERS",
        lambda: table.find({}, sort={"a": "x", "v": DataAPIVector([1.0, 0.0])}).to_list(),
    )
    assert "vector/vectorize sort on columns: v" in str(err)
    _raises("CANNOT_LEXICAL_SORT_WITH_SKIP_OPTION", lambda: table.find({}, sort={"a": "x"}, skip=1).to_list())
    err = _raises("INVALID_DATABASE_QUERY", lambda: table.find({}, sort={"a": "x"}, limit=1001).to_list())
    assert "LIMIT that is not greater than 1000. LIMIT was 1001" in str(err)
    assert _ids(table.find({}, sort={"a": "x"}, limit=1000).to_list()) == [1]
    _raises("CANNOT_SORT_UNKNOWN_COLUMNS", lambda: table.find({}, sort={"nope": "x"}).to_list())
    table.insert_one({"id": 2, "a": "w", "v": DataAPIVector([0.0, 1.0])})
    assert _ids(table.find({"a": {"$match": "x"}}, sort={"v": DataAPIVector([0.0, 1.0])}).to_list()) == [1]


def test_lexical_sort_limits_and_single_page(db: Database, name: str) -> None:
    table = db.create_table(name, definition={"columns": {"id": "int", "body": "text"}, "primaryKey": "id"})
    table.create_text_index(f"{name}_body", column="body")
    table.insert_many([{"id": i, "body": "word " * (1 + i % 7)} for i in range(150)])
    raw = table.command({"find": {"sort": {"body": "word"}}})
    assert len(raw["data"]["documents"]) == 100  # the Data API's default lexical limit
    assert raw["data"]["nextPageState"] is None
    assert len(table.find({}, sort={"body": "word"}, limit=120).to_list()) == 120
    assert len(table.find({}, sort={"body": "word"}, limit=1000).to_list()) == 150
    # $match alone pages like any other find (50 rows a page, primary-key order).
    first = table.command({"find": {"filter": {"body": {"$match": "WORD"}}}})["data"]
    assert len(first["documents"]) == 50
    assert first["nextPageState"] is not None
    assert _ids(table.find({"body": {"$match": "word"}}).to_list()) == list(range(150))


# ---------------------------------------------------------------- BM25, checked by hand

# Standard analyzer; N = 7 rows, total length 27, avgdl = 27/7.
BM25_CORPUS = {
    "A": "apple cherry",  # dl 2
    "B": "apple apple cherry x x x",  # dl 6, tf(apple) 2
    "C": "apple cherry cherry x x x",  # dl 6, tf(cherry) 2
    "G": "apple cherry x x x x",  # dl 6
    "D": "apple x",  # dl 2, no cherry
    "E": "apple y",  # dl 2, no cherry
    "H": "x y z",  # dl 3, neither
}


def _by_hand() -> dict[str, float]:
    """BM25 (k1 1.2, b 0.75, idf = ln(1 + (N - df + 0.5) / (df + 0.5))) of "apple cherry", by hand.

    idf(apple) = ln(1 + 1.5/6.5) = 0.20763 (df 6); idf(cherry) = ln(1 + 3.5/4.5) = 0.57536 (df 4).
    K(dl) = 1.2 * (0.25 + 0.75 * dl / 3.857): K(2) = 0.76667, K(6) = 1.7.
      A = 0.20763 * 1/1.76667 + 0.57536 * 1/1.76667 = 0.44321   (short row wins: length)
      C = 0.20763 * 1/2.7     + 0.57536 * 2/3.7     = 0.38790   (rare term repeated: idf)
      B = 0.20763 * 2/3.7     + 0.57536 * 1/2.7     = 0.32533   (common term repeated)
      G = 0.20763 * 1/2.7     + 0.57536 * 1/2.7     = 0.29000   (same length as B, C: tf)
    D, E and H lack a term, so they are not ranked at all.
    """
    return {"A": 0.44321, "C": 0.38790, "B": 0.32533, "G": 0.29000}


def test_bm25_ranking_by_hand(db: Database, server: DataAPIServer, name: str) -> None:
    table = db.create_table(name, definition={"columns": {"id": "text", "body": "text"}, "primaryKey": "id"})
    table.create_text_index(f"{name}_body", column="body")
    table.insert_many([{"id": k, "body": v} for k, v in BM25_CORPUS.items()])
    expected = _by_hand()
    assert _ids(table.find({}, sort={"body": "apple cherry"}).to_list()) == ["A", "C", "B", "G"]
    assert list(expected) == ["A", "C", "B", "G"]
    assert _ids(table.find({}, sort={"body": "cherry apple apple"}, limit=2).to_list()) == ["A", "C"]
    # The scores themselves, as the server computes them (Astra does not return them on tables).
    assert server.storage is not None
    store = server.storage.get(KEYSPACE)
    schema = store.table(name)
    idx = schema.indexes[f"{name}_body"]
    with store.reader() as conn:
        scored = lexical.top_rows(conn, schema, idx, ["apple", "cherry"], None, 10)
        keys = dict(conn.execute(f'SELECT rowid, "c_id" FROM "t_{name}"').fetchall())
    assert [keys[r] for r, _ in scored] == list(expected)
    for (_, score), want in zip(scored, expected.values(), strict=True):
        assert score == pytest.approx(want, abs=5e-5)
    assert lexical.idf(7, 6) == pytest.approx(math.log(1 + 1.5 / 6.5))


# ---------------------------------------------------------------- index maintenance


def test_index_follows_every_write(db: Database, name: str) -> None:
    table = db.create_table(
        name,
        definition={
            "columns": {"p": "int", "c": "int", "body": "text", "n": "int"},
            "primaryKey": {"partitionBy": ["p"], "partitionSort": {"c": 1}},
        },
    )
    table.insert_many([{"p": 1, "c": 1, "body": "red apple"}, {"p": 1, "c": 2, "body": "green apple"}])
    table.create_text_index(f"{name}_body", column="body", options={"analyzer": "english"})  # indexes existing rows

    def match(q: str) -> list[tuple[int, int]]:
        return sorted((r["p"], r["c"]) for r in table.find({"body": {"$match": q}}).to_list())

    assert match("apples") == [(1, 1), (1, 2)]
    table.insert_many([{"p": 2, "c": 1, "body": "yellow banana"}, {"p": 2, "c": 2, "body": "red cherry"}])
    assert match("red") == [(1, 1), (2, 2)]
    table.update_one({"p": 1, "c": 1}, {"$set": {"body": "blue plum"}})
    assert match("red") == [(2, 2)]
    assert match("plum") == [(1, 1)]
    table.insert_one({"p": 2, "c": 1, "n": 5})  # column-wise upsert: the text is kept
    assert match("banana") == [(2, 1)]
    table.insert_one({"p": 2, "c": 1, "body": "ripe mango"})  # upsert replacing the text
    assert match("banana") == []
    assert match("mango") == [(2, 1)]
    table.update_one({"p": 2, "c": 2}, {"$unset": {"body": ""}})
    assert match("cherry") == []
    table.delete_one({"p": 1, "c": 2})
    assert match("apple") == []
    table.delete_many({"p": 2})
    assert match("mango") == []
    assert match("plum") == [(1, 1)]
    table.insert_one({"p": 3, "c": 1, "body": "plum jam"})
    assert _ids_pc(table.find({}, sort={"body": "plum"}).to_list()) == [(1, 1), (3, 1)]
    table.delete_many({})  # truncation empties the index
    assert match("plum") == []
    table.insert_one({"p": 4, "c": 1, "body": "plum"})
    assert match("plum") == [(4, 1)]


def _ids_pc(rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    return [(r["p"], r["c"]) for r in rows]


def _queued(store: KeyspaceStore) -> int:
    with store.reader() as conn:
        (count,) = conn.execute(f"SELECT count(*) FROM {textindex.QUEUE}").fetchone()
    return int(count)


def _assert_index_is_current(store: KeyspaceStore, table: str, index: str) -> None:
    """The postings, lengths and statistics are exactly those of indexing the table's rows afresh."""
    analyzer = analyzers.build("standard")
    col = qcol("body")
    with store.reader() as conn:
        rows = conn.execute(f"SELECT rowid, {col} FROM {qtable(table)} WHERE {col} IS NOT NULL").fetchall()
        postings = set(conn.execute(f'SELECT term, doc, tf FROM "lx_{index}_p"'))
        lengths = dict(conn.execute(f'SELECT doc, dl FROM "lx_{index}_d"'))
        stats = conn.execute(f'SELECT n, total FROM "lx_{index}_s"').fetchone()
    counts = {doc: analyzer.term_counts(body) for doc, body in rows}
    assert postings == {(t, doc, tf) for doc, c in counts.items() for t, tf in c.items()}
    assert lengths == {doc: sum(c.values()) for doc, c in counts.items()}
    assert stats == (len(counts), sum(lengths.values()))


@pytest.fixture
def tuned_table(tmp_path: Path) -> Iterator[Callable[..., tuple[Table[Any], KeyspaceStore]]]:
    """Starts a server of its own with the given text index settings; returns its table `docs` (with a
    text-indexed `body`) and the keyspace's store."""
    servers: list[DataAPIServer] = []

    def start(**tuning: Any) -> tuple[Table[Any], KeyspaceStore]:
        srv = DataAPIServer(data_dir=tmp_path, index_tuning=textindex.Tuning(**tuning))
        srv.start()
        servers.append(srv)
        db = connect(srv.url)
        db.get_database_admin().create_keyspace(KEYSPACE)
        table = db.create_table("docs", definition={"columns": {"id": "int", "body": "text"}, "primaryKey": "id"})
        table.create_text_index("docs_body", column="body")
        assert srv.storage is not None
        return table, srv.storage.get(KEYSPACE)

    yield start
    for srv in servers:
        srv.stop()


def _wait_for_empty_queue(store: KeyspaceStore) -> None:
    deadline = time.monotonic() + 30
    while _queued(store) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _queued(store) == 0


def test_writes_over_the_queue_caps_index_in_batches(tuned_table: Callable[..., Any]) -> None:
    """With no pause for the background indexer, the queue stays bounded; a lexical read sees every row."""
    table, store = tuned_table(idle_seconds=None, max_queued_rows=100, batch_rows=30)
    n = 1000
    peak = 0
    for start in range(0, n, 20):
        table.insert_many([{"id": i, "body": f"common w{i}"} for i in range(start, start + 20)])
        peak = max(peak, _queued(store))
    assert 80 <= peak < 100  # each write over the cap indexed batches of 30 until it was under it
    assert _ids(table.find({"body": {"$match": f"w{n - 1}"}}).to_list()) == [n - 1]
    assert len(table.find({}, sort={"body": "common"}, limit=1000).to_list()) == 1000
    assert _queued(store) == 0
    _assert_index_is_current(store, "docs", "docs_body")


def test_background_indexer_drains_the_queue_once_writes_pause(tuned_table: Callable[..., Any]) -> None:
    """Inserts, repeated updates and deletes, indexed in small batches in the background, with no read."""
    table, store = tuned_table(idle_seconds=0.05, batch_rows=7)  # a row's changes must all go in one batch
    table.insert_many([{"id": i, "body": f"first text {i}"} for i in range(60)])
    for round_ in range(3):
        for i in range(0, 60, 3):
            table.update_one({"id": i}, {"$set": {"body": f"round {round_} text {i} text"}})
    table.delete_many({"id": {"$in": list(range(1, 60, 5))}})
    table.update_one({"id": 2}, {"$unset": {"body": ""}})
    _wait_for_empty_queue(store)
    _assert_index_is_current(store, "docs", "docs_body")
    table.delete_many({})  # truncation, indexed in the background too
    _wait_for_empty_queue(store)
    _assert_index_is_current(store, "docs", "docs_body")


def test_background_indexing_races_writers_and_readers(tuned_table: Callable[..., Any]) -> None:
    """Writers, lexical readers and the indexer (no idle wait, batches of 5) interleave; nothing is lost."""
    table, store = tuned_table(idle_seconds=0.0, batch_rows=5)
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        try:
            for step in range(40):
                i = w * 100 + step % 10
                table.insert_one({"id": i, "body": f"writer{w} step{step} shared"})
                if step % 4 == 3:
                    table.delete_one({"id": w * 100 + (step + 3) % 10})
        except BaseException as exc:  # noqa: BLE001 (reported by the test thread)
            errors.append(exc)

    def reader() -> None:
        try:
            for _ in range(20):
                table.find({"body": {"$match": "shared"}}).to_list()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(3)] + [threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    live = {r["id"] for r in table.find({}, projection={"id": True}).to_list()}
    assert {r["id"] for r in table.find({"body": {"$match": "shared"}}, limit=1000).to_list()} == live
    _assert_index_is_current(store, "docs", "docs_body")


def test_recreated_index_ignores_rows_queued_for_the_old_one(db: Database, server: DataAPIServer, name: str) -> None:
    table = db.create_table(name, definition={"columns": {"id": "int", "body": "text"}, "primaryKey": "id"})
    table.create_text_index(f"{name}_body", column="body")
    table.insert_many([{"id": i, "body": f"alpha{i}"} for i in range(5)])
    table.update_one({"id": 0}, {"$set": {"body": "beta"}})  # queued with its old text
    db.drop_table_index(f"{name}_body")
    table.create_text_index(f"{name}_body", column="body")
    assert _ids(table.find({"body": {"$match": "beta"}}).to_list()) == [0]
    assert _ids(table.find({"body": {"$match": "alpha1"}}).to_list()) == [1]
    assert server.storage is not None
    with server.storage.get(KEYSPACE).reader() as conn:
        assert conn.execute(f'SELECT n, total FROM "lx_{name}_body_s"').fetchone() == (5, 5)


async def test_async_text_index_and_lexical_sort(adb: AsyncDatabase, name: str) -> None:
    table = await adb.create_table(name, definition={"columns": {"id": "int", "body": "text"}, "primaryKey": "id"})
    await table.create_text_index(f"{name}_body", column="body", options={"analyzer": "english"})
    await table.insert_many([{"id": 1, "body": "cats and dogs"}, {"id": 2, "body": "a cat"}])
    rows = await table.find({}, sort={"body": "cat"}).to_list()
    assert _ids(rows) == [2, 1]
    assert _ids(await table.find({"body": {"$match": "dog"}}).to_list()) == [1]
    assert [i.name for i in await table.list_indexes()] == [f"{name}_body"]


# ---------------------------------------------------------------- durability


@pytest.mark.parametrize("idle", ["off", "0"])
def test_kill_9_rows_stay_searchable(tmp_path: Path, idle: str) -> None:
    """Killed with the rows still queued ("off": only a lexical read indexes them), or while the
    background indexer is at work ("0": it starts at each write); either way none is lost."""
    proc, url = spawn_server(tmp_path, "--index-idle-ms", idle)
    try:
        db = connect(url, keyspace="lx")
        db.get_database_admin().create_keyspace("lx")
        table = db.create_table("docs", definition={"columns": {"id": "int", "body": "text"}, "primaryKey": "id"})
        table.create_text_index("docs_body", column="body", options={"analyzer": "english"})
        filler = " ".join(f"word{i}" for i in range(3000))  # so that indexing takes a while
        table.insert_many([{"id": i, "body": f"filler text number{i} {filler}"} for i in range(200)])
        table.insert_one({"id": 1000, "body": "acknowledged before the crash"})
        table.update_one({"id": 1}, {"$set": {"body": "rewritten crashes"}})
        table.delete_one({"id": 2})
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        proc.kill()
        proc.wait()
    proc2, url2 = spawn_server(tmp_path)
    try:
        table = connect(url2, keyspace="lx").get_table("docs")
        assert _ids(table.find({}, sort={"body": "crash"}).to_list()) == [1, 1000]
        assert _ids(table.find({"body": {"$match": "number2"}}).to_list()) == []
        assert _ids(table.find({"body": {"$match": "number1"}}).to_list()) == []
        assert _ids(table.find({"body": {"$match": "number3 filler"}}).to_list()) == [3]
        assert len(table.find({"body": {"$match": "word2999"}}, limit=1000).to_list()) == 198
    finally:
        proc2.kill()
        proc2.wait()


# ---------------------------------------------------------------- analysis


def test_porter_stemmer_matches_lucene() -> None:
    # Porter's published vocabulary examples (Lucene implements the reference algorithm).
    pairs = {
        "caresses": "caress",
        "ponies": "poni",
        "agreed": "agre",
        "plastered": "plaster",
        "motoring": "motor",
        "hopping": "hop",
        "filing": "file",
        "happy": "happi",
        "relational": "relat",
        "conditional": "condit",
        "differentli": "differ",
        "vietnamization": "vietnam",
        "decisiveness": "decis",
        "hopefulness": "hope",
        "sensibiliti": "sensibl",
        "electrical": "electr",
        "adjustment": "adjust",
        "adoption": "adopt",
        "homologou": "homolog",
        "controll": "control",
        "generalizations": "gener",
        "oscillators": "oscil",
        "conformabli": "conform",  # Lucene's "bli" -> "ble" departure
        "archaeologi": "archaeolog",  # and "logi" -> "log"
        "is": "is",
    }
    assert {w: analyzers.porter_stem(w) for w in pairs} == pairs


def test_standard_and_english_analyzers() -> None:
    text = "The QUICK fox's jumps: O'Neil paid $3.14, 1,000 times for U.S.A. wi-fi foo_bar Café 你好 'tag3'"
    assert analyzers.build("standard").terms(text) == [
        "the",
        "quick",
        "fox's",
        "jumps",
        "o'neil",
        "paid",
        "3.14",
        "1,000",
        "times",
        "for",
        "u.s.a",
        "wi",
        "fi",
        "foo_bar",
        "café",
        "你",
        "好",
        "tag3",
    ]
    # Possessive "'s" removed (then "it" is a stop word); Porter sees non-ASCII letters as consonants.
    assert analyzers.build("english").terms("The runners' dogs were running, it's Ærøskøbing") == [
        "runner",
        "dog",
        "were",
        "run",
        "ærøskøbing",
    ]
    ascii_text = "O'Neil's 3.14, e.g. wi-fi __x__ a_b 1,000.5 U.S.A. it's: 'q' x;y 7;8 :a: ___"
    # The fast ASCII path agrees with the plain regex (which also yields the underscore-only "___").
    assert analyzers._ascii_tokens(ascii_text) == analyzers._STANDARD_ASCII.findall(ascii_text)
    assert analyzers.standard_tokens(ascii_text) == [
        "O'Neil's",
        "3.14",
        "e.g",
        "wi",
        "fi",
        "__x__",
        "a_b",
        "1,000.5",
        "U.S.A",
        "it's",
        "q",
        "x",
        "y",
        "7;8",
        "a",
    ]
    folded = analyzers.build({"tokenizer": {"name": "whitespace"}, "filters": [{"name": "asciifolding"}]})
    assert folded.terms("Ærøskøbing Straße naïve") == ["AEroskobing", "Strasse", "naive"]
    assert analyzers.build("keyword").term_counts("Hello World") == {"Hello World": 1}


@pytest.mark.parametrize(
    "spec",
    [
        "standard",
        "english",
        "whitespace",
        "simple",
        "stop",
        "keyword",
        {"tokenizer": {"name": "standard", "args": {"maxTokenLength": "4"}}, "filters": [{"name": "lowercase"}]},
        {
            "tokenizer": {"name": "whitespace"},
            "filters": [{"name": "asciifolding", "args": {"preserveOriginal": "true"}}],
        },
    ],
)
def test_term_counts_are_the_counted_terms(spec: str | dict[str, Any]) -> None:
    """Indexing counts each distinct token once (`term_counts`); it must agree with the terms a
    query is analysed into, on ASCII text (the fast path: punctuation, underscores, long tokens)
    and on any other text."""
    analyzer = analyzers.build(spec)
    texts = [
        "O'Neil's 3.14, e.g. wi-fi __x__ a_b 1,000.5 U.S.A. it's: 'q' x;y 7;8 :a: ___ the the THE Runs running",
        "x" * 600 + " " + "y" * 300 + " word, word. WORD's",
        "The runners' dogs were running, it's Ærøskøbing naïve Café 你好 о́бщий ру́сский",
        "",
    ]
    for text in texts:
        assert analyzer.term_counts(text) == Counter(analyzer.terms(text)), text
    assert analyzers.build("keyword").terms("Hello World") == ["Hello World"]
    with pytest.raises(analyzers.AnalyzerError):
        analyzers.build({"tokenizer": {"name": "standard"}, "charFilters": [{"name": "htmlstrip"}]})
