"""Flatten parse results into the rows of the parsed seed tables.

The column names here and the column types declared in seeds/_seeds.yml
describe the same tables; ``ingest.seeds`` checks that they agree.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ingest import parser_version
from ingest.model import WARNING, FileResult, FundLine, Indicator, ParseIssue, Report

VARCHAR, INTEGER, BIGINT, TIMESTAMP = "VARCHAR", "INTEGER", "BIGINT", "TIMESTAMP"
YUAN, RATE, MEASURE, POINTS = "DECIMAL(18,2)", "DECIMAL(9,4)", "DECIMAL(18,4)", "DECIMAL(9,4)"

# Columns of each parsed seed table, in file order, with their DuckDB types.
COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "parsed_files": (
        ("source_file", VARCHAR),
        ("source_sha256", VARCHAR),
        ("size_bytes", BIGINT),
        ("file_modified_at", TIMESTAMP),
        ("encoding", VARCHAR),
        ("parser_version", VARCHAR),
        ("status", VARCHAR),
        ("skip_reason", VARCHAR),
        ("doc_kinds", VARCHAR),
        ("reports", INTEGER),
        ("detected_format", VARCHAR),
        ("reader", VARCHAR),
    ),
    "parsed_reports": (
        ("report_id", VARCHAR),
        ("source_file", VARCHAR),
        ("source_sha256", VARCHAR),
        ("report_ordinal", INTEGER),
        ("line_no", INTEGER),
        ("doc_kind", VARCHAR),
        ("fiscal_year", INTEGER),
        ("district", VARCHAR),
        ("town", VARCHAR),
        ("unit_name", VARCHAR),
        ("supervisor", VARCHAR),
        ("project_name", VARCHAR),
        ("amount_unit", VARCHAR),
        ("goal_text", VARCHAR),
        ("result_text", VARCHAR),
        ("total_weight_text", VARCHAR),
        ("total_score_text", VARCHAR),
        ("total_weight", POINTS),
        ("total_score", POINTS),
        ("grade", VARCHAR),
        ("budget_execution_weight", POINTS),
        ("budget_execution_score", POINTS),
    ),
    "parsed_fund_lines": (
        ("report_id", VARCHAR),
        ("fund_line", VARCHAR),
        ("fund_line_printed", VARCHAR),
        ("line_no", INTEGER),
        ("amount_unit", VARCHAR),
        ("initial_budget_text", VARCHAR),
        ("adjusted_budget_text", VARCHAR),
        ("executed_text", VARCHAR),
        ("execution_rate_text", VARCHAR),
        ("initial_budget_yuan", YUAN),
        ("adjusted_budget_yuan", YUAN),
        ("executed_yuan", YUAN),
        ("execution_rate_pct", RATE),
        ("execution_rate_decimals", INTEGER),
        ("page", INTEGER),
    ),
    "parsed_indicators": (
        ("report_id", VARCHAR),
        ("indicator_seq", INTEGER),
        ("line_no", INTEGER),
        ("level1", VARCHAR),
        ("level2", VARCHAR),
        ("indicator_name", VARCHAR),
        ("target_text", VARCHAR),
        ("actual_text", VARCHAR),
        ("target_op", VARCHAR),
        ("target_value", MEASURE),
        ("target_unit", VARCHAR),
        ("actual_value", MEASURE),
        ("actual_unit", VARCHAR),
        ("weight_text", VARCHAR),
        ("score_text", VARCHAR),
        ("weight", POINTS),
        ("score", POINTS),
        ("deviation_note", VARCHAR),
        ("criteria_note", VARCHAR),
        ("page", INTEGER),
    ),
    "parsed_level1_weights": (
        ("report_id", VARCHAR),
        ("level1", VARCHAR),
        ("weight_text", VARCHAR),
        ("weight", POINTS),
        ("line_no", INTEGER),
    ),
    "parsed_issues": (
        ("source_file", VARCHAR),
        ("line_no", INTEGER),
        ("severity", VARCHAR),
        ("issue_code", VARCHAR),
        ("message", VARCHAR),
    ),
}
TABLES = tuple(COLUMNS)

DECIMAL_SHAPES = {YUAN: (18, 2), RATE: (9, 4), MEASURE: (18, 4), POINTS: (9, 4)}  # (precision, scale)


def report_id(source_file: str, ordinal: int) -> str:
    """Stable id of a report: its file and its place in the file."""
    return hashlib.sha1(f"{source_file}#{ordinal}".encode()).hexdigest()[:16]


@lru_cache(maxsize=65536)
def _decimal_text(value: Decimal, sql_type: str) -> str | None:
    """The value as CSV text at the column's scale, or None if its DECIMAL(p,s) cannot hold it exactly.

    Cached: the same weights, scores and targets recur on every other row.
    """
    precision, scale = DECIMAL_SHAPES[sql_type]
    quantum = Decimal(1).scaleb(-scale)
    try:
        exact = value.quantize(quantum)
    except InvalidOperation:  # far too large for the decimal context
        return None
    if exact != value or exact.adjusted() >= precision - scale:
        return None
    return format(exact, "f")


def _num(value: Decimal | None, sql_type: str, what: str, line_no: int, issues: list[ParseIssue]) -> str | None:
    """A decimal as CSV text, or None with a warning if the column cannot hold it exactly.

    The cast would round extra decimals silently, and a value too large would fail the whole load.
    """
    if value is None:
        return None
    text = _decimal_text(value, sql_type)
    if text is None:
        _, scale = DECIMAL_SHAPES[sql_type]
        if value.as_tuple().exponent < -scale:
            message, code = f"{what} {value} has more than {scale} decimals: left NULL", "too_precise"
        else:
            message, code = f"{what} {value} does not fit {sql_type}: left NULL", "too_large"
        issues.append(ParseIssue(line_no, WARNING, code, message))
    return text


def _report_row(result: FileResult, report: Report, rid: str, issues: list[ParseIssue]) -> tuple:
    line = report.line_no
    return (
        rid,
        result.source_file,
        result.sha256,
        report.ordinal,
        line,
        report.doc_kind,
        report.fiscal_year,
        report.district,
        report.town,
        report.unit_name,
        report.supervisor,
        report.project_name,
        report.amount_unit,
        report.goal_text,
        report.result_text,
        report.total_weight_text,
        report.total_score_text,
        _num(report.total_weight, POINTS, "总分", line, issues),
        _num(report.total_score, POINTS, "总分", line, issues),
        report.grade,
        _num(report.budget_execution_weight, POINTS, "分数", line, issues),
        _num(report.budget_execution_score, POINTS, "得分", line, issues),
    )


def _fund_row(f: FundLine, rid: str, issues: list[ParseIssue]) -> tuple:
    return (
        rid,
        f.fund_line,
        f.label,
        f.line_no,
        f.amount_unit,
        f.initial_budget_text,
        f.adjusted_budget_text,
        f.executed_text,
        f.rate_text,
        _num(f.initial_budget_yuan, YUAN, f.label, f.line_no, issues),
        _num(f.adjusted_budget_yuan, YUAN, f.label, f.line_no, issues),
        _num(f.executed_yuan, YUAN, f.label, f.line_no, issues),
        _num(f.execution_rate_pct, RATE, f.label, f.line_no, issues),
        f.rate_decimals,
        f.page,
    )


def _indicator_row(i: Indicator, rid: str, issues: list[ParseIssue]) -> tuple:
    return (
        rid,
        i.seq,
        i.line_no,
        i.level1,
        i.level2,
        i.name,
        i.target_text,
        i.actual_text,
        i.target_op,
        _num(i.target_value, MEASURE, "target", i.line_no, issues),
        i.target_unit,
        _num(i.actual_value, MEASURE, "actual", i.line_no, issues),
        i.actual_unit,
        i.weight_text,
        i.score_text,
        _num(i.weight, POINTS, "分值", i.line_no, issues),
        _num(i.score, POINTS, "得分", i.line_no, issues),
        i.deviation_note,
        i.criteria_note,
        i.page,
    )


def rows_of(result: FileResult) -> dict[str, list[tuple]]:
    """Every seed row one file contributes."""
    rows: dict[str, list[tuple]] = {table: [] for table in TABLES}
    issues = list(result.issues)
    reports = result.document.reports if result.document else []
    for report in reports:
        rid = report_id(result.source_file, report.ordinal)
        rows["parsed_reports"].append(_report_row(result, report, rid, issues))
        rows["parsed_fund_lines"].extend(_fund_row(f, rid, issues) for f in report.fund_lines)
        rows["parsed_indicators"].extend(_indicator_row(i, rid, issues) for i in report.indicators)
        rows["parsed_level1_weights"].extend(
            (rid, w.level1, w.weight_text, _num(w.weight, POINTS, "权重", w.line_no, issues), w.line_no)
            for w in report.level1_weights
        )
    rows["parsed_issues"] = [(result.source_file, i.line_no, i.severity, i.code, i.message) for i in issues]
    modified = (
        datetime.fromtimestamp(result.mtime, tz=UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        if result.mtime is not None
        else None  # a file whose bytes could not be read
    )
    kinds = " ".join(sorted({r.doc_kind for r in reports})) or None
    rows["parsed_files"] = [
        (
            result.source_file,
            result.sha256,
            result.size_bytes,
            modified,
            result.encoding,
            parser_version(),
            "skipped" if result.skipped else "parsed",
            result.reason,
            kinds,
            len(reports),
            result.detected_format,
            result.reader,
        )
    ]
    return rows
