"""Running dbt build as a child process, and reading what it did from run_results.json.

A child process (pipeline.dbt_worker runs dbt's programmatic runner in it), not
dbt in the build's own process: when it exits, DuckDB has closed and
checkpointed the new database file, so it can be renamed into place.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.console import Console
from pipeline.dbt_worker import go_line, parse_line
from pipeline.paths import WarehousePaths
from pipeline.process import die_with_parent

PROJECT_DIR = Path(__file__).resolve().parent.parent
PROGRESS_RE = re.compile(r"(\d+) of (\d+) (START|OK|PASS|FAIL|ERROR|WARN|SKIP)\s+(.*?)\s*\.{2,}")
EXPECTATIONS_MODEL = "int_expectation_failures"
PARTIAL_PARSE_FILE = "partial_parse.msgpack"  # dbt's saved parse, in its target folder (dbt.constants)
PARSED_FROM_FILE = "parsed_from.txt"  # beside it: the project folder it was parsed from
# What dbt, DuckDB and Python print when a write finds the disk full or the file-size limit reached.
OUT_OF_SPACE_RE = re.compile(
    r"No space left on device|File too large|Disk quota exceeded|Errno 2[78]\b|ENOSPC|EFBIG|"
    r"could not (?:write|extend|allocate)[^\n]*(?:space|disk)",
    re.IGNORECASE,
)


@dataclass
class DbtOutcome:
    success: bool
    failures: list[str] = field(default_factory=list)  # "node: message" of failed or erroring nodes
    seconds: dict[str, float] = field(default_factory=dict)  # summed node times by kind
    out_of_space: str | None = None  # the first line of dbt's output saying a write found no room


def _node_kind(unique_id: str) -> str:
    if unique_id.endswith("." + EXPECTATIONS_MODEL):
        return "expectations"
    return {"seed": "seed_load", "model": "models", "test": "tests"}.get(unique_id.split(".")[0], "other")


def _read_results(path: Path) -> DbtOutcome:
    results = json.loads(path.read_text(encoding="utf-8"))["results"]
    outcome = DbtOutcome(success=True)
    for result in results:
        kind = _node_kind(result["unique_id"])
        outcome.seconds[kind] = outcome.seconds.get(kind, 0.0) + (result.get("execution_time") or 0.0)
        if result["status"] in ("error", "fail", "runtime error"):
            outcome.success = False
            message = (result.get("message") or "").strip().splitlines()
            outcome.failures.append(f"{result['unique_id']}: {message[0] if message else result['status']}")
    return outcome


def forget_parse_from_elsewhere(target: Path, project_dir: Path = PROJECT_DIR) -> None:
    """Delete dbt's saved parse in ``target`` unless it was made from the project in ``project_dir``.

    dbt names every file by its absolute path in its saved parse, and keeps the nodes whose files did not
    change: a warehouse built from a checkout in another folder (a new release checked out beside the old
    one) would load its reference seeds from the old folder, and fail once that folder is gone. dbt then
    parses the project whole, once."""
    parsed_from = target / PARSED_FROM_FILE
    here = str(project_dir)
    try:
        if parsed_from.read_text(encoding="utf-8") == here:
            return
    except OSError:  # not there yet: a parse saved before the folder was recorded is dropped too
        pass
    (target / PARTIAL_PARSE_FILE).unlink(missing_ok=True)
    target.mkdir(parents=True, exist_ok=True)
    parsed_from.write_text(here, encoding="utf-8")


def _threads(in_place: bool) -> int:
    """dbt's threads: as many as cores for a full build, whose large nodes contend for them (single
    full builds at 100,000 reports: 57 s on 2 threads, 62 s on 4; at 10,000, dbt took 7.8 to 8.6 s
    on 2 threads, 8.9 to 10.0 s on 3). One more in place, where the nodes are small: dbt hands its
    threads the nodes in the order they became ready, so on as many threads as cores the check
    tables and the expectations, the path to the end, each waited up to 1 s behind the marts for a
    thread (1% rebuilds at 100,000 reports, alternately: 0.76 s less on average, less in 11 pairs of 11)."""
    cores = os.cpu_count() or 1
    return cores + 1 if in_place else cores


class DbtProcess:
    """dbt build of ``paths.work_database`` from the seeds in ``paths.work_seeds``, in a child process that
    is started first (it imports dbt and the checks while the build plans and parses) and told to run
    when the seeds are written (pipeline.dbt_worker).

    ``in_place`` (told with ``build``): the work database is a copy of the published warehouse whose
    raw.parsed_* tables the build has already brought up to date (pipeline.incremental.update_raw),
    so the parsed seeds (then the newly parsed rows only) are not loaded, nor the views made again:
    ``ref()`` resolves to the raw tables as they are. The expectations model then reads which files changed
    (``BUDGET_CHANGES``, ``paths.work_changes``) and validates no more than it must.
    """

    def __init__(self, paths: WarehousePaths):
        self.paths = paths
        self.run_results = paths.dbt_target / "run_results.json"
        forget_parse_from_elsewhere(paths.dbt_target)
        command = [sys.executable, "-m", "pipeline.dbt_worker"]
        env = {
            **os.environ,
            "WAREHOUSE_PATH": str(paths.work_database),
            "BUDGET_PARSED_SEEDS": str(paths.work_seeds),
            "BUDGET_DATA_DOCS": str(paths.work_docs),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_USE_COLORS": "false",
        }
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=die_with_parent,
        )
        self._parse_sent = False

    def _project_arguments(self) -> list[str]:
        return [
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(self.paths.dbt_target),
            "--log-path",
            str(self.paths.dbt_logs),
        ]

    def parse(self) -> None:
        """Have dbt parse the project now, while the build parses the report files: called once this
        build's seed files exist (dbt makes a node of each, whatever rows they come to hold). The run
        then starts from the parsed project, and writes its manifest when it ends."""
        if self._parse_sent:
            return
        self._parse_sent = True
        try:
            self.process.stdin.write(parse_line(["parse", *self._project_arguments(), "--no-write-json"]))
            self.process.stdin.flush()
        except BrokenPipeError:  # the worker died: build() says why
            pass

    def _arguments(self, in_place: bool) -> list[str]:
        return [
            "build",
            # a test is left out with the last of the nodes it tests, not the first: in place, the tests
            # on the views (left out below) still run when they also test a table that is built
            *(("--indirect-selection", "cautious") if in_place else ()),
            # in place: dbt lists a schema's relations when a node first asks, rather than every schema
            # before the first node (1% rebuilds at 100,000 reports, run alternately: 0.7 s less on average)
            *(("--no-populate-cache",) if in_place else ()),
            *self._project_arguments(),
            "--threads",
            str(_threads(in_place)),
            "--exclude",
            "test_type:unit",  # unit tests run in CI
            "tag:reference,resource_type:test",  # so do the tests of the committed reference seeds
            # in place: the raw tables are already up to date, and the reference seeds, the views, the
            # Great Expectations version and the number of checks are those of the published build
            # (the same project version: a view's definition does not depend on the rows it reads)
            *(("resource_type:seed", "config.materialized:view", "int_expectation_runtime") if in_place else ()),
        ]

    def build(self, console: Console, in_place: bool = False) -> DbtOutcome:
        """Run dbt build now, and read what it did."""
        self.run_results.unlink(missing_ok=True)  # never read a previous build's results
        env = {"BUDGET_CHANGES": str(self.paths.work_changes)} if in_place else {}
        try:
            self.process.stdin.write(go_line(self._arguments(in_place), env))
            self.process.stdin.close()
        except BrokenPipeError:  # the worker died while the files were parsed: its output says why
            pass
        out_of_space = None
        for line in self.process.stdout:
            console.log_only("dbt | " + line.rstrip())
            if out_of_space is None and OUT_OF_SPACE_RE.search(line):
                out_of_space = line.strip()
            if match := PROGRESS_RE.search(line):
                done, total, _, node = match.groups()
                console.progress(f"dbt build {done}/{total}  {node}")
        returncode = self.process.wait()
        if not self.run_results.exists():
            message = f"dbt exited with status {returncode} before running any node (see the build log)"
            return DbtOutcome(False, [message], out_of_space=out_of_space)
        outcome = _read_results(self.run_results)
        if returncode != 0 and outcome.success:
            outcome = DbtOutcome(False, [f"dbt exited with status {returncode} (see the build log)"], outcome.seconds)
        outcome.out_of_space = out_of_space
        return outcome

    def cancel(self) -> None:
        """The build stops before dbt ran (or has nothing to build): the process exits without running it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.process.stdout.close()
        if not self.process.stdin.closed:
            self.process.stdin.close()
