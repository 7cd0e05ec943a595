"""Runs the Great Expectations checks of quality/rules.py over the check tables.

One row per failing row and check, with the subject of the row (what it is, in
words); marts.dq_finding turns them into findings.
Only the columns the checks use are read into pandas. GX Data Docs are written
to the folder named by BUDGET_DATA_DOCS, when it is set.
"""

import os
from pathlib import Path


def model(dbt, session):
    dbt.config(materialized="table")
    from quality.runner import columns_to_fetch, run_checks, with_subjects

    catalog = dbt.ref("stg_reference__dq_rules").df()
    # the check tables of quality.tables, named again: dbt reads a Python model's refs from its code
    tables = {
        "int_fund_line_checks": dbt.ref("int_fund_line_checks"),
        "int_budget_sum_checks": dbt.ref("int_budget_sum_checks"),
        "int_indicator_checks": dbt.ref("int_indicator_checks"),
        "int_report_checks": dbt.ref("int_report_checks"),
        "int_level1_checks": dbt.ref("int_level1_checks"),
    }
    wanted = columns_to_fetch(catalog)
    # in the order of their keys: the row numbers Data Docs show do not depend on how the rows were loaded
    frames = {
        name: table.project(", ".join(f'"{c}"' for c in table.columns if c in wanted[name])).order('"check_key"').df()
        for name, table in tables.items()
    }
    docs_dir = os.environ.get("BUDGET_DATA_DOCS")
    failures = run_checks(frames, catalog, Path(docs_dir) if docs_dir else None)
    return with_subjects(failures, tables, session.from_df)
