"""The five samples rendered as PDF (reportlab, from the sample layout) and their text extracted
with real extractors, pdfplumber's text output and ``pdftotext -layout``, reproduce the gold's
non-null fields without one wrong value (bench.accuracy.score, both ways: a value where the gold is
null is wrong too): a value whose column or row is not certain is left NULL with a parse issue.

Each extractor's text reproduces at least 96% of the fields (96.46% with pdfplumber, 96.68% with
pdftotext). The rest are left NULL: the 一级 / 二级 labels of rows under labels whose blocks of
rows no cut of the table fits or more than one does (most of them in one project table of report
002, whose wrapped names shift its lines), names or targets wrapped beside another wrapped cell
at a width other than the name column's, and notes wrapped beside a name."""

from __future__ import annotations

import shutil
from functools import cache

import pytest

from bench.accuracy import Accuracy, score
from ingest import formats, readers
from ingest.layouts import read_text
from ingest.parse import parse_rows
from ingest.vocabulary import load_vocabulary
from tests.conftest import SAMPLE_REPORTS, load_gold
from tests.support import extract, render

DEFAULT_MIN_SHARE = 0.96  # of the non-null gold fields, per extractor: see the module docstring
GOLD_FIELDS = 1778  # non-null fields of the five samples' gold


@cache
def _pdfs() -> dict[str, bytes]:
    return {g["file"]: render.to_pdf((SAMPLE_REPORTS / g["file"]).read_text(encoding="utf-8")) for g in load_gold()}


def _score(extractor: str) -> Accuracy:
    total = Accuracy()
    vocabulary = load_vocabulary()
    for gold in load_gold():
        data = extract.EXTRACTORS[extractor](_pdfs()[gold["file"]]).encode("utf-8")
        total.add(score(parse_rows(readers.read(formats.detect(data), data, gold["file"]), vocabulary), gold))
    return total


@pytest.mark.parametrize("extractor", sorted(extract.EXTRACTORS))
def test_extracted_text_reproduces_the_gold(extractor):
    if extractor == "pdftotext" and shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: run make system-deps (poppler-utils)")
    result = _score(extractor)
    print(f"\n{extractor}: {result.summary()}")
    assert result.wrong == 0, result.examples[: result.wrong]  # not one wrong value
    assert result.values == GOLD_FIELDS
    assert result.value_share >= DEFAULT_MIN_SHARE, f"{extractor}: {result.summary()}"


def test_values_of_uncertain_columns_are_recorded():
    """Where the extractor's text leaves a cell's column open, an issue says which line and why."""
    vocabulary = load_vocabulary()
    text = extract.pdfplumber_text(_pdfs()["001_d843cb21d2372b47.txt"])
    layout = read_text(text, vocabulary)
    assert layout.layout == "wrapped"
    lines = text.split("\n")
    ambiguous = [i for i in layout.issues if i.code in ("cells_ambiguous", "cell_wrapped", "name_wrapped")]
    assert ambiguous, "the text has wrapped cells whose column is not certain"
    for issue in ambiguous:
        assert issue.line_no is not None and lines[issue.line_no - 1].strip()
        assert "NULL" in issue.message


# A project table as pdfplumber prints it, in pieces the hand-made tables below put together.
PROJECT_TITLE = [
    "财政项目支出绩效自评表",
    "(2024年度)",
    "项目名称 测试项目",
    "主管部门 某镇人民政府 实施单位 某中心",
]
PROJECT_BUDGET = [
    "年初预算数 全年预算数 全年执行数 分数 执行率(%) 得分",
    "年度资金总额: 10.00 8.00 8.00 10.00 100.00 10.00",
    "项目资金 (万",
    "元) 其中: 当年财政拨款 10.00 8.00 8.00 - 100.00 -",
]
PROJECT_GOALS = [
    "预期目标 实际完成情况",
    "年度总体目标",
    "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施",
]
PROJECT_HEAD = [*PROJECT_TITLE, *PROJECT_BUDGET, *PROJECT_GOALS]


def _parse(lines: list[str]):
    """The one report of a hand-made text, read as extracted text; and the issues met laying it out."""
    vocabulary = load_vocabulary()
    layout = read_text("\n".join(lines), vocabulary)
    (report,) = parse_rows(layout.rows, vocabulary).reports
    return report, layout.issues


def test_wrapped_budget_and_indicator_rows_by_hand():
    """A hand-made table as pdfplumber prints it: cells one space apart, the budget table's label on
    lines of its own, a name wrapped around its row, a merged 一级 label between rows."""
    report, _ = _parse(
        [
            *PROJECT_TITLE,
            *PROJECT_BUDGET,
            "上年结转资金 0.00 0.00 0.00 - 0.00 -",
            "其他资金 0.00 0.00",  # two values for six columns: left NULL
            *PROJECT_GOALS,
            "数量指标 拨款笔数 =1.00(笔) 1.00(笔) 40.00 40.00",
            "产出指标 巡查、整治工作完成",
            "质量指标 =100.00(%) 100.00(%) 30.00 30.00",
            "率",
            "满意度指标 服务对象满意度指标 服务满意度 提升 达成指标 20.00 20.00",
            "总分 90.00 90.00",
            "评分等级 优",
        ]
    )
    lines = {f.fund_line: f for f in report.fund_lines}
    assert report.amount_unit == "万元"
    assert lines["total"].adjusted_budget_yuan == 80000
    assert lines["fiscal_appropriation"].initial_budget_yuan == 100000
    assert lines["other_funds"].executed_yuan is None  # its columns are not certain
    assert report.budget_execution_weight == 10
    names = [(i.level2, i.name, i.target_text, i.weight) for i in report.indicators]
    assert names == [
        ("数量指标", "拨款笔数", "=1.00(笔)", 40),
        ("质量指标", "巡查、整治工作完成率", "=100.00(%)", 30),
        ("服务对象满意度指标", "服务满意度", "提升", 20),
    ]
    assert (report.total_weight, report.total_score, report.grade) == (90, 90, "优")


def _indicators(lines: list[str]):
    report, issues = _parse([*PROJECT_HEAD, *lines, "总分 100.00 100.00", "评分等级 优"])
    return report.indicators, issues


def test_a_text_beside_the_actual_is_the_target_where_the_wrapped_lines_fill_the_name_column():
    """Two rows wrap their names at 8 characters; a row whose line holds one text and its actual,
    its wrapped lines 8 characters wide, wraps its name: the text is its target. Lines of another
    width may be the target's: that row's name and target stay NULL, with an issue."""
    indicators, issues = _indicators(
        [
            "巡查整治工作考核",
            "=100.00(%) 100.00(%) 30.00 30.00",
            "达标率",
            "设备维护工作考核",
            "=100.00(%) 100.00(%) 30.00 30.00",
            "通过率",
            "绿化设施养护完成",
            "及时 达成指标 20.00 20.00",
            "及时性",
            "考核机制",
            "健全 达成指标 20.00 20.00",
            "健全性",
        ]
    )
    read = [(i.name, i.target_text, i.actual_text, i.weight) for i in indicators]
    assert read == [
        ("巡查整治工作考核达标率", "=100.00(%)", "100.00(%)", 30),
        ("设备维护工作考核通过率", "=100.00(%)", "100.00(%)", 30),
        ("绿化设施养护完成及时性", "及时", "达成指标", 20),
        (None, None, "达成指标", 20),
    ]
    (ambiguous,) = [i for i in issues if i.code == "cells_ambiguous"]
    assert ambiguous.line_no == len(PROJECT_HEAD) + 11 and "NULL" in ambiguous.message


def test_the_name_column_width_needs_two_wrapped_names_that_show_it():
    indicators, _ = _indicators(
        [
            "巡查整治工作考核",
            "=100.00(%) 100.00(%) 50.00 50.00",
            "达标率",
            "绿化设施养护完成",
            "及时 达成指标 50.00 50.00",
            "及时性",
        ]
    )
    assert [(i.name, i.target_text) for i in indicators] == [("巡查整治工作考核达标率", "=100.00(%)"), (None, None)]


def test_a_label_between_rows_takes_the_rows_up_to_the_next_label():
    """时效指标 heads its rows (printed once, on its first row's line); 社会效益指标, merged, stands
    between rows 3 and 4; 服务对象满意度指标 is wrapped around the last row. The rows of 社会效益指标
    run up to the last row's label and it stands in their middle, so they are rows 2 to 5 and the
    row above them carries 时效指标."""
    indicators, _ = _indicators(
        [
            "时效指标 资料报送及时性 及时 达成指标 10.00 10.00",
            "设施维修及时性 及时 达成指标 10.00 10.00",
            "广告管理规范性 规范 达成指标 10.00 10.00",
            "重大事故发生情况 0发生 达成指标 10.00 10.00",
            "社会效益指",
            "标",
            "生态文明环境 提升 达成指标 10.00 10.00",
            "基层治理水平 提升 达成指标 10.00 10.00",
            "服务对象满意",
            "社区居民满意度 =90.00(%) 90.00(%) 40.00 40.00",
            "度指标",
        ]
    )
    assert [(i.level2, i.name) for i in indicators] == [
        ("时效指标", "资料报送及时性"),
        ("时效指标", "设施维修及时性"),
        ("社会效益指标", "广告管理规范性"),
        ("社会效益指标", "重大事故发生情况"),
        ("社会效益指标", "生态文明环境"),
        ("社会效益指标", "基层治理水平"),
        ("服务对象满意度指标", "社区居民满意度"),
    ]
    assert [i.level1 for i in indicators] == ["产出指标"] * 2 + ["效益指标"] * 4 + ["满意度指标"]


def test_rows_that_two_cuts_of_the_labels_put_under_different_labels_stay_null():
    """社会效益指标 is the last label: its rows end at the last row, or in the total row where a
    merged cell runs into it. Centred, it takes rows 3 to 8 in the one cut and rows 2 to 8 and the
    total row in the other: row 2 may be either label's, NULL; the rows every cut gives it are its own."""
    row = "{} 提升 达成指标 12.50 12.50".format
    indicators, _ = _indicators(
        [
            "时效指标 资料报送及时性 及时 达成指标 12.50 12.50",
            *map(row, ("设施维修及时性", "广告管理规范性", "重大事故发生情况", "生态文明环境")),
            "社会效益指标",
            *map(row, ("基层治理水平", "投诉处置及时性", "市容市貌提升")),
        ]
    )
    assert [i.level2 for i in indicators] == ["时效指标", None] + ["社会效益指标"] * 6


DEPT_HEAD = ["《部门（单位）整体支出绩效自评表》", "(2023年度)"]
DEPT_BUDGET = [
    "全年预算数 全年执行数 执行率",
    "资金来源：（1）财政拨款 100.00 90.00 90.00",
    "整体支出规模",
    "（2）其他资金 0.00 0.00 0.00",
    "（元）",
    "年初设定目标 全年完成情况",
    "一级指标 权重 二级指标 三级指标 年度指标值 全年完成值 分值 得分 偏差及原因分析",
    "数量指标 巡查次数 =1.00(次) 1.00(次) 100.00 100.00",
    "总分 100.00 100.00",
]


def _dept_report(head: list[str]):
    return _parse([*DEPT_HEAD, *head, *DEPT_BUDGET])


def test_a_unit_label_and_name_wrapped_in_their_cells():
    """ "部门（单位）名称" wraps over two lines with the 下属单位个数 cell between them, and the name
    wraps onto the line before the budget table's header."""
    report, _ = _dept_report(["部门（单位）", "下属单位个数", "名称 上海市闵行区浦锦街道城市运行", "管理中心"])
    assert report.unit_name == "上海市闵行区浦锦街道城市运行管理中心"
    assert report.town == "浦锦街道"


def test_a_unit_name_whose_end_is_not_known_stays_null():
    """Text of several words after the name's line: the name may go on there, or not."""
    report, issues = _dept_report(["单位名称 上海市闵行区浦锦街道城市运行", "管理中心 下属单位个数 3"])
    assert report.unit_name is None
    (issue,) = [i for i in issues if i.code == "unit_name_wrapped"]
    assert issue.line_no == len(DEPT_HEAD) + 1 and "NULL" in issue.message
    report, _ = _dept_report(["单位名称 上海市闵行区浦锦街道城市运行管理中心", "下属单位个数 3"])
    assert report.unit_name == "上海市闵行区浦锦街道城市运行管理中心"  # a head cell follows: the name ended
