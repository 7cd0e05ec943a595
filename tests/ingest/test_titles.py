"""Title lines: the cheap tests that skip most rows must not skip a title."""

from __future__ import annotations

from ingest.parse import TITLE_MARK, TITLES, find_titles
from ingest.text import Row, normalise_newlines, split_rows


def test_every_title_pattern_holds_the_mark_rows_are_first_tested_for():
    assert all(TITLE_MARK in pattern.pattern for pattern, _ in TITLES)


PROSE = "关于开展2023年度项目支出绩效自评工作的通知：请各单位于三月底前按要求填报财政项目支出绩效自评表"


def test_titles_are_found_through_spaces_punctuation_and_a_year():
    rows = [
        Row(1, ("", "财政项目支出绩效 “自评” 表", "")),
        Row(2, ("部门（单位）整体支出绩效自评表（2023年度）",)),
        Row(3, ("《部门整体支出预算绩效自评报告》",)),
        Row(4, ("项目支出绩效自评表", "说明")),  # two cells: a table row, not a title
        Row(5, (PROSE,)),  # a sentence ending like a title, longer than one
        Row(6, ("",)),
    ]
    assert find_titles(rows) == [(0, "project_table"), (1, "dept_table"), (2, "dept_narrative")]


def test_blank_rows_and_filled_cells():
    blank, row = Row(1, ("", "", "")), Row(2, ("", "总分", "", "100.00"))
    assert blank.is_blank and blank.filled_count == 0 and blank.filled() == ()
    assert not row.is_blank and row.filled_count == 2 and row.filled() == ((1, "总分"), (3, "100.00"))


def test_newlines_and_page_breaks():
    text = "a\r\nb\rc\fd\ve\n"
    assert normalise_newlines(text) == "a\nb\nc\nd\ne\n"
    assert [r.cells for r in split_rows(normalise_newlines("x\t y \r\n\fz"))] == [("x", "y"), ("",), ("z",)]
