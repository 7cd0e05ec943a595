"""部门整体支出预算绩效自评报告: the prose report.

Budget figures sit in the sentences of the section 预算及执行情况, e.g.
"全年预算金额为 5,650.61 万元，预算执行金额为 5,587.07 万元，整体预算执行率为
98.88%。其中基本支出年度预算 711.68 万元 …".  Each figure is read with the words
just before it: they say what it measures (年初预算, 调整后预算, 执行金额,
执行率) and which fund line it belongs to (基本支出, 项目支出, 一般公共预算,
政府性基金预算; otherwise the unit's total).
"""

from __future__ import annotations

import re
from decimal import Decimal

from ingest.header import find_fiscal_year
from ingest.model import DocumentRejected, FundLine, IssueLog, Report
from ingest.numbers import UNIT_NAMES, amount_to_yuan, parse_number
from ingest.text import Row, squash, tidy

DOC_KIND = "dept_narrative"
DEFAULT_HEAD_LINES = 40  # the unit is named near the top
DEFAULT_TITLE_LINES = 3  # the year is printed within this many lines of the title
SECTION_MARKS = ("预算及执行情况", "预算执行情况")
HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
NEXT_PART_RE = re.compile(r"^\s*[一二三四五六七八九十]+、")
UNIT_NAME_RE = re.compile(r"上海市[\u4e00-\u9fff]{1,4}区[^\s，。；、,;:：]+")
# a figure with its unit; spaces PDF extraction put around separators are allowed ("5, 650. 61 万元")
VALUE_RE = re.compile(r"(?P<num>\d(?:\d|\s*[,，.．]\s*\d)*)\s*(?P<unit>亿元|万元|元|万|%|％)")
CLAUSE_END_RE = re.compile(r"[。；;]")

# Words before a figure that say which fund line it belongs to; the last one before the figure wins.
SUBJECTS = (
    ("基本支出", "basic_expenditure"),
    ("项目支出", "project_expenditure"),
    ("一般公共预算", "general_public_budget"),
    ("政府性基金", "government_fund_budget"),
)
# Words before a figure that say what it measures, checked in this order.
MEASURES = (
    ("rate", re.compile(r"执行率")),
    ("executed", re.compile(r"执行金额|执行数|决算数|决算金额|实际支出|支出金额|财政拨款数")),
    ("initial", re.compile(r"年初")),
    ("adjusted", re.compile(r"调整后|全年预算|年度预算|预算金额|预算数|预算")),
)
FUND_LABELS = {
    "total": "整体支出",
    "basic_expenditure": "基本支出",
    "project_expenditure": "项目支出",
    "general_public_budget": "一般公共预算",
    "government_fund_budget": "政府性基金预算",
}


def _budget_section(rows: list[Row], start: int, end: int) -> tuple[int, list[tuple[int, str]]]:
    """(index of the heading, [(line number, text)]) of the 预算及执行情况 section."""
    lines = [row.text for row in rows]
    for k in range(start, end):
        if HEADING_RE.match(lines[k]) and any(m in squash(lines[k]) for m in SECTION_MARKS):
            body = []
            for m in range(k + 1, end):
                if HEADING_RE.match(lines[m]):
                    return k, body
                if lines[m].strip():
                    body.append((rows[m].line_no, lines[m]))
            raise DocumentRejected(
                "truncated_report", "the report ends inside its 预算及执行情况 section: it was cut off"
            )
    raise DocumentRejected("no_budget_section", "prose report without a 预算及执行情况 section")


def _subject(text: str, current: str) -> str:
    found = [(text.rfind(word), code) for word, code in SUBJECTS if word in text]
    return max(found)[1] if found else current


def _measure(text: str, unit: str) -> str | None:
    for measure, pattern in MEASURES:
        if pattern.search(text) and (measure == "rate") == (unit in ("%", "％")):
            return measure
    return None


def _read_figures(body: list[tuple[int, str]], issues: IssueLog) -> dict[str, FundLine]:
    lines: dict[str, FundLine] = {}
    for line_no, text in body:
        for clause in CLAUSE_END_RE.split(text):
            subject, start = "total", 0
            for match in VALUE_RE.finditer(clause):
                before = clause[start : match.start()]
                start = match.end()
                subject = _subject(before, subject)
                measure = _measure(before, match["unit"])
                if measure is None:
                    continue
                line = lines.setdefault(
                    subject, FundLine(subject, FUND_LABELS[subject], line_no, UNIT_NAMES.get(match["unit"], "万元"))
                )
                _record(line, measure, match, issues, line_no)
    return lines


def _record(line: FundLine, measure: str, match: re.Match, issues: IssueLog, line_no: int) -> None:
    attribute = {"initial": "initial_budget", "adjusted": "adjusted_budget", "executed": "executed", "rate": "rate"}[
        measure
    ]
    text = tidy(match.group(0))
    number = parse_number(match["num"])
    if measure == "rate":
        value = number.value if number else None
        previous = line.rate_text
    else:
        value = amount_to_yuan(number.value, UNIT_NAMES[match["unit"]]) if number else None
        previous = getattr(line, f"{attribute}_text")
    if previous is not None:
        if previous != text:
            issues.warn(
                line_no, "figure_conflict", f"{line.label} {measure} printed twice ({previous}, {text}): left NULL"
            )
            _set(line, attribute, text, None, None)
        return
    if value is None:
        issues.warn(line_no, "amount_unreadable", f"{line.label} {measure} '{text}' is not a readable number")
    _set(line, attribute, text, value, number.decimals if number else None)


def _set(line: FundLine, attribute: str, text: str, value: Decimal | None, decimals: int | None) -> None:
    if attribute == "rate":
        line.rate_text, line.execution_rate_pct, line.rate_decimals = text, value, decimals
    else:
        setattr(line, f"{attribute}_text", text)
        setattr(line, f"{attribute}_yuan", value)


def parse(rows: list[Row], title_index: int, end: int, ordinal: int, issues: IssueLog) -> Report:
    """Parse the prose report titled ``rows[title_index]`` and ending before ``rows[end]``."""
    lines = [row.text for row in rows]
    report = Report(ordinal, DOC_KIND, rows[title_index].line_no)
    title_block = lines[max(0, title_index - DEFAULT_TITLE_LINES) : title_index + DEFAULT_TITLE_LINES + 1]
    report.fiscal_year = next((y for line in title_block if (y := find_fiscal_year(line))), None)
    for line in lines[max(0, title_index - DEFAULT_TITLE_LINES) : title_index + DEFAULT_HEAD_LINES]:
        if match := UNIT_NAME_RE.search(squash(line)):
            report.unit_name = match.group(0)
            break
    heading, body = _budget_section(rows, title_index, end)
    if not any(NEXT_PART_RE.match(line) for line in lines[heading:end]):
        raise DocumentRejected(
            "truncated_report", "the report ends after its budget section, before part 二: it was cut off"
        )
    figures = _read_figures(body, issues)
    if not figures:
        raise DocumentRejected(
            "no_budget_figures", "no budget figures in the 预算及执行情况 section", rows[heading].line_no
        )
    report.fund_lines = list(figures.values())
    units = [line.amount_unit for line in report.fund_lines]
    report.amount_unit = max(set(units), key=units.count)
    if report.fiscal_year is None:
        report.fiscal_year = next((find_fiscal_year(t) for _, t in body if find_fiscal_year(t)), None)
    return report
