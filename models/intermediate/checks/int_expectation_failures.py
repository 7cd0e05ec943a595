"""Runs the Great Expectations checks of quality/rules.py over the check tables.

One row per failing row and check; marts.dq_finding turns them into findings.
GX Data Docs are written to the folder named by BUDGET_DATA_DOCS, when it is set.
"""

import os
from pathlib import Path


def model(dbt, session):
    dbt.config(materialized="table")
    from quality.runner import run_checks

    frames = {
        "int_fund_line_checks": dbt.ref("int_fund_line_checks").df(),
        "int_budget_sum_checks": dbt.ref("int_budget_sum_checks").df(),
        "int_indicator_checks": dbt.ref("int_indicator_checks").df(),
        "int_report_checks": dbt.ref("int_report_checks").df(),
        "int_level1_checks": dbt.ref("int_level1_checks").df(),
    }
    catalog = dbt.ref("stg_reference__dq_rules").df()
    docs_dir = os.environ.get("BUDGET_DATA_DOCS")
    return run_checks(frames, catalog, Path(docs_dir) if docs_dir else None)
