"""The 项目支出绩效自评表 as other provinces print it: headings are vocabulary (seeds/reference/column_headings.csv).

Each real report kept in tests/fixtures/variants/ reproduces its hand-made gold; the small tables
below are hand-made cases of one heading variant each."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest

from ingest.indicator_table import IndicatorLayout
from ingest.parse import parse_document
from ingest.text import split_rows
from ingest.vocabulary import REFERENCE_SEEDS, load_vocabulary
from tests.conftest import FIXTURES
from tests.ingest.test_gold import mismatches

VARIANTS = FIXTURES / "variants"
GOLD = sorted(VARIANTS.glob("*.json"))


@pytest.mark.parametrize("path", GOLD, ids=[p.stem for p in GOLD])
def test_published_variant_reproduces_its_gold(path):
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (VARIANTS / gold["file"]).read_text(encoding="utf-8")
    assert mismatches(parse_document(text, load_vocabulary()), gold) == []


def test_every_variant_fixture_has_its_gold():
    assert {p.stem for p in VARIANTS.glob("*.txt")} == {p.stem for p in GOLD}


def _layout(header: str, vocab=None) -> IndicatorLayout | None:
    return IndicatorLayout.from_header(split_rows(header.replace("|", "\t"))[0], vocab or load_vocabulary())


def test_weight_heading_is_the_indicator_weight_where_no_score_weight_is_printed():
    layout = _layout("一级指标|二级指标|三级指标|指标值|完成值|权重|得分|未完成原因分析")
    assert (layout.target, layout.actual, layout.weight, layout.score, layout.note) == (3, 4, 5, 6, 7)
    assert layout.level1_weight is None


def test_weight_heading_next_to_score_weight_is_the_level1_weight():
    layout = _layout("一级指标|权重|二级指标|三级指标|年度指标值|全年完成值|分值|得分|偏差及原因分析")
    assert (layout.level1_weight, layout.weight) == (1, 6)


def test_two_weight_headings_are_the_level1_weight_and_the_indicator_weight():
    layout = _layout("一级指标|权重|二级指标|三级指标|指标值|完成值|权重|得分")
    assert (layout.level1_weight, layout.weight) == (1, 6)


def test_target_split_into_comparator_value_and_unit():
    header = "项目资金(万元)||年初预算数|调整后预算数|预算执行数|分值|执行率|得分"
    text = "\n".join(
        [
            "项目支出绩效自评表",
            "（2023年度）",
            "项目名称||示例项目",
            header,
            "|年度资金总额|10.00|12.00|11.00|10|91.67|9",
            "一级指标|二级指标|三级指标|指标性质|指标值|度量单位|完成值|权重|得分|未完成原因分析",
            "产出指标|数量指标|培训人次|≥|50|人次|56|40|40|",
            "效益指标|社会效益指标|群众知晓度|定性|提高||达成|50|45|宣传不足",
            "总分|||||||100|94|",
            "评分等级|优",
        ]
    )
    (report,) = parse_document(text.replace("|", "\t"), load_vocabulary()).reports
    (line,) = report.fund_lines
    assert (line.adjusted_budget_yuan, line.executed_yuan) == (Decimal("120000.00"), Decimal("110000.00"))
    first, second = report.indicators
    assert (first.name, first.target_text, first.target_op, first.target_value, first.target_unit) == (
        "培训人次",
        "≥50(人次)",
        ">=",
        Decimal("50"),
        "人次",
    )
    assert (first.actual_text, first.actual_value, first.actual_unit) == ("56", Decimal("56"), "人次")
    assert (first.weight, first.score) == (Decimal("40"), Decimal("40"))
    assert (second.target_text, second.target_value, second.weight, second.score) == ("提高", None, 50, 45)
    assert second.deviation_note == "宣传不足"


def test_a_note_mentioning_a_fund_line_is_not_one():
    text = "\n".join(
        [
            "部门预算项目支出绩效自评表(2023年度)",
            "项目名称|示例项目",
            "预算执行情况(10分)|年度预算数(万元)|年初预算|调整后预算数|预算执行数|预算执行率|权重|得分|原因",
            "总额|1.00|2.00|2.00|100.00%|10|10|说明:其他资金包括社会投入资金、银行贷款等各类资金来源",
            "绩效指标(90分)|一级指标|二级指标|三级指标|指标性质|指标值|度量单位|完成值|权重|得分|未完成原因分析",
            "产出指标|数量指标|覆盖率|=|100|%|100|90|90|",
            "合计|100|||",
            "评价结论|完成",
        ]
    )
    (report,) = parse_document(text.replace("|", "\t"), load_vocabulary()).reports
    assert [line.fund_line for line in report.fund_lines] == ["total"]
    assert report.fiscal_year == 2023
    assert report.grade is None  # the template prints no 评分等级
    (indicator,) = report.indicators
    assert (indicator.level1, indicator.name, indicator.weight, indicator.score) == ("产出指标", "覆盖率", 90, 90)


def test_headings_are_read_from_the_seed(tmp_path):
    seeds = tmp_path / "reference"
    shutil.copytree(REFERENCE_SEEDS, seeds)
    header = "一级指标|二级指标|三级指标|年度指标值|考核实绩|分值|得分"
    assert _layout(header) is None
    with open(seeds / "column_headings.csv", "a", encoding="utf-8") as f:
        f.write("indicator,actual,考核实绩,1,hand-made case\n")
    assert _layout(header, load_vocabulary(seeds)).actual == 4


def test_published_variant_records_what_it_could_not_read():
    text = (VARIANTS / "sichuan_qingshen_2023_cell_lines.txt").read_text(encoding="utf-8")
    codes = {issue.code for issue in parse_document(text, load_vocabulary()).issues}
    assert {"total_ambiguous", "scores_missing"} <= codes  # 合计 100 spans two columns; 得分 left blank
    assert "cells_ignored" in codes  # 财政专户管理资金 and 单位资金 have no fund-line code
