"""A fatal rule failing means the warehouse itself is wrong: the build stops and the previous one stays.

Fatal rules cannot be broken by a report (they compare the warehouse with itself), so these tests
plant the kind of parser bug they exist to catch, and run the real build in this process.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from decimal import Decimal

import pytest

from ingest import rows
from pipeline.build import BuildOptions, run_build
from tests.conftest import SAMPLE_REPORTS
from tests.conftest import run_build as run_build_command

pytestmark = pytest.mark.build


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("fatal") / "budget.duckdb"
    assert run_build_command(SAMPLE_REPORTS, warehouse).exit_code == 0
    return warehouse


@pytest.fixture
def published(first_build, tmp_path):
    """A copy of a published warehouse for the test to rebuild."""
    warehouse = tmp_path / "budget.duckdb"
    shutil.copy(first_build, warehouse)
    return warehouse


def rebuild(warehouse) -> tuple[int, dict]:
    out = io.StringIO()
    code = run_build(BuildOptions(SAMPLE_REPORTS, warehouse, full=True), stream=out)
    return code, json.loads(out.getvalue().strip().splitlines()[-1])


def test_amount_disagreeing_with_its_printed_text_stops_publication(published, monkeypatch):
    before = digest(published)
    adjusted = [name for name, _ in rows.COLUMNS["parsed_fund_lines"]].index("adjusted_budget_yuan")
    read_fund_row = rows._fund_row

    def one_yuan_off(fund_line, report_id, issues):
        row = list(read_fund_row(fund_line, report_id, issues))
        if fund_line.fund_line == "total" and row[adjusted] is not None:
            row[adjusted] = str(Decimal(row[adjusted]) + 1)
        return tuple(row)

    monkeypatch.setattr(rows, "_fund_row", one_yuan_off)
    code, summary = rebuild(published)
    assert code == 1
    assert summary["status"] == "failed"
    assert "fatal findings: F3" in summary["message"]
    assert digest(published) == before


def test_duplicate_report_keys_stop_publication(published, monkeypatch):
    before = digest(published)
    monkeypatch.setattr(rows, "report_id", lambda source_file, ordinal: "same-id-for-all")
    code, summary = rebuild(published)
    assert code == 1
    assert "unique" in summary["message"]
    assert digest(published) == before
