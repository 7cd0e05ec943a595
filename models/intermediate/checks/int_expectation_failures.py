"""Runs the Great Expectations checks of quality/rules.py over the check tables.

One row per failing row and check, with the subject of the row (what it is, in
words); marts.dq_finding turns them into findings.
Only the columns the checks use are read into pandas. GX Data Docs are written
to the folder named by BUDGET_DATA_DOCS, when it is set.

A build in place (BUDGET_CHANGES names what it changed, pipeline/incremental.py)
starts from the published warehouse, this table included. Every check table is
per report and every expectation per row, so the failures of a report follow from
its own check rows: when the rows the check tables read are those of the published
build, its failures are this build's (and its Data Docs stay published), without
loading Great Expectations.
"""

import json
import os
from pathlib import Path


def model(dbt, session):
    dbt.config(materialized="table")
    catalog = dbt.ref("stg_reference__dq_rules")
    # the check tables of quality.tables, named again: dbt reads a Python model's refs from its code
    tables = {
        "int_fund_line_checks": dbt.ref("int_fund_line_checks"),
        "int_budget_sum_checks": dbt.ref("int_budget_sum_checks"),
        "int_indicator_checks": dbt.ref("int_indicator_checks"),
        "int_report_checks": dbt.ref("int_report_checks"),
        "int_level1_checks": dbt.ref("int_level1_checks"),
    }
    changes_file = os.environ.get("BUDGET_CHANGES")
    changes = json.loads(Path(changes_file).read_text(encoding="utf-8")) if changes_file else None
    if changes is not None and changes["check_rows_unchanged"]:
        return session.table(str(dbt.this))

    from quality.runner import columns_to_fetch, run_checks, with_subjects

    catalog = catalog.df()
    wanted = columns_to_fetch(catalog)
    # in the order of their keys: the row numbers Data Docs show do not depend on how the rows were loaded
    frames = {
        name: table.project(", ".join(f'"{c}"' for c in table.columns if c in wanted[name])).order('"check_key"').df()
        for name, table in tables.items()
    }
    docs_dir = os.environ.get("BUDGET_DATA_DOCS")
    failures = run_checks(frames, catalog, Path(docs_dir) if docs_dir else None)
    return with_subjects(failures, tables, session.from_df)
