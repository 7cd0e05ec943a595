"""Parts shared by the department and project tables: budget rows, goals, totals."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.indicator_table import IndicatorLayout
from ingest.model import FundLine, IssueLog, Report
from ingest.numbers import UNIT_NAMES, amount_to_yuan, is_placeholder, parse_number, parse_rate
from ingest.text import Row, printed, squash, strip_html

# Printed fund-line labels (squashed) and their codes, first match wins.
FUND_LABELS = (
    ("年度资金总额", "total"),
    ("财政拨款", "fiscal_appropriation"),
    ("上年结转", "carryover"),
    ("其他资金", "other_funds"),
    ("基本支出", "basic_expenditure"),
    ("项目支出", "project_expenditure"),
)
# Budget table header cells and the measure each column holds.
BUDGET_COLUMNS = (
    ("年初预算数", "initial"),
    ("全年预算数", "adjusted"),
    ("全年执行数", "executed"),
    ("执行率", "rate"),
    ("分数", "weight"),
    ("分值", "weight"),
    ("得分", "score"),
)
COLUMN_NAMES = {measure: label for label, measure in reversed(BUDGET_COLUMNS)}  # measure -> its header
UNIT_RE = re.compile(r"[(（]\s*(万元|元|亿元)\s*[)）]")
GOALS_MARK = "年度总体目标"
GOAL_HEADERS = ("年初设定目标", "预期目标")
RESULT_HEADERS = ("全年完成情况", "实际完成情况")


@dataclass
class BudgetHeader:
    unit: str | None
    columns: list[tuple[int, str]]  # (column, measure), left to right


def read_budget_header(row: Row) -> BudgetHeader | None:
    """The header of the budget table: its unit and the measure of each column."""
    columns = []
    for i, cell in enumerate(row.cells):
        text = squash(cell)
        measure = next((m for label, m in BUDGET_COLUMNS if text.startswith(label)), None)
        if measure:
            columns.append((i, measure))
    if not any(m == "adjusted" for _, m in columns):
        return None
    match = UNIT_RE.search(squash(" ".join(row.cells)))
    return BudgetHeader(UNIT_NAMES[match.group(1)] if match else None, columns)


def fund_line_code(label: str) -> str | None:
    text = squash(label)
    return next((code for needle, code in FUND_LABELS if needle in text), None)


def read_fund_row(row: Row, header: BudgetHeader, issues: IssueLog) -> tuple[FundLine, dict[str, str]] | None:
    """A budget row: its fund line and the printed value of each measure, or None if it is not one."""
    filled = row.filled()
    label_at = next((k for k, (_, text) in enumerate(filled) if fund_line_code(text)), None)
    if label_at is None:
        return None
    label = filled[label_at][1]
    values = [text for _, text in filled[label_at + 1 :]]
    measures = [m for _, m in header.columns]
    if len(values) == len(measures):
        printed_values = dict(zip(measures, values, strict=True))
    else:
        printed_values = {m: row.cell(col) for col, m in header.columns if row.cell(col)}
        if {col for col, _ in filled[label_at + 1 :]} <= {col for col, _ in header.columns}:
            # every value printed sits under its header: the empty cells are missing values
            printed_values = {m: row.cell(col) for col, m in header.columns}
        elif len(printed_values) != len(measures):
            issues.warn(
                row.line_no,
                "fund_row_unaligned",
                f"{len(values)} values for {len(measures)} columns in '{squash(label)}': row left NULL",
            )
            printed_values = {}
    line = FundLine(fund_line_code(label), squash(label), row.line_no, header.unit or "")
    return line, printed_values


def fill_amounts(line: FundLine, values: dict[str, str], issues: IssueLog) -> None:
    """Parse the printed amounts and rate of a fund line into 元 and percent."""
    for measure, attribute in (
        ("initial", "initial_budget"),
        ("adjusted", "adjusted_budget"),
        ("executed", "executed"),
    ):
        text = values.get(measure)
        if text is None:
            continue
        if _missing(line, measure, text, issues):
            setattr(line, f"{attribute}_text", printed(text))
            continue
        text = printed(text)
        setattr(line, f"{attribute}_text", text)
        number = parse_number(text)
        yuan = amount_to_yuan(number.value, line.amount_unit) if number and line.amount_unit else None
        if yuan is None:
            reason = "no amount unit printed" if number and not line.amount_unit else "not a readable amount"
            issues.warn(line.line_no, "amount_unreadable", f"{line.label} {measure} '{text}': {reason}")
        setattr(line, f"{attribute}_yuan", yuan)
    text = values.get("rate")
    if text is not None and _missing(line, "rate", text, issues):
        line.rate_text = printed(text)
    elif text is not None:
        line.rate_text = printed(text)
        rate = parse_rate(text)
        if rate is None:
            issues.warn(line.line_no, "rate_unreadable", f"{line.label} execution rate '{text}' is not a number")
        else:
            line.execution_rate_pct, line.rate_decimals = rate.value, rate.decimals


def _missing(line: FundLine, measure: str, text: str, issues: IssueLog) -> bool:
    """Whether a cell where a value is expected prints none (empty, "—", "/", "无" …); recorded if so."""
    if text.strip() and not is_placeholder(text):
        return False
    shown = f"printed '{printed(text)}'" if text.strip() else "empty"
    issues.warn(line.line_no, "value_missing", f"{line.label} {COLUMN_NAMES[measure]}: {shown}, no value: left NULL")
    return True


def score_pair(values: dict[str, str], line: FundLine | None = None, issues: IssueLog | None = None):
    """The 分数 / 得分 of a budget row (project tables score budget execution); missing ones recorded."""
    pair = []
    for measure in ("weight", "score"):
        text = values.get(measure)
        if text is not None and line is not None and issues is not None and _missing(line, measure, text, issues):
            pair.append(None)
            continue
        number = parse_number(text)
        pair.append(number.value if number else None)
    return tuple(pair)


def read_goals(rows: list[Row], start: int, stop) -> tuple[str | None, str | None, int]:
    """The 年度总体目标 block from its header row at ``start``: (goal, result, next index)."""
    header = rows[start]
    result_col = header.find(*RESULT_HEADERS)
    goals, results = [], []
    index = start + 1
    while index < len(rows) and not stop(rows[index]):
        for column, text in rows[index].filled():
            (results if result_col is not None and column >= result_col else goals).append(text)
        index += 1
    goal = strip_html("\n".join(goals)) or None
    result = strip_html("\n".join(results)) or None
    return goal, result, index


def set_totals(report: Report, row: Row, layout: IndicatorLayout, issues: IssueLog) -> None:
    """The printed total weight and score of the 总分 row: in reading order, else by column."""
    numbers = [(column, text) for column, text in row.filled() if parse_number(text)]
    if len(numbers) >= 2:
        weight, score = numbers[0][1], numbers[1][1]
    else:
        by_column = dict(numbers)
        weight, score = by_column.get(layout.weight), by_column.get(layout.score)
    if weight is None and score is None:
        issues.info(row.line_no, "total_empty", "总分 row printed without values")
    report.total_weight_text = printed(weight) if weight else None
    report.total_score_text = printed(score) if score else None
    report.total_weight = parse_number(weight).value if weight else None
    report.total_score = parse_number(score).value if score else None
