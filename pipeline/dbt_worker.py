"""dbt started ahead of its seeds: ``python -m pipeline.dbt_worker <dbt arguments>``.

Importing dbt and Great Expectations takes seconds.  The build starts this
process before it parses the reports: it imports dbt and the consistency checks
(Great Expectations, pandas), one after the other (in threads they would contend
for the interpreter lock with dbt's own start), and waits for one line on
stdin (a build in place, which may need no check run, imports them only when
it does).  ``go`` runs dbt with its arguments in this process (dbt's programmatic
runner) and exits with dbt's status; anything else, or the end of stdin (the
build failed or was killed), exits without running dbt.  The process is still a
child of the build: when it exits, DuckDB has closed and checkpointed the
database file, so the build can rename it into place.
"""

from __future__ import annotations

import contextlib
import os
import sys

GO = "go"
EXIT_NOT_RUN = 4


def main(args: list[str]) -> int:
    from dbt.cli.main import dbtRunner

    if "BUDGET_CHANGES" not in os.environ:
        with contextlib.suppress(Exception):  # an import error is reported by the expectations model's own import
            import quality.runner  # noqa: F401 - loaded now, found loaded by the expectations model

    if sys.stdin.readline().strip() != GO:
        return EXIT_NOT_RUN
    result = dbtRunner().invoke(args)
    if result.success:
        return 0
    return 1 if result.exception is None else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
