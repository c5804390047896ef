from __future__ import annotations

import pytest

from killrvideo import astra, schema
from killrvideo.schema import Index, TableSpec, VectorIndex, set_of, vector

# These tests use the store through the services: each starts with a clean one.
pytestmark = pytest.mark.usefixtures("store")


def _spec(**extra_columns: object) -> TableSpec:
    return TableSpec(
        name="schema_probe",
        columns={
            "pk": "uuid",
            "at": "timestamp",
            "label": "text",
            "tags": set_of("text"),
            "vec": vector(3),
            **extra_columns,
        },
        partition_by=("pk",),
        partition_sort={"at": -1},
        indexes=(Index("schema_probe_label_idx", "label"),),
        vector_indexes=(VectorIndex("schema_probe_vec_idx", "vec", "cosine"),),
    )


@pytest.fixture
def probe_table():
    yield
    astra.get_database().drop_table("schema_probe", if_exists=True)


def test_migrate_creates_then_is_idempotent_then_adds_columns(probe_table):
    first = schema.migrate([_spec()])
    assert "created table schema_probe" in first
    assert any("schema_probe_vec_idx" in line for line in first)
    assert schema.migrate([_spec()]) == []
    added = schema.migrate([_spec(extra="int")])
    assert added == ["added columns extra to schema_probe"]
    assert "extra" in astra.get_table("schema_probe").definition().columns


def test_every_app_table_exists_after_session_migrate():
    present = set(astra.get_database().list_table_names())
    assert {spec.name for spec in schema.declared_tables()} <= present


def test_architecture_doc_describes_every_table():
    from conftest import ROOT

    document = (ROOT / "ARCHITECTURE.md").read_text()
    missing = [spec.name for spec in schema.declared_tables() if f"`{spec.name}`" not in document]
    assert not missing, f"ARCHITECTURE.md does not describe: {missing}"


def test_every_table_says_which_query_it_serves():
    assert all(spec.serves for spec in schema.declared_tables())
