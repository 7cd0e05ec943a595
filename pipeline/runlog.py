"""The build run log: one JSON line when a build starts and one when it ends.

The log outlives any single warehouse file, so failed and interrupted builds
are remembered too; every published warehouse carries the whole history as
the table ops.build_runs.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path

import duckdb

STARTED, PUBLISHED, FAILED, INTERRUPTED = "started", "published", "failed", "interrupted"
UNCHANGED = "unchanged"  # nothing changed since the published build: it was left as it was


@dataclass
class RunRecord:
    """Everything a scheduler or an operator wants to know about one build."""

    run_id: str
    started_at: str
    finished_at: str | None = None
    status: str = STARTED  # published | unchanged | failed | interrupted
    exit_code: int | None = None
    message: str | None = None
    reports_dir: str | None = None
    warehouse: str | None = None
    full_rebuild: bool = False
    parser_version: str | None = None
    files_total: int = 0
    files_parsed: int = 0
    files_unchanged: int = 0
    files_skipped: int = 0
    files_removed: int = 0
    reports: int = 0
    fund_lines: int = 0
    indicators: int = 0
    dim_report_rows: int | None = None
    fct_budget_execution_rows: int | None = None
    fct_indicator_outcome_rows: int | None = None
    dim_town_rows: int | None = None
    town_year_summary_rows: int | None = None
    dq_finding_rows: int | None = None
    error_findings: int | None = None
    warning_findings: int | None = None
    info_findings: int | None = None
    stage_seconds: dict[str, float] = field(default_factory=dict)
    total_seconds: float | None = None
    project_version: str | None = None  # pipeline.versions: models, checks, build code
    files_hashed: int = 0  # read to tell whether they changed (the others by size and time)


COLUMN_TYPES = {
    "run_id": "VARCHAR",
    "started_at": "TIMESTAMP",
    "finished_at": "TIMESTAMP",
    "status": "VARCHAR",
    "exit_code": "INTEGER",
    "message": "VARCHAR",
    "reports_dir": "VARCHAR",
    "warehouse": "VARCHAR",
    "full_rebuild": "BOOLEAN",
    "parser_version": "VARCHAR",
    "project_version": "VARCHAR",
    "stage_seconds": "MAP(VARCHAR, DOUBLE)",
    "total_seconds": "DOUBLE",
}  # the rest are counts: BIGINT


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="milliseconds")


def append(path: Path, record: RunRecord) -> None:
    """Append one line; a single small write with O_APPEND, so concurrent appends do not interleave."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")


def history(path: Path) -> list[RunRecord]:
    """Every build in the log, oldest first; a build with no end line was interrupted."""
    runs: dict[str, RunRecord] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                data = json.loads(line)
            except json.JSONDecodeError:  # a line cut by a crash mid-write
                continue
            runs[data["run_id"]] = RunRecord(**{f.name: data.get(f.name) for f in fields(RunRecord) if f.name in data})
    for run in runs.values():
        if run.status == STARTED:
            run.status = INTERRUPTED
    return list(runs.values())


def write_table(con: duckdb.DuckDBPyConnection, runs: list[RunRecord]) -> None:
    """(Re)create ops.build_runs from the run history."""
    names = [f.name for f in fields(RunRecord)]
    columns = ", ".join(f"{name} {COLUMN_TYPES.get(name, 'BIGINT')}" for name in names)
    con.execute("create schema if not exists ops")
    con.execute(f"create or replace table ops.build_runs ({columns})")
    placeholders = ", ".join("?" for _ in names)
    con.executemany(
        f"insert into ops.build_runs values ({placeholders})",
        [[getattr(run, name) for name in names] for run in runs],
    )
