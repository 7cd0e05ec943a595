"""Runs the Great Expectations checks of quality/rules.py over the check tables.

One row per failing row and check, with the subject of the row (what it is, in
words); marts.dq_finding turns them into findings.
The checks run in a process of their own (quality.process), which imports Great
Expectations while dbt starts; this model reads the check rows (only the columns
the checks use) and sends them there. GX Data Docs are written to the folder
named by BUDGET_DATA_DOCS, when it is set.

A build in place (BUDGET_CHANGES names what it changed, pipeline/incremental.py)
starts from the published warehouse, this table included. Every check table is
per report and every expectation per row, so the failures of a report follow from
its own check rows: when the rows the check tables read are those of the published
build, its failures are this build's (and its Data Docs stay published), without
running Great Expectations. Otherwise GX validates the rows of the reports of changed
files and the rows of other reports that failed in the published build, in key order,
and the counts in the results (and Data Docs) are those of the whole tables
(quality.runner.run_checks): the same failures and Data Docs as a validation of every
row, which name the failing rows by key.
"""

import json
import os
from concurrent.futures import ThreadPoolExecutor
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

    checkpoint = _checkpoint_meanwhile(session)
    from quality.process import VALIDATION_ORDER, started, with_subjects

    checks = started()  # as dbt started (pipeline/dbt_worker.py), or now
    plan = checks.plan(catalog, tables, counted=changes is not None)
    docs_dir = os.environ.get("BUDGET_DATA_DOCS")
    docs = Path(docs_dir) if docs_dir else None
    if changes is None:
        # in key order: Data Docs list the failing rows in an order that does not depend on how rows were loaded
        rows = {name: tables[name].project(plan.projections[name]).order('"check_key"') for name in VALIDATION_ORDER}
        failures = checks.validate(rows, catalog, docs)
    else:
        counts = plan.whole_table_counts(tables)
        rows = _rows_to_validate(dbt, session, tables, plan.projections, changes["changed_files"])
        failures = checks.validate(rows, catalog, docs, counts)
    failures = with_subjects(failures, tables, session)
    checkpoint.result()  # its errors, other than a refusal, are the model's
    return failures


def _checkpoint_meanwhile(session):
    """Start a checkpoint: the tables written before this model, which DuckDB keeps in its log until
    no other transaction runs (in a build, one always does), are written into the database file while
    the checks run. Otherwise the checkpoint comes at this model's commit, or at the end, and the
    build waits for it. When another node is writing, DuckDB refuses; it checkpoints later, as before."""
    import duckdb

    def checkpoint(cursor):
        try:
            cursor.execute("checkpoint")
        except duckdb.TransactionException:  # "there are other write transactions active"
            pass
        finally:
            cursor.close()

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checkpoint")
    done = pool.submit(checkpoint, session.cursor())
    pool.shutdown(wait=False)
    return done


def _rows_to_validate(dbt, session, tables, projections, changed_files):
    """Per check table, in the order they are validated: the rows of the reports of changed files and
    the rows of other reports that failed in the published build (this table, as copied), in key order."""
    from quality.process import VALIDATION_ORDER

    reports = dbt.ref("stg_reports__reports").project('"report_id", "source_file"')
    # in SQL, not an Arrow table made from the list: dbt's process does without pandas (quality.process)
    changed = session.sql("select unnest($files::varchar[]) as source_file", params={"files": changed_files})
    changed_reports = reports.join(changed, "source_file", how="semi").project('"report_id"')
    kept_reports = reports.join(changed, "source_file", how="anti").project('"report_id"')
    failed_before = session.table(str(dbt.this)).join(kept_reports, "report_id", how="semi")
    relations = {}
    for name in VALIDATION_ORDER:
        table = tables[name]
        failed = failed_before.filter(f"check_table = '{name}'").project('"check_key"').distinct()
        chosen = table.join(changed_reports, "report_id", how="semi").union(table.join(failed, "check_key", how="semi"))
        relations[name] = chosen.project(projections[name]).order('"check_key"')
    return relations
