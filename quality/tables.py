"""The check tables: the dbt models (models/intermediate/checks/) whose rows the consistency rules validate.

The one list of them, importable without loading Great Expectations.  The
expectations model (int_expectation_failures) refs each of them by name, since
dbt reads a Python model's refs from its code; the runner refuses to run when
those differ from this list.
"""

FUND_LINES = "int_fund_line_checks"
BUDGET_SUMS = "int_budget_sum_checks"
INDICATORS = "int_indicator_checks"
REPORTS = "int_report_checks"
LEVEL1_GROUPS = "int_level1_checks"
CHECK_TABLES = (FUND_LINES, BUDGET_SUMS, INDICATORS, REPORTS, LEVEL1_GROUPS)
