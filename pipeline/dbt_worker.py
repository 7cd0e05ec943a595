"""dbt started ahead of its seeds: ``python -m pipeline.dbt_worker``.

Importing dbt and Great Expectations takes seconds.  The build starts this
process first, before it plans and parses: it imports dbt, starts the checks
process (quality.process, which imports Great Expectations and pandas), and
waits for one line on stdin.  ``go`` with dbt's arguments and the
environment to add (go_line) runs dbt in this process (dbt's programmatic
runner) and exits with dbt's status; anything else, or the end of stdin (the
build failed, was killed or found nothing to do), exits without running dbt.  The
process is still a child of the build: when it exits, DuckDB has closed and
checkpointed the database file, so the build can rename it into place.

Great Expectations is imported, and the checks run, in a process of their own:
in this one, the import and the validations would hold the interpreter lock
that dbt's start and its other nodes need (a build in place starts dbt while
the import is still under way).
"""

from __future__ import annotations

import json
import os
import sys

GO = "go"
EXIT_NOT_RUN = 4


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
    word, _, told = sys.stdin.readline().partition(" ")
    if word != GO:
        return EXIT_NOT_RUN
    told = json.loads(told)
    os.environ.update(told["env"])
    result = dbtRunner().invoke(told["args"])
    if result.success:
        return 0
    return 1 if result.exception is None else 2


if __name__ == "__main__":
    sys.exit(main())
