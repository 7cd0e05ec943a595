"""Everything one file in a shared folder can do, through the real command: named, skipped, recorded.

The rest of the corpus publishes with exit status 3, on a first build and on an
incremental one (which hashes every file before it parses).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from pipeline.lock import BuildLock
from pipeline.paths import WarehousePaths
from tests.conftest import REPO, SAMPLE_REPORTS, BuildRun

pytestmark = pytest.mark.build

NO_DAC = ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]
MAX_FILE_MB = "0.05"  # 52,428 bytes: every sample report is smaller
BAD_NAME = b"\xc8\xfd\xc1\xd6_gbk_name.txt"  # a name written in GBK, not UTF-8
BAD_NAME_SHOWN = "\\xc8\\xfd\\xc1\\xd6_gbk_name.txt"
EXPECTED = {  # source_file -> issue code
    "dangling.txt": "dangling_link",
    "loop.txt": "link_loop",
    "pipe.txt": "not_a_file",
    "zero.txt": "not_a_file",
    "linked_folder": "not_a_file",
    "huge.txt": "file_too_large",
    "locked.txt": "file_unreadable",
    "closed": "folder_unreadable",
}


def unprivileged() -> list[str]:
    """A command prefix under which file permissions hold (root bypasses them)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return NO_DAC


def build(reports, warehouse, *args) -> BuildRun:
    command = [sys.executable, "-m", "pipeline", "build", "--reports", str(reports), "--warehouse", str(warehouse)]
    done = subprocess.run(
        [*unprivileged(), *command, "--max-file-mb", MAX_FILE_MB, *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return BuildRun(done.returncode, done.stdout, done.stderr, warehouse)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad_files")
    reports = root / "reports"
    shutil.copytree(SAMPLE_REPORTS, reports)
    (reports / "dangling.txt").symlink_to(reports / "gone.txt")
    (reports / "loop.txt").symlink_to(reports / "loop.txt")
    os.mkfifo(reports / "pipe.txt")
    (reports / "zero.txt").symlink_to("/dev/zero")
    (root / "elsewhere").mkdir()
    (reports / "linked_folder").symlink_to(root / "elsewhere")
    (reports / "huge.txt").write_bytes((SAMPLE_REPORTS / "002_9036fe76fdcdc1b3.txt").read_bytes() * 3)
    (reports / "locked.txt").write_bytes((SAMPLE_REPORTS / "001_d843cb21d2372b47.txt").read_bytes())
    (reports / "locked.txt").chmod(0)
    (reports / "closed").mkdir()
    shutil.copy(SAMPLE_REPORTS / "003_161f74cd7f3998b9.txt", reports / "closed" / "inside.txt")
    (reports / "closed").chmod(0)
    with open(os.path.join(os.fsencode(reports), BAD_NAME), "wb") as f:
        f.write((SAMPLE_REPORTS / "001_d843cb21d2372b47.txt").read_bytes())
    yield reports
    (reports / "closed").chmod(0o755)


@pytest.fixture(scope="module")
def builds(folder):
    warehouse = folder.parent / "budget.duckdb"
    first = build(folder, warehouse)
    second = build(folder, warehouse)  # incremental: hashes every listed file first
    return first, second


@pytest.mark.parametrize("which", [0, 1], ids=["first", "incremental"])
def test_the_rest_publishes_with_status_3(builds, which):
    run = builds[which]
    assert run.exit_code == 3, run.stdout + run.stderr
    summary = run.summary()
    assert summary["status"] == "published"
    assert summary["files_skipped"] == len(EXPECTED)
    assert summary["files_total"] == 5 + 1 + len(EXPECTED)


@pytest.mark.parametrize("which", [0, 1], ids=["first", "incremental"])
def test_each_bad_file_gets_one_line_naming_it_and_the_reason(builds, which):
    lines = [line for line in builds[which].stdout.splitlines() if " skipped " in line]
    assert len(lines) == len(EXPECTED)
    for name in EXPECTED:
        (line,) = [line for line in lines if f"/reports/{name}: " in line]
        assert line.split(f"/reports/{name}: ", 1)[1].strip()


def test_bad_files_are_recorded_in_ops(builds):
    run = builds[1]
    files = dict(run.query("select source_file, status from ops.ingest_files"))
    assert {name: files.get(name) for name in EXPECTED} == dict.fromkeys(EXPECTED, "skipped")
    errors = dict(run.query("select source_file, issue_code from ops.ingest_issues where severity = 'error'"))
    assert errors == EXPECTED
    reasons = dict(run.query("select source_file, skip_reason from ops.ingest_files where status = 'skipped'"))
    assert "named pipe" in reasons["pipe.txt"] and "character device" in reasons["zero.txt"]
    assert "52,428" in reasons["huge.txt"]


def test_a_name_that_is_not_utf8_is_parsed_and_stored_losslessly(builds):
    run = builds[1]
    assert run.query("select status from ops.ingest_files where source_file = ?", [BAD_NAME_SHOWN]) == [("parsed",)]
    warned = "select count(*) from ops.ingest_issues where source_file = ? and issue_code = 'name_not_utf8'"
    assert run.query(warned, [BAD_NAME_SHOWN]) == [(1,)]
    # the same report as the file it was copied from
    units = run.query(
        "select source_file, unit_name from marts.dim_report where source_file in (?, ?) order by source_file",
        [BAD_NAME_SHOWN, "001_d843cb21d2372b47.txt"],
    )
    assert len(units) == 2 and units[0][1] == units[1][1]


def test_wait_says_it_waits_and_for_which_build(tmp_path):
    warehouse = tmp_path / "budget.duckdb"
    paths = WarehousePaths.for_warehouse(warehouse)
    command = [sys.executable, "-m", "pipeline", "build", "--wait", "--reports", str(SAMPLE_REPORTS)]
    with BuildLock(paths.lock):
        waiting = subprocess.Popen(
            [*command, "--warehouse", str(warehouse)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            line = waiting.stderr.readline()
        finally:
            waiting.kill()
            waiting.wait()
    assert f"waiting for the running build of {warehouse}" in line
    assert f"pid {os.getpid()} since" in line
