"""dbt started ahead of its seeds: ``python -m pipeline.dbt_worker <dbt arguments>``.

Importing dbt and Great Expectations takes seconds.  The build starts this
process before it parses the reports: it imports dbt, starts importing the
consistency checks (Great Expectations, pandas) in a thread, and waits for one
line on stdin.  ``go`` runs dbt with its arguments in this process (dbt's
programmatic runner) and exits with dbt's status; anything else, or the end of
stdin (the build failed or was killed), exits at once without running dbt.
The process is still a child of the build: when it exits, DuckDB has closed
and checkpointed the database file, so the build can rename it into place.
"""

from __future__ import annotations

import contextlib
import sys
import threading

GO = "go"
EXIT_NOT_RUN = 4


def _preload() -> None:
    with contextlib.suppress(Exception):  # an import error is reported by the expectations model's own import
        import quality.runner  # noqa: F401 - loaded now, found loaded by the expectations model


def main(args: list[str]) -> int:
    from dbt.cli.main import dbtRunner

    preload = threading.Thread(target=_preload, daemon=True)
    preload.start()
    go = sys.stdin.readline().strip() == GO
    if go:
        result = dbtRunner().invoke(args)
    preload.join()  # never leave the interpreter while a thread is importing
    if not go:
        return EXIT_NOT_RUN
    if result.success:
        return 0
    return 1 if result.exception is None else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
