"""Prose reports are read as sentences: however an extractor wraps the lines, the figures stay with their fund line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bench.variants import DEFAULT_WRAP_WIDTHS, rewrap
from ingest.parse import parse_document
from ingest.vocabulary import load_vocabulary
from tests.conftest import SAMPLE_REPORTS, load_gold
from tests.ingest.test_gold import mismatches

PROSE = [g for g in load_gold() if g["doc_kind"] == "dept_narrative"]
REPORT_004 = "004_0d66015b16f43f2b.txt"


def _parse(text: str):
    return parse_document(text, load_vocabulary())


def test_amount_wrapped_away_from_its_label_stays_with_its_fund_line():
    """The line break between 调整后预算数 and 181.77 万元 once made 181.77 万 the executed amount of `total`."""
    text = (SAMPLE_REPORTS / REPORT_004).read_text(encoding="utf-8")
    wrapped = text.replace(
        "政府性基金预算财政拨款收入调整后预算数 181.77 万元", "政府性基金预算财政拨款收入调整后预算数\n181.77 万元"
    )
    assert wrapped != text
    document = _parse(wrapped)
    lines = {line.fund_line: line for line in document.reports[0].fund_lines}
    assert set(lines) == {"general_public_budget", "government_fund_budget"}
    fund = lines["government_fund_budget"]
    assert (fund.adjusted_budget_yuan, fund.executed_yuan) == (Decimal("1817700.00"), Decimal("1817700.00"))
    gold = next(g for g in PROSE if g["file"] == REPORT_004)
    assert mismatches(document, gold) == []


def test_figure_keeps_the_line_it_starts_on():
    text = (SAMPLE_REPORTS / REPORT_004).read_text(encoding="utf-8")
    wrapped = text.replace("调整后预算数 181.77 万元", "调整后预算数\n181.77 万元")
    first = next(n for n, line in enumerate(wrapped.split("\n"), start=1) if line.startswith("181.77"))
    lines = {line.fund_line: line for line in _parse(wrapped).reports[0].fund_lines}
    assert lines["government_fund_budget"].line_no == first


@pytest.mark.parametrize("width", DEFAULT_WRAP_WIDTHS)
@pytest.mark.parametrize("gold", PROSE, ids=[g["file"] for g in PROSE])
def test_rewrapped_prose_reproduces_the_gold(gold, width):
    text = rewrap((SAMPLE_REPORTS / gold["file"]).read_text(encoding="utf-8"), width)
    assert mismatches(_parse(text), gold) == []


PROSE_HEAD = """2024 年上海市闵行区某某镇人民政府（本级）

单位整体支出预算绩效自评报告

一、部门概况

（五）当年部门(单位)预算及执行情况

{body}

二、整体支出绩效实现情况
"""


def test_figure_in_a_sentence_naming_no_fund_line_is_left_out_with_an_issue():
    body = "其中基本支出年度预算 711.68 万元，执行金额为 690.65 万元。执行金额为 600.00 万元。"
    document = _parse(PROSE_HEAD.format(body=body))
    lines = {line.fund_line: line for line in document.reports[0].fund_lines}
    assert set(lines) == {"basic_expenditure"}
    assert lines["basic_expenditure"].executed_yuan == Decimal("6906500.00")
    assert [i.code for i in document.issues if i.code == "figure_unassigned"] == ["figure_unassigned"]


def test_sentence_about_the_whole_unit_gives_the_total():
    body = "2024年部门全年预算金额为 5,650.61 万元，预算执行金额为 5,587.07 万元，整体预算执行率为 98.88%。"
    (line,) = _parse(PROSE_HEAD.format(body=body)).reports[0].fund_lines
    assert line.fund_line == "total"
    assert (line.adjusted_budget_yuan, line.executed_yuan) == (Decimal("56506100.00"), Decimal("55870700.00"))
    assert line.execution_rate_pct == Decimal("98.88")


def test_page_footer_inside_a_sentence_is_not_a_figure():
    body = "一般公共预算调整后预算数\n- 3 -\n181.77 万元，决算数 181.77 万，执行率 100%。"
    (line,) = _parse(PROSE_HEAD.format(body=body)).reports[0].fund_lines
    assert line.fund_line == "general_public_budget"
    assert line.adjusted_budget_yuan == Decimal("1817700.00")


def test_whole_unit_named_after_a_fund_line_takes_the_figure_back():
    body = "项目支出预算金额 4938.91 万元，整体预算执行金额为 5,587.07 万元，整体预算执行率为 98.88%。"
    lines = {line.fund_line: line for line in _parse(PROSE_HEAD.format(body=body)).reports[0].fund_lines}
    assert lines["project_expenditure"].adjusted_budget_yuan == Decimal("49389100.00")
    assert lines["project_expenditure"].executed_yuan is None
    assert lines["total"].executed_yuan == Decimal("55870700.00")


def test_full_year_budget_of_a_fund_line_stays_with_it():
    body = "其中项目支出全年预算 4938.91 万元，执行金额为 4896.42 万元。"
    (line,) = _parse(PROSE_HEAD.format(body=body)).reports[0].fund_lines
    assert (line.fund_line, line.adjusted_budget_yuan) == ("project_expenditure", Decimal("49389100.00"))
