"""Command line of the warehouse.

python -m pipeline build   parse the reports and publish the warehouse (what ``make build`` runs)
python -m pipeline query   run one read-only SQL query on the warehouse
python -m pipeline export  write every mart and ops table as Parquet or CSV, with a manifest
python -m pipeline docs    generate the dbt docs site of the published warehouse
python -m pipeline parse   show what the parsers read from one report file
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

from ingest.service import DEFAULT_MAX_FILE_BYTES
from pipeline import query as query_command
from pipeline.build import EXIT_USAGE, BuildOptions, run_build
from pipeline.export import DEFAULT_FORMAT as DEFAULT_EXPORT_FORMAT
from pipeline.export import FORMATS as EXPORT_FORMATS
from pipeline.export import ExportError, export, write_docs_site

DEFAULT_REPORTS = Path("data/reports")
DEFAULT_WAREHOUSE = Path("warehouse/budget.duckdb")


def _parse_one(path: Path) -> int:
    """Print what the parsers read from one file, as JSON: for looking into a single report."""
    from ingest.service import parse_file, source_name

    result = parse_file(path.parent, source_name(path.name))
    print(json.dumps(asdict(result), ensure_ascii=False, indent=2, default=str))
    return 1 if result.skipped else 0


def _write_seeds(reports: Path, out: Path) -> int:
    """Write the parsed seeds of a folder without building: for running dbt by hand, and for linting."""
    from ingest.batch import parse_in_parallel
    from ingest.seeds import SeedWriter
    from ingest.service import discover

    with SeedWriter(out) as writer:
        for batch in parse_in_parallel(reports, discover(reports)):
            writer.write_batch(batch)
    print(f"wrote {writer.counts['parsed_reports']} reports' seeds to {out}")
    return 0


def _export(warehouse: Path, out: Path, fmt: str) -> int:
    """Export the published warehouse (what ``make export`` runs)."""
    try:
        result = export(warehouse, out, fmt)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"exported {result.tables} tables ({result.rows} rows, build {result.run_id}) to {result.out}")
    return 0


def _docs(warehouse: Path, out: Path) -> int:
    """Generate the dbt docs site of the published warehouse (what ``make docs`` runs)."""
    try:
        page = write_docs_site(warehouse, out)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"dbt docs of {warehouse}: {page} (one file), or serve {page.parent} over HTTP for index.html")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="parse the reports and publish the warehouse")
    build.add_argument("--reports", type=Path, default=DEFAULT_REPORTS, help="folder of report files")
    build.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="DuckDB file to publish")
    build.add_argument("--full", action="store_true", help="re-parse every file, not only new and changed ones")
    build.add_argument(
        "--checksum",
        action="store_true",
        help="hash every file to find changes, not only those whose size or time differ",
    )
    build.add_argument("--wait", action="store_true", help="wait for a running build instead of giving up")
    build.add_argument("--workers", type=int, default=None, help="parser processes (default: one per core)")
    build.add_argument("--keep-work", action="store_true", help="keep the work folder (seeds) after publishing")
    build.add_argument(
        "--max-file-mb",
        type=float,
        default=DEFAULT_MAX_FILE_BYTES / 2**20,
        help="skip report files larger than this, in MiB (default: %(default).0f)",
    )
    build.add_argument(
        "--leave-out",
        type=Path,
        action="append",
        default=[],
        metavar="PATH",
        help="a file or folder in the reports folder that holds no reports (a log, notes): not read (repeatable)",
    )
    build.add_argument("--export", type=Path, default=None, help="after publishing, export the warehouse here")
    build.add_argument("--export-format", choices=EXPORT_FORMATS, default=DEFAULT_EXPORT_FORMAT, help="parquet or csv")
    parse = commands.add_parser("parse", help="print what the parsers read from one report file")
    parse.add_argument("file", type=Path)
    seeds = commands.add_parser("seeds", help="write the parsed seeds of a folder, without building")
    seeds.add_argument("out", type=Path)
    seeds.add_argument("--reports", type=Path, default=DEFAULT_REPORTS)
    query = commands.add_parser("query", help="run one SQL query on the warehouse, read-only")
    query.add_argument("sql", nargs="?", help="the SQL; '-' or nothing reads it from standard input")
    query.add_argument("--file", "-f", type=Path, default=None, help="read the SQL from this file")
    query.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    query.add_argument(
        "--format", choices=query_command.FORMATS, default="table", help="output format (default: table)"
    )
    query.add_argument(
        "--max-rows",
        type=int,
        default=None,
        help="rows to print, 0 for all (default: 100 for table and markdown, all otherwise)",
    )
    exports = commands.add_parser("export", help="write every mart and ops table as Parquet or CSV, with a manifest")
    exports.add_argument("--out", type=Path, required=True, help="folder of the export (replaced atomically)")
    exports.add_argument("--format", choices=EXPORT_FORMATS, default=DEFAULT_EXPORT_FORMAT)
    exports.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    docs = commands.add_parser("docs", help="generate the dbt docs site of the published warehouse")
    docs.add_argument("--out", type=Path, default=Path("target/docs"))
    docs.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    args = parser.parse_args(argv)

    if args.command == "parse":
        return _parse_one(args.file)
    if args.command == "query":
        return query_command.main(args.warehouse, args.sql, args.file, args.format, args.max_rows)
    if args.command == "export":
        return _export(args.warehouse, args.out, args.format)
    if args.command == "docs":
        return _docs(args.warehouse, args.out)
    if args.command == "seeds":
        return _write_seeds(args.reports, args.out)
    if (args.workers is not None and args.workers < 1) or args.max_file_mb <= 0:
        parser.print_usage(sys.stderr)
        return EXIT_USAGE
    options = BuildOptions(
        args.reports,
        args.warehouse,
        full=args.full,
        wait=args.wait,
        workers=args.workers,
        keep_work=args.keep_work,
        max_file_bytes=int(args.max_file_mb * 2**20),
        checksum=args.checksum,
        leave_out=tuple(args.leave_out),
    )
    if args.export is not None:
        options = replace(options, export=args.export, export_format=args.export_format)
    return run_build(options)


if __name__ == "__main__":
    sys.exit(main())
