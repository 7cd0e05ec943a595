"""Incremental builds: re-parse only new or changed files, reuse the rows of the others.

The previously published warehouse is the cache.  Its raw.parsed_* tables hold
every row parsed from every file, with the file's size, modification time,
content hash and the parser version that read it; a file whose content and
parser version are unchanged is not parsed again, and its rows are copied into
this build's seeds.  Nothing else keeps state, so there is no cache to go stale
or to repair after a crash.

Like rsync, a file whose size and modification time (to the microsecond) equal
the recorded ones is taken as unchanged without reading it; the others are
hashed.  ``checksum=True`` hashes every file instead (and ``full=True``
re-parses every file).  What the shortcut cannot see is documented in the
README (Nightly rebuilds).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import duckdb

from ingest import PARSER_VERSION
from ingest.rows import COLUMNS, TABLES
from ingest.seeds import write_properties
from ingest.service import DEFAULT_MAX_FILE_BYTES, hash_source, source_path
from pipeline.catalog import sql_literal
from pipeline.paths import WarehousePaths, wal_of

# Tables whose rows belong to a file through their report.
BY_REPORT = {"parsed_fund_lines", "parsed_indicators", "parsed_level1_weights"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


class Recorded(NamedTuple):
    """What the published warehouse recorded of one file."""

    sha256: str
    parser_version: str
    size_bytes: int | None
    modified_us: int | None  # file_modified_at, microseconds since the epoch (UTC)


@dataclass
class Plan:
    to_parse: list[str]
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    note: str | None = None  # why the build is a full one, when it had to be
    hashed: int = 0  # files read and hashed to tell whether they changed
    published_run: dict | None = None  # the ops.build_runs row of the build that published the warehouse

    @property
    def nothing_to_parse(self) -> bool:
        return not self.to_parse and not self.removed and bool(self.unchanged)


def _published_run(con: duckdb.DuckDBPyConnection) -> dict | None:
    """The run log row of the build that published this warehouse (None for a warehouse without one)."""
    try:
        cursor = con.execute(
            "select * from ops.build_runs where status = 'published' order by started_at desc, run_id desc limit 1"
        )
    except duckdb.Error:
        return None
    row = cursor.fetchone()
    return None if row is None else dict(zip([d[0] for d in cursor.description], row, strict=True))


def _previous_files(published: Path) -> tuple[dict[str, Recorded], dict | None] | str:
    """What the published warehouse recorded of each file, and its run log row; or why it cannot be used."""
    if not published.exists():
        return "no published warehouse yet"
    try:
        with duckdb.connect(str(published), read_only=True) as con:
            for table in TABLES:
                columns = [r[0] for r in con.execute(f"describe raw.{table}").fetchall()]
                if columns != [name for name, _ in COLUMNS[table]]:
                    return f"raw.{table} has other columns than this version writes"
            rows = con.execute(
                "select source_file, source_sha256, parser_version, size_bytes, epoch_us(file_modified_at) "
                "from raw.parsed_files"
            ).fetchall()
            run = _published_run(con)
    except duckdb.Error as error:
        return f"the published warehouse cannot be read ({str(error).splitlines()[0]})"
    return {row[0]: Recorded(*row[1:]) for row in rows}, run


def modified_us(mtime: float) -> int:
    """A file's modification time as recorded in raw.parsed_files: microseconds since the epoch."""
    return (datetime.fromtimestamp(mtime, tz=UTC) - EPOCH) // MICROSECOND


def same_stat(path: str, recorded: Recorded) -> bool:
    """True when the file has the recorded size and modification time (so its content is taken as unchanged)."""
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return stat.st_size == recorded.size_bytes and modified_us(stat.st_mtime) == recorded.modified_us


def hash_files(root: Path, files: list[str], max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> dict[str, str | None]:
    """source_file -> sha256 of its bytes, None where they cannot be read safely (a plain loop: measured
    faster than threads on many small files)."""
    return {name: hash_source(root, name, max_bytes) for name in files}


def plan(
    root: Path,
    files: list[str],
    published: Path,
    full: bool,
    checksum: bool = False,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> Plan:
    """Which of ``files`` (under ``root``) to parse, and which rows to reuse from ``published``.

    Files are looked at only when there is a previous build to compare them with;
    they are hashed only when their size or modification time differ from the
    recorded ones (every one of them with ``checksum``).
    """
    if full:
        return Plan(list(files), note="full rebuild requested")
    previous = _previous_files(published)
    if isinstance(previous, str):
        return Plan(list(files), note=previous)
    recorded, run = previous
    # a file whose bytes could not be read last time (no hash: unreadable, a pipe, changing …) is tried again
    current = {
        f: r
        for f in files
        if (r := recorded.get(f)) is not None and r.parser_version == PARSER_VERSION and r.sha256 is not None
    }
    kept = set() if checksum else {f for f, r in current.items() if same_stat(source_path(root, f), r)}
    to_hash = [f for f in current if f not in kept]
    digests = hash_files(root, to_hash, max_bytes)
    kept.update(f for f in to_hash if digests[f] is not None and digests[f] == current[f].sha256)
    return Plan(
        to_parse=[f for f in files if f not in kept],
        unchanged=[f for f in files if f in kept],
        removed=sorted(set(recorded) - set(files)),
        hashed=len(to_hash),
        published_run=run,
    )


def _read_new(new_rows: Path, table: str) -> str:
    columns = ", ".join(f"'{name}': '{sql_type}'" for name, sql_type in COLUMNS[table])
    path = sql_literal(new_rows / f"{table}.csv")
    return f"select * from read_csv({path}, header = true, auto_detect = false, columns = {{{columns}}})"


def _list_kept(con: duckdb.DuckDBPyConnection, unchanged: list[str], raw: str) -> None:
    """Temp tables of the unchanged files (kept) and of the reports parsed from them (kept_reports),
    as the schema ``raw`` records them."""
    con.execute("create temp table kept as select unnest(?::varchar[]) as source_file", [unchanged])
    con.execute(
        f"create temp table kept_reports as select report_id from {raw}.parsed_reports "
        "where source_file in (select source_file from kept)"
    )


def _kept(table: str) -> str:
    """SQL condition on a raw table's rows: the row belongs to an unchanged file (see _list_kept)."""
    if table in BY_REPORT:
        return "report_id in (select report_id from kept_reports)"
    return "source_file in (select source_file from kept)"


def merge_seeds(published: Path, unchanged: list[str], new_rows: Path, seeds: Path) -> dict[str, int]:
    """Write the seeds of this build: reused rows of unchanged files, then the newly parsed rows."""
    seeds.mkdir(parents=True, exist_ok=True)
    counts = {}
    with duckdb.connect() as con:
        con.execute("attach ? as previous (read_only)", [str(published)])
        _list_kept(con, unchanged, "previous.raw")
        for table in TABLES:
            target = sql_literal(seeds / f"{table}.csv")
            query = f"select * from previous.raw.{table} where {_kept(table)} union all {_read_new(new_rows, table)}"
            copied = con.execute(f"copy ({query}) to {target} (header, delimiter ',', quote '\"', escape '\"')")
            counts[table] = copied.fetchone()[0]
    write_properties(seeds)
    return counts


def in_place_refusal(plan: Plan, published: Path, project: str) -> str | None:
    """Why this build cannot start from a copy of the published warehouse (None when it can).

    A copy holds every table the published build made: it is a valid start only
    when this build makes the same tables the same way, that is when the
    published build ran the same parser and project versions, and left no
    write-ahead log (a writer that crashed on the published file; it is not
    replayed, see pipeline/publish.py).
    """
    run = plan.published_run
    if not plan.unchanged:
        return "no file is unchanged"
    if run is None:
        return "the published warehouse has no run log"
    if run.get("parser_version") != PARSER_VERSION or run.get("project_version") != project:
        return "the published build ran other parsers or another project version"
    if wal_of(published).exists():
        return "the published warehouse has a write-ahead log"
    return None


# Tables the check tables read (models/intermediate/checks/), with the columns of a report's own file
# (its hash) that none of them reads: rows equal but for those make the same check rows.
CHECKED_TABLES = {"parsed_reports": ("source_sha256",), **{table: () for table in sorted(BY_REPORT)}}


@dataclass
class RawUpdate:
    counts: dict[str, int]  # table -> rows it holds now
    check_rows_unchanged: bool  # the rows the check tables read are those of the published build


def update_raw(database: Path, unchanged: list[str], new_rows: Path) -> RawUpdate:
    """In ``database`` (a copy of the published warehouse), replace the raw.parsed_* rows of every file
    that is not unchanged by the newly parsed rows.

    The rows kept are exactly those merge_seeds would copy: a file's own rows where
    it is unchanged, and the rows of the reports parsed from unchanged files.  Also
    tells whether the new rows equal the replaced ones in every table and column the
    check tables read (a file rewritten with the same content, or only touched).
    """
    counts, same = {}, True
    with duckdb.connect(str(database)) as con:
        con.execute("begin")
        _list_kept(con, unchanged, "raw")
        for table in TABLES:
            key = "report_id" if table in BY_REPORT else "source_file"
            replaced = f"not ({_kept(table)}) or {key} is null"
            con.execute(f"create temp table new_rows as {_read_new(new_rows, table)}")
            if same and table in CHECKED_TABLES:
                columns = ", ".join(f'"{c}"' for c, _ in COLUMNS[table] if c not in CHECKED_TABLES[table])
                old = f"select {columns} from raw.{table} where {replaced}"
                new = f"select {columns} from new_rows"
                differing = f"select count(*) from (({old} except all {new}) union all ({new} except all {old}))"
                same = con.execute(differing).fetchone()[0] == 0
            con.execute(f"delete from raw.{table} where {replaced}")
            con.execute(f"insert into raw.{table} select * from new_rows")
            con.execute("drop table new_rows")
            counts[table] = con.execute(f"select count(*) from raw.{table}").fetchone()[0]
        con.execute("commit")
        con.execute("checkpoint")
    return RawUpdate(counts, same)


def changed_files(plan: Plan) -> list[str]:
    """The files whose rows this build replaces: new, changed and removed ones."""
    return sorted({*plan.to_parse, *plan.removed})


def start_in_place(paths: WarehousePaths, plan: Plan, new_rows: Path) -> tuple[dict[str, int], int]:
    """Start the work database as a copy of the published one with the new rows in its raw tables, and
    write what changed for the expectations model (paths.work_changes); returns the row count of each
    raw table and the number of skipped files."""
    shutil.copyfile(paths.published, paths.work_database)
    update = update_raw(paths.work_database, plan.unchanged, new_rows)
    changes = {"changed_files": changed_files(plan), "check_rows_unchanged": update.check_rows_unchanged}
    paths.work_changes.write_text(json.dumps(changes, ensure_ascii=False), encoding="utf-8")
    with duckdb.connect(str(paths.work_database), read_only=True) as con:
        skipped = con.execute("select count(*) from raw.parsed_files where status = 'skipped'").fetchall()[0][0]
    return update.counts, skipped
