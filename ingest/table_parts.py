"""Parts shared by the department and project tables: their common skeleton, budget rows, goals, totals.

Column headings, fund-line labels and amount units are vocabulary, read from the
reference seeds (``ingest.vocabulary``), not written here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ingest.header import find_fiscal_year
from ingest.indicator_table import IndicatorLayout, IndicatorTable, parse_indicator_table
from ingest.model import DocumentRejected, FundLine, IssueLog, Report
from ingest.numbers import amount_to_yuan, is_placeholder, parse_number, parse_rate
from ingest.text import Row, printed, squash, strip_html
from ingest.vocabulary import Vocabulary

GOALS_MARK = "年度总体目标"


@dataclass(frozen=True)
class TableKind:
    """What tells one kind of table from the other; the rest of the skeleton is shared."""

    doc_kind: str
    name: str  # in messages: "department table"
    budget_marks: tuple[str, ...]  # text of the budget table's header row ("项目资金", "整体支出规模")
    read_head: Callable[[Row, Report], None]  # the rows above the budget table (names, units)
    read_fund_line: Callable[[Report, FundLine, dict[str, str], IssueLog, Vocabulary], None]  # after a budget row
    finish: Callable[[Report, list[Row], IndicatorTable, Vocabulary, IssueLog], None]  # after the 总分 row


def parse_table(block: list[Row], ordinal: int, vocab: Vocabulary, issues: IssueLog, kind: TableKind) -> Report:
    """Parse one table; ``block[0]`` is its title row: head, budget table, goals, indicator table."""
    report = Report(ordinal, kind.doc_kind, block[0].line_no)
    header = None
    report.fiscal_year = find_fiscal_year(" ".join(block[0].cells))  # "…自评表(2023年度)"
    index = 1
    while index < len(block):
        row = block[index]
        index += 1
        if report.fiscal_year is None and (year := find_fiscal_year(" ".join(row.cells))):
            report.fiscal_year = year
        kind.read_head(row, report)
        if row.mentions(*kind.budget_marks) and (header := read_budget_header(row, vocab, kind.doc_kind)):
            break
    if header is None:
        raise DocumentRejected(
            "no_budget_table", f"{kind.name} without its {kind.budget_marks[0]} budget table", block[0].line_no
        )
    report.amount_unit = header.unit

    while index < len(block) and GOALS_MARK not in block[index].squashed:
        row = block[index]
        if IndicatorLayout.from_header(row, vocab):  # no goals block between the two tables
            break
        index += 1
        if row.is_blank:
            continue
        read = read_fund_row(row, header, issues)
        if read is None:
            issues.warn(row.line_no, "budget_row_unknown", f"budget row not understood: {row.squashed[:40]}")
            continue
        line, values = read
        fill_amounts(line, values, issues, vocab)
        report.fund_lines.append(line)
        kind.read_fund_line(report, line, values, issues, vocab)

    if index < len(block) and GOALS_MARK in block[index].squashed:

        def stop(row: Row) -> bool:
            return IndicatorLayout.from_header(row, vocab) is not None

        report.goal_text, report.result_text, index = read_goals(block, index, stop, vocab)
    layout = IndicatorLayout.from_header(block[index], vocab) if index < len(block) else None
    if layout is None:
        raise DocumentRejected("truncated_table", "the table ends before its indicator table: it was cut off")

    table = parse_indicator_table(block, index + 1, layout, vocab, issues)
    report.indicators, report.level1_weights = table.indicators, table.level1_weights
    if table.total_row is None:
        what = f"project '{report.project_name}'" if report.project_name else "the indicator table"
        raise DocumentRejected("truncated_table", f"{what} has no 总分 row: the file was cut off")
    set_totals(report, table.total_row, layout, issues)
    kind.finish(report, block, table, vocab, issues)
    return report


@dataclass
class BudgetHeader:
    unit: str | None
    columns: list[tuple[int, str]]  # (column, measure), left to right
    fund_labels: tuple[tuple[str, str], ...] = ()  # (printed text, fund line) of the document kind
    lead: int = 0  # header cells the rows do not repeat ("预算执行情况(10分)" spanning the table's rows)


def read_budget_header(row: Row, vocab: Vocabulary, doc_kind: str) -> BudgetHeader | None:
    """The header of the budget table: its unit and the measure of each column."""
    columns = []
    for i, cell in enumerate(row.cells):
        if cell and (named := vocab.fields_named("budget", squash(cell))):
            columns.append((i, named[0]))
    if not any(m == "adjusted" for _, m in columns):
        return None
    match = _unit_re(vocab.unit_alternatives).search(squash(" ".join(row.cells)))
    unit = vocab.unit_names.get(match.group(1)) if match else None
    # "预算执行情况(10分) | 年度预算数(万元) | 年初预算 …": the first cell spans the rows, whose
    # labels stand under the second; the samples' header leaves the label column empty instead
    lead = 1 if row.cell(0) and row.cell(1) and not any(c == 1 for c, _ in columns) else 0
    return BudgetHeader(unit, columns, vocab.fund_line_labels(doc_kind), lead)


DEFAULT_FUND_LABEL_MAX_CHARS = 24  # a longer cell is a note that may mention a fund line ("其他资金包括 …")


@lru_cache(maxsize=4)
def _unit_re(units: str) -> re.Pattern:
    """An amount unit in brackets, "(万元)", of the units of seeds/reference/amount_units.csv."""
    return re.compile(rf"[(（]\s*({units})\s*[)）]")


@lru_cache(maxsize=4096)  # the same few labels open every budget row of every file
def fund_line_code(label: str, labels: tuple[tuple[str, str], ...]) -> str | None:
    text = squash(label)
    if len(text) > DEFAULT_FUND_LABEL_MAX_CHARS:
        return None
    return next((code for needle, code in labels if needle in text), None)


def _first_fund_label(
    filled: tuple[tuple[int, str], ...], labels: tuple[tuple[str, str], ...]
) -> tuple[int, str] | None:
    """(index among the filled cells, fund line code) of the first cell naming a fund line."""
    for k, (_, text) in enumerate(filled):
        if code := fund_line_code(text, labels):
            return k, code
    return None


def read_fund_row(row: Row, header: BudgetHeader, issues: IssueLog) -> tuple[FundLine, dict[str, str]] | None:
    """A budget row: its fund line and the printed value of each measure, or None if it is not one."""
    filled = row.filled()
    labels = header.fund_labels
    found = _first_fund_label(filled, labels)
    if found is None:
        return None
    label_at, code = found
    label = filled[label_at][1]
    values = [text for _, text in filled[label_at + 1 :]]
    measures = [m for _, m in header.columns]
    if len(values) == len(measures):
        printed_values = dict(zip(measures, values, strict=True))
    else:
        offset = header.lead if filled[label_at][0] == 0 else 0
        printed_values = {m: row.cell(col - offset) for col, m in header.columns if row.cell(col - offset)}
        if {col + offset for col, _ in filled[label_at + 1 :]} <= {col for col, _ in header.columns}:
            # every value printed sits under its header: the empty cells are missing values
            printed_values = {m: row.cell(col - offset) for col, m in header.columns}
        elif len(printed_values) != len(measures):
            issues.warn(
                row.line_no,
                "fund_row_unaligned",
                f"{len(values)} values for {len(measures)} columns in '{squash(label)}': row left NULL",
            )
            printed_values = {}
        last = header.columns[-1][0] - offset
        beyond = [text for column, text in filled if column > last and not parse_number(text)]
        if printed_values and beyond:
            issues.warn(
                row.line_no,
                "cells_ignored",
                f"'{squash(label)}': text right of the budget columns ignored: {squash(beyond[0])[:30]}",
            )
    line = FundLine(code, squash(label), row.line_no, header.unit or "")
    return line, printed_values


# measure of a budget column -> the FundLine attributes of its printed text and its amount in 元
AMOUNT_ATTRIBUTES = (
    ("initial", "initial_budget_text", "initial_budget_yuan"),
    ("adjusted", "adjusted_budget_text", "adjusted_budget_yuan"),
    ("executed", "executed_text", "executed_yuan"),
)


def fill_amounts(line: FundLine, values: dict[str, str], issues: IssueLog, vocab: Vocabulary) -> None:
    """Parse the printed amounts and rate of a fund line into 元 and percent."""
    known = line.amount_unit in vocab.unit_factors
    for measure, text_attribute, yuan_attribute in AMOUNT_ATTRIBUTES:
        text = values.get(measure)
        if text is None:
            continue
        if _missing(line, measure, text, issues, vocab):
            setattr(line, text_attribute, printed(text))
            continue
        text = printed(text)
        setattr(line, text_attribute, text)
        number = parse_number(text)
        yuan = amount_to_yuan(number.value, line.amount_unit) if number and known else None
        if yuan is None:
            reason = "no amount unit printed" if number and not line.amount_unit else "not a readable amount"
            issues.warn(line.line_no, "amount_unreadable", f"{line.label} {measure} '{text}': {reason}")
        setattr(line, yuan_attribute, yuan)
    text = values.get("rate")
    if text is not None and _missing(line, "rate", text, issues, vocab):
        line.rate_text = printed(text)
    elif text is not None:
        line.rate_text = printed(text)
        rate = parse_rate(text)
        if rate is None:
            issues.warn(line.line_no, "rate_unreadable", f"{line.label} execution rate '{text}' is not a number")
        else:
            line.execution_rate_pct, line.rate_decimals = rate.value, rate.decimals


def _missing(line: FundLine, measure: str, text: str, issues: IssueLog, vocab: Vocabulary) -> bool:
    """Whether a cell where a value is expected prints none (empty, "—", "/", "无" …); recorded if so."""
    if text.strip() and not is_placeholder(text):
        return False
    shown = f"printed '{printed(text)}'" if text.strip() else "empty"
    column = vocab.heading_of("budget", measure)
    issues.warn(line.line_no, "value_missing", f"{line.label} {column}: {shown}, no value: left NULL")
    return True


def score_pair(values: dict[str, str], line: FundLine, issues: IssueLog, vocab: Vocabulary) -> tuple[object, object]:
    """The 分数 / 得分 of a budget row (project tables score budget execution); missing ones recorded."""
    pair = []
    for measure in ("weight", "score"):
        text = values.get(measure)
        if text is not None and _missing(line, measure, text, issues, vocab):
            pair.append(None)
            continue
        number = parse_number(text)
        pair.append(number.value if number else None)
    return tuple(pair)


def read_goals(rows: list[Row], start: int, stop, vocab: Vocabulary) -> tuple[str | None, str | None, int]:
    """The 年度总体目标 block from its header row at ``start``: (goal, result, next index)."""
    header = rows[start]
    result_headings = tuple(h.heading for h in vocab.headings_of.get("goals", ()) if h.field == "result")
    result_col = header.find(*result_headings)
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
    if weight is None and score is None and numbers:
        issues.warn(
            row.line_no,
            "total_ambiguous",
            f"总分 row prints one figure ({numbers[0][1]}) under neither 分值 nor 得分: both left NULL",
        )
    elif weight is None and score is None:
        issues.info(row.line_no, "total_empty", "总分 row printed without values")
    report.total_weight_text = printed(weight) if weight else None
    report.total_score_text = printed(score) if score else None
    report.total_weight = parse_number(weight).value if weight else None
    report.total_score = parse_number(score).value if score else None
