"""An incremental build publishes exactly what a full build of the same files publishes.

The sample corpus is built, then changed (a file edited, a revision added, a file
removed) and rebuilt incrementally; a full build of the changed corpus into
another warehouse must hold the same rows in every table, and Data Docs that
differ only in their run times and generated ids.  Then a file is rewritten with a
trailing newline only (its rows stay as they were): the incremental build leaves
the published Data Docs as they are, and must still equal a full build.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.paths import WarehousePaths
from tests.conftest import SAMPLE_REPORTS, run_build
from tests.pipeline.test_nightly import revised_004

pytestmark = pytest.mark.build

COMPARED_SCHEMAS = ("raw", "intermediate", "marts", "ops")
NOT_COMPARED = {("ops", "build_runs")}  # the run log differs by construction
STAMPS = re.compile(
    r"\d{8}T\d{6}(\.\d+)?Z?"  # run names
    r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"  # run times
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"  # ids of page elements
    r"|(?<='_run_time_sort': )[0-9.]+"  # run times again, as numbers
)


def tables(warehouse: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select schema_name, table_name from duckdb_tables() where schema_name in ? order by all",
            [list(COMPARED_SCHEMAS)],
        ).fetchall()
    return [r for r in rows if r not in NOT_COMPARED]


def differences(a: Path, b: Path) -> dict[str, tuple[int, int, int]]:
    """table -> (rows, rows only in a, rows only in b), for the tables whose rows differ."""
    found = {}
    with duckdb.connect() as con:
        con.execute("attach ? as a (read_only)", [str(a)])
        con.execute("attach ? as b (read_only)", [str(b)])
        for schema, table in tables(a):
            name = f"{schema}.{table}"
            rows = con.execute(f"select count(*) from a.{name}").fetchone()[0]
            only_a = con.execute(f"select count(*) from (from a.{name} except all from b.{name})").fetchone()[0]
            only_b = con.execute(f"select count(*) from (from b.{name} except all from a.{name})").fetchone()[0]
            if only_a or only_b:
                found[name] = (rows, only_a, only_b)
    return found


def data_docs(folder: Path) -> dict[str, str]:
    """Every page of a Data Docs site, with run times and generated ids masked."""
    return {
        STAMPS.sub("*", path.relative_to(folder).as_posix()): STAMPS.sub("*", path.read_text(encoding="utf-8"))
        for path in folder.rglob("*.html")
    }


def last_dbt_commands(warehouse: Path) -> tuple[str, str]:
    """The lines of the last two dbt commands in a build's dbt log."""
    log = WarehousePaths.for_warehouse(warehouse).dbt_logs / "dbt.log"
    *_, before, last = log.read_text(encoding="utf-8").split("Running with dbt=")
    return before, last


def assert_parsed_before_the_run(warehouse: Path) -> None:
    """The build had dbt parse the project (while the report files were parsed), and the run started
    from that project without parsing it again."""
    parse, run = last_dbt_commands(warehouse)
    assert "Command `cli parse` succeeded" in parse
    assert "Command `cli build` succeeded" in run
    assert not any(words in run for words in ("Partial parsing", "partial parsing", "full parse"))


def test_dbt_parses_the_project_before_it_is_told_to_run(sample_build):
    assert_parsed_before_the_run(sample_build.warehouse)


def test_an_incremental_build_equals_a_full_build_of_the_same_files(tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(SAMPLE_REPORTS, reports)
    incremental = tmp_path / "incremental" / "budget.duckdb"
    assert run_build(reports, incremental).exit_code == 0

    edited = reports / "002_9036fe76fdcdc1b3.txt"  # the first project's executed amount, 6.00 -> 5.00 万元
    text = edited.read_text(encoding="utf-8")
    assert "\t6.00\t6.00\t6.00\t10.00\t100.00\t" in text
    edited.write_text(
        text.replace("\t6.00\t6.00\t6.00\t10.00\t100.00\t", "\t6.00\t6.00\t5.00\t10.00\t100.00\t", 1), "utf-8"
    )
    revised_004(reports)
    (reports / "000_8225f3caa16837dd.txt").unlink()

    rebuilt = run_build(reports, incremental)
    assert rebuilt.exit_code == 0, rebuilt.stdout + rebuilt.stderr
    summary = rebuilt.summary()
    assert (summary["files_parsed"], summary["files_unchanged"], summary["files_removed"]) == (2, 3, 1)
    assert summary["stage_seconds"].get("dbt_seed_load") is None  # built in place
    assert_parsed_before_the_run(incremental)

    full = tmp_path / "full" / "budget.duckdb"
    assert run_build(reports, full, "--full").exit_code == 0

    assert tables(incremental) == tables(full)
    assert {("marts", "dq_finding"), ("marts", "dim_report"), ("raw", "parsed_indicators")} <= set(tables(full))
    assert differences(incremental, full) == {}
    # the edit shows: a finding on the edited project, in both
    assert rebuilt.query(
        "select count(*) from marts.dq_finding where source_file = '002_9036fe76fdcdc1b3.txt' and rule_id = 'B2'"
    ) != [(0,)]

    docs_incremental = data_docs(WarehousePaths.for_warehouse(incremental).data_docs)
    docs_full = data_docs(WarehousePaths.for_warehouse(full).data_docs)
    assert len(docs_full) > 5
    assert docs_incremental == docs_full

    # a new hash, the same rows: no check row changed, so no check runs and the Data Docs stay published
    runs_before = validation_runs(WarehousePaths.for_warehouse(incremental).data_docs)
    touched = reports / "001_d843cb21d2372b47.txt"
    touched.write_bytes(touched.read_bytes() + b"\n")
    rebuilt = run_build(reports, incremental)
    assert rebuilt.exit_code == 0, rebuilt.stdout + rebuilt.stderr
    summary = rebuilt.summary()
    assert (summary["files_parsed"], summary["files_unchanged"], summary["files_removed"]) == (1, 4, 0)
    assert validation_runs(WarehousePaths.for_warehouse(incremental).data_docs) == runs_before

    assert run_build(reports, full, "--full").exit_code == 0
    assert tables(incremental) == tables(full)
    assert differences(incremental, full) == {}
    assert data_docs(WarehousePaths.for_warehouse(incremental).data_docs) == data_docs(
        WarehousePaths.for_warehouse(full).data_docs
    )


def validation_runs(folder: Path) -> list[str]:
    """The validation result pages of a Data Docs site (their paths name the run)."""
    return sorted(p.relative_to(folder).as_posix() for p in (folder / "validations").rglob("*.html"))
