"""财政项目支出绩效自评表: the project table, one per project, often several in a file.

Layout: title, (年度), 项目名称, 主管部门 / 实施单位, the budget table
项目资金 (万元) with 年度资金总额 / 当年财政拨款 / 上年结转资金 / 其他资金
rows of 年初预算数, 全年预算数, 全年执行数, 分数, 执行率, 得分; the
年度总体目标 block; the indicator table; 总分; 评分等级.
"""

from __future__ import annotations

from ingest import table_parts
from ingest.header import find_fiscal_year
from ingest.indicator_table import IndicatorLayout, parse_indicator_table
from ingest.model import DocumentRejected, IssueLog, Report
from ingest.text import Row, squash
from ingest.vocabulary import Vocabulary

DOC_KIND = "project_table"
BUDGET_MARK = "项目资金"
GRADE_LABEL = "评分等级"
GRADES = ("优", "良", "中", "差")


def _read_head(row: Row, report: Report) -> None:
    for label, attribute in (("项目名称", "project_name"), ("主管部门", "supervisor"), ("实施单位", "unit_name")):
        column = row.find(label)
        if column is not None and getattr(report, attribute) is None:
            # the value is the next filled cell, even when the PDF put it a cell off
            setattr(report, attribute, squash(row.after(column) or "") or None)


def parse(block: list[Row], ordinal: int, vocab: Vocabulary, issues: IssueLog) -> Report:
    """Parse one project table; ``block[0]`` is its title row."""
    report = Report(ordinal, DOC_KIND, block[0].line_no)
    header = None
    index = 1
    while index < len(block):
        row = block[index]
        index += 1
        if report.fiscal_year is None and (year := find_fiscal_year(" ".join(row.cells))):
            report.fiscal_year = year
        _read_head(row, report)
        if BUDGET_MARK in row.squashed and (header := table_parts.read_budget_header(row)):
            break
    if header is None:
        raise DocumentRejected("no_budget_table", "project table without its 项目资金 budget table", block[0].line_no)
    report.amount_unit = header.unit

    while index < len(block) and table_parts.GOALS_MARK not in block[index].squashed:
        row = block[index]
        index += 1
        if row.is_blank:
            continue
        read = table_parts.read_fund_row(row, header, issues)
        if read is None:
            issues.warn(row.line_no, "budget_row_unknown", f"budget row not understood: {row.squashed[:40]}")
            continue
        line, values = read
        table_parts.fill_amounts(line, values, issues)
        report.fund_lines.append(line)
        if line.fund_line == "total":
            report.budget_execution_weight, report.budget_execution_score = table_parts.score_pair(values, line, issues)

    if index < len(block):

        def stop(row: Row) -> bool:
            return IndicatorLayout.from_header(row) is not None

        report.goal_text, report.result_text, index = table_parts.read_goals(block, index, stop)
    layout = IndicatorLayout.from_header(block[index]) if index < len(block) else None
    if layout is None:
        raise DocumentRejected("truncated_table", "the table ends before its indicator table: it was cut off")

    table = parse_indicator_table(block, index + 1, layout, vocab, issues)
    report.indicators = table.indicators
    if table.total_row is None:
        raise DocumentRejected(
            "truncated_table", f"project '{report.project_name}' has no 总分 row: the file was cut off"
        )
    table_parts.set_totals(report, table.total_row, layout, issues)

    grade_row = next((r for r in block[table.next_index :] if r.find(GRADE_LABEL) is not None), None)
    if grade_row is None:
        raise DocumentRejected(
            "truncated_table", f"project '{report.project_name}' has no 评分等级 row: the file was cut off"
        )
    grade = squash(grade_row.after(grade_row.find(GRADE_LABEL)) or "")
    if grade in GRADES:
        report.grade = grade
    elif grade:
        issues.warn(grade_row.line_no, "grade_unknown", f"评分等级 '{grade}' is not one of 优/良/中/差: left NULL")
    return report
