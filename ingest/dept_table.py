"""部门（单位）整体支出绩效自评表: the department table.

Layout: title, (年度), 单位名称, the budget table 整体支出规模（元） with
资金来源 (财政拨款, 其他资金) and 资金结构 (基本支出, 项目支出) rows of
全年预算数 / 全年执行数 / 执行率, the 年度总体目标 block, and the indicator
table with a 权重 column, closed by a total row.
"""

from __future__ import annotations

from ingest import table_parts
from ingest.header import find_fiscal_year
from ingest.indicator_table import IndicatorLayout, parse_indicator_table
from ingest.model import DocumentRejected, IssueLog, Report
from ingest.text import Row, squash
from ingest.vocabulary import Vocabulary

DOC_KIND = "dept_table"
UNIT_LABELS = ("部门（单位）名称", "部门(单位)名称", "单位名称", "部门名称")
BUDGET_MARK = "整体支出规模"


def parse(block: list[Row], ordinal: int, vocab: Vocabulary, issues: IssueLog) -> Report:
    """Parse one department table; ``block[0]`` is its title row."""
    report = Report(ordinal, DOC_KIND, block[0].line_no)
    header = None
    index = 1
    while index < len(block):
        row = block[index]
        text = row.squashed
        if report.fiscal_year is None and (year := find_fiscal_year(" ".join(row.cells))):
            report.fiscal_year = year
        label_col = row.find(*UNIT_LABELS)
        if report.unit_name is None and label_col is not None:
            report.unit_name = squash(row.after(label_col) or "") or None
        if BUDGET_MARK in text and (header := table_parts.read_budget_header(row)):
            index += 1
            break
        index += 1
    if header is None:
        raise DocumentRejected(
            "no_budget_table", "department table without its 整体支出规模 budget table", block[0].line_no
        )
    report.amount_unit = header.unit

    while index < len(block) and table_parts.GOALS_MARK not in block[index].squashed:
        row = block[index]
        if not row.is_blank:
            read = table_parts.read_fund_row(row, header, issues)
            if read is None:
                issues.warn(row.line_no, "budget_row_unknown", f"budget row not understood: {row.squashed[:40]}")
            else:
                line, values = read
                table_parts.fill_amounts(line, values, issues)
                report.fund_lines.append(line)
        index += 1

    layout = None
    if index < len(block):

        def stop(row: Row) -> bool:
            return IndicatorLayout.from_header(row) is not None

        report.goal_text, report.result_text, index = table_parts.read_goals(block, index, stop)
    if index < len(block):
        layout = IndicatorLayout.from_header(block[index])
    if layout is None:
        raise DocumentRejected("truncated_table", "the table ends before its indicator table: it was cut off")

    table = parse_indicator_table(block, index + 1, layout, vocab, issues)
    if table.total_row is None:
        raise DocumentRejected("truncated_table", "the indicator table has no total row: the file was cut off")
    report.indicators, report.level1_weights = table.indicators, table.level1_weights
    table_parts.set_totals(report, table.total_row, layout, issues)
    return report
