"""部门整体支出预算绩效自评报告: the prose report.

Budget figures sit in the sentences of the section 预算及执行情况, e.g.
"全年预算金额为 5,650.61 万元，预算执行金额为 5,587.07 万元，整体预算执行率为
98.88%。其中基本支出年度预算 711.68 万元 …".  The section is read as sentences,
not lines: an extractor may wrap a line anywhere, also between a label and its
amount, so the lines of a paragraph are joined before it is split at 。；;.
Each figure is read with the words of its sentence before it: they say what it
measures (年初预算, 调整后预算, 执行金额, 执行率) and which fund line it belongs
to (基本支出, 项目支出, 一般公共预算, 政府性基金预算, or the unit as a whole:
整体, 全年, 部门 …).  A figure whose sentence names no fund line is left out
with a parse issue rather than given to one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from itertools import islice

from ingest.header import find_fiscal_year
from ingest.model import DocumentRejected, FundLine, IssueLog, Report
from ingest.numbers import amount_to_yuan, parse_number
from ingest.text import Row, squash, tidy
from ingest.vocabulary import Vocabulary

DOC_KIND = "dept_narrative"
DEFAULT_HEAD_PARAGRAPHS = 20  # the unit is named near the top
DEFAULT_HEAD_LINES = 400  # lines searched for those paragraphs, however narrowly they are wrapped
DEFAULT_WIDTH_LINES = 80  # lines that show how wide the extractor printed the prose
DEFAULT_FULL_LINE_SHARE = 0.8  # a line this close to the widest line was wrapped: its paragraph goes on
DEFAULT_TITLE_LINES = 3  # the year is printed within this many lines of the title
SECTION_MARKS = ("预算及执行情况", "预算执行情况")
HEADING_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
NEXT_PART_RE = re.compile(r"^\s*[一二三四五六七八九十]+、")
UNIT_NAME_RE = re.compile(r"上海市[\u4e00-\u9fff]{1,4}区[^\s，。；、,;:：]+")
# a figure with its unit; spaces PDF extraction put around separators are allowed ("5, 650. 61 万元")
VALUE_TEMPLATE = r"(?P<num>\d(?:\d|\s*[,，.．]\s*\d)*)\s*(?P<unit>{units}|%|％)"  # units: amount_units.csv
SENTENCE_RE = re.compile(r"[^。；;\n]+")  # a paragraph break ends a sentence too
CLOSING_PUNCTUATION = frozenset("。；;！？!?")  # a line ending a sentence ends its paragraph too
PAGE_NUMBER_FIRST = frozenset("-—－0123456789 ")
PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-—－]\s*)?\d{1,3}(?:\s*[-—－])?\s*$")  # "- 3 -": a page footer

# Words before a figure that say its sentence is about the unit as a whole (fund line total).
TOTAL_MARKS = ("整体", "全年", "部门", "合计", "总额", "总计", "全部")  # not 单位: "单位：万元"
# Of those, the words that name the whole unit even after a fund line was named ("全年" does not:
# "项目支出全年预算" is the adjusted budget of 项目支出).
WHOLE_UNIT_MARKS = ("整体", "部门", "合计", "总额", "总计", "全部")
# Words before a figure that say what it measures, checked in this order.
MEASURES = (
    ("rate", re.compile(r"执行率")),
    ("executed", re.compile(r"执行金额|执行数|决算数|决算金额|实际支出|支出金额|财政拨款数")),
    ("initial", re.compile(r"年初")),
    ("adjusted", re.compile(r"调整后|全年预算|年度预算|预算金额|预算数|预算")),
)


def _budget_section(rows: list[Row], lines: list[str], start: int, end: int) -> tuple[int, list[tuple[int, str]]]:
    """(index of the heading, [(line number, text)]) of the 预算及执行情况 section; blank lines kept as ''."""
    for k in range(start, end):
        if HEADING_RE.match(lines[k]) and any(m in squash(lines[k]) for m in SECTION_MARKS):
            body = []
            for m in range(k + 1, end):
                if HEADING_RE.match(lines[m]):
                    return k, body
                if not PAGE_NUMBER_RE.match(lines[m]):
                    body.append((rows[m].line_no, lines[m].strip()))
            raise DocumentRejected(
                "truncated_report", "the report ends inside its 预算及执行情况 section: it was cut off"
            )
    raise DocumentRejected("no_budget_section", "prose report without a 预算及执行情况 section")


def _line(row: Row) -> str:
    return " ".join(row.cells) if len(row.cells) > 1 else (row.cells[0] if row.cells else "")


@lru_cache(maxsize=4)
def _value_re(units: str) -> re.Pattern:
    return re.compile(VALUE_TEMPLATE.format(units=units))


def _paragraphs(lines: list[str]) -> Iterator[str]:
    """Lines joined into paragraphs: a line as wide as the widest ones was wrapped and goes on in the next."""
    full = DEFAULT_FULL_LINE_SHARE * max(map(len, lines[:DEFAULT_WIDTH_LINES]), default=0)
    current = ""
    for line in lines:
        if line:
            text = line.strip()
            if text and not (text[0] in PAGE_NUMBER_FIRST and PAGE_NUMBER_RE.match(text)):
                current += text
                if len(text) >= full and text[-1] not in CLOSING_PUNCTUATION:
                    continue
        if current:
            yield current
        current = ""
    if current:
        yield current


def _join(body: list[tuple[int, str]]) -> tuple[str, list[int], list[int]]:
    """The section as one text: the lines of a paragraph joined as they were wrapped, paragraphs
    separated by a newline; with the offset where each line starts and its line number."""
    parts, offsets, line_nos = [], [], []
    length = 0
    for line_no, text in body:
        if not text:
            if parts and parts[-1] != "\n":
                parts.append("\n")
                length += 1
            continue
        offsets.append(length)
        line_nos.append(line_no)
        parts.append(text)
        length += len(text)
    return "".join(parts), offsets, line_nos


def _subject(text: str, current: str | None, subjects: tuple[tuple[str, str], ...]) -> str | None:
    """The fund line the words before a figure name, the last named winning; else the one in force."""
    found = [(text.rfind(word), code) for word, code in subjects if word in text]
    return max(found)[1] if found else current


def _measure(text: str, unit: str) -> str | None:
    for measure, pattern in MEASURES:
        if pattern.search(text) and (measure == "rate") == (unit in ("%", "％")):
            return measure
    return None


def _read_figures(body: list[tuple[int, str]], vocab: Vocabulary, issues: IssueLog) -> dict[str, FundLine]:
    # fund lines a sentence may name (the seed's printed_as); the unit's total is told by TOTAL_MARKS
    subjects = tuple((p, code) for p, code in vocab.fund_line_labels(DOC_KIND) if code != "total")
    subjects += tuple((mark, "total") for mark in WHOLE_UNIT_MARKS)
    text, offsets, line_nos = _join(body)
    value_re = _value_re(vocab.unit_alternatives)
    lines: dict[str, FundLine] = {}
    for sentence in SENTENCE_RE.finditer(text):
        clause, subject, start = sentence.group(0), None, 0
        for match in value_re.finditer(clause):
            before = clause[start : match.start()]
            start = match.end()
            line_no = line_nos[bisect_right(offsets, sentence.start() + match.start()) - 1]
            measure = _measure(before, match["unit"])
            subject = _subject(before, subject, subjects)
            if subject is None and any(mark in clause[: match.start()] for mark in TOTAL_MARKS):
                subject = "total"
            if measure is None:
                continue
            if subject is None:
                issues.warn(
                    line_no,
                    "figure_unassigned",
                    f"'{tidy(match.group(0))}': its sentence names no fund line, left out",
                )
                continue
            unit = vocab.unit_names.get(match["unit"], "万元")
            line = lines.setdefault(subject, FundLine(subject, vocab.fund_line_label(subject), line_no, unit))
            _record(line, measure, match, vocab, issues, line_no)
    return lines


def _record(line: FundLine, measure: str, match: re.Match, vocab: Vocabulary, issues: IssueLog, line_no: int) -> None:
    attribute = {"initial": "initial_budget", "adjusted": "adjusted_budget", "executed": "executed", "rate": "rate"}[
        measure
    ]
    text = tidy(match.group(0))
    number = parse_number(match["num"])
    if measure == "rate":
        value = number.value if number else None
        previous = line.rate_text
    else:
        value = amount_to_yuan(number.value, vocab.unit_names[match["unit"]]) if number else None
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


def parse(rows: list[Row], title_index: int, end: int, ordinal: int, vocab: Vocabulary, issues: IssueLog) -> Report:
    """Parse the prose report titled ``rows[title_index]`` and ending before ``rows[end]``."""
    lines = [_line(row) for row in rows]
    report = Report(ordinal, DOC_KIND, rows[title_index].line_no)
    title_block = lines[max(0, title_index - DEFAULT_TITLE_LINES) : title_index + DEFAULT_TITLE_LINES + 1]
    report.fiscal_year = next((y for line in title_block if (y := find_fiscal_year(line))), None)
    head = _paragraphs(lines[max(0, title_index - DEFAULT_TITLE_LINES) : min(end, title_index + DEFAULT_HEAD_LINES)])
    for paragraph in islice(head, DEFAULT_HEAD_PARAGRAPHS):
        if match := UNIT_NAME_RE.search(squash(paragraph)):
            report.unit_name = match.group(0)
            break
    heading, body = _budget_section(rows, lines, title_index, end)
    if not any(NEXT_PART_RE.match(line) for line in lines[heading:end]):
        raise DocumentRejected(
            "truncated_report", "the report ends after its budget section, before part 二: it was cut off"
        )
    figures = _read_figures(body, vocab, issues)
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
