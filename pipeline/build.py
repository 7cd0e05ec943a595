"""One build of the warehouse, from report files to a published DuckDB file.

    lock -> plan (compare files with the published build) -> parse new and
    changed files -> write seeds -> dbt build (seeds, models, tests, Great
    Expectations) -> record the run -> publish by one rename

When no file changed and the published build ran the same parsers, models and
checks, the build stops after planning: the published warehouse is left as it
is and the run is logged as unchanged.

Nothing is published unless every step succeeds; a failed or killed build
leaves the published warehouse exactly as it was.
"""

from __future__ import annotations

import errno
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

import duckdb

from ingest import PARSER_VERSION
from ingest.batch import parse_in_parallel
from ingest.seeds import SeedWriter
from ingest.service import DEFAULT_MAX_FILE_BYTES, discover
from pipeline import incremental, runlog
from pipeline.console import Console
from pipeline.dbt import OUT_OF_SPACE_RE, DbtProcess
from pipeline.export import ExportError, export
from pipeline.lock import BuildLock, BuildLocked
from pipeline.paths import WarehousePaths
from pipeline.process import die_with_parent
from pipeline.publish import publish
from pipeline.versions import project_version

# Exit statuses (documented in the README).
EXIT_OK = 0  # published; every file parsed
EXIT_FAILED = 1  # nothing published; the previous warehouse is unchanged
EXIT_USAGE = 2  # bad arguments
EXIT_PARTIAL = 3  # published, but some files were skipped (see ops.ingest_issues)
EXIT_LOCKED = 75  # another build of the same warehouse is running
EXIT_EXPORT_FAILED = 4  # published, but the export could not be written (the previous export is unchanged)

OUT_OF_SPACE_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}
OUT_OF_SPACE = "out of disk space (or over the file-size limit)"
DEFAULT_KEPT_LOGS = 100  # build logs kept in <warehouse>.build/logs/, newest first
MART_COUNTS = (
    "dim_report",
    "fct_budget_execution",
    "fct_indicator_outcome",
    "dim_town",
    "town_year_summary",
    "dq_finding",
)
# What a build that found nothing to do reports of the warehouse it left published.
UNCHANGED_COPIED = (
    "files_skipped",
    "reports",
    "fund_lines",
    "indicators",
    *(f"{mart}_rows" for mart in MART_COUNTS),
    "error_findings",
    "warning_findings",
    "info_findings",
)


@dataclass(frozen=True)
class BuildOptions:
    reports_dir: Path
    warehouse: Path
    full: bool = False
    wait: bool = False
    workers: int | None = None
    keep_work: bool = False  # keep the work folder (seeds, dbt's database) after publishing, for a look
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES  # larger files are skipped with a reason
    export: Path | None = None  # after publishing, export the warehouse into this folder (pipeline/export.py)
    export_format: str = "parquet"
    checksum: bool = False  # hash every file to tell whether it changed, not only those whose size or time changed
    leave_out: tuple[Path, ...] = ()  # files and folders in the reports folder that hold no reports (--leave-out)


class BuildFailed(Exception):
    """A step failed: the build stops and nothing is published."""


class Build:
    def __init__(self, options: BuildOptions, paths: WarehousePaths, console: Console, record: runlog.RunRecord):
        self.options = options
        self.paths = paths
        self.console = console
        self.record = record
        self.started = time.perf_counter()
        self.in_place = False  # the work database starts as a copy of the published one (see run)

    @contextmanager
    def stage(self, name: str):
        self.console.progress(f"{name} …")
        started = time.perf_counter()
        try:
            yield
        finally:
            self.record.stage_seconds[name] = round(time.perf_counter() - started, 3)

    def run(self) -> int:
        shutil.rmtree(self.paths.work, ignore_errors=True)  # whatever a killed build left behind
        dbt = DbtProcess(self.paths)  # loads dbt and the checks while the build plans and parses
        try:
            with self.stage("plan"):
                self.record.project_version = project_version()
                plan = self.plan()
            if self.nothing_changed(plan):
                dbt.cancel()
                exit_code = self.leave_published(plan.published_run)
                if self.options.export is not None and not self.export():
                    return EXIT_EXPORT_FAILED
                return exit_code
            self.paths.work.mkdir(parents=True)
            refusal = incremental.in_place_refusal(plan, self.paths.published, self.record.project_version)
            self.in_place = refusal is None
            if plan.unchanged and refusal:
                self.console.info(f"the work database starts empty: {refusal}")
            with self.stage("ingest"):
                self.ingest(plan, seeds_ready=dbt.parse)
            if self.record.reports == 0:
                raise BuildFailed("no report could be parsed: nothing to publish")
        except BaseException:
            dbt.cancel()
            raise
        with self.stage("dbt"):
            self.transform(dbt)
        with self.stage("record"):
            self.record_run()
        with self.stage("publish"):
            for note in publish(self.paths):
                self.console.info(note)
        if not self.options.keep_work:
            shutil.rmtree(self.paths.work, ignore_errors=True)  # kept when a build fails, for a look
        if self.options.export is not None and not self.export():
            return EXIT_EXPORT_FAILED
        return EXIT_PARTIAL if self.record.files_skipped else EXIT_OK

    def export(self) -> bool:
        """Export the warehouse just published; a failed export leaves the warehouse published."""
        with self.stage("export"):
            try:
                result = export(self.paths.published, self.options.export, self.options.export_format)
            except ExportError as error:
                self.console.info(f"{error}; the warehouse is published, the previous export is unchanged")
                self.record.message = str(error)
                return False
        self.console.info(f"exported {result.tables} tables ({self.options.export_format}) to {result.out}")
        return True

    def plan(self) -> incremental.Plan:
        """Which files to parse: the new and changed ones (every one with --full)."""
        root = self.options.reports_dir
        # what the build itself writes is never a report, even in the reports folder
        written = {"the warehouse": self.paths.own_files}
        if self.options.export is not None:
            written["the export folder"] = (self.options.export,)
        left_out = [*self.options.leave_out, *(path for paths in written.values() for path in paths)]
        files = discover(root, leave_out=left_out)
        resolved = root.resolve()
        for what, paths in written.items():
            if paths[0].resolve().is_relative_to(resolved):
                self.console.info(f"{what} lies in the reports folder: its files are not read as reports")
        plan = incremental.plan(
            root,
            files,
            self.paths.published,
            self.options.full,
            self.options.checksum,
            self.options.max_file_bytes,
        )
        self.record.files_total = len(files)
        self.record.files_unchanged = len(plan.unchanged)
        self.record.files_removed = len(plan.removed)
        self.record.files_hashed = plan.hashed
        self.record.full_rebuild = not plan.unchanged and not plan.removed
        self.console.info(
            f"{len(files)} report files in {root}: {len(plan.to_parse)} to parse, {len(plan.unchanged)} unchanged, "
            f"{len(plan.removed)} removed" + (f" ({plan.note})" if plan.note else "")
        )
        return plan

    def nothing_changed(self, plan: incremental.Plan) -> bool:
        """No file to parse or remove, and the published build ran the same parsers, models and checks."""
        run = plan.published_run
        return (
            plan.nothing_to_parse
            and run is not None
            and run.get("parser_version") == PARSER_VERSION
            and run.get("project_version") == self.record.project_version
        )

    def leave_published(self, published_run: dict) -> int:
        """Record a build that found nothing to do: the published warehouse stays as it is."""
        for name in UNCHANGED_COPIED:
            setattr(self.record, name, published_run.get(name))
        self.record.status = runlog.UNCHANGED
        self.record.message = f"nothing changed since build {published_run['run_id']}: the warehouse was left as it was"
        self.console.info(self.record.message)
        return EXIT_PARTIAL if self.record.files_skipped else EXIT_OK

    def ingest(self, plan: incremental.Plan, seeds_ready: Callable[[], None]) -> None:
        """Parse the new and changed files, and write this build's seeds; ``seeds_ready`` is called as
        soon as the seed files exist (dbt parses the project meanwhile)."""
        root = self.options.reports_dir
        reuse = bool(plan.unchanged)
        # in place, the seeds hold the new rows only, and dbt does not load them
        target = self.paths.work_new_rows if reuse and not self.in_place else self.paths.work_seeds
        with SeedWriter(target) as writer:
            if target == self.paths.work_seeds:
                seeds_ready()
            done = 0
            for batch in parse_in_parallel(
                root, plan.to_parse, self.options.workers, die_with_parent, self.options.max_file_bytes
            ):
                writer.write_batch(batch)
                for outcome in batch.outcomes:
                    if outcome.skip_reason:
                        self.console.info(f"skipped {root / outcome.source_file}: {outcome.skip_reason}")
                    else:
                        self.record.files_parsed += 1
                done += len(batch.outcomes)
                self.console.progress(f"parsing {done}/{len(plan.to_parse)}")
        counts = writer.counts
        if self.in_place:
            try:
                counts, self.record.files_skipped = incremental.start_in_place(self.paths, plan, target)
            except duckdb.Error as error:
                if OUT_OF_SPACE_RE.search(str(error)):
                    raise BuildFailed(f"{OUT_OF_SPACE} while the new rows were written ({error})") from error
                raise
        else:
            if reuse:
                counts = incremental.merge_seeds(self.paths.published, plan.unchanged, target, self.paths.work_seeds)
                seeds_ready()
            files = (self.paths.work_seeds / "parsed_files.csv").as_posix()
            with duckdb.connect() as con:
                self.record.files_skipped = con.execute(
                    "select count(*) from read_csv(?, header = true) where status = 'skipped'", [files]
                ).fetchone()[0]
        self.record.reports = counts["parsed_reports"]
        self.record.fund_lines = counts["parsed_fund_lines"]
        self.record.indicators = counts["parsed_indicators"]

    def transform(self, dbt: DbtProcess) -> None:
        outcome = dbt.build(self.console, self.in_place)
        for kind, seconds in outcome.seconds.items():
            self.record.stage_seconds[f"dbt_{kind}"] = round(seconds, 3)
        if not outcome.success and outcome.out_of_space:
            raise BuildFailed(f"{OUT_OF_SPACE} while dbt wrote the new warehouse ({outcome.out_of_space})")
        if not outcome.success:
            details = "; ".join(outcome.failures[:5])
            fatal = self._fatal_findings()
            if fatal:
                details = "fatal findings: " + "; ".join(fatal[:5])
            raise BuildFailed(f"dbt build failed: {details}")

    def _fatal_findings(self) -> list[str]:
        """Messages of the fatal findings of a failed build, if it got as far as recording them."""
        try:
            with duckdb.connect(str(self.paths.work_database), read_only=True) as con:
                rows = con.execute(
                    "select rule_id || ' ' || coalesce(source_file, '') || ': ' || message_en "
                    "from marts.dq_finding where severity = 'fatal'"
                ).fetchall()
        except duckdb.Error:
            return []
        return [r[0] for r in rows]

    def record_run(self) -> None:
        """Count what the build holds and write ops.build_runs into the new database."""
        with duckdb.connect(str(self.paths.work_database)) as con:
            for mart in MART_COUNTS:
                count = con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
                setattr(self.record, f"{mart}_rows", count)
            for severity, count in con.execute(
                "select severity, count(*) from marts.dq_finding group by severity"
            ).fetchall():
                setattr(self.record, f"{severity}_findings", count)
            for severity in ("error", "warning", "info"):
                if getattr(self.record, f"{severity}_findings") is None:
                    setattr(self.record, f"{severity}_findings", 0)
            self.record.status = runlog.PUBLISHED
            self.record.finished_at = runlog.now()
            self.record.total_seconds = round(time.perf_counter() - self.started, 3)
            self.record.exit_code = EXIT_PARTIAL if self.record.files_skipped else EXIT_OK
            past = [r for r in runlog.history(self.paths.run_log) if r.run_id != self.record.run_id]
            _keep_published(past, self.paths.published)
            runlog.write_table(con, [*past, self.record])
            con.execute("checkpoint")


def _keep_published(past: list[runlog.RunRecord], published: Path) -> None:
    """A build killed after its rename but before its end line was logged did publish: the file says so."""
    if not published.exists() or not any(r.status == runlog.INTERRUPTED for r in past):
        return
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            rows = con.execute("select run_id from ops.build_runs where status = 'published'").fetchall()
        done = {row[0] for row in rows}
    except duckdb.Error:
        return
    for run in past:
        if run.status == runlog.INTERRUPTED and run.run_id in done:
            run.status = runlog.PUBLISHED


def _summary_lines(record: runlog.RunRecord, paths: WarehousePaths) -> list[str]:
    seconds = record.total_seconds or 0
    if record.status == runlog.UNCHANGED:
        return [
            f"Nothing to build ({seconds:.1f} s): {record.message}",
            f"  files     {record.files_unchanged} unchanged, {record.files_skipped} skipped (of {record.files_total})",
            f"  warehouse {paths.published}",
        ]
    if record.status != runlog.PUBLISHED:
        return [
            f"Build failed after {seconds:.1f} s: {record.message}",
            f"The published warehouse {paths.published} is unchanged.",
        ]
    lines = [
        f"Built {paths.published} in {seconds:.1f} s",
        f"  files     {record.files_parsed} parsed, {record.files_unchanged} unchanged, "
        f"{record.files_skipped} skipped, {record.files_removed} removed (of {record.files_total})",
        f"  rows      {record.reports} reports, {record.fund_lines} fund lines, {record.indicators} indicators",
        f"  findings  {record.error_findings} errors, {record.warning_findings} warnings, "
        f"{record.info_findings} info (marts.dq_finding)",
    ]
    if record.files_skipped:
        lines.append("  skipped files and parse warnings: ops.ingest_issues")
    if (paths.data_docs / "index.html").exists():
        lines.append(f"  data docs {paths.data_docs / 'index.html'}")
    return lines


def _prune_logs(logs: Path, keep: int = DEFAULT_KEPT_LOGS) -> None:
    """Keep the newest build logs (their names sort by start time)."""
    for old in sorted(logs.glob("*.log"))[:-keep] if logs.exists() else []:
        old.unlink(missing_ok=True)


def _say_waiting(paths: WarehousePaths, holder: str) -> None:
    print(f"waiting for the running build of {paths.published} to finish ({holder})", file=sys.stderr, flush=True)


def run_build(options: BuildOptions, stream: TextIO = sys.stdout) -> int:
    """Build and publish; returns the exit status."""
    paths = WarehousePaths.for_warehouse(options.warehouse)
    if not options.reports_dir.is_dir():
        what = "is not a folder" if options.reports_dir.exists() else "does not exist"
        print(f"error: reports folder {options.reports_dir} {what}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with BuildLock(paths.lock, wait=options.wait, on_wait=lambda holder: _say_waiting(paths, holder)):
            return _locked_build(options, paths, stream)
    except BuildLocked as locked:
        print(f"build refused: {locked}; try again later, or pass --wait", file=sys.stderr)
        return EXIT_LOCKED


def _locked_build(options: BuildOptions, paths: WarehousePaths, stream: TextIO) -> int:
    run_id = datetime.now().strftime("%Y%m%dT%H%M%S.%f")
    record = runlog.RunRecord(
        run_id=run_id,
        started_at=runlog.now(),
        reports_dir=str(options.reports_dir.resolve()),
        warehouse=str(paths.published),
        parser_version=PARSER_VERSION,
    )
    try:
        runlog.append(paths.run_log, record)
    except OSError as error:
        print(f"error: the build cannot start, {paths.run_log} cannot be written: {error}", file=sys.stderr)
        return EXIT_FAILED
    _prune_logs(paths.logs)
    console = Console(paths.logs / f"{run_id}.log", stream)
    started = time.perf_counter()
    try:
        exit_code = Build(options, paths, console, record).run()
    except BuildFailed as failed:
        record.status, record.message, exit_code = runlog.FAILED, str(failed), EXIT_FAILED
    except Exception as error:  # an unexpected error must still end in a clear line and a logged run
        console.log_only(traceback.format_exc())
        message = f"{type(error).__name__}: {error}"
        if isinstance(error, OSError) and error.errno in OUT_OF_SPACE_ERRNOS:
            message = f"{OUT_OF_SPACE} writing {error.filename or 'the build'}: {error.strerror}"
        record.status, record.message, exit_code = runlog.FAILED, message, EXIT_FAILED
    record.exit_code = exit_code
    record.finished_at = runlog.now()
    record.total_seconds = round(time.perf_counter() - started, 3)
    try:
        runlog.append(paths.run_log, record)
    except OSError as error:  # a full disk must not hide why the build failed
        print(f"warning: the run log {paths.run_log} could not be written: {error}", file=sys.stderr)
    console.summary(_summary_lines(record, paths), asdict(record))
    console.close()
    return exit_code
