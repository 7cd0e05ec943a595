"""Validating some rows of the check tables, in key order, with the whole tables' counts, gives the
failures and Data Docs of a validation of every row (quality.runner), which name each failing row
by its check key.

A build in place validates so the rows of the reports of changed files and the rows that failed
before (models/intermediate/checks/int_expectation_failures.py). Here the rows of one report of
the sample warehouse and every failing row are validated, against a validation of every row.
"""

from __future__ import annotations

import duckdb
import pytest

from quality.runner import columns_to_fetch, projection, run_checks, to_frame, whole_table_counts
from quality.tables import CHECK_TABLES
from tests.pipeline.test_incremental import data_docs

pytestmark = pytest.mark.build


def _frames(con, catalog):
    wanted = columns_to_fetch(catalog)
    tables = {name: con.table(f"intermediate.{name}") for name in CHECK_TABLES}
    frames = {
        name: to_frame(table.project(projection(table, wanted[name])).order('"check_key"'))
        for name, table in tables.items()
    }
    return tables, frames


def test_some_rows_validate_as_every_row(sample_build, tmp_path):
    with duckdb.connect(str(sample_build.warehouse), read_only=True) as con:
        catalog = con.table("staging.stg_reference__dq_rules").df()
        tables, frames = _frames(con, catalog)
        full = run_checks(frames, catalog, tmp_path / "full")
        assert len(full) > 0 and full["check_table"].nunique() > 1  # the sample has findings on several tables

        # one report's rows (a project report of 002, with its own findings) and every row that failed
        report = con.execute(
            "select report_id from raw.parsed_reports where source_file = '002_9036fe76fdcdc1b3.txt' "
            "order by report_ordinal limit 1"
        ).fetchall()[0][0]
        failing = set(full["check_key"])
        some = {name: f[(f["report_id"] == report) | f["check_key"].isin(failing)] for name, f in frames.items()}
        assert sum(map(len, some.values())) < sum(map(len, frames.values())) / 2
        partial = run_checks(some, catalog, tmp_path / "partial", whole_table_counts(catalog, tables))
        # the same rows, counted as they are: the shares in the Data Docs then differ
        run_checks(some, catalog, tmp_path / "plain")

    key = ["check_table", "rule_id", "detail", "check_key"]
    assert partial.sort_values(key).reset_index(drop=True).equals(full.sort_values(key).reset_index(drop=True))
    assert data_docs(tmp_path / "partial") == data_docs(tmp_path / "full")
    assert data_docs(tmp_path / "plain") != data_docs(tmp_path / "full")


def test_the_data_docs_name_the_failing_rows_by_key(sample_build, tmp_path):
    """A hand-made check table: two rows of three fail I1 (score above weight). The Data Docs list
    them by their keys, not by their row numbers in the frame validated."""
    with duckdb.connect(str(sample_build.warehouse), read_only=True) as con:
        catalog = con.table("staging.stg_reference__dq_rules").df()
        _, frames = _frames(con, catalog)
    # three indicator rows of the sample, given new keys, weights and scores
    made = frames["int_indicator_checks"].iloc[:3].copy()
    made["check_key"] = ["甲:1", "乙:1", "丙:1"]
    made["weight"] = made["weight_printed"] = [10.0, 10.0, 10.0]
    made["score"] = made["score_printed"] = [12.0, 9.0, 11.0]
    failures = run_checks({**frames, "int_indicator_checks": made}, catalog, tmp_path / "docs")
    assert sorted(failures.loc[failures["rule_id"] == "I1", "check_key"]) == ["丙:1", "甲:1"]
    page = next((tmp_path / "docs" / "validations" / "int_indicator_checks").rglob("*.html")).read_text("utf-8")
    assert "甲:1" in page and "丙:1" in page
