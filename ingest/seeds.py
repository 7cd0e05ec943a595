"""Write parsed rows as dbt seeds: one CSV per table and a properties file declaring their types.

The seeds are regenerated on every build into a folder of their own (git-ignored),
so their column types travel with them: dbt loads them exactly as declared in
``ingest.rows.COLUMNS``, and nothing is guessed.
"""

from __future__ import annotations

import csv
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import yaml

from ingest.rows import COLUMNS, TABLES

if TYPE_CHECKING:
    from ingest.batch import Batch

PROPERTIES_FILE = "_parsed__seeds.yml"
SEED_SCHEMA = "raw"
DESCRIPTIONS = {
    "parsed_files": "One row per report file seen by the build: its hash, encoding, and whether it was parsed.",
    "parsed_reports": "One row per report parsed from a file (a department, or one project).",
    "parsed_fund_lines": "One row per report and fund line, amounts in 元 and as printed.",
    "parsed_indicators": "One row per report and indicator row, values parsed and as printed.",
    "parsed_level1_weights": "One row per report and 一级指标 whose 权重 is printed (department tables).",
    "parsed_issues": "One row per problem met while parsing: the file, line, severity and reason.",
}


def csv_writer(stream: TextIO):
    """A CSV writer in the dialect of the seed files (what macros/seed_read_csv.sql reads)."""
    return csv.writer(stream, lineterminator="\n")


class SeedWriter:
    """Streams the CSV text of parsed batches into the seed files of one build."""

    def __init__(self, seed_dir: Path):
        self.seed_dir = seed_dir
        self.counts = dict.fromkeys(TABLES, 0)
        self._stack = ExitStack()
        self._files = {}

    def __enter__(self) -> SeedWriter:
        self.seed_dir.mkdir(parents=True, exist_ok=True)
        for table in TABLES:
            f = self._stack.enter_context(open(self.seed_dir / f"{table}.csv", "w", encoding="utf-8", newline=""))
            csv_writer(f).writerow(name for name, _ in COLUMNS[table])
            self._files[table] = f
        write_properties(self.seed_dir)
        return self

    def write_batch(self, batch: Batch) -> None:
        """Append rows a worker already wrote as CSV text."""
        for table, text in batch.csv_text.items():
            self._files[table].write(text)
            self.counts[table] += batch.row_counts[table]

    def __exit__(self, *exc) -> None:
        self._stack.close()


def write_properties(seed_dir: Path) -> None:
    """The dbt properties of the parsed seeds: schema, description and every column's type."""
    seeds = [
        {
            "name": table,
            "description": DESCRIPTIONS[table],
            "config": {"schema": SEED_SCHEMA, "column_types": dict(COLUMNS[table])},
        }
        for table in TABLES
    ]
    text = "# Written by ingest on every build from ingest/rows.py: do not edit.\n"
    text += yaml.safe_dump({"version": 2, "seeds": seeds}, allow_unicode=True, sort_keys=False)
    (seed_dir / PROPERTIES_FILE).write_text(text, encoding="utf-8")
