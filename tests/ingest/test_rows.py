"""Decimals leave the parsers only when their seed column holds them exactly; otherwise NULL and a warning."""

from decimal import Decimal

from ingest.rows import MEASURE, YUAN, _num


def test_a_value_that_fits_is_written_at_its_column_scale():
    issues = []
    assert _num(Decimal("12.5"), YUAN, "executed", 7, issues) == "12.50"
    assert _num(Decimal("-0.0001"), MEASURE, "target", 7, issues) == "-0.0001"
    assert issues == []


def test_too_many_decimals_is_null_with_a_warning():
    issues = []
    assert _num(Decimal("99.12345"), MEASURE, "target", 12, issues) is None
    [issue] = issues
    assert (issue.line_no, issue.severity, issue.code) == (12, "warning", "too_precise")
    assert "more than 4 decimals" in issue.message


def test_too_large_for_the_column_is_null_with_a_warning():
    issues = []
    assert _num(Decimal("12345678901234567.00"), YUAN, "budget", 3, issues) is None
    [issue] = issues
    assert (issue.line_no, issue.severity, issue.code) == (3, "warning", "too_large")
    assert "does not fit DECIMAL(18,2)" in issue.message
