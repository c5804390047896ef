"""The async astrapy client against the same server."""

from __future__ import annotations

import pytest
from astrapy import AsyncDatabase
from astrapy.data_types import DataAPIVector
from astrapy.exceptions import DataAPIResponseException

from localdataapi.tests.conftest import error_code


@pytest.mark.asyncio
async def test_async_crud_paging_and_vectors(adb: AsyncDatabase, name: str) -> None:
    table = await adb.create_table(
        name,
        definition={
            "columns": {"p": "text", "c": "int", "body": "text", "emb": {"type": "vector", "dimension": 2}},
            "primaryKey": {"partitionBy": ["p"], "partitionSort": {"c": 1}},
        },
    )
    await table.create_vector_index(f"{name}_emb", column="emb", options={"metric": "dot_product"})
    result = await table.insert_many(
        [{"p": "a", "c": i, "body": "x", "emb": [1.0, i / 100]} for i in range(130)], concurrency=5, chunk_size=20
    )
    assert len(result.inserted_ids) == 130
    rows = await table.find({"p": "a"}).to_list()
    assert [r["c"] for r in rows] == list(range(130))
    top = await table.find({}, sort={"emb": DataAPIVector([0.0, 1.0])}, limit=3, include_similarity=True).to_list()
    assert [r["c"] for r in top] == [129, 128, 127]
    assert top[0]["$similarity"] == pytest.approx((1 + 1.29) / 2, abs=1e-6)
    await table.update_one({"p": "a", "c": 5}, {"$set": {"body": "y"}})
    assert (await table.find_one({"p": "a", "c": 5}))["body"] == "y"  # type: ignore[index]
    await table.delete_many({"p": "a", "c": {"$lt": 100}})
    assert len(await table.find({"p": "a"}).to_list()) == 30
    with pytest.raises(DataAPIResponseException) as exc:
        await table.update_one({"p": "a"}, {"$set": {"body": "z"}})
    assert error_code(exc.value) == "MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE"
    await adb.drop_table(name)
    assert name not in await adb.list_table_names()
