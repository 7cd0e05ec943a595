"""``pipeline query`` for people: one clear line for every error, formats, row limits, SQL from files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal

import pytest

from pipeline import query
from tests.conftest import REPO

pytestmark = pytest.mark.build


def _run(warehouse, *args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "query", "--warehouse", str(warehouse), *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("selec * from marts.dim_report", "error: SQL error: Parser Error"),
        ("select * from marts.no_such_mart", "error: SQL error: Catalog Error"),
        ("delete from marts.dim_report", "error: the warehouse is read-only: queries cannot change it"),
        ("create table marts.mine as select 1", "error: the warehouse is read-only"),
    ],
)
def test_errors_are_one_line_without_a_traceback(sample_build, sql, message):
    done = _run(sample_build.warehouse, sql)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(message)
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_a_missing_warehouse_is_one_line(tmp_path):
    done = _run(tmp_path / "nowhere.duckdb", "select 1")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"error: no warehouse at {tmp_path / 'nowhere.duckdb'}: build it first (make build), or pass --warehouse"
    )
    assert not (tmp_path / "nowhere.duckdb").exists()  # a reader never creates a warehouse


def test_a_file_that_is_not_a_database_is_one_line(tmp_path):
    fake = tmp_path / "budget.duckdb"
    fake.write_text("not a database", encoding="utf-8")
    done = _run(fake, "select 1")
    assert done.returncode == 1
    assert done.stderr.startswith(f"error: cannot open {fake} as a DuckDB database")
    assert len(done.stderr.strip().splitlines()) == 1


def test_csv_shows_every_row_and_column_and_reads_back_exactly(sample_build):
    out, err = io.StringIO(), io.StringIO()
    sql = "select * from marts.fct_indicator_outcome order by report_id, indicator_seq"
    assert query.main(sample_build.warehouse, sql, None, "csv", None, out, err) == 0
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    expected = sample_build.query(sql)
    assert len(rows) == 1 + len(expected) and len(expected) > 100  # no cut at 100 rows
    columns = sample_build.query(
        "select count(*) from duckdb_columns() where schema_name = 'marts' and table_name = 'fct_indicator_outcome'"
    )[0][0]
    assert len(rows[0]) == columns > 12  # every column, not 12
    weights = rows[0].index("weight")
    assert [r[weights] for r in rows[1:]] == ["" if e[weights] is None else str(e[weights]) for e in expected]


def test_json_keeps_decimal_amounts_exact(sample_build):
    out = io.StringIO()
    sql = (
        "select report_id, fund_line, adjusted_budget_yuan, is_current from marts.fct_budget_execution "
        "order by report_id, fund_line"
    )
    assert query.main(sample_build.warehouse, sql, None, "json", None, out, io.StringIO()) == 0
    rows = json.loads(out.getvalue(), parse_float=Decimal)
    expected = sample_build.query(sql)
    assert [(r["report_id"], r["fund_line"], r["adjusted_budget_yuan"], r["is_current"]) for r in rows] == [
        (a, b, None if c is None else Decimal(c), d) for a, b, c, d in expected
    ]


def test_max_rows_cuts_and_says_so(sample_build):
    out, err = io.StringIO(), io.StringIO()
    sql = "select indicator_seq from marts.fct_indicator_outcome order by report_id, indicator_seq"
    assert query.main(sample_build.warehouse, sql, None, "table", 5, out, err) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].strip() == "indicator_seq" and set(lines[1].strip()) == {"-"}
    assert len(lines) == 2 + 5
    assert "first 5 rows" in err.getvalue()


def test_markdown_table_of_towns(sample_build):
    out = io.StringIO()
    sql = "select town, fiscal_year, reports from marts.town_year_summary order by town, fiscal_year"
    assert query.main(sample_build.warehouse, sql, None, "markdown", None, out, io.StringIO()) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "| town | fiscal_year | reports |"
    assert lines[1] == "|---|---:|---:|"
    expected = sample_build.query(sql)
    assert lines[2:] == [f"| {t} | {y} | {n} |" for t, y, n in expected]


def test_sql_from_a_file_and_from_standard_input(sample_build, tmp_path):
    sql_file = tmp_path / "towns.sql"
    sql_file.write_text("-- 各镇\nselect count(*) as n from marts.dim_town;\n", encoding="utf-8")
    expected = str(sample_build.query("select count(*) from marts.dim_town")[0][0])
    from_file = _run(sample_build.warehouse, "--file", str(sql_file), "--format", "csv")
    assert from_file.returncode == 0, from_file.stderr
    assert from_file.stdout.splitlines() == ["n", expected]
    from_stdin = _run(sample_build.warehouse, "--format", "csv", stdin="select count(*) as n from marts.dim_town")
    assert from_stdin.stdout.splitlines() == ["n", expected]
    dash = _run(sample_build.warehouse, "-", "--format", "csv", stdin="select count(*) as n from marts.dim_town")
    assert dash.stdout.splitlines() == ["n", expected]
    absent = _run(sample_build.warehouse, "--file", str(tmp_path / "absent.sql"))
    assert absent.returncode == 1 and absent.stderr.startswith("error: cannot read the SQL file")


def test_table_aligns_chinese_text(sample_build):
    out = io.StringIO()
    sql = "select town, count(*) as n from marts.dim_report group by town order by town"
    assert query.main(sample_build.warehouse, sql, None, "table", None, out, io.StringIO()) == 0
    lines = out.getvalue().splitlines()
    # every count ends in the same terminal column, although a Chinese character takes two
    ends = {query._width(line) for line in lines[2:]}
    assert len(ends) == 1


def test_a_reader_that_stops_early_is_not_an_error(sample_build):
    command = (
        f"{sys.executable} -m pipeline query --warehouse {sample_build.warehouse} --format csv "
        "'select * from range(200000)' | head -n 2"
    )
    done = subprocess.run(command, shell=True, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines() == ["range", "0"]
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
