"""The sample corpus built through the real command: marts against the gold files and the contract."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from bench.accuracy import round_trip
from tests.conftest import GOLD_DIR, REPO

pytestmark = pytest.mark.build

# Column names fixed by the issues: analysts, dashboards and schedulers depend on them.
CONTRACT = {
    "marts.dim_report": [
        "report_id",
        "source_file",
        "source_sha256",
        "doc_kind",
        "fiscal_year",
        "district",
        "town",
        "unit_name",
        "supervisor",
        "project_name",
        "amount_unit",
        "total_weight",
        "total_score",
        "grade",
        "is_current",
    ],
    "marts.fct_budget_execution": [
        "report_id",
        "fund_line",
        "fund_line_label",
        "initial_budget_yuan",
        "adjusted_budget_yuan",
        "executed_yuan",
        "execution_rate_reported_pct",
        "execution_rate_computed_pct",
        "town",
        "fiscal_year",
        "unit_name",
        "project_name",
    ],
    "marts.fct_indicator_outcome": [
        "report_id",
        "indicator_seq",
        "level1",
        "level2",
        "indicator_name",
        "target_text",
        "target_op",
        "target_value",
        "target_unit",
        "actual_text",
        "actual_value",
        "actual_unit",
        "is_quantitative",
        "target_met",
        "weight",
        "score",
        "deviation_note",
        "town",
        "fiscal_year",
    ],
    "marts.dim_town": ["district", "town", "town_type"],
    "marts.town_year_summary": [
        "town",
        "fiscal_year",
        "reports",
        "budget_yuan",
        "executed_yuan",
        "execution_rate_pct",
        "avg_project_score",
        "quantitative_indicator_share",
    ],
    "marts.dq_finding": [
        "finding_id",
        "rule_id",
        "severity",
        "report_id",
        "fund_line",
        "indicator_seq",
        "observed",
        "expected",
        "difference",
        "message_zh",
        "message_en",
    ],
    "ops.ingest_issues": ["source_file", "line_no", "severity", "message"],
    "ops.build_runs": [
        "run_id",
        "started_at",
        "finished_at",
        "status",
        "files_total",
        "files_parsed",
        "files_unchanged",
        "files_skipped",
        "files_removed",
    ],
}


def test_marts_reproduce_every_non_null_gold_field(sample_build, tmp_path):
    """Every non-null field of the gold files, and no report, fund line or indicator row beyond them."""
    accuracy = round_trip(sample_build.warehouse, GOLD_DIR, tmp_path)
    assert accuracy.examples == []
    assert accuracy.mismatched == 0
    assert accuracy.compared > 1700  # every non-null field of the gold files, not a sample of them


def test_sample_corpus_row_counts(sample_build):
    summary = sample_build.summary()
    assert (summary["reports"], summary["fund_lines"], summary["indicators"]) == (12, 45, 157)
    assert sample_build.query("select count(*) from marts.dim_report") == [(12,)]
    assert sample_build.query("select count(*) from marts.fct_budget_execution") == [(45,)]
    assert sample_build.query("select count(*) from marts.fct_indicator_outcome") == [(157,)]


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_contract_columns_exist(sample_build, table):
    schema, name = table.split(".")
    columns = {
        r[0]
        for r in sample_build.query(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [schema, name],
        )
    }
    assert set(CONTRACT[table]) <= columns


def test_amounts_are_decimal_yuan(sample_build):
    types = dict(
        sample_build.query(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'fct_budget_execution' and column_name like '%_yuan'"
        )
    )
    assert types == {
        "initial_budget_yuan": "DECIMAL(18,2)",
        "adjusted_budget_yuan": "DECIMAL(18,2)",
        "executed_yuan": "DECIMAL(18,2)",
        "budget_change_yuan": "DECIMAL(19,2)",
    }


def test_ambiguous_rows_are_null_with_a_warning_naming_file_and_line(sample_build):
    rows = sample_build.query(
        "select source_file, line_no, issue_code from ops.ingest_issues where severity = 'warning' order by all"
    )
    assert ("001_d843cb21d2372b47.txt", 32, "level_ambiguous") in rows
    assert ("002_9036fe76fdcdc1b3.txt", 164, "level2_lost") in rows
    assert sample_build.query(
        "select level1, level2 from marts.fct_indicator_outcome o join marts.dim_report r using (report_id) "
        "where r.source_file = '001_d843cb21d2372b47.txt' and o.line_no = 32"
    ) == [(None, None)]


def readme_queries() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", readme, flags=re.S)


def test_readme_has_the_analyst_queries():
    assert len(readme_queries()) >= 4


@pytest.mark.parametrize("sql", readme_queries(), ids=lambda sql: sql.split("\n")[0][:40])
def test_readme_queries_run_as_printed(sample_build, sql):
    assert sample_build.query(sql)


def test_missed_targets_query_finds_the_three_misses_of_report_001(sample_build):
    sql = next(q for q in readme_queries() if "target_met = false" in q)
    names = {row[3] for row in sample_build.query(sql)}
    assert names == {"居村工作站考核工作覆盖数量", "设备使用准确率", "巡查责任网格覆盖率"}


def test_budget_cut_query_ranks_the_deepest_cut_first(sample_build):
    sql = next(q for q in readme_queries() if "budget_change_yuan < 0" in q)
    rows = sample_build.query(sql)
    assert [r[2] for r in rows[:3]] == ["消防安全", "实有人口管理与服务", "派出所维护管理"]
    assert rows[0][3:5] == (Decimal("4572100.00"), Decimal("2932300.00"))  # 457.21 → 293.23 万元
    assert len(rows) == 7  # every project but 新残疾人保障金, whose budget did not change
