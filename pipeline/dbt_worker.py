"""dbt started ahead of its seeds: ``python -m pipeline.dbt_worker``.

Importing dbt and Great Expectations takes seconds.  The build starts this
process first, before it plans and parses: it imports dbt, then the consistency
checks (Great Expectations, pandas) in a thread, and waits for one line on
stdin.  ``go`` with dbt's arguments and the environment to add (go_line) runs
dbt in this process (dbt's programmatic runner) and exits with dbt's status;
anything else, or the end of stdin (the build failed, was killed or found
nothing to do), exits without running dbt.  The process is still a
child of the build: when it exits, DuckDB has closed and checkpointed the
database file, so the build can rename it into place.

A full build parses for long enough that the checks are imported before
``go``.  A build in place parses a few files only: ``go`` comes while the thread
still imports, dbt starts at once, and the expectations model finds the import
done or waits for it (Python's import lock).  A build in place that has no check
to run (``BUDGET_CHANGES``) does not use the import.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading

GO = "go"
EXIT_NOT_RUN = 4


def go_line(args: list[str], env: dict[str, str]) -> str:
    """The line that tells the worker to run dbt with ``args``, ``env`` added to its environment."""
    return f"{GO} {json.dumps({'args': args, 'env': env})}\n"


def _import_checks() -> None:
    with contextlib.suppress(Exception):  # an import error is reported by the expectations model's own import
        import quality.runner  # noqa: F401 - loaded now, found loaded by the expectations model


def main() -> int:
    from dbt.cli.main import dbtRunner

    threading.Thread(target=_import_checks, name="import-checks", daemon=True).start()
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
