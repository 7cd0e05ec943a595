"""The consistency rules as Great Expectations expectations, one or more per rule.

Each check names the check table it runs on (quality.tables: a dbt model in
models/intermediate/checks/), the expectation that asserts the rule, and the
columns a failing row reports as the value found, the value expected, their
difference and the tolerance.  Severity, category and messages are data, in
the rule catalog seeds/reference/dq_rules.csv; the rule ids here must match it.
"""

from __future__ import annotations

from dataclasses import dataclass

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from quality.tables import BUDGET_SUMS, CHECK_TABLES, FUND_LINES, INDICATORS, LEVEL1_GROUPS, REPORTS

FRAMES = CHECK_TABLES

EITHER_MISSING = "either_value_is_missing"


@dataclass(frozen=True)
class Check:
    rule_id: str
    frame: str
    expectation: gxe.Expectation
    observed: str | None  # column reported as the value found
    expected: str | None  # column reported as the value expected
    difference: str | None = None  # column holding the difference; else observed - expected
    tolerance: str | None = None
    detail: str | None = None  # tells apart several checks of one rule on the same row


def _equal(a: str, b: str, **kwargs) -> gxe.Expectation:
    return gxe.ExpectColumnPairValuesToBeEqual(column_A=a, column_B=b, ignore_row_if=EITHER_MISSING, **kwargs)


def _at_least(a: str, b: str, or_equal: bool = True, **kwargs) -> gxe.Expectation:
    """Column a >= column b (or a > b)."""
    return gxe.ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=a, column_B=b, or_equal=or_equal, ignore_row_if=EITHER_MISSING, **kwargs
    )


def _where(flag: str) -> dict:
    """Apply the expectation only to the rows where the boolean column ``flag`` is true."""
    return {"row_condition": Column(flag) == True}  # noqa: E712 - builds a GX condition, not a comparison


def build_checks(thresholds: dict[str, float]) -> list[Check]:
    """Every check, with the thresholds of the rule catalog (rule id -> threshold)."""
    checks = [
        # F3: parsed amounts and rates equal their printed text
        *(
            Check("F3", FUND_LINES, _equal(parsed, printed), parsed, printed, detail=parsed)
            for parsed, printed in (
                ("initial_budget_yuan", "initial_budget_printed_yuan"),
                ("adjusted_budget_yuan", "adjusted_budget_printed_yuan"),
                ("executed_yuan", "executed_printed_yuan"),
                ("execution_rate_reported_pct", "execution_rate_printed_pct"),
            )
        ),
        # F4: parsed indicator numbers equal their printed text
        *(
            Check("F4", INDICATORS, _equal(parsed, printed), parsed, printed, detail=parsed)
            for parsed, printed in (
                ("weight", "weight_printed"),
                ("score", "score_printed"),
                ("target_value", "target_value_printed"),
                ("actual_value", "actual_value_printed"),
            )
        ),
        Check(
            "B1",
            FUND_LINES,
            _at_least("adjusted_budget_yuan", "executed_yuan"),
            "executed_yuan",
            "adjusted_budget_yuan",
        ),
        Check(
            "B2",
            FUND_LINES,
            gxe.ExpectColumnValuesToBeBetween(column="execution_rate_excess_pct", max_value=0),
            "execution_rate_reported_pct",
            "execution_rate_computed_pct",
            difference="execution_rate_difference_pct",
            tolerance="execution_rate_tolerance_pct",
        ),
        Check(
            "B3",
            BUDGET_SUMS,
            gxe.ExpectColumnValuesToBeBetween(column="excess_yuan", max_value=0),
            "observed_yuan",
            "expected_yuan",
            difference="difference_yuan",
            tolerance="tolerance_yuan",
        ),
        Check(
            "B4",
            FUND_LINES,
            gxe.ExpectColumnValuesToBeBetween(
                column="budget_change_pct", min_value=thresholds["B4"], **_where("is_headline")
            ),
            "adjusted_budget_yuan",
            "initial_budget_yuan",
            difference="budget_change_pct",
        ),
        *(
            Check(
                "B5",
                FUND_LINES,
                gxe.ExpectColumnValuesToBeBetween(column=amount, min_value=0),
                amount,
                None,
                detail=amount,
            )
            for amount in ("initial_budget_yuan", "adjusted_budget_yuan", "executed_yuan")
        ),
        *(
            Check(
                "B6",
                FUND_LINES,
                gxe.ExpectColumnValuesToBeInSet(column=f"has_{amount}", value_set=[True], **_where(required)),
                f"{amount}_printed_as",
                f"{amount}_header",
                detail=f"{amount}_yuan",
            )
            # B6: the amounts the template requires are printed (not —, /, 无 or an empty cell)
            for amount, required in (
                ("initial_budget", "requires_initial_budget"),
                ("adjusted_budget", "requires_amounts"),
                ("executed", "requires_amounts"),
            )
        ),
        Check("I1", INDICATORS, _at_least("weight", "score"), "score", "weight"),
        Check("I2", REPORTS, _equal("weight_total", "weight_expected"), "weight_total", "weight_expected"),
        Check("I3", REPORTS, _equal("score_total", "total_score"), "score_total", "total_score"),
        Check("I4", REPORTS, _equal("grade", "grade_from_total"), "grade", "grade_from_total"),
        Check(
            "I5",
            INDICATORS,
            gxe.ExpectColumnValuesToBeInSet(column="has_deviation_note", value_set=[True], **_where("is_deducted")),
            "score",
            "weight",
        ),
        # a missed target must cost points: weight > score
        Check(
            "I6",
            INDICATORS,
            _at_least("weight", "score", or_equal=False, **_where("target_missed")),
            "actual_text",
            "target_text",
        ),
        Check("I7", INDICATORS, _equal("score", "weight", **_where("target_hit")), "score", "weight"),
        Check("I8", INDICATORS, _equal("actual_unit", "target_unit"), "actual_unit", "target_unit"),
        Check(
            "I9",
            LEVEL1_GROUPS,
            gxe.ExpectColumnValuesToBeBetween(column="unexplained_weight", max_value=0),
            "assigned_weight",
            "level1_weight",
            difference="difference",
        ),
        Check(
            "I10",
            REPORTS,
            gxe.ExpectColumnValuesToNotBeNull(column="total_score", **_where("is_table")),
            None,
            None,
        ),
    ]
    for number, check in enumerate(checks):
        check.expectation.meta = {"rule_id": check.rule_id, "check": number, "detail": check.detail}
    return checks


KEYS = ("check_key", "report_id", "fund_line", "indicator_seq")


def value_columns(expectation: gxe.Expectation) -> list[str]:
    """The columns whose values an expectation asserts on (one, or a pair)."""
    return [c for c in (getattr(expectation, name, None) for name in ("column", "column_A", "column_B")) if c]


def _expectation_columns(check: Check) -> list[str]:
    """The columns the expectation of a check reads (its row condition's flag included)."""
    expectation = check.expectation
    flag = [expectation.row_condition.column.name] if expectation.row_condition is not None else []
    return [*value_columns(expectation), *flag]


def columns_validated(checks: list[Check], frame: str) -> list[str]:
    """The columns of a check table Great Expectations reads: what it validates, nothing it only reports."""
    needed = [c for check in checks if check.frame == frame for c in _expectation_columns(check)]
    return list(dict.fromkeys(needed))


def columns_needed(checks: list[Check], frame: str) -> list[str]:
    """The columns of a check table the checks on it read or report: all that is fetched into pandas."""
    needed = []
    for check in (c for c in checks if c.frame == frame):
        used = [*_expectation_columns(check), check.observed, check.expected, check.difference, check.tolerance]
        needed += [c for c in used if c]
    return list(dict.fromkeys(needed))
