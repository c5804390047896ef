from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from killrvideo import schema


def _column(kind: schema.ColumnType) -> str:
    if isinstance(kind, str):
        return kind
    if kind["type"] == "vector":
        return f"vector({kind['dimension']})"
    if kind["type"] == "map":
        return f"map<{kind['keyType']},{kind['valueType']}>"
    return f"{kind['type']}<{kind['valueType']}>"


def table_markdown(spec: schema.TableSpec) -> str:
    clustering = ", ".join(f"{name} {'DESC' if order < 0 else 'ASC'}" for name, order in spec.partition_sort.items())
    indexes = [f"`{index.column}` ({index.name})" for index in spec.indexes]
    indexes += [f"vector `{index.column}` {index.metric} ({index.name})" for index in spec.vector_indexes]
    columns = ", ".join(f"`{name}` {_column(kind)}" for name, kind in spec.columns.items())
    return (
        f"| `{spec.name}` | {', '.join(spec.partition_by)} | {clustering or '—'} | {spec.serves} | "
        f"{'; '.join(indexes) or '—'} | {columns} |"
    )


class Command(BaseCommand):
    help = "Print the data model every app declares (tables, keys, indexes, the query served) as Markdown."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("| table | partition key | clustering | query it serves | indexes | columns |")
        self.stdout.write("|---|---|---|---|---|---|")
        for spec in schema.declared_tables():
            self.stdout.write(table_markdown(spec))
