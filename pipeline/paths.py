"""Where a warehouse and its build files live.

For a warehouse ``warehouse/budget.duckdb``:

    warehouse/budget.duckdb            the published warehouse readers open (read-only)
    warehouse/budget_data_docs/        Great Expectations Data Docs of the published build
    warehouse/budget.build/lock        held by the running build
    warehouse/budget.build/runs.jsonl  one line per build start and finish
    warehouse/budget.build/logs/       one log per build (dbt's output included)
    warehouse/budget.build/dbt/        dbt's target folder, kept for partial parsing
    warehouse/budget.build/work/       the build in progress: new database, seeds, docs

The work folder sits on the same file system as the published file, so the
final rename is atomic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def wal_of(database: Path) -> Path:
    """DuckDB's write-ahead log of a database file: there while the file is open, or when it was not closed cleanly."""
    return database.with_name(database.name + ".wal")


@dataclass(frozen=True)
class WarehousePaths:
    published: Path

    @classmethod
    def for_warehouse(cls, path: Path) -> WarehousePaths:
        return cls(path.resolve())

    @property
    def build_dir(self) -> Path:
        return self.published.with_name(self.published.stem + ".build")

    @property
    def data_docs(self) -> Path:
        return self.published.with_name(self.published.stem + "_data_docs")

    @property
    def own_files(self) -> tuple[Path, ...]:
        """Every file and folder of the warehouse beside its reports: none of them is ever a report."""
        return (self.published, wal_of(self.published), self.build_dir, self.data_docs)

    @property
    def lock(self) -> Path:
        return self.build_dir / "lock"

    @property
    def run_log(self) -> Path:
        return self.build_dir / "runs.jsonl"

    @property
    def logs(self) -> Path:
        return self.build_dir / "logs"

    @property
    def dbt_target(self) -> Path:
        return self.build_dir / "dbt" / "target"

    @property
    def dbt_logs(self) -> Path:
        return self.build_dir / "dbt" / "logs"

    @property
    def work(self) -> Path:
        return self.build_dir / "work"

    @property
    def work_database(self) -> Path:
        return self.work / self.published.name

    @property
    def work_seeds(self) -> Path:
        return self.work / "seeds"

    @property
    def work_new_rows(self) -> Path:
        return self.work / "new_rows"

    @property
    def work_changes(self) -> Path:
        """Which report files a build in place changed (pipeline.incremental), for the expectations model."""
        return self.work / "changes.json"

    @property
    def work_docs(self) -> Path:
        return self.work / "data_docs"
