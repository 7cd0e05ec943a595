"""Nightly rebuilds through the real command, on a temporary copy of the corpus.

Incremental parsing, revisions, one build at a time, builds killed at any moment,
readers holding the warehouse open through a rebuild, and the scheduling recipe.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipeline.paths import WarehousePaths, wal_of
from pipeline.versions import project_version
from tests.conftest import FIXTURES, REPO, SAMPLE_REPORTS, run_build
from tests.pipeline.test_versions import copy_project

pytestmark = pytest.mark.build

NEWER = time.time() + 3600  # a revision lands after the original


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start_build(reports: Path, warehouse: Path, *args: str, project: Path = REPO) -> subprocess.Popen:
    """``python -m pipeline build``, run by the checkout in ``project``."""
    command = [sys.executable, "-m", "pipeline", "build", "--reports", str(reports), "--warehouse", str(warehouse)]
    return subprocess.Popen([*command, *args], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, timeout: float = 120, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def processes_using(path: Path) -> list[int]:
    """Processes whose command line or environment names ``path`` (the dbt child gets it in WAREHOUSE_PATH)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            text = (entry / "cmdline").read_bytes() + (entry / "environ").read_bytes()
        except OSError:
            continue
        if str(path).encode() in text:
            found.append(int(entry.name))
    return found


def copy_sample(folder: Path) -> Path:
    shutil.copytree(SAMPLE_REPORTS, folder)
    return folder


def revised_004(folder: Path) -> None:
    """The unit re-publishes its 2024 report in a new file, with the executed amount corrected."""
    text = (SAMPLE_REPORTS / "004_0d66015b16f43f2b.txt").read_text(encoding="utf-8")
    assert "一般公共预算财政拨款数 17636.00 万元" in text
    revised = folder / "004_revised.txt"
    revised.write_text(
        text.replace("一般公共预算财政拨款数 17636.00 万元", "一般公共预算财政拨款数 17736.00 万元"), "utf-8"
    )
    os.utime(revised, (NEWER, NEWER))


def test_incremental_rebuilds(tmp_path):
    reports = copy_sample(tmp_path / "reports")
    warehouse = tmp_path / "budget.duckdb"

    first = run_build(reports, warehouse)
    assert first.exit_code == 0
    assert (first.summary()["files_parsed"], first.summary()["files_unchanged"]) == (5, 0)
    # the dbt worker ends without Python's shutdown once its database is closed: nothing of the build
    # (the worker, its checks process) is left running, and the database was closed cleanly
    assert processes_using(WarehousePaths.for_warehouse(warehouse).work) == []
    assert not wal_of(warehouse).exists()
    marts = first.query("select * from marts.fct_indicator_outcome order by all")

    # an unchanged corpus re-parses nothing, reads no file, and leaves the published warehouse as it was
    published = warehouse.stat()
    docs = WarehousePaths.for_warehouse(warehouse).data_docs / "index.html"
    docs_written = docs.stat().st_mtime_ns
    again = run_build(reports, warehouse)
    assert again.exit_code == 0
    summary = again.summary()
    assert (summary["status"], summary["files_parsed"], summary["files_unchanged"], summary["files_hashed"]) == (
        "unchanged",
        0,
        5,
        0,
    )
    assert summary["indicators"] == first.summary()["indicators"]
    assert (warehouse.stat().st_ino, warehouse.stat().st_mtime_ns) == (published.st_ino, published.st_mtime_ns)
    assert docs.stat().st_mtime_ns == docs_written
    assert again.query("select * from marts.fct_indicator_outcome order by all") == marts

    # a file touched but not changed is hashed, and found unchanged; --checksum hashes every file
    touched = reports / "001_d843cb21d2372b47.txt"
    os.utime(touched)  # now
    assert run_build(reports, warehouse).summary()["status"] == "unchanged"
    assert run_build(reports, warehouse).summary()["files_hashed"] == 1
    checked = run_build(reports, warehouse, "--checksum").summary()
    assert (checked["status"], checked["files_hashed"]) == ("unchanged", 5)
    assert (warehouse.stat().st_ino, warehouse.stat().st_mtime_ns) == (published.st_ino, published.st_mtime_ns)

    # a change of the models, checks or build code rebuilds, re-parsing nothing
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update ops.build_runs set project_version = 'older'")
    remodelled = run_build(reports, warehouse)
    assert remodelled.exit_code == 0
    assert (remodelled.summary()["status"], remodelled.summary()["files_parsed"]) == ("published", 0)
    assert remodelled.query("select * from marts.fct_indicator_outcome order by all") == marts
    assert remodelled.query("select count(*) from ops.build_runs where status = 'unchanged'") == [(4,)]

    # one file added, one removed: the added one is parsed alone, the removed one leaves the marts
    text = (SAMPLE_REPORTS / "002_9036fe76fdcdc1b3.txt").read_text(encoding="utf-8")
    (reports / "2025" / "颛桥镇").mkdir(parents=True)
    (reports / "2025" / "颛桥镇" / "projects.txt").write_text(text.replace("(2024 年度)", "(2025 年度)"), "utf-8")
    (reports / "000_8225f3caa16837dd.txt").unlink()
    changed = run_build(reports, warehouse)
    summary = changed.summary()
    assert (summary["files_parsed"], summary["files_unchanged"], summary["files_removed"]) == (1, 4, 1)
    assert changed.query("select count(*) from marts.dim_report where source_file like '000%'") == [(0,)]
    assert changed.query("select count(*) from marts.dq_finding where source_file like '000%'") == [(0,)]
    assert changed.query("select count(*) from ops.ingest_files where source_file like '000%'") == [(0,)]
    assert changed.query("select count(*) from marts.dim_report where source_file = '2025/颛桥镇/projects.txt'") == [
        (8,)
    ]

    # a revised report supersedes the old one, which stays queryable
    revised_004(reports)
    revision = run_build(reports, warehouse)
    assert (revision.summary()["files_parsed"], revision.summary()["files_unchanged"]) == (1, 5)
    versions = revision.query(
        "select source_file, is_current, version_count, superseded_by_report_id is not null from marts.dim_report "
        "where unit_name = '上海市闵行区虹桥镇人民政府（本级）' order by source_file"
    )
    assert versions == [("004_0d66015b16f43f2b.txt", False, 2, True), ("004_revised.txt", True, 2, False)]
    # the town total counts the revision once: 177,360,000 + 1,817,700 + 275,112,698.88 (003)
    assert revision.query(
        "select executed_yuan from marts.town_year_summary where town = '虹桥镇' and fiscal_year = 2024"
    ) == [(Decimal("177360000") + Decimal("1817700") + Decimal("274023314.42"),)]

    # a change of the parser re-parses everything (here: the files were read by another version)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update raw.parsed_files set parser_version = 'older'")
    reparsed = run_build(reports, warehouse)
    assert (reparsed.summary()["files_parsed"], reparsed.summary()["files_unchanged"]) == (6, 0)

    full = run_build(reports, warehouse, "--full")
    assert (full.summary()["files_parsed"], full.summary()["files_unchanged"]) == (6, 0)
    assert full.query("select count(*) from ops.build_runs where status = 'published'") == [(6,)]


READER = """
import pathlib, sys, time
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
ready, stop = pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
counts, queries = set(), 0
while not stop.exists():
    counts.add(con.execute("select count(*) from marts.dim_report").fetchone()[0])
    queries += 1
    ready.touch()
    time.sleep(0.05)
print(queries, sorted(counts))
"""


def count_reports(warehouse: Path) -> int:
    """What a dashboard connecting now sees (this process holds no other connection to the file)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*) from marts.dim_report").fetchone()[0]


def test_rebuild_while_readers_and_other_builds_are_at_work(tmp_path):
    reports = copy_sample(tmp_path / "reports")
    warehouse = tmp_path / "budget.duckdb"
    assert run_build(reports, warehouse).exit_code == 0
    paths = WarehousePaths.for_warehouse(warehouse)
    before = count_reports(warehouse)

    # a dashboard in another process holds the warehouse open through the rebuild
    ready, stop = tmp_path / "reader.ready", tmp_path / "reader.stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(warehouse), str(ready), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(ready.exists, what="the reader's first query")

    revised_004(reports)
    rebuild = start_build(reports, warehouse)
    wait_for(lambda: paths.lock.exists() and "pid" in paths.lock.read_text(), what="the rebuild to take its lock")

    # a second build is refused at once, with a clear message and its own status
    refused = run_build(reports, warehouse)
    assert refused.exit_code == 75
    assert "another build of this warehouse is running" in refused.stderr
    # one that may wait runs after the first
    waiting = start_build(reports, warehouse, "--wait")

    # dashboards connecting during the rebuild see the old warehouse until the rename, then the new
    # one, and never anything in between
    seen = []
    while rebuild.poll() is None:
        seen.append(count_reports(warehouse))
        time.sleep(0.1)
    assert rebuild.returncode == 0, rebuild.stdout + rebuild.stderr
    assert len(seen) > 10 and seen[0] == before
    assert seen == sorted(seen) and set(seen) <= {before, before + 1}
    assert count_reports(warehouse) == before + 1  # connections opened now see the revision

    stop.touch()
    out, err = reader.communicate(timeout=30)
    assert reader.returncode == 0, err
    queries, counts = out.split(maxsplit=1)
    assert int(queries) > 10
    assert counts.strip() == f"[{before}]"  # the open connection kept its consistent view, without error

    assert waiting.wait(timeout=300) == 0
    assert '"files_parsed": 0' in waiting.stdout.read()  # the first build had parsed everything


def test_killed_builds_leave_the_warehouse_and_the_next_build_recovers(tmp_path):
    reports = copy_sample(tmp_path / "reports")
    warehouse = tmp_path / "budget.duckdb"
    assert run_build(reports, warehouse).exit_code == 0
    published = digest(warehouse)
    paths = WarehousePaths.for_warehouse(warehouse)
    revised_004(reports)

    moments = {
        "as it starts": lambda: paths.lock.exists() and "pid" in paths.lock.read_text(),
        "while dbt loads the seeds": lambda: paths.work_database.exists(),
        "after the expectations ran": lambda: (paths.work_docs / "index.html").exists(),
    }
    for moment, reached in moments.items():
        build = start_build(reports, warehouse, "--full")
        wait_for(reached, what=moment)
        build.send_signal(signal.SIGKILL)
        build.wait()
        assert digest(warehouse) == published, f"killed {moment}"
        # the dbt child and the parser workers die with their parent
        wait_for(lambda: not processes_using(paths.work), timeout=10, what="the children of the killed build")

    recovered = run_build(reports, warehouse)
    assert recovered.exit_code == 0, recovered.stdout + recovered.stderr
    assert [r[0] for r in recovered.query("select status from ops.build_runs order by started_at")] == [
        "published",
        "interrupted",
        "interrupted",
        "interrupted",
        "published",
    ]
    assert recovered.query("select count(*) from marts.dim_report where is_current") == [(12,)]


def test_a_checkout_in_another_folder_rebuilds_a_warehouse_built_by_one_since_removed(tmp_path):
    # a new release checked out beside the old one, the old one then removed: the warehouse keeps dbt's
    # saved parse, which names every file by its absolute path in the old folder
    old_release = copy_project(tmp_path / "release-1")
    shutil.copytree(REPO / "ingest", old_release / "ingest", ignore=shutil.ignore_patterns("__pycache__"))
    with (old_release / "models" / "marts" / "dim_town.sql").open("a", encoding="utf-8") as model:
        model.write("\n")  # another project version: the next build is a full one, which loads the seeds
    warehouse = tmp_path / "wh" / "budget.duckdb"
    first = start_build(SAMPLE_REPORTS, warehouse, project=old_release)
    out, err = first.communicate(timeout=900)
    assert first.returncode == 0, out + err
    shutil.rmtree(old_release)

    run = run_build(SAMPLE_REPORTS, warehouse)
    assert run.exit_code == 0, run.stdout + run.stderr
    assert "the work database starts empty" in run.stdout  # a whole dbt build: the seeds loaded from here
    assert run.summary()["project_version"] == project_version(REPO)
    assert run.query("select count(*) from staging.stg_reference__amount_units")[0][0] > 0


def test_folders_named_with_spaces_chinese_and_quotes_build_and_rebuild(tmp_path, sample_build):
    folder = tmp_path / "O'Neil 预算 仓库"
    reports = folder / "reports 2024"
    shutil.copytree(SAMPLE_REPORTS, reports)
    warehouse = folder / "warehouse" / "budget.duckdb"
    counts = "select (select count(*) from marts.dim_report), (select count(*) from marts.fct_indicator_outcome)"

    first = run_build(reports, warehouse)
    assert first.exit_code == 0, first.stdout + first.stderr
    assert first.query(counts) == sample_build.query(counts)

    edited = next(reports.iterdir())
    edited.write_bytes(edited.read_bytes() + b"\n")  # a new hash: rebuilt in place, the seeds merged
    again = run_build(reports, warehouse)
    assert again.exit_code == 0, again.stdout + again.stderr
    assert again.summary()["files_parsed"] == 1
    assert again.query(counts) == sample_build.query(counts)


def test_a_warehouse_kept_in_its_reports_folder_never_reads_its_own_files(tmp_path):
    reports = tmp_path / "budget"
    shutil.copytree(SAMPLE_REPORTS, reports)
    warehouse = reports / "warehouse" / "budget.duckdb"
    export = ("--export", str(reports / "exports"))
    first = run_build(reports, warehouse, *export)
    assert first.exit_code == 0, first.stdout + first.stderr
    assert (first.summary()["files_total"], first.summary()["files_skipped"]) == (5, 0)
    assert "the warehouse lies in the reports folder" in first.stdout
    assert any((reports / "exports").iterdir())
    # its database, build files, Data Docs and export are there now: still the five reports, nothing to do
    second = run_build(reports, warehouse, *export)
    assert second.exit_code == 0, second.stdout + second.stderr
    assert second.summary()["status"] == "unchanged"
    assert second.summary()["files_total"] == 5


def test_files_and_folders_left_out_are_not_read_as_reports(tmp_path):
    reports = copy_sample(tmp_path / "reports")
    (reports / "notes.txt").write_text("收到的报告清单，待核对\n", encoding="utf-8")  # no report: it would be skipped
    (reports / "archive").mkdir()
    shutil.copy(SAMPLE_REPORTS / "004_0d66015b16f43f2b.txt", reports / "archive" / "004_old.txt")  # a 6th report
    left_out = ("--leave-out", str(reports / "notes.txt"), "--leave-out", str(reports / "archive"))
    built = run_build(reports, tmp_path / "budget.duckdb", *left_out)
    assert built.exit_code == 0, built.stdout + built.stderr
    assert (built.summary()["files_total"], built.summary()["files_skipped"]) == (5, 0)
    files = [row[0] for row in built.query("select source_file from ops.ingest_files")]
    assert sorted(files) == sorted(path.name for path in SAMPLE_REPORTS.iterdir() if path.is_file())


def test_failed_build_is_recorded_and_changes_nothing(tmp_path):
    """A build that fails at dbt (here: a seed dbt cannot load) publishes nothing, and says why."""
    reports = copy_sample(tmp_path / "reports")
    warehouse = tmp_path / "budget.duckdb"
    assert run_build(reports, warehouse).exit_code == 0
    published = digest(warehouse)
    project = tmp_path / "project"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(".venv", ".git", "warehouse", "target", "*.duckdb"))
    (project / "models" / "marts" / "dim_town.sql").write_text("select no_such_column from nowhere\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", "--reports", str(reports), "--warehouse", str(warehouse), "--full"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "dbt build failed" in done.stdout and "dim_town" in done.stdout
    assert digest(warehouse) == published


def run_nightly(home: Path, **settings: Path) -> subprocess.CompletedProcess:
    """deploy/nightly.sh as cron runs it: a bare environment with the BUDGET_* ``settings`` (REPORTS=…)."""
    cron_environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C",
        **{f"BUDGET_{name}": str(value) for name, value in settings.items()},
    }
    return subprocess.run([str(REPO / "deploy" / "nightly.sh")], env=cron_environment, capture_output=True)


def test_nightly_recipe_runs_from_cron_with_its_log_and_status(tmp_path):
    reports = copy_sample(tmp_path / "reports")
    shutil.copy(FIXTURES / "invalid" / "empty.txt", reports / "empty.txt")
    warehouse, log = tmp_path / "wh" / "budget.duckdb", tmp_path / "logs" / "nightly.log"
    done = run_nightly(tmp_path, REPORTS=reports, WAREHOUSE=warehouse, LOG=log)
    assert done.returncode == 3  # published, one file skipped
    text = log.read_text(encoding="utf-8")
    assert "skipped" in text and "empty.txt: the file is empty" in text
    assert '"status": "published"' in text
    assert text.rstrip().endswith("finished with exit status 3")
    assert warehouse.exists()


def test_nightly_recipe_never_reads_its_own_log_in_the_reports_folder(tmp_path):
    """The default log lies beside the warehouse: with the warehouse in the reports folder, so does the log."""
    reports = copy_sample(tmp_path / "reports")
    warehouse = reports / "wh" / "budget.duckdb"
    for night in ("first", "second"):
        done = run_nightly(tmp_path, REPORTS=reports, WAREHOUSE=warehouse)
        assert done.returncode == 0, (night, done.stdout, done.stderr)
    log = (reports / "wh" / "nightly.log").read_text(encoding="utf-8")
    assert log.count('"files_skipped": 0') == 2  # the log is not listed, so not skipped as no report
    assert '"status": "unchanged"' in log  # the second night: nothing changed, the log included


def timer_schedule() -> str:
    """The OnCalendar= value of the committed timer unit."""
    text = (REPO / "deploy" / "budget-warehouse.timer").read_text(encoding="utf-8")
    values = [line.split("=", 1)[1].strip() for line in text.splitlines() if line.startswith("OnCalendar=")]
    assert len(values) == 1, values
    return values[0]


def cron_line() -> str:
    lines = (REPO / "deploy" / "crontab").read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if line.strip() and not line.startswith("#")]
    assert len(entries) == 1, entries
    return entries[0]


def test_cron_line_runs_the_recipe_at_the_timer_hour():
    """The crontab line and the timer unit schedule the same nightly build (checked without systemd)."""
    minute, hour, day, month, weekday, *command = cron_line().split()
    assert (minute, hour, day, month, weekday) == ("30", "2", "*", "*", "*")
    assert command[-1].endswith("/deploy/nightly.sh")
    assert all("=" in word for word in command[:-1])  # only environment settings before the script
    assert timer_schedule() == f"*-*-* {int(hour):02d}:{int(minute):02d}:00"


def test_systemd_units_are_valid(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    for unit in ("budget-warehouse.service", "budget-warehouse.timer"):
        text = (REPO / "deploy" / unit).read_text(encoding="utf-8").replace("/srv/budget-warehouse", str(REPO))
        (tmp_path / unit).write_text(text, encoding="utf-8")
    verify = subprocess.run(
        [
            "systemd-analyze",
            "verify",
            str(tmp_path / "budget-warehouse.service"),
            str(tmp_path / "budget-warehouse.timer"),
        ],
        capture_output=True,
        text=True,
    )
    assert verify.returncode == 0, verify.stderr
    calendar = subprocess.run(["systemd-analyze", "calendar", timer_schedule()], capture_output=True, text=True)
    assert calendar.returncode == 0, calendar.stderr
    assert "Normalized form: *-*-* 02:30:00" in calendar.stdout
