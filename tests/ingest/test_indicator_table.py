"""Layout quirks of indicator tables, one hand-made table each.

Tables are written as rows of cells ("|" separates cells) in the project layout:
一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因.
"""

from decimal import Decimal

from ingest.indicator_table import IndicatorLayout, parse_indicator_table
from ingest.model import IssueLog
from ingest.text import split_rows
from ingest.vocabulary import load_vocabulary

HEADER = "一级指标|二级指标|三级指标|年度指标值|实际完成值|分值|得分|偏差原因分析及改进措施"
DEPT_HEADER = "一级指标|权重|二级指标|三级指标|年度指标值|全年完成值|分值|得分|偏差及原因分析"


def parse(*lines: str, header: str = HEADER):
    rows = split_rows("\n".join(line.replace("|", "\t") for line in (header, *lines)))
    issues = IssueLog()
    table = parse_indicator_table(
        rows, 1, IndicatorLayout.from_header(rows[0], load_vocabulary()), load_vocabulary(), issues
    )
    return table, issues


def levels(table):
    return [(i.name, i.level1, i.level2) for i in table.indicators]


def codes(issues):
    return [(i.line_no, i.code) for i in issues]


def test_aligned_rows_carry_their_labels_down():
    table, issues = parse(
        "产出指标|数量指标|拨款笔数|=1.00(笔)|1.00(笔)|10.00|10.00|",
        "||按时拨付|=100.00(%)|100.00(%)|10.00|10.00|",
        "满意度指标|服务对象满意度指标|群众满意度|≥90.00(%)|95.00(%)|20.00|20.00|",
        "总分|||||40.00|40.00|",
    )
    assert levels(table) == [
        ("拨款笔数", "产出指标", "数量指标"),
        ("按时拨付", "产出指标", "数量指标"),
        ("群众满意度", "满意度指标", "服务对象满意度指标"),
    ]
    assert table.indicators[2].target_op == ">=" and table.indicators[2].actual_value == Decimal("95.00")
    assert table.total_row is not None and issues == []


def test_missing_level1_is_repaired_from_level2():
    table, issues = parse(
        "|质量指标|验收合格率|=100.00(%)|100.00(%)|10.00|10.00|",
        "总分|||||10.00|10.00|",
    )
    assert levels(table) == [("验收合格率", "产出指标", "质量指标")]
    assert codes(issues) == [(2, "level1_repaired")]


def test_level2_printed_in_the_level1_column_is_recognised():
    table, _ = parse(
        "产出指标|数量指标|拨款笔数|=1.00(笔)|1.00(笔)|10.00|10.00|",
        "社会效益指标|居民幸福指数|有效提升|达成指标|10.00|10.00||",
        "总分|||||20.00|20.00|",
    )
    assert levels(table)[1] == ("居民幸福指数", "效益指标", "社会效益指标")
    assert table.indicators[1].weight == Decimal("10.00")


def test_label_wrapped_across_rows_is_joined():
    table, issues = parse(
        "产出指标|质量|履约达标率|=100.00(%)|100.00(%)|10.00|10.00|",
        "",
        "|指标||||||",
        "|时效指标|完成及时率|=100.00(%)|100.00(%)|10.00|10.00|",
        "总分|||||20.00|20.00|",
    )
    assert levels(table) == [("履约达标率", "产出指标", "质量指标"), ("完成及时率", "产出指标", "时效指标")]
    assert (4, "label_continued") in codes(issues)


def test_label_with_spaces_inside_is_recognised():
    table, _ = parse(
        "效益 指标|可持 续影 响指 标|长效机制健全性|健全|达成指标|10.00|10.00|",
        "总分|||||10.00|10.00|",
    )
    assert levels(table) == [("长效机制健全性", "效益指标", "可持续影响指标")]


def test_name_shifted_into_the_level1_column_loses_its_level2():
    table, issues = parse(
        "效益指标|可持续影响指标|长效机制健全性|健全|达成指标|5.00|5.00|",
        "违法犯罪打击率||提高|达成指标|5.00|5.00||",
        "总分|||||10.00|10.00|",
    )
    assert levels(table)[1] == ("违法犯罪打击率", "效益指标", None)
    assert (3, "level2_lost") in codes(issues)


def test_unknown_level2_is_kept_as_printed():
    table, issues = parse(
        "满意度指标|社区居民满意度|社区居民满意度|≥90.00(%)|90.00(%)|10.00|10.00|",
        "总分|||||10.00|10.00|",
    )
    assert levels(table) == [("社区居民满意度", "满意度指标", "社区居民满意度")]
    assert codes(issues) == [(2, "label_unknown")]


def test_wrapped_name_and_continued_note_are_joined():
    table, issues = parse(
        "产出指标|数量指标|社区工作者培训 工作完成率|=100.00(%)|90.00(%)|10.00|8.00|因疫情",
        "|||||||影响延期",
        "总分|||||10.00|8.00|",
    )
    indicator = table.indicators[0]
    assert indicator.name == "社区工作者培训工作完成率"
    assert indicator.deviation_note == "因疫情影响延期"
    assert (3, "cell_continued") in codes(issues)


def test_row_without_scores_is_kept_with_null_points_and_a_warning():
    table, issues = parse(
        "产出指标|数量指标|拨款笔数|=1.00(笔)|1.00(笔)|||",
        "总分|||||10.00|10.00|",
    )
    assert table.indicators[0].name == "拨款笔数"
    assert table.indicators[0].weight is None and table.indicators[0].score is None
    assert (2, "scores_missing") in codes(issues)


def test_the_same_name_twice_stays_two_rows():
    table, _ = parse(
        "效益指标|社会效益指标|居民幸福指数|有效提升|达成指标|10.00|10.00|",
        "满意度指标|服务对象满意度指标|居民幸福指数|不断提高|达成指标|10.00|10.00|",
        "总分|||||20.00|20.00|",
    )
    assert [(i.seq, i.name) for i in table.indicators] == [(1, "居民幸福指数"), (2, "居民幸福指数")]


def test_unreadable_target_is_null_with_a_warning():
    table, issues = parse(
        "产出指标|数量指标|拨款笔数|=1OO(笔)|1.00(笔)|10.00|10.00|",
        "总分|||||10.00|10.00|",
    )
    assert table.indicators[0].target_text == "=1OO(笔)"
    assert table.indicators[0].target_value is None
    assert (2, "target_unreadable") in codes(issues)


def test_department_rows_under_the_wrong_label_are_left_unplaced():
    """The 产出 group's 权重 (6) is only reached with the two rows printed under 社会效益指标."""
    table, issues = parse(
        "投入管理指标|4|预算编审管理|根据文件规定设置|||4.00|4.00|",
        "产出指标|6|数量指标|完成率|=100.00(%)|100.00(%)|2.00|2.00|",
        "社会效益指标|10|考核费用发放准确率|=100.00(%)|100.00(%)|1.00|1.00||",
        "|||巡管员上报案件准确度|≥95.00(%)|95.00(%)|3.00|3.00|",
        "|||网格覆盖率|=100.00(%)|95.00(%)|10.00|8.00|按督查结果换算",
        "||||||20|18|",
        header=DEPT_HEADER,
    )
    assert levels(table) == [
        ("预算编审管理", "投入管理指标", "预算编审管理"),
        ("完成率", "产出指标", "数量指标"),
        ("考核费用发放准确率", None, None),
        ("巡管员上报案件准确度", None, None),
        ("网格覆盖率", "效益指标", "社会效益指标"),
    ]
    assert table.indicators[0].criteria_note == "根据文件规定设置"
    assert [(w.level1, w.weight) for w in table.level1_weights] == [
        ("投入管理指标", 4),
        ("产出指标", 6),
        ("效益指标", 10),
    ]
    assert [c for c in codes(issues) if c[1] == "level_ambiguous"] == [(4, "level_ambiguous"), (5, "level_ambiguous")]
    assert table.total_row.line_no == 7


def test_conflicting_level1_weight_is_ignored_with_a_warning():
    table, issues = parse(
        "效益指标|35|社会效益指标|社会治理能力|提升|达成指标|30.00|30.00|",
        "可持续影响指标|5.00|机制健全性|健全|达成指标|5.00|5.00||",
        "||||||35|35|",
        header=DEPT_HEADER,
    )
    assert [(w.level1, w.weight) for w in table.level1_weights] == [("效益指标", 35)]
    assert (3, "level1_weight_conflict") in codes(issues)
