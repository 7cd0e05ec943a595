"""dbt started ahead of its seeds: ``python -m pipeline.dbt_worker``.

Importing dbt and Great Expectations, and parsing the dbt project, take
seconds.  The build starts this process first, before it plans and parses: it
imports dbt, starts the checks process (quality.process, which imports Great
Expectations and pandas), and waits for lines on stdin.  ``parse`` with dbt's
arguments (parse_line), sent once this build's seed files exist, parses the
project (dbt's partial parsing) while the build parses the report files.
``go`` with dbt's arguments and the environment to add (go_line) runs dbt in
this process (dbt's programmatic runner, given the project parsed before, or
parsing it now) and exits with dbt's status; anything else, or the end of stdin
(the build failed, was killed or found nothing to do), exits without running
dbt.  The process is still a child of the build: when it exits, DuckDB has
closed and checkpointed the database file, so the build can rename it into
place.  Once dbt has run and the database is closed, the process ends at once
(``os._exit``): Python's own shutdown, which collects dbt's objects and stops
the checks process, took about 0.7 s of every build, with nothing left to
write (dbt's logs and artifacts are written, the checks process dies with this
one, see pipeline.process.die_with_parent).

Great Expectations is imported, and the checks run, in a process of their own:
in this one, the import and the validations would hold the interpreter lock
that dbt's start and its other nodes need (a build in place starts dbt while
the import is still under way).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

from pipeline.paths import wal_of

PARSE = "parse"
GO = "go"
EXIT_NOT_RUN = 4


def parse_line(args: list[str]) -> str:
    """The line that tells the worker to parse the project now, with dbt's ``parse`` arguments ``args``."""
    return f"{PARSE} {json.dumps(args)}\n"


def go_line(args: list[str], env: dict[str, str]) -> str:
    """The line that tells the worker to run dbt with ``args``, ``env`` added to its environment."""
    return f"{GO} {json.dumps({'args': args, 'env': env})}\n"


def main() -> int:
    from dbt.cli.main import dbtRunner

    from quality.process import started

    # the checks process imports Great Expectations on the other core while the build parses and dbt
    # starts here; started once dbt is imported, so that a build that finds nothing changed has ended
    # before (in 0.3 to 0.8 s) and shares the machine with no import it does not need
    started()
    manifest = None
    word, _, told = sys.stdin.readline().partition(" ")
    if word == PARSE:
        parsed = dbtRunner().invoke(json.loads(told))
        # a project that does not parse is parsed again by the run, which reports why as it always does
        manifest = parsed.result if parsed.success else None
        word, _, told = sys.stdin.readline().partition(" ")
    if word != GO:
        return EXIT_NOT_RUN
    told = json.loads(told)
    os.environ.update(told["env"])
    result = dbtRunner(manifest=manifest).invoke(told["args"])
    status = 0 if result.success else 1 if result.exception is None else 2
    if _close_database():
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status  # the database is still open somewhere: Python's shutdown closes it


def _close_database() -> bool:
    """Close dbt's DuckDB database, which checkpoints it into its file; whether the file is whole now,
    with no write-ahead log beside it (one is left while any other connection to it is open)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    try:
        environment = DuckDBConnectionManager.env()
    except Exception:  # dbt-duckdb's own error: dbt never opened the database
        return True
    database = Path(environment.creds.path)  # the profile's path, as dbt opened it
    environment.close()
    DuckDBConnectionManager.close_all_connections()
    return not wal_of(database).exists()


if __name__ == "__main__":
    sys.exit(main())
