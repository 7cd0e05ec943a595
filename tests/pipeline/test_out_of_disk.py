"""A build that runs out of space fails with a clear message and leaves the published warehouse as it was.

The disk is made "full" for the build alone with a file-size limit (RLIMIT_FSIZE, as ``ulimit -f``
sets it): every write past the limit fails with EFBIG, as on a full disk it fails with ENOSPC.
"""

from __future__ import annotations

import hashlib
import resource
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO, SAMPLE_REPORTS, BuildRun, run_build

pytestmark = pytest.mark.build

LIMIT_BYTES = 2 * 1024 * 1024  # room for the seeds, not for the new DuckDB file and its Data Docs


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_with_file_size_limit(reports, warehouse, limit: int, *args: str) -> BuildRun:
    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-m", "pipeline", "build", *(args or ("--full",)), "--reports", str(reports)]
    done = subprocess.run(
        [*command, "--warehouse", str(warehouse)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=limited,
    )
    return BuildRun(done.returncode, done.stdout, done.stderr, warehouse)


def test_out_of_space_fails_clearly_and_publishes_nothing(sample_build, tmp_path):
    warehouse = tmp_path / "budget.duckdb"
    shutil.copy(sample_build.warehouse, warehouse)
    published = digest(warehouse)

    full = build_with_file_size_limit(SAMPLE_REPORTS, warehouse, LIMIT_BYTES)
    assert full.exit_code == 1, full.stdout + full.stderr
    summary = full.summary()
    assert summary["status"] == "failed"
    assert summary["message"].startswith("out of disk space (or over the file-size limit)")
    assert "File too large" in summary["message"]
    assert digest(warehouse) == published
    assert not warehouse.with_name(warehouse.name + ".wal").exists()

    # with room again, the next build publishes (a full one: with nothing changed it would leave the
    # published warehouse as it is, and record the failed run only at the next publish)
    again = run_build(SAMPLE_REPORTS, warehouse, "--full")
    assert again.exit_code == 0, again.stdout + again.stderr
    runs = again.query("select status, message from ops.build_runs order by started_at")
    assert [status for status, _ in runs] == ["failed", "published"]
    assert runs[0][1] == summary["message"]


def test_a_build_in_place_out_of_space_fails_clearly(sample_build, tmp_path):
    """A build in place copies the published file first: no room for the copy fails the same way."""
    reports = tmp_path / "reports"
    shutil.copytree(SAMPLE_REPORTS, reports)  # times kept: every file but the edited one is unchanged
    edited = reports / "001_d843cb21d2372b47.txt"
    edited.write_bytes(edited.read_bytes() + b"\n")
    warehouse = tmp_path / "budget.duckdb"
    shutil.copy(sample_build.warehouse, warehouse)
    published = digest(warehouse)

    run = build_with_file_size_limit(reports, warehouse, LIMIT_BYTES, "--checksum")
    assert run.exit_code == 1, run.stdout + run.stderr
    summary = run.summary()
    assert (summary["files_parsed"], summary["files_unchanged"]) == (1, 4)
    assert summary["message"].startswith("out of disk space (or over the file-size limit)")
    assert digest(warehouse) == published
