"""Amounts printed as — in real reports: the town totals say what they miss, the catalog reports it,
and ops.ingest_issues names the cell. The sample corpus with two rows changed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import SAMPLE_REPORTS, run_build

pytestmark = pytest.mark.build

PUJIN = "001_d843cb21d2372b47.txt"  # 浦锦街道's department table (元)
PUJIN_ROW = "\t资金来源：（1）财政拨款\t\t8,278,261.03\t8,275,824.74\t\t99.97"
ZHUANQIAO = "002_9036fe76fdcdc1b3.txt"  # 颛桥镇's project tables (万元); 城运管理 is the second
ZHUANQIAO_ROW = "\t年度资金总额:\t183.79\t179.42\t179.42\t10.00\t100.00\t10.00"


@pytest.fixture(scope="module")
def dashed(tmp_path_factory):
    reports = tmp_path_factory.mktemp("dashed")
    for path in SAMPLE_REPORTS.iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name == PUJIN:
            assert text.count(PUJIN_ROW) == 1
            text = text.replace(PUJIN_ROW, "\t资金来源：（1）财政拨款\t\t—\t—\t\t—")
        if path.name == ZHUANQIAO:
            assert text.count(ZHUANQIAO_ROW) == 1
            text = text.replace(ZHUANQIAO_ROW, "\t年度资金总额:\t—\t—\t—\t10.00\t—\t10.00")
        (reports / path.name).write_text(text, encoding="utf-8")
    run = run_build(reports, reports.parent / "dashed.duckdb")
    assert run.exit_code == 0, run.stdout + run.stderr
    return run


SUMMARY = (
    "select budget_yuan, departments_with_budget, departments_without_budget, project_budget_yuan, "
    "project_reports, project_reports_without_budget, fund_lines, fund_lines_missing_amount "
    "from marts.town_year_summary where town = ? and fiscal_year = ?"
)


def test_pujin_department_budget_is_read_from_its_complete_lines(dashed, sample_build):
    """资金来源 lacks its 财政拨款 amounts; 资金结构 (3,444,197.01 + 4,834,064.02) still gives the budget."""
    before = sample_build.query(SUMMARY, ["浦锦街道", 2023])
    after = dashed.query(SUMMARY, ["浦锦街道", 2023])
    assert before == [(Decimal("8278261.03"), 1, 0, None, 0, 0, 4, 0)]
    assert after == [(Decimal("8278261.03"), 1, 0, None, 0, 0, 4, 1)]


def test_zhuanqiao_project_total_says_one_project_is_missing(dashed, sample_build):
    """179.42 万元 of 城运管理 printed as —: the sum covers 7 of the 8 projects, and says so."""
    before = sample_build.query(SUMMARY, ["颛桥镇", 2024])
    after = dashed.query(SUMMARY, ["颛桥镇", 2024])
    assert before[0][3:6] == (Decimal("41884800.00"), 8, 0)
    assert after[0][3:6] == (Decimal("40090600.00"), 8, 1)
    assert after[0][7] == before[0][7] + 1  # the 年度资金总额 line of 城运管理


def test_missing_amounts_are_issues_naming_the_cell(dashed):
    issues = dashed.query(
        "select source_file, line_no, message from ops.ingest_issues where issue_code = 'value_missing' "
        "order by source_file, message"
    )
    assert issues == [
        (PUJIN, 7, "资金来源：（1）财政拨款 全年执行数: printed '—', no value: left NULL"),
        (PUJIN, 7, "资金来源：（1）财政拨款 全年预算数: printed '—', no value: left NULL"),
        (PUJIN, 7, "资金来源：（1）财政拨款 执行率: printed '—', no value: left NULL"),
        (ZHUANQIAO, 34, "年度资金总额: 全年执行数: printed '—', no value: left NULL"),
        (ZHUANQIAO, 34, "年度资金总额: 全年预算数: printed '—', no value: left NULL"),
        (ZHUANQIAO, 34, "年度资金总额: 年初预算数: printed '—', no value: left NULL"),
        (ZHUANQIAO, 34, "年度资金总额: 执行率: printed '—', no value: left NULL"),
    ]


def test_the_catalog_reports_each_missing_amount(dashed):
    findings = dashed.query(
        "select source_file, fund_line, detail, observed from marts.dq_finding where rule_id = 'B6' order by all"
    )
    assert findings == [
        (PUJIN, "fiscal_appropriation", "adjusted_budget_yuan", "—"),
        (PUJIN, "fiscal_appropriation", "executed_yuan", "—"),
        (ZHUANQIAO, "total", "adjusted_budget_yuan", "—"),
        (ZHUANQIAO, "total", "executed_yuan", "—"),
        (ZHUANQIAO, "total", "initial_budget_yuan", "—"),
    ]
    fund_line = dashed.query(
        "select adjusted_budget_text, adjusted_budget_yuan from marts.fct_budget_execution "
        "where town = ? and fund_line = 'fiscal_appropriation'",
        ["浦锦街道"],
    )
    assert fund_line == [("—", None)]
