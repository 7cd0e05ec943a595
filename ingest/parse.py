"""Text of one file in, typed reports out: the pure entry point of the parsers (no I/O)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest import dept_table, narrative, project_table
from ingest.header import locate
from ingest.layouts import read_text
from ingest.model import DocumentRejected, IssueLog, ParsedDocument, ParseIssue, Report
from ingest.text import Row, normalise_newlines
from ingest.vocabulary import Vocabulary

DEFAULT_TITLE_MAX_CHARS = 40  # a title stands alone on its line; longer lines are prose mentioning it
TITLES = (
    (re.compile(r"项目支出绩效自评表$"), project_table.DOC_KIND),
    (re.compile(r"整体支出绩效自评表$"), dept_table.DOC_KIND),
    (re.compile(r"整体支出(?:预算)?绩效自评报告$"), narrative.DOC_KIND),
)
TITLE_PUNCTUATION = str.maketrans("", "", "《》“”\"'")
TITLE_YEAR_RE = re.compile(r"[(（]\d{4}年度?[)）]$")  # "部门预算项目支出绩效自评表(2023年度)"
TITLE_MARK = "自评"  # in every title: most lines are told apart by it before any pattern is tried


def find_titles(rows: list[Row]) -> list[tuple[int, str]]:
    """(row index, document kind) of every title line."""
    titles = []
    for index, row in enumerate(rows):
        if row.filled_count != 1:
            continue
        text = row.squashed.translate(TITLE_PUNCTUATION)  # the row's one cell, spaces removed
        if len(text) > DEFAULT_TITLE_MAX_CHARS or TITLE_MARK not in text:
            continue
        if text.endswith((")", "）")):
            text = TITLE_YEAR_RE.sub("", text)
        kind = next((kind for pattern, kind in TITLES if pattern.search(text)), None)
        if kind:
            titles.append((index, kind))
    return titles


def _check(report: Report, issues: IssueLog, vocab: Vocabulary) -> None:
    line = report.line_no
    if report.fiscal_year is None:
        issues.warn(line, "year_missing", "no fiscal year (年度) found: left NULL")
    if report.unit_name is None:
        issues.warn(line, "unit_missing", "no unit name found: left NULL")
    place = locate(report.unit_name, vocab)
    if place.town is None and report.supervisor:
        place = locate(report.supervisor, vocab)
    report.district, report.town = place.district, place.town
    if place.town is None:
        issues.info(line, "town_missing", f"no town (镇 / 街道) named in '{report.unit_name}': a district-level unit")
    elif not place.in_reference:
        issues.info(line, "town_unlisted", f"town '{place.town}' is not in seeds/reference/towns.csv")


def parse_document(text: str, vocab: Vocabulary) -> ParsedDocument:
    """Parse the text of one file, in whatever layout an extractor printed it; raises DocumentRejected
    when the file cannot be used."""
    layout = read_text(normalise_newlines(text), vocab)
    return parse_rows(layout.rows, vocab, layout.issues)


def parse_rows(rows: list[Row], vocab: Vocabulary, issues: Iterable[ParseIssue] = ()) -> ParsedDocument:
    """Parse a document given as rows of cells, whatever format it was read from.

    ``issues``: what the reader met before the parsers (cells it could not place), kept first.
    """
    titles = find_titles(rows)
    if not titles:
        raise DocumentRejected("unrecognised", "no 自评表 / 自评报告 title: not a budget performance self-evaluation")
    issues = IssueLog(issues)
    reports = []
    for ordinal, (start, kind) in enumerate(titles, start=1):
        end = titles[ordinal][0] if ordinal < len(titles) else len(rows)
        if kind == narrative.DOC_KIND:
            report = narrative.parse(rows, start, end, ordinal, vocab, issues)
        elif kind == dept_table.DOC_KIND:
            report = dept_table.parse(rows[start:end], ordinal, vocab, issues)
        else:
            report = project_table.parse(rows[start:end], ordinal, vocab, issues)
        _check(report, issues, vocab)
        reports.append(report)
    _mark_pages(reports, rows)
    return ParsedDocument(reports, list(issues))


def _mark_pages(reports: list[Report], rows: list[Row]) -> None:
    """Give every fund line and indicator the page of the row it was read from (formats with pages)."""
    page_of = {row.line_no: row.page for row in rows if row.page is not None}
    if not page_of:
        return
    for report in reports:
        for fact in (*report.fund_lines, *report.indicators):
            fact.page = page_of.get(fact.line_no)
