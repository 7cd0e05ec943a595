"""Bad input through the real command: named and skipped, while the rest of the corpus publishes."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from pipeline import runlog
from pipeline.paths import WarehousePaths
from tests.conftest import FIXTURES, SAMPLE_REPORTS, run_build
from tests.ingest.test_documents import EXPECTED_REASONS

pytestmark = pytest.mark.build

ENCODINGS = {
    "000_8225f3caa16837dd.txt": "gb18030",
    "001_d843cb21d2372b47.txt": "utf-8-sig",
    "002_9036fe76fdcdc1b3.txt": "utf-16",
    "003_161f74cd7f3998b9.txt": "gbk",
    "004_0d66015b16f43f2b.txt": "utf-16-be",
}
FACTS = ("marts.fct_budget_execution", "marts.fct_indicator_outcome")


@pytest.fixture(scope="module")
def mixed_build(tmp_path_factory):
    """The sample reports in five encodings, plus every bad file of tests/fixtures/invalid."""
    reports = tmp_path_factory.mktemp("mixed")
    for name, encoding in ENCODINGS.items():
        text = (SAMPLE_REPORTS / name).read_text(encoding="utf-8")
        (reports / name).write_bytes(text.encode(encoding))
    shutil.copytree(FIXTURES / "invalid", reports / "invalid", ignore=shutil.ignore_patterns("*.md"))
    return run_build(reports, reports.parent / "mixed.duckdb")


def test_partial_build_publishes_and_exits_with_its_own_status(mixed_build):
    assert mixed_build.exit_code == 3, mixed_build.stdout + mixed_build.stderr
    summary = mixed_build.summary()
    assert summary["status"] == "published"
    assert (summary["files_total"], summary["files_parsed"], summary["files_skipped"]) == (12, 5, 7)


def test_each_bad_file_gets_one_line_naming_it_and_the_reason(mixed_build):
    skipped = [line for line in mixed_build.stdout.splitlines() if " skipped " in line]
    assert len(skipped) == len(EXPECTED_REASONS)
    for name in EXPECTED_REASONS:
        assert sum(f"invalid/{name}:" in line for line in skipped) == 1


def test_bad_files_are_recorded_in_ops(mixed_build):
    errors = mixed_build.query(
        "select source_file, issue_code from ops.ingest_issues where severity = 'error' order by source_file"
    )
    assert errors == sorted((f"invalid/{name}", code) for name, code in EXPECTED_REASONS.items())
    assert mixed_build.query("select count(*) from ops.ingest_files where status = 'skipped'") == [(7,)]


def test_every_encoding_reads_to_the_same_facts(mixed_build, sample_build):
    for table in FACTS:
        columns = "* exclude (report_id, source_sha256)"  # the files' bytes differ, by their encodings
        order = "order by all"
        assert mixed_build.query(f"select {columns} from {table} {order}") == sample_build.query(
            f"select {columns} from {table} {order}"
        ), table
    encodings = dict(mixed_build.query("select source_file, encoding from ops.ingest_files where status = 'parsed'"))
    assert encodings == {
        "000_8225f3caa16837dd.txt": "gb18030",
        "001_d843cb21d2372b47.txt": "utf-8-sig",
        "002_9036fe76fdcdc1b3.txt": "utf-16-le",
        "003_161f74cd7f3998b9.txt": "gb18030",
        "004_0d66015b16f43f2b.txt": "utf-16-be",
    }


def test_nothing_publishable_leaves_the_previous_warehouse_untouched(tmp_path):
    warehouse = tmp_path / "budget.duckdb"
    first = run_build(SAMPLE_REPORTS, warehouse)
    assert first.exit_code == 0
    published = hashlib.sha256(warehouse.read_bytes()).hexdigest()

    bad = tmp_path / "bad"
    shutil.copytree(FIXTURES / "invalid", bad, ignore=shutil.ignore_patterns("*.md"))
    failed = run_build(bad, warehouse)
    assert failed.exit_code == 1
    assert failed.summary()["status"] == "failed"
    assert "no report could be parsed" in failed.summary()["message"]
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == published

    # the corpus of the published build again: nothing to do, and the failure is in the run log
    again = run_build(SAMPLE_REPORTS, warehouse)
    assert again.exit_code == 0
    assert again.summary()["status"] == "unchanged"
    assert hashlib.sha256(warehouse.read_bytes()).hexdigest() == published
    log = WarehousePaths.for_warehouse(warehouse).run_log
    assert [r.status for r in runlog.history(log)] == ["published", "failed", "unchanged"]


def test_missing_reports_folder_is_a_usage_error(tmp_path):
    run = run_build(tmp_path / "no-such-folder", tmp_path / "budget.duckdb")
    assert run.exit_code == 2
    assert "does not exist" in run.stderr
    assert not (tmp_path / "budget.duckdb").exists()


def test_a_file_given_as_the_reports_folder_is_a_usage_error(tmp_path):
    report = tmp_path / "report.txt"
    shutil.copy(next(SAMPLE_REPORTS.iterdir()), report)
    run = run_build(report, tmp_path / "budget.duckdb")
    assert run.exit_code == 2
    assert f"reports folder {report} is not a folder" in run.stderr
    assert not (tmp_path / "budget.duckdb").exists()
