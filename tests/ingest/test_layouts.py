"""Text layouts of other extractors become the rows of cells the tab-separated samples give."""

from __future__ import annotations

from ingest.layouts import clean_cell, display_width, read_text
from ingest.text import Row
from ingest.vocabulary import load_vocabulary

HEADINGS = load_vocabulary()  # what makes a row a header row


def cells(text: str) -> list[tuple[str, ...]]:
    return [row.cells for row in read_text(text, HEADINGS).rows]


def test_tab_separated_text_is_split_as_always():
    layout = read_text("a\tb\t\tc\n\td", HEADINGS)
    assert layout.layout == "tab"
    assert layout.rows == [Row(1, ("a", "b", "", "c")), Row(2, ("", "d"))]


def test_pipe_rows_keep_their_empty_cells_and_separator_lines_are_blank():
    text = "标题\n| 项目名称 |  | 新残疾人保障金 |\n|---|:---:|---|\n|  | 年度资金总额: | 6.00 |\n| a \\| b | | |"
    layout = read_text(text, HEADINGS)
    assert layout.layout == "pipe"
    assert [r.cells for r in layout.rows] == [
        ("标题",),
        ("项目名称", "", "新残疾人保障金"),
        ("",),
        ("", "年度资金总额:", "6.00"),
        ("a | b", "", ""),
    ]


HEADINGS_AT = [
    (0, "一级指标"),
    (11, "二级指标"),
    (22, "三级指标"),
    (37, "年度指标值"),
    (50, "实际完成值"),
    (63, "分值"),
    (71, "得分"),
]


def line(*cells: tuple[int, str]) -> str:
    """A line of a space-aligned table: each text starting at its display column."""
    out = ""
    for column, text in cells:
        out += " " * (column - display_width(out)) + text
    return out


def table(*rows: str) -> str:
    return "\n".join(["标题", line(*HEADINGS_AT), *rows])


FIRST_ROW = line(
    (0, "产出指标"),
    (11, "数量指标"),
    (22, "拨款笔数"),
    (37, "=1.00(笔)"),
    (50, "1.00(笔)"),
    (63, "10.00"),
    (71, "10.00"),
)


def test_space_aligned_cells_go_under_their_headings_and_empty_cells_come_back():
    rows = cells(
        table(FIRST_ROW, line((22, "按时拨付"), (37, "按时拨付"), (50, "达成指标"), (63, "10.00"), (71, "10.00")))
    )
    assert rows[2] == ("产出指标", "数量指标", "拨款笔数", "=1.00(笔)", "1.00(笔)", "10.00", "10.00")
    assert rows[3] == ("", "", "按时拨付", "按时拨付", "达成指标", "10.00", "10.00")


def test_right_aligned_number_goes_under_the_heading_it_lies_under():
    rows = cells(table(FIRST_ROW, line((22, "按时拨付"), (37, "按时拨付"), (50, "达成指标"), (64, "8.5"), (73, "8"))))
    assert rows[3] == ("", "", "按时拨付", "按时拨付", "达成指标", "8.5", "8")


def test_number_under_two_headings_is_left_out_with_an_issue():
    layout = read_text(
        table(FIRST_ROW, line((22, "按时拨付"), (37, "按时拨付"), (50, "达成指标"), (64, "10.000000"))), HEADINGS
    )
    assert layout.rows[3].cells == ("", "", "按时拨付", "按时拨付", "达成指标", "", "")
    assert [(i.line_no, i.code) for i in layout.issues] == [(4, "cell_unplaced")]


def test_two_numbers_under_one_heading_are_both_left_out():
    row = line((22, "按时拨付"), (37, "按时拨付"), (50, "达成指标"), (63, "10"), (67, "8"))
    layout = read_text(table(FIRST_ROW, row), HEADINGS)
    assert layout.rows[3].cells[5:] == ("", "")
    assert [i.code for i in layout.issues] == ["cell_unplaced"]


def test_prose_without_tables_is_one_cell_a_line():
    layout = read_text("一、部门概况\n\n执行率 99%；决算数 181.77 万元。", HEADINGS)
    assert layout.layout == "plain"
    assert [r.cells for r in layout.rows] == [("一、部门概况",), ("",), ("执行率 99%；决算数 181.77 万元。",)]


def test_html_fragments_in_cells_are_removed_but_paragraphs_kept():
    assert clean_cell("<span style='x'>6.00</span>") == "6.00"
    assert clean_cell("<b>项目名称</b>&nbsp;") == "项目名称"
    assert clean_cell("<p>目标一</p><p>目标二</p>") == "<p>目标一</p><p>目标二</p>"  # read_goals splits them
    assert clean_cell("<5(天)") == "<5(天)"  # a comparator is not a tag


def test_full_width_numbers_become_ascii_and_chinese_punctuation_stays():
    assert clean_cell("＝１００．００（％）") == "=100.00(%)"
    assert clean_cell("８，２７８，２６１．０３") == "8,278,261.03"
    assert clean_cell("上海市闵行区虹桥镇人民政府（本级）") == "上海市闵行区虹桥镇人民政府（本级）"
    assert clean_cell("（２０２４年度）") == "（2024年度）"
    assert clean_cell("执行率１００％，决算数１８１．７７万元") == "执行率100%，决算数181.77万元"


def test_full_width_text_in_a_tab_separated_file_is_cleaned():
    layout = read_text("项目名称\t＝１．００（笔）\t１０．００", HEADINGS)
    assert layout.rows[0].cells == ("项目名称", "=1.00(笔)", "10.00")


def test_display_width_counts_wide_characters_twice():
    assert display_width("分值 10") == 7


def _cell_lines(*rows: tuple[str, ...]) -> str:
    return "\n".join(f"{c} |" if c else "|" for row in rows for c in row)


def test_cell_lines_of_a_full_grid_are_cut_at_the_table_width():
    rows = [
        ("项目名称", "", "示例", ""),
        ("主管部门", "某局", "实施单位", "某中心"),
        ("项目资金(万元)", "", "全年预算数", "全年执行数"),
        ("", "年度资金总额", "6.00", "6.00"),
        ("总分", "100"),
        ("评分等级", "优", "", ""),
    ]
    layout = read_text(_cell_lines(*rows), HEADINGS)
    assert layout.layout == "cell_lines"
    assert [r.cells for r in layout.rows] == rows  # the row of empty-led cells keeps its place
    assert [r.line_no for r in layout.rows] == [1, 5, 9, 13, 17, 19]


def test_cell_lines_without_a_grid_are_cut_at_the_cells_that_begin_a_row():
    text = _cell_lines(
        ("项目名称", "示例"),
        ("预算执行情况(10分)", "年度预算数(万元)", "年初预算", "调整后预算数", "预算执行数"),
        ("总额", "1.00", "2.00", "2.00"),
        ("其中:财政资金", "1.00", "2.00", "2.00"),
    )
    rows = [r.cells for r in read_text(text, HEADINGS).rows]
    assert rows[2] == ("总额", "1.00", "2.00", "2.00")
    assert rows[3] == ("其中:财政资金", "1.00", "2.00", "2.00")


def test_numbers_one_space_apart_are_cells_of_their_own():
    header = line(
        (0, "项目资金(万元)"),
        (24, "年初预算数"),
        (36, "全年预算数"),
        (48, "全年执行数"),
        (60, "分数"),
        (66, "执行率"),
        (74, "得分"),
    )
    data = line((2, "其中:当年财政拨款"), (24, "6.00"), (36, "6.00"), (48, "6.00"), (64, "- 100.00"), (74, "-"))
    broken = line(
        (2, "上年结转资金"), (24, "275, 112. 00"), (38, "0.00"), (48, "0.00"), (60, "-"), (66, "0. 00"), (74, "-")
    )
    rows = [r.cells for r in read_text("\n".join(["标题", header, data, broken]), HEADINGS).rows]
    assert rows[2] == ("其中:当年财政拨款", "6.00", "6.00", "6.00", "-", "100.00", "-")
    assert rows[3] == ("上年结转资金", "275, 112. 00", "0.00", "0.00", "-", "0. 00", "-")
