"""Great Expectations in a process of its own, beside dbt.

The expectations model (models/intermediate/checks/int_expectation_failures.py)
runs in the dbt process, whose threads run the other nodes.  Importing Great
Expectations there (about 3 s of interpreter time) and validating there would
hold Python's interpreter lock that dbt's start and its other nodes need.  So
the checks run in a child of the dbt process, started as that process starts
(``started``), which imports Great Expectations on the other core meanwhile.

The dbt process keeps what needs the warehouse (the checks process cannot open
it while dbt writes it): it asks which columns to read (``FetchPlan``), reads
the check rows through Arrow and sends each table as soon as it is read; the
checks process validates each table as it arrives (quality.runner.run_checks),
writes the Data Docs and sends back the failing rows.  Nothing in this module
imports Great Expectations.

Tables cross between the two processes as Arrow, and the dbt process never
imports pandas: its import held the interpreter lock for 0.5 to 0.8 s beside
dbt's other nodes.  Nor does the dbt process make an Arrow table from Python
objects (``pa.table`` of a dict): pyarrow imports pandas to ask whether they are
a DataFrame.  Small tables it needs are made in SQL.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from threading import Lock, Thread

from pipeline.process import die_with_parent
from quality.tables import CHECK_TABLES, INDICATORS

VALIDATION_ORDER = (INDICATORS, *(name for name in CHECK_TABLES if name != INDICATORS))  # the largest first
FAILURE_COLUMNS = {
    "rule_id": "string",
    "check_table": "string",
    "check_key": "string",
    "report_id": "string",
    "fund_line": "string",
    "indicator_seq": "Int64",
    "detail": "string",
    "observed_value": "Float64",
    "expected_value": "Float64",
    "observed_text": "string",
    "expected_text": "string",
    "difference": "Float64",
    "tolerance": "Float64",
    "subject": "string",  # what the failing row is, in words (the check table's subject column)
}
REPLY_POLL_SECONDS = 1.0  # how often a caller waiting for a reply makes sure the checks process is alive


def column_types(table) -> dict[str, str]:
    """Column -> SQL type of a DuckDB relation, in column order."""
    return {c: str(t) for c, t in zip(table.columns, table.types, strict=True)}


@dataclass(frozen=True)
class FetchPlan:
    """What the dbt process reads of each check table, as the checks decide it: ``projections``, the
    columns the checks use (a projection list, see quality.runner.projection); ``counts``, the SQL
    aggregates that count a whole table as Great Expectations would, per check (its number, the rows it
    applies to, and those with no value missing, or None), for a validation of some rows only."""

    projections: dict[str, str]
    counts: dict[str, list[tuple[int, str, str | None]]]

    def whole_table_counts(self, tables: Mapping) -> dict[int, tuple[int, int | None]]:
        """Check number -> (element count, non-null count or None) over the whole check tables
        (``tables``: name -> DuckDB relation)."""
        counts = {}
        for name, numbered in self.counts.items():
            if not numbered:
                continue
            sql = ", ".join(e for _, *pair in numbered for e in pair if e is not None)
            values = iter(tables[name].aggregate(sql).fetchall()[0])
            for number, _, nonnull in numbered:
                counts[number] = (next(values), next(values) if nonnull is not None else None)
        return counts


class ChecksFailed(RuntimeError):
    """The checks process failed; the message is its traceback."""


class ChecksProcess:
    """A child process that imports the checks as it starts and then runs what it is asked, one call at
    a time (callers in several threads wait their turn). It is a daemon and dies with its parent (even
    one killed with kill -9)."""

    def __init__(self):
        self._turn = Lock()
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: no copy of dbt's threads and locks
        self._calls, self._replies, self._tables = context.Queue(), context.Queue(), context.Queue()
        self._process = context.Process(
            target=_serve, args=(self._calls, self._replies, self._tables), name="checks", daemon=True
        )
        self._process.start()

    def _call(self, function: Callable, *args):
        with self._turn:
            self._calls.put((function, args))
            return self._reply()

    def _reply(self):
        while True:
            try:
                ok, value = self._replies.get(timeout=REPLY_POLL_SECONDS)
            except queue.Empty:
                if not self._process.is_alive():
                    raise ChecksFailed(f"the checks process died (exit status {self._process.exitcode})") from None
                continue
            if not ok:
                raise ChecksFailed(value)
            return value

    def plan(self, catalog, tables: Mapping, counted: bool) -> FetchPlan:
        """What to read of ``tables`` (check table -> DuckDB relation) for the checks of the rule catalog
        (``catalog``: a DuckDB relation); ``counted``: with the counts of a validation of some rows."""
        types = {name: column_types(table) for name, table in tables.items()}
        return self._call(_plan, catalog.to_arrow_table(), types, counted)

    def runtime(self) -> tuple[str, int]:
        """The Great Expectations version that runs the checks, and the number of checks."""
        return self._call(_runtime)

    def validate(self, relations: Mapping, catalog, docs_dir: Path | None, whole_counts=None):
        """The failures (quality.runner.run_checks, as an Arrow table) of the rows of ``relations`` (check
        table -> DuckDB relation, projected as planned and in key order, in the order to validate them)
        for the checks of ``catalog`` (a DuckDB relation). Each table is read here and sent while the
        checks process validates the ones before it."""
        names = list(relations)
        with self._turn:
            self._calls.put((_validate, (names, catalog.to_arrow_table(), docs_dir, whole_counts)))
            sent = 0
            try:
                for name in names:
                    self._tables.put((name, relations[name].to_arrow_table()))
                    sent += 1
            except BaseException:
                for name in names[sent:]:  # the checks process stops waiting for them
                    self._tables.put((name, None))
                with suppress(ChecksFailed):  # the validation given up: its reply is not the next one's
                    self._reply()
                raise
            return self._reply()


_PROCESS: ChecksProcess | None = None
_STARTING = Lock()


def started() -> ChecksProcess:
    """The checks process of this process: started now, unless it was already."""
    global _PROCESS
    with _STARTING:
        if _PROCESS is None:
            _PROCESS = ChecksProcess()
    return _PROCESS


def with_subjects(failures, tables: Mapping, session):
    """The failures (an Arrow table, columns FAILURE_COLUMNS) as a DuckDB relation, with the subject of
    each failing row read from its check table for the failing keys only.

    ``tables``: check table -> its DuckDB relation; ``session``: the DuckDB connection. Joined in DuckDB,
    which does not hold Python's interpreter lock (pandas took 0.3 to 0.8 s beside dbt's other nodes in a
    1% rebuild at 100,000 reports, DuckDB 0.07 s).
    """
    found = session.from_arrow(failures.drop_columns(["subject"])).set_alias("failures")
    keys = found.project('"check_table", "check_key"').distinct()
    subjects = None
    for name, table in tables.items():
        failing = keys.filter(f"check_table = '{name}'").project('"check_key"')
        part = table.join(failing, "check_key", how="semi").project(f"'{name}' as check_table, check_key, subject")
        subjects = part if subjects is None else subjects.union(part)
    joined = found.join(subjects.set_alias("subjects"), "check_table, check_key", how="left")
    return joined.project(", ".join(f'"{column}"' for column in FAILURE_COLUMNS))


# ---- in the checks process

_TABLES = None  # the queue the dbt process sends the check tables on


def _serve(calls, replies, tables) -> None:
    global _TABLES
    die_with_parent(multiprocessing.parent_process().pid)
    _TABLES = tables
    with suppress(Exception):  # an import error is reported by the call that needs the import
        import quality.runner  # noqa: F401 - loaded while the dbt process starts
    while True:
        function, args = calls.get()
        try:
            replies.put((True, function(*args)))
        except BaseException:
            replies.put((False, traceback.format_exc()))


def _plan(catalog, types: dict[str, dict[str, str]], counted: bool) -> FetchPlan:
    from quality.runner import fetch_plan

    return fetch_plan(catalog.to_pandas(), types, counted)


def _runtime() -> tuple[str, int]:
    import great_expectations as gx

    from quality.rules import build_checks

    return gx.__version__, len(build_checks({"B4": -20.0}))


def _validate(names: list[str], catalog, docs_dir, whole_counts):
    import pyarrow as pa

    from quality.runner import frame_from_arrow, run_checks

    frames = _Arriving(names, _TABLES, frame_from_arrow)
    try:
        failures = run_checks(frames, catalog.to_pandas(), docs_dir, whole_counts)
        return pa.Table.from_pandas(failures, preserve_index=False)
    finally:
        frames.wait()  # every table sent for this validation taken off the queue, even when it failed early


class _Arriving(Mapping):
    """Check table -> DataFrame, each made (``convert``) as its table arrives from the dbt process."""

    def __init__(self, names: list[str], arrivals, convert: Callable):
        self._frames = {name: Future() for name in names}
        self._receiving = Thread(target=self._receive, args=(arrivals, convert), name="receive-checks", daemon=True)
        self._receiving.start()

    def wait(self) -> None:
        """Until every table has arrived."""
        self._receiving.join()

    def _receive(self, arrivals, convert: Callable) -> None:
        for _ in range(len(self._frames)):
            name, table = arrivals.get()
            frame = self._frames[name]
            if table is None:
                frame.set_exception(ChecksFailed(f"{name} could not be read"))
                continue
            try:
                frame.set_result(convert(table))
            except BaseException as error:
                frame.set_exception(error)

    def __getitem__(self, name: str):
        return self._frames[name].result()

    def __iter__(self):
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)
