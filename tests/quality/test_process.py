"""The checks run in a process of their own (quality.process): the failures and Data Docs are those
of the same checks run in this process, an error there names its cause here, and the process never
outlives the one that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from quality.process import FAILURE_COLUMNS, VALIDATION_ORDER, ChecksFailed, ChecksProcess, with_subjects
from quality.runner import projection, run_checks, to_frame, whole_table_counts
from quality.tables import CHECK_TABLES
from tests.conftest import REPO
from tests.pipeline.test_incremental import data_docs

pytestmark = pytest.mark.build

KEY = ["check_table", "rule_id", "detail", "check_key"]


def _sorted(failures):
    return failures.sort_values(KEY).reset_index(drop=True)


def _frame(failures):
    """The failures the checks process sends (an Arrow table) as run_checks returns them here."""
    return failures.to_pandas().astype(FAILURE_COLUMNS)


@pytest.fixture(scope="module")
def checks():
    return ChecksProcess()


def test_every_row_validated_there_as_here(sample_build, checks, tmp_path):
    with duckdb.connect(str(sample_build.warehouse), read_only=True) as con:
        rules = con.table("staging.stg_reference__dq_rules")
        catalog = rules.df()
        tables = {name: con.table(f"intermediate.{name}") for name in CHECK_TABLES}
        plan = checks.plan(rules, tables, counted=False)
        rows = {name: tables[name].project(plan.projections[name]).order('"check_key"') for name in VALIDATION_ORDER}
        there = _frame(checks.validate(rows, rules, tmp_path / "there"))
        frames = {name: to_frame(relation) for name, relation in rows.items()}
        here = run_checks(frames, catalog, tmp_path / "here")
        built = con.sql("select rule_id, check_key from intermediate.int_expectation_failures").fetchall()
    assert len(there) > 1 and there["check_table"].nunique() > 1  # the sample has findings on several tables
    assert _sorted(there).equals(_sorted(here))
    assert sorted(zip(there["rule_id"], there["check_key"], strict=True)) == sorted(built)
    assert data_docs(tmp_path / "there") == data_docs(tmp_path / "here")


def test_some_rows_validated_there_as_here(sample_build, checks, tmp_path):
    with duckdb.connect(str(sample_build.warehouse), read_only=True) as con:
        rules = con.table("staging.stg_reference__dq_rules")
        catalog = rules.df()
        tables = {name: con.table(f"intermediate.{name}") for name in CHECK_TABLES}
        plan = checks.plan(rules, tables, counted=True)
        assert plan.whole_table_counts(tables) == whole_table_counts(catalog, tables)
        # about every other row, in key order
        rows = {
            name: tables[name].project(plan.projections[name]).filter("hash(check_key) % 2 = 0").order('"check_key"')
            for name in VALIDATION_ORDER
        }
        counts = plan.whole_table_counts(tables)
        there = _frame(checks.validate(rows, rules, tmp_path / "there", counts))
        frames = {name: to_frame(relation) for name, relation in rows.items()}
        here = run_checks(frames, catalog, tmp_path / "here", counts)
    assert len(there) > 0
    assert _sorted(there).equals(_sorted(here))
    assert data_docs(tmp_path / "there") == data_docs(tmp_path / "here")


def test_the_plan_reads_the_columns_the_checks_use(sample_build, checks):
    with duckdb.connect(str(sample_build.warehouse), read_only=True) as con:
        rules = con.table("staging.stg_reference__dq_rules")
        tables = {name: con.table(f"intermediate.{name}") for name in CHECK_TABLES}
        plan = checks.plan(rules, tables, counted=False)
        from quality.runner import columns_to_fetch

        wanted = columns_to_fetch(rules.df())
        for name, table in tables.items():
            assert plan.projections[name] == projection(table, wanted[name])
        assert plan.counts == {name: [] for name in CHECK_TABLES}


def test_the_build_records_the_great_expectations_that_ran_the_checks(sample_build, checks):
    import great_expectations as gx

    from quality.rules import build_checks

    version, count = checks.runtime()
    assert version == gx.__version__ and count == len(build_checks({"B4": -20.0})) > 10
    runtime = "select great_expectations_version, checks from intermediate.int_expectation_runtime"
    assert sample_build.query(runtime) == [(version, count)]


def test_an_error_there_is_raised_here_with_its_cause(sample_build, checks, tmp_path):
    with duckdb.connect(str(sample_build.warehouse), read_only=True) as con:
        rules = con.table("staging.stg_reference__dq_rules")
        tables = {name: con.table(f"intermediate.{name}") for name in CHECK_TABLES}
        plan = checks.plan(rules, tables, counted=False)
        rows = {name: tables[name].project(plan.projections[name]) for name in VALIDATION_ORDER}
        by_gx = rules.filter("checked_by = 'great_expectations'")
        ((first,),) = by_gx.order("rule_id").limit(1).project("rule_id").fetchall()
        broken = rules.filter(f"rule_id != '{first}'")  # a check with no rule
        with pytest.raises(ChecksFailed, match="rule catalog and checks disagree"):
            checks.validate(rows, broken, tmp_path / "docs")
        # the process is still there for the next validation
        assert len(checks.validate(rows, rules, None)) > 1


def test_a_table_that_cannot_be_read_fails_the_validation_without_a_hang(sample_build, checks):
    with duckdb.connect(str(sample_build.warehouse), read_only=True) as con:
        rules = con.table("staging.stg_reference__dq_rules")
        tables = {name: con.table(f"intermediate.{name}") for name in CHECK_TABLES}
        plan = checks.plan(rules, tables, counted=False)
        rows = {name: tables[name].project(plan.projections[name]) for name in VALIDATION_ORDER}
        rows[VALIDATION_ORDER[1]] = con.sql("select 1 / 0 as check_key from range(3) where error('unreadable')")
        with pytest.raises(duckdb.Error, match="unreadable"):
            checks.validate(rows, rules, None)
        # the next validation gets its own tables and reply, not those of the one given up
        rows = {name: tables[name].project(plan.projections[name]) for name in VALIDATION_ORDER}
        assert len(checks.validate(rows, rules, None)) > 1


def test_each_failure_gets_the_subject_of_its_own_row_in_its_own_check_table():
    with duckdb.connect() as con:
        rows = "('r1|total', '总计'), ('r2|total', '当年拨款')"
        con.execute(f"create table fund as from (values {rows}) t(check_key, subject)")
        con.execute("create table report as from (values ('r1|total', 'report r1')) t(check_key, subject)")
        tables = {"fund": con.table("fund"), "report": con.table("report")}
        failing = pd.DataFrame(
            {
                "rule_id": ["B1", "B4", "R1"],
                "check_table": ["fund", "report", "fund"],
                "check_key": ["r1|total", "r1|total", "r9|total"],  # one key in two tables; one not there
                "subject": [pd.NA] * 3,
            }
        ).reindex(columns=list(FAILURE_COLUMNS))
        joined = with_subjects(pa.Table.from_pandas(failing.astype(FAILURE_COLUMNS), preserve_index=False), tables, con)
        assert joined.columns == list(FAILURE_COLUMNS)
        assert joined.project("rule_id, subject").order("rule_id").fetchall() == [
            ("B1", "总计"),
            ("B4", "report r1"),
            ("R1", None),
        ]
        none = pd.DataFrame(columns=list(FAILURE_COLUMNS)).astype(FAILURE_COLUMNS)
        assert with_subjects(pa.Table.from_pandas(none, preserve_index=False), tables, con).fetchall() == []


def test_callers_in_several_threads_each_get_their_own_reply(checks):
    # dbt runs the models that ask the checks process on two threads; a reply must reach its own caller
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(lambda n: checks._call(len, [0] * n), range(40)))
    assert replies == list(range(40))


STARTER = """
import sys, time
from quality.process import started
checks = started()
print(checks._process.pid, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for its parent is gone for our purpose
        return stat.read().split(")")[-1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal is Linux's")
def test_the_checks_process_dies_with_the_process_that_started_it():
    parent = subprocess.Popen([sys.executable, "-c", STARTER], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        pid = int(parent.stdout.readline())
        assert _alive(pid)
        parent.send_signal(signal.SIGKILL)  # no exit handler runs: only the kernel can end the child
        parent.wait()
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(pid)
    finally:
        parent.kill()
