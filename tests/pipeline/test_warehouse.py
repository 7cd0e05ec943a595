"""The sample corpus built through the real command: marts against the gold files and the contract."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from tests.conftest import REPO

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
REPORT_FIELDS = [
    "project_name",
    "unit_name",
    "supervisor",
    "amount_unit",
    "total_weight",
    "total_score",
    "grade",
    "budget_execution_weight",
    "budget_execution_score",
]
FUND_FIELDS = {
    "initial_budget_yuan": "initial_budget_yuan",
    "adjusted_budget_yuan": "adjusted_budget_yuan",
    "executed_yuan": "executed_yuan",
    "execution_rate_pct": "execution_rate_reported_pct",
}
INDICATOR_FIELDS = {
    "level1": "level1",
    "level2": "level2",
    "name": "indicator_name",
    "target_text": "target_text",
    "actual_text": "actual_text",
    "target_op": "target_op",
    "target_value": "target_value",
    "target_unit": "target_unit",
    "actual_value": "actual_value",
    "actual_unit": "actual_unit",
    "weight": "weight",
    "score": "score",
    "deviation_note": "deviation_note",
}


def same(found, expected) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return found is not None and Decimal(str(found)) == Decimal(str(expected))
    return found == expected


def one(build, sql, params):
    rows = build.query(sql, params)
    assert len(rows) == 1, (sql, params, rows)
    return rows[0]


def test_marts_reproduce_every_non_null_gold_field(sample_build, gold):
    compared, errors = 0, []
    for document in gold:
        for ordinal, report in enumerate(document["reports"], start=1):
            where = f"{document['file']} #{ordinal}"
            row = one(
                sample_build,
                f"select report_id, doc_kind, town, fiscal_year, {', '.join(REPORT_FIELDS)} "
                "from marts.dim_report where source_file = ? and report_ordinal = ?",
                [document["file"], ordinal],
            )
            report_id, found = (
                row[0],
                dict(zip(["doc_kind", "town", "fiscal_year", *REPORT_FIELDS], row[1:], strict=True)),
            )
            expected = {k: document[k] for k in ("doc_kind", "town", "fiscal_year")}
            expected |= {k: report[k] for k in REPORT_FIELDS if k in report}
            for key, value in expected.items():
                if value is not None:
                    compared += 1
                    if not same(found[key], value):
                        errors.append(f"{where} {key}: {found[key]!r} != {value!r}")
            weights = dict(
                sample_build.query(
                    "select level1, level1_weight from marts.fct_indicator_group where report_id = ?", [report_id]
                )
            )
            for level1, weight in (report.get("level1_weights") or {}).items():
                compared += 1
                if not same(weights.get(level1), weight):
                    errors.append(f"{where} 权重 {level1}: {weights.get(level1)} != {weight}")
            for line in report["fund_lines"]:
                row = one(
                    sample_build,
                    f"select {', '.join(FUND_FIELDS.values())} from marts.fct_budget_execution "
                    "where report_id = ? and fund_line = ?",
                    [report_id, line["fund_line"]],
                )
                for (key, column), value in zip(FUND_FIELDS.items(), row, strict=True):
                    if line[key] is not None:
                        compared += 1
                        if not same(value, line[key]):
                            errors.append(f"{where} {line['fund_line']} {column}: {value!r} != {line[key]!r}")
            rows = sample_build.query(
                f"select {', '.join(INDICATOR_FIELDS.values())} from marts.fct_indicator_outcome "
                "where report_id = ? order by indicator_seq",
                [report_id],
            )
            assert len(rows) == len(report["indicators"]), where
            for seq, (row, indicator) in enumerate(zip(rows, report["indicators"], strict=True), start=1):
                for (key, column), value in zip(INDICATOR_FIELDS.items(), row, strict=True):
                    if indicator[key] is not None:
                        compared += 1
                        if not same(value, indicator[key]):
                            errors.append(f"{where} indicator {seq} {column}: {value!r} != {indicator[key]!r}")
    assert errors == []
    assert compared > 1700  # every non-null field of the gold files, not a sample of them


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
