"""``python -m pipeline query``: one read-only query on the published warehouse, for people and scripts.

Errors end in one line on standard error (no traceback) and a non-zero status:
a missing warehouse, a file that is not a DuckDB database, an SQL error, or a
statement that would change the warehouse (it is always opened read-only).
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import os
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import duckdb

FORMATS = ("table", "csv", "json", "markdown")
DEFAULT_MAX_ROWS = {"table": 100, "markdown": 100, "csv": 0, "json": 0}  # 0: every row
EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
NULL_SHOWN = "NULL"  # how table and markdown show a NULL; csv leaves the field empty, json writes null


class QueryError(Exception):
    """Something the user can fix; its message is the one line printed."""


@dataclass
class Result:
    columns: list[str]
    rows: list[tuple]
    truncated: bool


def read_sql(sql: str | None, file: Path | None, stdin: TextIO) -> str:
    """The query text: the argument, a file (--file), or standard input (``-`` or no argument)."""
    if sql is not None and file is not None:
        raise QueryError("give the SQL either as an argument or with --file, not both")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise QueryError(f"cannot read the SQL file {file}: {error.strerror or error}") from error
    elif sql is None or sql == "-":
        if sql is None and stdin.isatty():
            raise QueryError("no SQL given: pass it as an argument, with --file, or on standard input")
        text = stdin.read()
    else:
        text = sql
    if not text.strip():
        raise QueryError("the SQL is empty")
    return text


def _one_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def run(warehouse: Path, sql: str, max_rows: int) -> Result:
    """Run ``sql`` read-only on ``warehouse``; keeps at most ``max_rows`` rows (0: all)."""
    if not warehouse.is_file():
        raise QueryError(f"no warehouse at {warehouse}: build it first (make build), or pass --warehouse")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as error:
        raise QueryError(f"cannot open {warehouse} as a DuckDB database: {_one_line(error)}") from error
    try:
        con.execute("set enable_progress_bar = false")
        try:
            cursor = con.execute(sql)
        except duckdb.InvalidInputException as error:
            if "read-only mode" in str(error):
                raise QueryError(
                    "the warehouse is read-only: queries cannot change it (the build writes it)"
                ) from error
            raise QueryError(f"SQL error: {_one_line(error)}") from error
        except duckdb.Error as error:
            raise QueryError(f"SQL error: {_one_line(error)}") from error
        if cursor.description is None:
            return Result([], [], False)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchmany(max_rows + 1) if max_rows else cursor.fetchall()
        truncated = bool(max_rows) and len(rows) > max_rows
        return Result(columns, rows[:max_rows] if truncated else rows, truncated)
    finally:
        con.close()


def _text(value: object) -> str:
    if value is None:
        return NULL_SHOWN
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _width(text: str) -> int:
    """Columns a string takes on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)


def write_table(result: Result, out: TextIO) -> None:
    cells = [[_text(v).replace("\n", " ") for v in row] for row in result.rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(result.columns)]
    numeric = [any(_is_number(row[i]) for row in result.rows) for i in range(len(result.columns))]
    out.write("  ".join(_pad(c, w, False) for c, w in zip(result.columns, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        line = "  ".join(_pad(c, w, n) for c, w, n in zip(row, widths, numeric, strict=True))
        out.write(line.rstrip() + "\n")


def write_markdown(result: Result, out: TextIO) -> None:
    def cell(value: object) -> str:
        return _text(value).replace("|", "\\|").replace("\n", "<br>")

    numeric = [any(_is_number(row[i]) for row in result.rows) for i in range(len(result.columns))]
    out.write("| " + " | ".join(cell(c) for c in result.columns) + " |\n")
    out.write("|" + "|".join("---:" if n else "---" for n in numeric) + "|\n")
    for row in result.rows:
        out.write("| " + " | ".join(cell(v) for v in row) + " |\n")


def write_csv(result: Result, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([["" if v is None else v for v in row] for row in result.rows])


def _json_value(value: object) -> str:
    if isinstance(value, decimal.Decimal):
        return str(value)  # the exact number as a JSON number, never rounded through a float
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return json.dumps(value.isoformat())
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {_json_value(v)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_json_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False, default=str)


def write_json(result: Result, out: TextIO) -> None:
    """A JSON array of objects, one row per line."""
    names = [json.dumps(c, ensure_ascii=False) for c in result.columns]
    out.write("[\n")
    for i, row in enumerate(result.rows):
        fields = ", ".join(f"{n}: {_json_value(v)}" for n, v in zip(names, row, strict=True))
        out.write("  {" + fields + "}" + ("," if i < len(result.rows) - 1 else "") + "\n")
    out.write("]\n")


WRITERS = {"table": write_table, "csv": write_csv, "json": write_json, "markdown": write_markdown}


def main(
    warehouse: Path,
    sql: str | None,
    file: Path | None,
    fmt: str,
    max_rows: int | None,
    stdout: TextIO = sys.stdout,
    stderr: TextIO = sys.stderr,
    stdin: TextIO = sys.stdin,
) -> int:
    if max_rows is not None and max_rows < 0:
        print("error: --max-rows must be 0 (every row) or more", file=stderr)
        return EXIT_USAGE
    limit = DEFAULT_MAX_ROWS[fmt] if max_rows is None else max_rows
    try:
        result = run(warehouse, read_sql(sql, file, stdin), limit)
    except QueryError as error:
        print(f"error: {error}", file=stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("error: interrupted", file=stderr)
        return EXIT_INTERRUPTED
    if result.columns:
        try:
            WRITERS[fmt](result, stdout)
            stdout.flush()
        except BrokenPipeError:  # the reader (head, less) stopped reading: not an error
            if hasattr(stdout, "fileno"):
                os.dup2(os.open(os.devnull, os.O_WRONLY), stdout.fileno())
            return EXIT_OK
    if result.truncated:
        print(f"(showing the first {limit} rows; --max-rows 0 shows every row)", file=stderr)
    elif fmt in ("table", "markdown") and result.columns:
        print(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})", file=stderr)
    return EXIT_OK
