"""The published file opens in other clients: DuckDB 1.x, SQLAlchemy (BI tools); its schema explains itself."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from tests.conftest import REPO

pytestmark = pytest.mark.build

# The oldest DuckDB 1.x release the published file must open in (README, "Opening the warehouse").
OLDEST_CLIENT = "1.0.0"
CLIENT_VENV = REPO / "target" / "clients" / f"duckdb-{OLDEST_CLIENT}"

READ_EVERYTHING = """
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute(
    "select schema_name, table_name from duckdb_tables() where schema_name in ('marts', 'ops')"
).fetchall()
counts = {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}
budget = con.execute(
    "select sum(adjusted_budget_yuan)::varchar from marts.fct_budget_execution where fund_line = 'total'"
).fetchone()[0]
comment = con.execute(
    "select comment from duckdb_columns() where schema_name = 'marts' and table_name = 'fct_budget_execution' "
    "and column_name = 'initial_budget_yuan'"
).fetchone()[0]
print(json.dumps({"version": duckdb.__version__, "counts": counts, "budget": budget, "comment": comment}))
"""


def _client_python() -> Path:
    """A separate environment with the old DuckDB wheel, created once and kept under target/."""
    python = CLIENT_VENV / "bin" / "python"
    marker = CLIENT_VENV / ".installed"
    if not marker.exists():
        venv.create(CLIENT_VENV, with_pip=True, clear=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"duckdb=={OLDEST_CLIENT}"],
            check=True,
            timeout=600,
        )
        marker.touch()
    return python


def test_the_oldest_duckdb_1x_reads_every_table(sample_build):
    done = subprocess.run(
        [str(_client_python()), "-c", READ_EVERYTHING, str(sample_build.warehouse)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["version"] == OLDEST_CLIENT
    expected = sample_build.query(
        "select schema_name || '.' || table_name from duckdb_tables() where schema_name in ('marts', 'ops')"
    )
    assert set(seen["counts"]) == {t for (t,) in expected}
    for table in seen["counts"]:
        assert seen["counts"][table] == sample_build.query(f"select count(*) from {table}")[0][0], table
    # the amounts the old client reads are those the build wrote
    assert seen["budget"] == str(
        sample_build.query(
            "select sum(adjusted_budget_yuan) from marts.fct_budget_execution where fund_line = 'total'"
        )[0][0]
    )
    assert "年初预算数" in seen["comment"]


def test_bi_tools_connect_through_one_read_only_sqlalchemy_uri(sample_build):
    expected = sample_build.query("select town, fiscal_year from marts.town_year_summary order by all")
    uri = f"duckdb:///{sample_build.warehouse}?access_mode=read_only"  # the URI of the README
    engine = sa.create_engine(uri)
    try:
        with engine.connect() as con:
            towns = con.execute(sa.text("select town, fiscal_year from marts.town_year_summary order by all"))
            assert towns.fetchall() == expected
            assert "dim_report" in sa.inspect(con).get_table_names(schema="marts")
        with engine.connect() as con, pytest.raises(sa.exc.DBAPIError, match="read-only"):
            con.execute(sa.text("delete from marts.dim_report"))
    finally:
        engine.dispose()  # DuckDB refuses a second configuration of a file open in the same process
    assert not Path(str(sample_build.warehouse) + ".wal").exists()


def test_every_documented_column_carries_its_description_as_a_comment(sample_build):
    manifest = sample_build.warehouse.with_name("budget.build") / "dbt" / "target" / "manifest.json"
    nodes = json.loads(manifest.read_text(encoding="utf-8"))
    documented = {}
    for node in [*nodes["nodes"].values(), *nodes["sources"].values()]:
        if node["resource_type"] in ("model", "source") and node["schema"] in ("marts", "ops"):
            name = node.get("identifier") or node.get("alias") or node["name"]
            for column, spec in node["columns"].items():
                if spec.get("description"):
                    documented[(node["schema"], name, column)] = spec["description"].strip()
    comments = {
        (s, t, c): comment
        for s, t, c, comment in sample_build.query(
            "select schema_name, table_name, column_name, comment from duckdb_columns() "
            "where schema_name in ('marts', 'ops')"
        )
    }
    assert ("ops", "build_runs", "run_id") in documented  # the table the build writes, not dbt
    missing = [key for key, text in documented.items() if key in comments and comments[key] != text]
    assert not missing
    # the Chinese source terms, next to the English, as analysts search for both
    assert "全年执行数" in comments[("marts", "fct_budget_execution", "executed_yuan")]
    assert "executed" in comments[("marts", "fct_budget_execution", "executed_yuan")]
    tables = dict(
        ((s, t), c) for s, t, c in sample_build.query("select schema_name, table_name, comment from duckdb_tables()")
    )
    assert "One row per" in tables[("marts", "dim_report")]
    assert "One row per build" in tables[("ops", "build_runs")]


def test_a_connection_kept_open_keeps_seeing_the_file_it_opened(tmp_path):
    """What the README says of connection pools: the rename publishes, but not to connections kept open."""
    from pipeline.paths import WarehousePaths
    from pipeline.publish import publish

    paths = WarehousePaths.for_warehouse(tmp_path / "budget.duckdb")

    def publish_rows(rows: int) -> None:
        paths.work.mkdir(parents=True, exist_ok=True)
        with duckdb.connect(str(paths.work_database)) as con:
            con.execute(f"create table t as select * from range({rows})")
        publish(paths)

    def count(con) -> int:
        return con.execute("select count(*) from t").fetchone()[0]

    publish_rows(1)
    pooled = duckdb.connect(str(paths.published), read_only=True)
    publish_rows(2)
    try:
        assert count(pooled) == 1
        # the same process shares one database per path: a new connection still sees the old file
        with duckdb.connect(str(paths.published), read_only=True) as same_process:
            assert count(same_process) == 1
        other_process = subprocess.run(
            [
                sys.executable,
                "-c",
                f"import duckdb; print(duckdb.connect({str(paths.published)!r}, read_only=True)"
                ".execute('select count(*) from t').fetchone()[0])",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        assert other_process.stdout.strip() == "2"
    finally:
        pooled.close()
    with duckdb.connect(str(paths.published), read_only=True) as after_closing:
        assert count(after_closing) == 2


def test_a_bi_tool_without_a_pool_sees_each_new_build(tmp_path):
    """The setting the README recommends: SQLAlchemy's NullPool, one connection per query."""
    from pipeline.paths import WarehousePaths
    from pipeline.publish import publish

    paths = WarehousePaths.for_warehouse(tmp_path / "budget.duckdb")
    engine = sa.create_engine(f"duckdb:///{paths.published}?access_mode=read_only", poolclass=sa.pool.NullPool)
    seen = []
    try:
        for rows in (1, 2, 3):
            paths.work.mkdir(parents=True, exist_ok=True)
            with duckdb.connect(str(paths.work_database)) as con:
                con.execute(f"create table t as select * from range({rows})")
            publish(paths)
            with engine.connect() as con:
                seen.append(con.execute(sa.text("select count(*) from t")).scalar())
    finally:
        engine.dispose()
    assert seen == [1, 2, 3]
