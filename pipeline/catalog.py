"""What the published warehouse says about itself: table and column comments from the dbt descriptions.

dbt writes the comments of its models (``persist_docs`` in dbt_project.yml). Seeds
and ``ops.build_runs`` (which the build writes, declared in models/ops/_ops__sources.yml)
get theirs here, from the same descriptions in dbt's manifest, so every SQL client
shows them in ``duckdb_tables()`` / ``duckdb_columns()``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class Described:
    schema: str
    name: str
    description: str
    columns: dict[str, str]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def sql_literal(text: str | Path) -> str:
    """``text`` (or a path) as an SQL string literal, for statements that take no parameters (COPY, COMMENT)."""
    text = text.as_posix() if isinstance(text, Path) else text
    return "'" + text.replace("'", "''") + "'"


def described_relations(manifest: Path, resource_types: tuple[str, ...] = ("seed", "source")) -> list[Described]:
    """Relations of the given dbt resource types, with their descriptions, from dbt's manifest.json."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    nodes = [*data.get("nodes", {}).values(), *data.get("sources", {}).values()]
    relations = []
    for node in nodes:
        if node.get("resource_type") not in resource_types:
            continue
        name = node.get("identifier") or node.get("alias") or node["name"]
        columns = {c: (v.get("description") or "").strip() for c, v in node.get("columns", {}).items()}
        relations.append(Described(node["schema"], name, (node.get("description") or "").strip(), columns))
    return relations


def apply_comments(con: duckdb.DuckDBPyConnection, relations: list[Described]) -> int:
    """COMMENT ON the tables and columns that exist; returns the number of comments written."""
    existing = {
        (schema, table): set(columns)
        for schema, table, columns in con.execute(
            "select schema_name, table_name, list(column_name) from duckdb_columns() group by all"
        ).fetchall()
    }
    written = 0
    for relation in relations:
        columns = existing.get((relation.schema, relation.name))
        if columns is None:
            continue
        qualified = f"{_quote(relation.schema)}.{_quote(relation.name)}"
        if relation.description:
            con.execute(f"comment on table {qualified} is {sql_literal(relation.description)}")
            written += 1
        for column, description in relation.columns.items():
            if description and column in columns:
                con.execute(f"comment on column {qualified}.{_quote(column)} is {sql_literal(description)}")
                written += 1
    return written


def describe(database: Path, manifest: Path) -> int:
    """Write the comments dbt leaves out (seeds, sources) into a finished, closed database file."""
    if not manifest.exists():
        return 0
    with duckdb.connect(str(database)) as con:
        written = apply_comments(con, described_relations(manifest))
        con.execute("checkpoint")
    return written


def table_comments(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> dict[tuple[str, str], dict]:
    """Comments of the tables of some schemas and of their columns, as DuckDB holds them, in column order."""
    placeholders = ", ".join("?" for _ in schemas)
    tables: dict[tuple[str, str], dict] = {}
    for schema, table, comment in con.execute(
        f"select schema_name, table_name, comment from duckdb_tables() where schema_name in ({placeholders}) "
        "order by schema_name, table_name",
        list(schemas),
    ).fetchall():
        tables[(schema, table)] = {"description": comment, "columns": []}
    for schema, table, column, data_type, comment in con.execute(
        f"select schema_name, table_name, column_name, data_type, comment from duckdb_columns() "
        f"where schema_name in ({placeholders}) order by schema_name, table_name, column_index",
        list(schemas),
    ).fetchall():
        if (schema, table) in tables:
            tables[(schema, table)]["columns"].append({"name": column, "type": data_type, "description": comment})
    return tables
