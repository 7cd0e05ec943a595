"""财政项目支出绩效自评表: the project table, one per project, often several in a file.

Layout: title, (年度), 项目名称, 主管部门 / 实施单位, the budget table
项目资金 (万元) with 年度资金总额 / 当年财政拨款 / 上年结转资金 / 其他资金
rows of 年初预算数, 全年预算数, 全年执行数, 分数, 执行率, 得分; the
年度总体目标 block; the indicator table; 总分; 评分等级.
"""

from __future__ import annotations

from ingest import table_parts
from ingest.indicator_table import IndicatorTable
from ingest.model import DocumentRejected, FundLine, IssueLog, Report
from ingest.text import Row, squash
from ingest.vocabulary import Vocabulary

DOC_KIND = "project_table"
BUDGET_MARKS = ("项目资金", "预算执行情况")  # national template; Sichuan
GRADE_LABEL = "评分等级"
# Rows that close a template printing no 评分等级 (Sichuan): the table is complete without one.
CLOSING_LABELS = ("评价结论", "项目负责人")
HEAD_LABELS = (("项目名称", "project_name"), ("主管部门", "supervisor"), ("实施单位", "unit_name"))  # label, field


def _read_head(row: Row, report: Report) -> None:
    for label, attribute in HEAD_LABELS:
        if getattr(report, attribute) is None and (column := row.find(label)) is not None:
            # the value is the next filled cell, even when the PDF put it a cell off
            setattr(report, attribute, squash(row.after(column) or "") or None)


def _read_fund_line(
    report: Report, line: FundLine, values: dict[str, str], issues: IssueLog, vocab: Vocabulary
) -> None:
    if line.fund_line == "total":  # project tables score budget execution on the total row
        report.budget_execution_weight, report.budget_execution_score = table_parts.score_pair(
            values, line, issues, vocab
        )


def _read_grade(report: Report, block: list[Row], table: IndicatorTable, vocab: Vocabulary, issues: IssueLog) -> None:
    grade_row = next((r for r in block[table.next_index :] if r.find(GRADE_LABEL) is not None), None)
    if grade_row is None and any(r.mentions(*CLOSING_LABELS) for r in block[table.next_index :]):
        return
    if grade_row is None:
        raise DocumentRejected(
            "truncated_table", f"project '{report.project_name}' has no 评分等级 row: the file was cut off"
        )
    grade = squash(grade_row.after(grade_row.find(GRADE_LABEL)) or "")
    grades = [name for name, _, _ in vocab.grades]
    if grade in grades:
        report.grade = grade
    elif grade:
        issues.warn(
            grade_row.line_no, "grade_unknown", f"评分等级 '{grade}' is not one of {'/'.join(grades)}: left NULL"
        )


KIND = table_parts.TableKind(DOC_KIND, "project table", BUDGET_MARKS, _read_head, _read_fund_line, _read_grade)


def parse(block: list[Row], ordinal: int, vocab: Vocabulary, issues: IssueLog) -> Report:
    """Parse one project table; ``block[0]`` is its title row."""
    return table_parts.parse_table(block, ordinal, vocab, issues, KIND)
