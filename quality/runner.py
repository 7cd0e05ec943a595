"""Run the checks with Great Expectations and turn every failing row into a row of failures.

Validation runs on pandas DataFrames read from the warehouse (GX 1.x's SQL
data source through duckdb-engine is broken).  Failing rows are fetched by the
row numbers GX gives (asking GX for key columns instead is several times slower
at a million rows), and the results then name them by check key.  Data Docs are
written when a folder is given.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
import pyarrow as pa
from great_expectations.data_context.types.base import ProgressBarsConfig
from great_expectations.execution_engine import pandas_execution_engine

from quality.process import FAILURE_COLUMNS, VALIDATION_ORDER, FetchPlan, column_types
from quality.rules import FRAMES, KEYS, Check, build_checks, columns_needed, columns_validated, value_columns

# GX fingerprints each batch by hashing the whole DataFrame when it is smaller than this many
# bytes: a third of the validation time at a million rows, for a batch marker nothing here reads.
pandas_execution_engine.HASH_THRESHOLD = 0

# Arrow's default allocator (mimalloc) hands freed memory back to the system and faults it in again
# as Great Expectations copies the check frames; on a virtual machine, zeroing those fresh pages was
# most of the validation's time. The C library's allocator reuses it: the expectations model alone
# at 100,000 reports took 7.7 to 10.5 s, against 11.5 to 12.2 s with mimalloc.
pa.set_memory_pool(pa.system_memory_pool())

VALIDATION_THREADS = 2
RESULT_FORMAT = {"result_format": "COMPLETE", "return_unexpected_index_query": False}
DOCS_SITE = "local_site"


def projection(table, wanted: list[str]) -> str:
    """The columns of a DuckDB relation that are in ``wanted``, as a projection list for to_frame:
    decimals as doubles, the type DuckDB's own DataFrame conversion gives them."""
    return _projection(column_types(table), wanted)


def _projection(types: dict[str, str], wanted: list[str]) -> str:
    return ", ".join(
        f'"{c}"::double as "{c}"' if t.startswith("DECIMAL") else f'"{c}"' for c, t in types.items() if c in wanted
    )


def to_frame(relation) -> pd.DataFrame:
    """The rows of a DuckDB relation (decimals already cast, see projection) as a DataFrame, read through
    Arrow: DuckDB's ``.df()`` is several times slower on string columns (6 s against 0.8 s for the
    1.4 million indicator check rows of 100,000 reports)."""
    return frame_from_arrow(relation.to_arrow_table())


def frame_from_arrow(table: pa.Table) -> pd.DataFrame:
    """An Arrow table of check rows as a DataFrame. An integer column with NULLs becomes a nullable
    integer, as DuckDB's ``.df()`` makes it, not floats.

    Each column is made one Arrow chunk (DuckDB hands over one per row group, 122,880 rows): pandas
    takes rows from a chunked column (Great Expectations' row conditions, the failing rows) by
    concatenating its chunks first, each time it is asked."""
    table = table.combine_chunks()
    frame = table.to_pandas()
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_integer(column.type) and column.null_count:
            frame[name] = frame[name].astype(f"Int{column.type.bit_width}")
    return frame


def _context(docs_dir: Path | None):
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    if docs_dir is not None:
        context.update_data_docs_site(
            DOCS_SITE,
            {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            },
        )
    return context


def _column(frame: pd.DataFrame, name: str | None) -> pd.Series:
    if name is None:
        return pd.Series(pd.NA, index=frame.index)
    return frame[name]


def _failures(check: Check, frame: pd.DataFrame) -> pd.DataFrame:
    """One row per failing row of ``frame`` (already cut to the failing labels)."""
    observed, expected = _column(frame, check.observed), _column(frame, check.expected)
    numeric = pd.api.types.is_numeric_dtype
    both_numeric = numeric(observed) and numeric(expected) and check.expected is not None
    difference = (
        _column(frame, check.difference) if check.difference else (observed - expected if both_numeric else None)
    )
    return pd.DataFrame(
        {
            "rule_id": check.rule_id,
            "check_key": frame["check_key"],
            "report_id": frame["report_id"],
            "fund_line": frame.get("fund_line", pd.NA),
            "indicator_seq": frame.get("indicator_seq", pd.NA),
            "check_table": check.frame,
            "detail": check.detail,
            "observed_value": observed if numeric(observed) else pd.NA,
            "expected_value": expected if numeric(expected) else pd.NA,
            "observed_text": pd.NA if numeric(observed) else observed,
            "expected_text": pd.NA if numeric(expected) else expected,
            "difference": difference if difference is not None else pd.NA,
            "tolerance": _column(frame, check.tolerance),
        },
        index=frame.index,
    )


def _checks(catalog: pd.DataFrame) -> list[Check]:
    return build_checks({r.rule_id: float(r.threshold) for r in catalog.itertuples() if pd.notna(r.threshold)})


def columns_to_fetch(catalog: pd.DataFrame) -> dict[str, list[str]]:
    """Check table -> the columns to read into pandas: the keys and what the checks use, nothing more."""
    return _columns_to_fetch(_checks(catalog))


def _columns_to_fetch(checks: list[Check]) -> dict[str, list[str]]:
    return {frame: [*KEYS, *columns_needed(checks, frame)] for frame in FRAMES}


def _is_missing(column: str, types: dict[str, str]) -> str:
    """SQL for a value pandas (and so GX) counts as missing: NULL, or NaN in a floating-point column."""
    quoted = f'"{column}"'
    return f"({quoted} is null or isnan({quoted}))" if types[column] in ("DOUBLE", "FLOAT") else f"{quoted} is null"


def _count_sql(check: Check, types: dict[str, str]) -> tuple[str, str | None]:
    """SQL aggregates of a whole check table for one check: the rows it applies to (GX's element_count)
    and, where GX counts them, those with no value missing (its non-null count)."""
    expectation = check.expectation
    condition = "true"
    if expectation.row_condition is not None:
        condition = f'"{expectation.row_condition.column.name}"'  # a flag, never NULL (see the check tables)
    if isinstance(expectation, gxe.ExpectColumnValuesToNotBeNull):
        return f"count(*) filter (where {condition})", None
    missing = " or ".join(_is_missing(c, types) for c in value_columns(expectation))  # a pair: either value missing
    return f"count(*) filter (where {condition})", f"count(*) filter (where {condition} and not ({missing}))"


def fetch_plan(catalog: pd.DataFrame, types: dict[str, dict[str, str]], counted: bool) -> FetchPlan:
    """What to read of each check table (``types``: name -> its column types) for the checks of the
    rule catalog; ``counted``: with the SQL that counts the whole tables as GX would (whole_table_counts)."""
    checks = _checks(catalog)
    wanted = _columns_to_fetch(checks)
    projections = {name: _projection(types[name], wanted[name]) for name in FRAMES}
    counts = {
        name: [(n, *_count_sql(c, types[name])) for n, c in enumerate(checks) if c.frame == name] if counted else []
        for name in FRAMES
    }
    return FetchPlan(projections, counts)


def whole_table_counts(catalog: pd.DataFrame, tables: dict) -> dict[int, tuple[int, int | None]]:
    """Check number -> (element count, non-null count or None) over the whole check tables
    (``tables``: name -> DuckDB relation), as GX would count them on every row."""
    plan = fetch_plan(catalog, {name: column_types(table) for name, table in tables.items()}, counted=True)
    return plan.whole_table_counts(tables)


def _labelled_by_key(result: dict, keys: pd.Series) -> None:
    """Name the failing rows of a map expectation's result (``keys``: their check keys, in the order GX
    lists them) by key, in place of their row numbers in the frame validated: a row number means
    nothing to a reader and changes as reports are added, and a build of some rows numbers them
    differently from a build of every row."""
    if "unexpected_index_list" not in result:
        return
    labels = keys.tolist()
    result["unexpected_index_list"] = labels
    if "partial_unexpected_index_list" in result:
        result["partial_unexpected_index_list"] = labels[: len(result["partial_unexpected_index_list"])]


def _as_whole_table(result: dict, element_count: int, nonnull_count: int | None) -> None:
    """Set the counts and shares of a map expectation's result to those of the whole check table, as
    GX computes them (expectation._format_map_output); the unexpected rows themselves are all there."""
    unexpected = result["unexpected_count"]
    total = unexpected / element_count * 100 if element_count > 0 else None
    result["element_count"] = element_count
    if nonnull_count is None:
        result["unexpected_percent"] = total
        return
    nonmissing = unexpected / nonnull_count * 100 if element_count > 0 and nonnull_count > 0 else None
    result["unexpected_percent"] = nonmissing
    result["missing_count"] = element_count - nonnull_count
    result["missing_percent"] = (element_count - nonnull_count) / element_count * 100 if element_count > 0 else None
    result["unexpected_percent_total"] = total
    result["unexpected_percent_nonmissing"] = nonmissing


def run_checks(
    frames: Mapping[str, pd.DataFrame],
    catalog: pd.DataFrame,
    docs_dir: Path | None = None,
    whole_counts: dict[int, tuple[int, int | None]] | None = None,
) -> pd.DataFrame:
    """Validate every check table; return the failures (columns FAILURE_COLUMNS).

    Each frame holds rows of a check table in check_key order. The results (and so the Data Docs)
    name each failing row by its check key, not by its row number in the frame.

    With ``whole_counts`` (whole_table_counts), each frame holds only some rows of its check
    table: at least every row that may fail. Every expectation is per row, so the rows that fail,
    their values, their keys and their order are those of the whole table; the counts and shares
    in the results (and the Data Docs) are set to the whole table's.

    The tables are validated ``VALIDATION_THREADS`` at a time, in ``VALIDATION_ORDER``; the
    failures come out in the order of ``FRAMES`` whatever the order the validations end in.
    """
    if set(frames) != set(FRAMES):
        raise ValueError(f"the check tables read differ from quality.tables: {sorted(set(frames) ^ set(FRAMES))}")
    checks = _checks(catalog)
    expected_rules = set(catalog.loc[catalog["checked_by"] == "great_expectations", "rule_id"])
    if expected_rules != {c.rule_id for c in checks}:
        raise ValueError(f"rule catalog and checks disagree: {sorted(expected_rules ^ {c.rule_id for c in checks})}")

    context = _context(docs_dir)
    run_id = gx.RunIdentifier(run_name="build", run_time=datetime.datetime.now(datetime.UTC))
    table_checks = {name: [c for c in checks if c.frame == name] for name in FRAMES}
    validations = {name: _validation(context, name, table_checks[name]) for name in FRAMES}

    held = _HeldResults(context.validation_results_store)

    def validate(name: str) -> list[pd.DataFrame]:
        frame = frames[name].reset_index(drop=True)  # GX names the failing rows by their row numbers here
        # only the columns the expectations read: GX copies every column of the frame for each
        # expectation with a row condition, and the keys and reported values are strings
        narrow = frame[columns_validated(table_checks[name], name)]
        result = validations[name].run(
            batch_parameters={"dataframe": narrow}, result_format=RESULT_FORMAT, run_id=run_id
        )
        found = []
        for outcome in result.results:
            number = outcome.expectation_config.meta["check"]
            check = checks[number]
            if not outcome.result:  # the expectation itself broke: a bug in the checks, not in the data
                raise RuntimeError(f"check {check.rule_id} on {name} failed to run: {outcome.exception_info}")
            failing = frame.iloc[outcome.result.get("unexpected_index_list") or []]
            if len(failing):
                found.append(_failures(check, failing))
            _labelled_by_key(outcome.result, failing["check_key"])
            if whole_counts is not None:
                _as_whole_table(outcome.result, *whole_counts[number])
        held.store(name, result)
        return found

    # the tables validated two at a time, the largest first: pandas and Arrow copy the frames
    # without holding the interpreter lock, and the build has nothing else to run meanwhile
    try:
        with ThreadPoolExecutor(max_workers=VALIDATION_THREADS, thread_name_prefix="validate") as pool:
            running = {name: pool.submit(validate, name) for name in VALIDATION_ORDER}
    finally:
        held.close()
    found = [failures for name in FRAMES for failures in running[name].result()]
    if docs_dir is not None:
        context.build_data_docs(site_names=[DOCS_SITE])
    failures = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=list(FAILURE_COLUMNS))
    failures["subject"] = pd.NA  # filled by with_subjects
    return failures.astype(FAILURE_COLUMNS)[list(FAILURE_COLUMNS)]


def _validation(context, name: str, frame_checks: list[Check]) -> gx.ValidationDefinition:
    """The validation of one check table, on a data source of its own: a data source's execution
    engine holds the batch it validates, so tables validated at once must not share one."""
    suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=[c.expectation for c in frame_checks]))
    source = context.data_sources.add_pandas(f"warehouse.{name}")
    batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all rows")
    return context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))


class _HeldResults:
    """GX stores each validation's result as the validation ends, serialized whole: about a second for
    the results that list the failing rows of the larger tables. Held here instead (for this context's
    store only, until ``close``), each is stored once, when final: its failing rows named by key and its
    counts those of the whole table. The Data Docs render what is stored."""

    def __init__(self, store):
        self._store = store
        self._keys = {}
        store.set = self._hold

    def _hold(self, key, value, **kwargs) -> None:
        self._keys[key.expectation_suite_identifier.name] = key

    def store(self, suite: str, result) -> None:
        type(self._store).set(self._store, self._keys[suite], result)

    def close(self) -> None:
        del self._store.set
