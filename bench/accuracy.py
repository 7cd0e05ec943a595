"""Accuracy against truth files in the gold format: of a built warehouse's marts, or of one parsed document.

Every field of every truth file is compared (numbers as exact decimals, text as
text), both ways: a field the truth leaves null (ambiguous in the source) must be
NULL, so a value invented there is wrong. A report, fund line or indicator row
without its match in the truth is wrong too. A non-null truth field left NULL is
*missing*: it costs coverage, while a wrong value is never acceptable. One
comparison serves both, on the same fields and truth rows: ``round_trip`` runs it in SQL on
the marts, ``score`` in memory on a parsed document (the parsers' tests, the text variants
of bench/variants.py and the formats of bench/pdf.py). The tests run it against the
hand-checked gold files of the sample corpus.

A generated corpus (bench/corpus.py) measures the parsers against the generator's
own truth, not against real reports: only the gold files are checked by hand.
"""

from __future__ import annotations

import csv
import json
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb

REPORT_FIELDS = {  # truth field -> dim_report column
    "doc_kind": "doc_kind",
    "town": "town",
    "fiscal_year": "fiscal_year",
    "project_name": "project_name",
    "unit_name": "unit_name",
    "supervisor": "supervisor",
    "amount_unit": "amount_unit",
    "total_weight": "total_weight",
    "total_score": "total_score",
    "grade": "grade",
    "budget_execution_weight": "budget_execution_weight",
    "budget_execution_score": "budget_execution_score",
}
FUND_FIELDS = {
    "initial_budget_yuan": "initial_budget_yuan",
    "adjusted_budget_yuan": "adjusted_budget_yuan",
    "executed_yuan": "executed_yuan",
    "execution_rate_pct": "execution_rate_reported_pct",
}
INDICATOR_FIELDS = {
    "level1": "level1",
    "level2": "level2",
    "name": "indicator_name",
    "target_text": "target_text",
    "actual_text": "actual_text",
    "target_op": "target_op",
    "target_value": "target_value",
    "target_unit": "target_unit",
    "actual_value": "actual_value",
    "actual_unit": "actual_unit",
    "weight": "weight",
    "score": "score",
    "deviation_note": "deviation_note",
}
EXACT_NUMBER = "decimal(38, 10)"  # holds every amount, rate, weight and value the marts store, exactly
NUMERIC = {
    "fiscal_year",
    "total_weight",
    "total_score",
    "budget_execution_weight",
    "budget_execution_score",
    *FUND_FIELDS,
    "target_value",
    "actual_value",
    "weight",
    "score",
    "level1_weight",
}


DOCUMENT_ATTRIBUTES = {"level1_weight": "weight"}  # truth field -> attribute of the parsed object, where they differ
TABLES = {  # truth table -> keys of its rows (beside source_file, report_ordinal) and fields -> mart column
    "reports": ([], REPORT_FIELDS),
    "fund_lines": (["fund_line"], FUND_FIELDS),
    "indicators": (["indicator_seq"], INDICATOR_FIELDS),
    "level1_weights": (["level1"], {"level1_weight": "level1_weight"}),
}
DEFAULT_EXAMPLES = 10  # mismatches kept as examples by round_trip (score keeps every one)


@dataclass
class Accuracy:
    """Fields compared (every field of the truth, null or not) and how they fared.

    ``values``: the truth's non-null fields; ``reproduced``: those found equal; ``missing``: those
    found NULL; ``wrong``: every other mismatch (another value, a value where the truth is null, a
    row the truth lacks). ``examples``: (field, keys …, expected, found), wrong ones first.
    """

    compared: int = 0
    values: int = 0
    reproduced: int = 0
    missing: int = 0
    wrong: int = 0
    examples: list[tuple] = field(default_factory=list)

    @property
    def mismatched(self) -> int:
        return self.missing + self.wrong

    @property
    def share(self) -> float:
        """Of every field compared, the share reproduced (nulls included)."""
        return 1 - self.mismatched / self.compared if self.compared else 0.0

    @property
    def value_share(self) -> float:
        """Of the truth's non-null fields, the share reproduced."""
        return self.reproduced / self.values if self.values else 0.0

    def summary(self) -> str:
        return (
            f"{self.value_share:.2%} of {self.values} non-null gold fields, {self.wrong} wrong, {self.missing} missing"
        )

    def add(self, other: Accuracy) -> None:
        self.compared += other.compared
        self.values += other.values
        self.reproduced += other.reproduced
        self.missing += other.missing
        self.wrong += other.wrong
        self.examples += other.examples


def _columns(table: str) -> list[str]:
    keys, fields = TABLES[table]
    return ["source_file", "report_ordinal", *keys, *fields]


def _truth_rows(truth: dict):
    """(table, row) of one truth file, in the columns of ``_columns``."""
    source = truth["file"]
    for ordinal, report in enumerate(truth["reports"], start=1):
        fields = {**{k: truth[k] for k in ("doc_kind", "town", "fiscal_year")}, **report}
        yield "reports", [source, ordinal, *(fields.get(k) for k in REPORT_FIELDS)]
        for line in report["fund_lines"]:
            yield "fund_lines", [source, ordinal, line["fund_line"], *(line[k] for k in FUND_FIELDS)]
        for seq, indicator in enumerate(report["indicators"], start=1):
            yield "indicators", [source, ordinal, seq, *(indicator[k] for k in INDICATOR_FIELDS)]
        for level1, weight in (report.get("level1_weights") or {}).items():
            yield "level1_weights", [source, ordinal, level1, weight]


def _document_rows(document, source: str):
    """(table, row) of a parsed document, as ``_truth_rows`` gives the truth (reports and indicators by position)."""

    def values(item, fields) -> list:
        return [getattr(item, DOCUMENT_ATTRIBUTES.get(k, k), None) for k in fields]

    for ordinal, report in enumerate(document.reports if document else [], start=1):
        yield "reports", [source, ordinal, *values(report, REPORT_FIELDS)]
        for line in report.fund_lines:
            yield "fund_lines", [source, ordinal, line.fund_line, *values(line, FUND_FIELDS)]
        for seq, indicator in enumerate(report.indicators, start=1):
            yield "indicators", [source, ordinal, seq, *values(indicator, INDICATOR_FIELDS)]
        for weight in report.level1_weights:
            yield "level1_weights", [source, ordinal, weight.level1, weight.weight]


def _flatten(truth_dir: Path, out: Path) -> None:
    """The truth files as four CSV tables, keyed by file, report ordinal and fund line or indicator."""
    out.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        writers = {}
        for table in TABLES:
            f = stack.enter_context(open(out / f"{table}.csv", "w", encoding="utf-8", newline=""))
            writers[table] = csv.writer(f)
            writers[table].writerow(_columns(table))
        for path in sorted(truth_dir.rglob("*.json")):
            for table, row in _truth_rows(json.loads(path.read_text(encoding="utf-8"))):
                writers[table].writerow(row)


def _compare(
    con, truth_table: str, found_sql: str, keys: list[str], fields: dict[str, str], complete: bool, examples: int | None
) -> Accuracy:
    """Every truth field against a query of what was found (a null must be NULL).

    ``complete``: the truth lists every row of its source files, so a found row without a
    truth row is wrong as well.
    """
    on = ", ".join(keys)
    differs = []
    for name, column in fields.items():
        as_type = EXACT_NUMBER if name in NUMERIC else "varchar"
        found, expected = f"m.{column}::{as_type}", f"t.{name}::{as_type}"
        differs.append(
            f"select '{name}' as field, {', '.join('t.' + k for k in keys)}, {expected}::varchar as expected, "
            f"{found}::varchar as found from {truth_table} t left join ({found_sql}) m using ({on}) "
            f"where {found} is distinct from {expected}"
        )
    if complete:
        differs.append(
            f"select 'row without truth' as field, {', '.join('m.' + k for k in keys)}, null, 'a row' "
            f"from ({found_sql}) m anti join {truth_table} t using ({on}) "
            f"where m.source_file in (select source_file from {truth_table})"
        )
    mismatches = f"({' union all '.join(differs)})"
    rows, values = con.execute(
        f"select count(*), {' + '.join(f'count({name})' for name in fields)} from {truth_table}"
    ).fetchone()
    missing, wrong, wrong_values = con.execute(
        "select count(*) filter (where found is null), count(*) filter (where found is not null), "
        f"count(*) filter (where found is not null and expected is not null) from {mismatches}"
    ).fetchone()
    limit = "" if examples is None else f"limit {examples}"
    listed = con.execute(f"select * from {mismatches} order by found is null {limit}").fetchall()
    return Accuracy(rows * len(fields), values, values - missing - wrong_values, missing, wrong, listed)


def _measure(con, found: dict[str, str], examples: int | None) -> Accuracy:
    """The four truth tables (truth_<table>) against the queries ``found`` gives for each."""
    total = Accuracy()
    for table, (keys, fields) in TABLES.items():
        complete = table != "level1_weights"  # the truth lists 权重 only where the report prints them
        key_columns = ["source_file", "report_ordinal", *keys]
        total.add(_compare(con, f"truth_{table}", found[table], key_columns, fields, complete, examples))
    return total


def round_trip(warehouse: Path, truth_dir: Path, scratch: Path) -> Accuracy:
    """The marts of ``warehouse`` against every truth file under ``truth_dir`` (``scratch``: a work folder)."""
    _flatten(truth_dir, scratch)
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        con.execute("attach ? as w (read_only)", [str(warehouse)])
        for table in TABLES:
            con.execute(
                f"create table truth_{table} as select * from read_csv(?, header = true, all_varchar = true, "
                f"nullstr = '')",
                [str(scratch / f"{table}.csv")],
            )
        by_report = (
            "select r.source_file, r.report_ordinal, x.* from w.marts.{} x join w.marts.dim_report r using (report_id)"
        )
        found = {
            "reports": "select * from w.marts.dim_report",
            "fund_lines": by_report.format("fct_budget_execution"),
            "indicators": by_report.format("fct_indicator_outcome"),
            "level1_weights": by_report.format("fct_indicator_group"),
        }
        return _measure(con, found, DEFAULT_EXAMPLES)


def _same(found, expected, numeric: bool) -> bool:
    """The SQL comparison's equality in Python: numbers as exact decimals, text as text, NULL only to NULL."""
    if found is None or expected is None:
        return found is None and expected is None
    if numeric:
        return Decimal(str(found)) == Decimal(str(expected))
    return str(found) == str(expected)


def score(document, truth: dict) -> Accuracy:
    """A parsed document (None: nothing parsed) against one truth file, every mismatch kept as an example.

    The comparison of ``_compare``, on rows in memory (a document is small, and this runs for
    every file of a test corpus): each truth row is matched with the found row of the same keys.
    """
    truth_rows, found_rows = {t: {} for t in TABLES}, {t: {} for t in TABLES}
    for table, row in _truth_rows(truth):
        truth_rows[table][tuple(row[: len(TABLES[table][0]) + 2])] = row
    wrong, missing = [], []
    for table, row in _document_rows(document, truth["file"]):
        key = tuple(row[: len(TABLES[table][0]) + 2])
        if key in found_rows[table]:
            wrong.append(("row twice", *key, None, "a row"))
        found_rows[table].setdefault(key, row)
    total = Accuracy()
    for table, (keys, fields) in TABLES.items():
        width = len(keys) + 2
        for key, row in truth_rows[table].items():
            found = found_rows[table].get(key)
            for n, name in enumerate(fields, start=width):
                expected, value = row[n], found[n] if found else None
                total.compared += 1
                total.values += expected is not None
                if _same(value, expected, name in NUMERIC):
                    total.reproduced += expected is not None
                    continue
                example = (
                    name,
                    *key,
                    None if expected is None else str(expected),
                    None if value is None else str(value),
                )
                (missing if value is None else wrong).append(example)
        if table != "level1_weights":  # the truth lists 权重 only where the report prints them
            wrong += [
                ("row without truth", *key, None, "a row") for key in found_rows[table] if key not in truth_rows[table]
            ]
    total.missing, total.wrong, total.examples = len(missing), len(wrong), wrong + missing
    return total
