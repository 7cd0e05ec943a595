"""Incremental builds: re-parse only new or changed files, reuse the rows of the others.

The previously published warehouse is the cache.  Its raw.parsed_* tables hold
every row parsed from every file, with the file's content hash and the parser
version that read it; a file whose hash and parser version are unchanged is
not parsed again, and its rows are copied into this build's seeds.  Nothing
else keeps state, so there is no cache to go stale or to repair after a crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest import PARSER_VERSION
from ingest.rows import COLUMNS, TABLES
from ingest.seeds import write_properties
from ingest.service import DEFAULT_MAX_FILE_BYTES, hash_source

# Tables whose rows belong to a file through their report.
BY_REPORT = {"parsed_fund_lines", "parsed_indicators", "parsed_level1_weights"}


@dataclass
class Plan:
    to_parse: list[str]
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    note: str | None = None  # why the build is a full one, when it had to be


def _previous_files(published: Path) -> dict[str, tuple[str, str]] | str:
    """source_file -> (sha256, parser version) of the published warehouse, or why it cannot be used."""
    if not published.exists():
        return "no published warehouse yet"
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            for table in TABLES:
                columns = [r[0] for r in con.execute(f"describe raw.{table}").fetchall()]
                if columns != [name for name, _ in COLUMNS[table]]:
                    return f"raw.{table} has other columns than this version writes"
            rows = con.execute("select source_file, source_sha256, parser_version from raw.parsed_files").fetchall()
    except duckdb.Error as error:
        return f"the published warehouse cannot be read ({str(error).splitlines()[0]})"
    return {source_file: (sha, version) for source_file, sha, version in rows}


def hash_files(root: Path, files: list[str], max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> dict[str, str | None]:
    """source_file -> sha256 of its bytes, None where they cannot be read safely (a plain loop: measured
    faster than threads on many small files)."""
    return {name: hash_source(root, name, max_bytes) for name in files}


def plan(root: Path, files: list[str], published: Path, full: bool, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Plan:
    """Which of ``files`` (under ``root``) to parse, and which rows to reuse from ``published``.

    Files are hashed only when there is a previous build to compare them with.
    """
    if full:
        return Plan(list(files), note="full rebuild requested")
    previous = _previous_files(published)
    if isinstance(previous, str):
        return Plan(list(files), note=previous)
    digests = hash_files(root, files, max_bytes)
    unchanged = [f for f in files if digests[f] is not None and previous.get(f) == (digests[f], PARSER_VERSION)]
    kept = set(unchanged)
    return Plan(
        to_parse=[f for f in files if f not in kept],
        unchanged=unchanged,
        removed=sorted(set(previous) - set(files)),
    )


def _read_new(new_rows: Path, table: str) -> str:
    columns = ", ".join(f"'{name}': '{sql_type}'" for name, sql_type in COLUMNS[table])
    path = (new_rows / f"{table}.csv").as_posix().replace("'", "''")
    return f"select * from read_csv('{path}', header = true, auto_detect = false, columns = {{{columns}}})"


def merge_seeds(published: Path, unchanged: list[str], new_rows: Path, seeds: Path) -> dict[str, int]:
    """Write the seeds of this build: reused rows of unchanged files, then the newly parsed rows."""
    seeds.mkdir(parents=True, exist_ok=True)
    counts = {}
    with duckdb.connect() as con:
        con.execute("attach ? as previous (read_only)", [str(published)])
        con.execute("create temp table kept as select unnest(?::varchar[]) as source_file", [unchanged])
        con.execute(
            "create temp table kept_reports as select report_id from previous.raw.parsed_reports "
            "where source_file in (select source_file from kept)"
        )
        for table in TABLES:
            key = (
                "report_id in (select report_id from kept_reports)"
                if table in BY_REPORT
                else ("source_file in (select source_file from kept)")
            )
            target = (seeds / f"{table}.csv").as_posix().replace("'", "''")
            query = f"select * from previous.raw.{table} where {key} union all {_read_new(new_rows, table)}"
            copied = con.execute(f"copy ({query}) to '{target}' (header, delimiter ',', quote '\"', escape '\"')")
            counts[table] = copied.fetchone()[0]
    write_properties(seeds)
    return counts
