"""Typed rows produced by the parsers.

A document (one file) holds one or more reports; a report holds fund lines and
indicator rows.  Values that could not be read with confidence are ``None`` and
come with a :class:`ParseIssue` naming the line and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

# Severities of a parse issue.
ERROR = "error"  # the file was skipped
WARNING = "warning"  # a value was left NULL (or a row dropped) because it could not be read
INFO = "info"  # a layout quirk was repaired; the values are trusted


@dataclass(frozen=True)
class ParseIssue:
    line_no: int | None
    severity: str
    code: str
    message: str


@dataclass
class FundLine:
    """One row of a budget table (or one subject of a budget paragraph)."""

    fund_line: str  # code from seeds/reference/fund_lines.csv
    label: str  # the label as printed
    line_no: int
    amount_unit: str  # unit of the amounts as printed, normalised (元 / 万元 / 亿元)
    initial_budget_text: str | None = None
    adjusted_budget_text: str | None = None
    executed_text: str | None = None
    rate_text: str | None = None
    initial_budget_yuan: Decimal | None = None
    adjusted_budget_yuan: Decimal | None = None
    executed_yuan: Decimal | None = None
    execution_rate_pct: Decimal | None = None
    rate_decimals: int | None = None
    page: int | None = None  # page of the row, where the file has pages (PDF)


@dataclass
class Indicator:
    """One row of an indicator table (三级指标)."""

    seq: int
    line_no: int
    name: str
    level1: str | None = None
    level2: str | None = None
    target_text: str | None = None
    actual_text: str | None = None
    target_op: str | None = None
    target_value: Decimal | None = None
    target_unit: str | None = None
    actual_value: Decimal | None = None
    actual_unit: str | None = None
    weight_text: str | None = None
    score_text: str | None = None
    weight: Decimal | None = None
    score: Decimal | None = None
    deviation_note: str | None = None
    criteria_note: str | None = None  # 三级 text of 投入管理 rows (how the score is set)
    page: int | None = None  # page of the row, where the file has pages (PDF)


@dataclass
class Level1Weight:
    """A 一级指标 weight (权重) as printed in a department table."""

    level1: str
    weight_text: str
    weight: Decimal
    line_no: int


@dataclass
class Report:
    """One evaluated report: a department, or one project."""

    ordinal: int  # position in the file, from 1
    doc_kind: str  # dept_table | project_table | dept_narrative
    line_no: int  # line of the title
    fiscal_year: int | None = None
    district: str | None = None
    town: str | None = None
    unit_name: str | None = None
    supervisor: str | None = None
    project_name: str | None = None
    amount_unit: str | None = None
    goal_text: str | None = None
    result_text: str | None = None
    total_weight_text: str | None = None
    total_score_text: str | None = None
    total_weight: Decimal | None = None
    total_score: Decimal | None = None
    grade: str | None = None
    budget_execution_weight: Decimal | None = None
    budget_execution_score: Decimal | None = None
    fund_lines: list[FundLine] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    level1_weights: list[Level1Weight] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """What one file yields: its reports and every issue met on the way."""

    reports: list[Report] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)

    @property
    def skipped(self) -> bool:
        return any(issue.severity == ERROR for issue in self.issues)


class DocumentRejected(Exception):
    """The file cannot be used at all; it is skipped with this reason."""

    def __init__(self, code: str, message: str, line_no: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.line_no = line_no


class IssueLog(list):
    """The issues of one document, in the order they were met."""

    def warn(self, line_no: int | None, code: str, message: str) -> None:
        self.append(ParseIssue(line_no, WARNING, code, message))

    def info(self, line_no: int | None, code: str, message: str) -> None:
        self.append(ParseIssue(line_no, INFO, code, message))


@dataclass
class FileResult:
    """One file of the corpus as read: its identity, how it was read, and what it yielded."""

    source_file: str  # path relative to the reports folder, / separators, lossless escapes (ingest.service)
    sha256: str | None  # None when the bytes could not be read
    size_bytes: int | None
    mtime: float | None
    encoding: str | None = None
    document: ParsedDocument | None = None
    issues: list[ParseIssue] = field(default_factory=list)
    detected_format: str | None = None  # one of ingest.formats.FORMATS, told from the bytes
    reader: str | None = None  # library and version that read the file

    @property
    def skipped(self) -> bool:
        return self.document is None

    @property
    def reason(self) -> str | None:
        return next((i.message for i in self.issues if i.severity == ERROR), None)
