"""Placeholders are values, not silence: a cell that prints no value where one is expected keeps its
printed text, is NULL, and is recorded with its line and cell. Hand-made cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.numbers import is_placeholder
from ingest.parse import parse_document
from ingest.vocabulary import load_vocabulary
from tests.conftest import SAMPLE_REPORTS
from tests.quality.reports import PROJECT_INDICATORS, Fund, ProjectTable, replace

PLACEHOLDERS = ["—", "——", "-", "/", "无", "N/A", "－", "n/a"]
DEPT = (SAMPLE_REPORTS / "001_d843cb21d2372b47.txt").read_text(encoding="utf-8")
DEPT_APPROPRIATION = "\t资金来源：（1）财政拨款\t\t8,278,261.03\t8,275,824.74\t\t99.97"


def parse(text: str):
    return parse_document(text, load_vocabulary())


def missing(document) -> list[tuple[int, str]]:
    return [(i.line_no, i.message) for i in document.issues if i.code == "value_missing"]


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_what_counts_as_a_placeholder(text):
    assert is_placeholder(text) and is_placeholder(f" {text} ")


@pytest.mark.parametrize("text", ["", None, "0", "0.00", "-5", "无效", "—5", "100%"])
def test_what_does_not(text):
    assert not is_placeholder(text)


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_project_amount_printed_as_a_placeholder(placeholder):
    table = ProjectTable("城运管理", total=Fund(adjusted=placeholder), appropriation=Fund())
    document = parse(table.text())
    (report,) = document.reports
    total = next(f for f in report.fund_lines if f.fund_line == "total")
    assert (total.adjusted_budget_text, total.adjusted_budget_yuan) == (placeholder, None)
    assert (total.initial_budget_yuan, total.executed_yuan) == (Decimal("1000000.00"), Decimal("1000000.00"))
    # line 10 of the rendered table is the 年度资金总额 row
    assert missing(document) == [(10, f"年度资金总额: 全年预算数: printed '{placeholder}', no value: left NULL")]


def test_every_amount_of_a_line_printed_as_a_dash():
    document = parse(ProjectTable("城运管理", total=Fund("—", "—", "—", "—"), appropriation=Fund()).text())
    total = next(f for f in document.reports[0].fund_lines if f.fund_line == "total")
    assert (total.initial_budget_text, total.adjusted_budget_text, total.executed_text, total.rate_text) == (
        "—",
        "—",
        "—",
        "—",
    )
    assert (total.initial_budget_yuan, total.adjusted_budget_yuan, total.executed_yuan) == (None, None, None)
    assert total.execution_rate_pct is None
    assert [m.split(":")[1].strip() for _, m in missing(document)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "执行率",
    ]


def test_department_row_printed_with_dashes():
    text = DEPT.replace(DEPT_APPROPRIATION, "\t资金来源：（1）财政拨款\t\t—\t—\t\t—")
    document = parse(text)
    line = next(f for f in document.reports[0].fund_lines if f.fund_line == "fiscal_appropriation")
    assert (line.adjusted_budget_text, line.adjusted_budget_yuan, line.executed_yuan) == ("—", None, None)
    assert [n for n, _ in missing(document)] == [7, 7, 7]  # the 财政拨款 row
    assert "财政拨款 全年执行数: printed '—'" in missing(document)[1][1]


def test_department_row_with_an_empty_cell_keeps_the_cells_it_has():
    text = DEPT.replace(DEPT_APPROPRIATION, "\t资金来源：（1）财政拨款\t\t8,278,261.03\t\t\t99.97")
    document = parse(text)
    line = next(f for f in document.reports[0].fund_lines if f.fund_line == "fiscal_appropriation")
    assert line.adjusted_budget_yuan == Decimal("8278261.03")
    assert (line.executed_text, line.executed_yuan) == (None, None)
    assert line.execution_rate_pct == Decimal("99.97")
    assert missing(document) == [(7, "资金来源：（1）财政拨款 全年执行数: empty, no value: left NULL")]


def test_indicator_points_printed_as_placeholders():
    indicators = replace(PROJECT_INDICATORS, 1, weight="—", score="/")
    document = parse(ProjectTable("城运管理", indicators=indicators, total_weight="80.00").text())
    indicator = document.reports[0].indicators[1]
    assert (indicator.weight_text, indicator.weight, indicator.score_text, indicator.score) == ("—", None, "/", None)
    assert [m for _, m in missing(document)] == [
        "分值 of '验收合格率': printed '—', no value: left NULL",
        "得分 of '验收合格率': printed '/', no value: left NULL",
    ]


def test_budget_execution_points_printed_as_a_placeholder():
    text = ProjectTable("城运管理").text().replace("\t10.00\t100.00\t10.00", "\t—\t100.00\t10.00", 1)
    document = parse(text)
    report = document.reports[0]
    assert (report.budget_execution_weight, report.budget_execution_score) == (None, Decimal("10.00"))
    assert missing(document) == [(10, "年度资金总额: 分数: printed '—', no value: left NULL")]


def test_dash_in_the_score_columns_of_the_other_lines_is_the_template():
    """Project tables print '-' as 分数 / 得分 of every line but the total: not a missing value."""
    document = parse(ProjectTable("城运管理").text())
    assert missing(document) == []
    assert (document.reports[0].budget_execution_weight, document.reports[0].budget_execution_score) == (
        Decimal("10.00"),
        Decimal("10.00"),
    )
