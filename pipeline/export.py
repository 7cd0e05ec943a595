"""Open exports of the published warehouse: every mart and ops table as Parquet or CSV, with a manifest.

    <out>/manifest.json                       tables, row counts, columns with descriptions, build run id
    <out>/marts/dim_report.parquet            one file per table ...
    <out>/marts/fct_budget_execution/fiscal_year=2024/data_0.parquet   ... facts partitioned by year

CSV files are UTF-8 with a byte order mark, so that Excel shows the Chinese text.
The set is written to a hidden sibling folder and swapped in with one atomic
exchange of the two folders: a reader sees the previous set or the new one,
never a half-written one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from pipeline.catalog import sql_literal, table_comments

FORMATS = ("parquet", "csv")
DEFAULT_FORMAT = "parquet"
EXPORTED_SCHEMAS = ("marts", "ops")
PARTITION_COLUMN = "fiscal_year"  # facts (fct_*) are partitioned by it in Parquet
FACT_PREFIX = "fct_"
MANIFEST = "manifest.json"
BOM = "\ufeff".encode()
_RENAME_EXCHANGE = 2  # renameat2 flag (Linux): swap two paths atomically
_AT_FDCWD = -100


class ExportError(Exception):
    """The export could not be written; the previous export, if any, is unchanged."""


@dataclass(frozen=True)
class ExportResult:
    out: Path
    tables: int
    rows: int
    run_id: str | None


def _published_run_id(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = con.execute(
            "select run_id from ops.build_runs where status = 'published' order by run_id desc limit 1"
        ).fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def _write_table(con: duckdb.DuckDBPyConnection, qualified: str, target: Path, fmt: str, partitioned: bool) -> str:
    """Write one table below ``target`` (its folder); returns its path relative to the export root."""
    schema, table = qualified.split(".")
    folder = target / schema
    folder.mkdir(parents=True, exist_ok=True)
    source = f'select * from "{schema}"."{table}"'
    if fmt == "parquet" and partitioned:
        con.execute(
            f"copy ({source}) to {sql_literal(folder / table)} (format parquet, partition_by ({PARTITION_COLUMN}))"
        )
        return f"{schema}/{table}"
    if fmt == "parquet":
        con.execute(f"copy ({source}) to {sql_literal(folder / (table + '.parquet'))} (format parquet)")
        return f"{schema}/{table}.parquet"
    plain = folder / (table + ".csv.part")
    con.execute(f"copy ({source}) to {sql_literal(plain)} (format csv, header true)")
    with open(folder / (table + ".csv"), "wb") as out, open(plain, "rb") as data:
        out.write(BOM)
        shutil.copyfileobj(data, out, 1 << 20)
    plain.unlink()
    return f"{schema}/{table}.csv"


def _swap(new: Path, out: Path) -> Path | None:
    """Put ``new`` in place of ``out``; returns where the previous set now is (to be removed)."""
    if not out.exists():
        os.replace(new, out)
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None and renameat2(_AT_FDCWD, bytes(new), _AT_FDCWD, bytes(out), _RENAME_EXCHANGE) == 0:
        return new  # the exchange left the previous set at the temporary name
    # no atomic exchange on this system: two renames, the folder is absent between them
    old = out.with_name(f".{out.name}.previous-{os.getpid()}")
    os.replace(out, old)
    os.replace(new, out)
    return old


def _remove_abandoned(out: Path) -> None:
    """Remove the temporary folders of exports killed before their swap (their process is gone)."""
    for folder in out.parent.glob(f".{out.name}.writing-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (ValueError, PermissionError):
            continue


def _check_target(out: Path) -> None:
    """Never replace a folder that is not an export: it could be anybody's."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).exists())):
        raise ExportError(f"{out} exists and is not an export (no {MANIFEST}); choose an empty or new folder")


def export(warehouse: Path, out: Path, fmt: str = DEFAULT_FORMAT) -> ExportResult:
    """Export every table of the marts and ops schemas of ``warehouse`` into ``out``."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if not warehouse.is_file():
        raise ExportError(f"no warehouse at {warehouse}: build it first (make build)")
    out = out.resolve()
    _check_target(out)
    work = out.with_name(f".{out.name}.writing-{os.getpid()}")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(out)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        with duckdb.connect(str(warehouse), read_only=True) as con:
            con.execute("set enable_progress_bar = false")
            run_id = _published_run_id(con)
            entries = []
            for (schema, table), described in table_comments(con, EXPORTED_SCHEMAS).items():
                columns = [c["name"] for c in described["columns"]]
                partitioned = table.startswith(FACT_PREFIX) and PARTITION_COLUMN in columns
                rows = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
                path = _write_table(con, f"{schema}.{table}", work, fmt, partitioned)
                entries.append(
                    {
                        "table": f"{schema}.{table}",
                        "description": described["description"],
                        "rows": rows,
                        "path": path,
                        "partitioned_by": [PARTITION_COLUMN] if partitioned and fmt == "parquet" else [],
                        "columns": described["columns"],
                    }
                )
        manifest = {
            "format": fmt,
            "encoding": "utf-8 with byte order mark" if fmt == "csv" else None,
            "build_run_id": run_id,
            "warehouse": str(warehouse.resolve()),
            "exported_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "tables": entries,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        previous = _swap(work, out)
    except (duckdb.Error, OSError) as error:
        shutil.rmtree(work, ignore_errors=True)
        raise ExportError(f"export to {out} failed: {error}") from error
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
    return ExportResult(out, len(entries), sum(e["rows"] for e in entries), run_id)


def write_docs_site(warehouse: Path, out: Path) -> Path:
    """Generate the dbt docs site of the published warehouse into ``out``; returns its single-file page.

    dbt reads the catalog (tables, columns, types, comments) from a copy of the
    published file, so readers of the warehouse are never locked out, and the
    parsed seeds it must find are written as empty CSV files with the headers of
    the warehouse's own raw tables: nothing is parsed again.
    """
    from pipeline.dbt import PROJECT_DIR

    if not warehouse.is_file():
        raise ExportError(f"no warehouse at {warehouse}: build it first (make build)")
    out = out.resolve()
    work = out / "work"
    shutil.rmtree(work, ignore_errors=True)
    seeds = work / "seeds"
    seeds.mkdir(parents=True)
    copy = work / warehouse.name  # the same file name: dbt names the database after it
    shutil.copyfile(warehouse, copy)
    with duckdb.connect(str(copy), read_only=True) as con:
        for (table,) in con.execute("select table_name from duckdb_tables() where schema_name = 'raw'").fetchall():
            header_only = sql_literal(seeds / f"{table}.csv")
            con.execute(f'copy (select * from raw."{table}" limit 0) to {header_only} (header)')
    env = {
        **os.environ,
        "WAREHOUSE_PATH": str(copy),
        "BUDGET_PARSED_SEEDS": str(seeds),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        str(Path(sys.executable).with_name("dbt")),
        "docs",
        "generate",
        "--static",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(out),
        "--log-path",
        str(work / "logs"),
    ]
    done = subprocess.run(command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        errors = [line for line in done.stdout.splitlines() if "error" in line.lower()]
        raise ExportError(f"dbt docs generate failed: {(errors or done.stdout.splitlines() or ['?'])[-1].strip()}")
    shutil.rmtree(work, ignore_errors=True)
    return out / "static_index.html"
