"""Round-trip accuracy: the marts of a built warehouse against truth files in the gold format.

Every field of every truth file is compared with the marts (numbers as exact
decimals, text as text), both ways: a field the truth leaves null (ambiguous in the
source) must be NULL in the marts, so a value invented there is a mismatch. A
report, fund line or indicator row the marts hold for a truth file's source file
without its match in the truth counts as a mismatch too. Accuracy is the share of
fields reproduced exactly. The tests run the same comparison against the
hand-checked gold files of the sample corpus.

A generated corpus (bench/corpus.py) measures the parsers against the generator's
own truth, not against real reports: only the gold files are checked by hand.
"""

from __future__ import annotations

import csv
import json
from contextlib import ExitStack
from dataclasses import dataclass
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


@dataclass
class Accuracy:
    compared: int
    mismatched: int
    examples: list[tuple]

    @property
    def share(self) -> float:
        return 1 - self.mismatched / self.compared if self.compared else 0.0


def _flatten(truth_dir: Path, out: Path) -> None:
    """The truth files as four CSV tables, keyed by file, report ordinal and fund line or indicator."""
    out.mkdir(parents=True, exist_ok=True)
    names = {
        "reports": ["source_file", "report_ordinal", *REPORT_FIELDS],
        "fund_lines": ["source_file", "report_ordinal", "fund_line", *FUND_FIELDS],
        "indicators": ["source_file", "report_ordinal", "indicator_seq", *INDICATOR_FIELDS],
        "level1_weights": ["source_file", "report_ordinal", "level1", "level1_weight"],
    }
    with ExitStack() as stack:
        writers = {}
        for table, columns in names.items():
            f = stack.enter_context(open(out / f"{table}.csv", "w", encoding="utf-8", newline=""))
            writers[table] = csv.writer(f)
            writers[table].writerow(columns)
        for path in sorted(truth_dir.rglob("*.json")):
            truth = json.loads(path.read_text(encoding="utf-8"))
            source = truth["file"]
            for ordinal, report in enumerate(truth["reports"], start=1):
                fields = {**{k: truth[k] for k in ("doc_kind", "town", "fiscal_year")}, **report}
                writers["reports"].writerow([source, ordinal, *(fields.get(k) for k in REPORT_FIELDS)])
                for line in report["fund_lines"]:
                    values = (line[k] for k in FUND_FIELDS)
                    writers["fund_lines"].writerow([source, ordinal, line["fund_line"], *values])
                for seq, indicator in enumerate(report["indicators"], start=1):
                    values = (indicator[k] for k in INDICATOR_FIELDS)
                    writers["indicators"].writerow([source, ordinal, seq, *values])
                for level1, weight in (report.get("level1_weights") or {}).items():
                    writers["level1_weights"].writerow([source, ordinal, level1, weight])


def _compare(
    con, truth_table: str, mart_sql: str, keys: list[str], fields: dict[str, str], complete: bool = True
) -> tuple[int, int, list]:
    """(compared, mismatched, examples) of every truth field against a mart query (null must be NULL).

    ``complete``: the truth lists every row of its source files, so a mart row without a
    truth row is a mismatch as well.
    """
    on = ", ".join(keys)
    differs = []
    for field, column in fields.items():
        as_type = EXACT_NUMBER if field in NUMERIC else "varchar"
        found, expected = f"m.{column}::{as_type}", f"t.{field}::{as_type}"
        differs.append(
            f"select '{field}' as field, {', '.join('t.' + k for k in keys)}, {expected}::varchar as expected, "
            f"{found}::varchar as found from {truth_table} t left join ({mart_sql}) m using ({on}) "
            f"where {found} is distinct from {expected}"
        )
    if complete:
        differs.append(
            f"select 'row without truth' as field, {', '.join('m.' + k for k in keys)}, null, 'a row' "
            f"from ({mart_sql}) m anti join {truth_table} t using ({on}) "
            f"where m.source_file in (select source_file from {truth_table})"
        )
    compared = con.execute(f"select count(*) from {truth_table}").fetchone()[0] * len(fields)
    mismatches = con.execute(f"select * from ({' union all '.join(differs)})").fetchall()
    return compared, len(mismatches), mismatches[:10]


def round_trip(warehouse: Path, truth_dir: Path, scratch: Path) -> Accuracy:
    """The marts of ``warehouse`` against every truth file under ``truth_dir`` (``scratch``: a work folder)."""
    _flatten(truth_dir, scratch)
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        con.execute("attach ? as w (read_only)", [str(warehouse)])
        for table in ("reports", "fund_lines", "indicators", "level1_weights"):
            con.execute(
                f"create table truth_{table} as select * from read_csv(?, header = true, all_varchar = true, "
                f"nullstr = '')",
                [str(scratch / f"{table}.csv")],
            )
        report = "select * from w.marts.dim_report"
        by_report = (
            "select r.source_file, r.report_ordinal, x.* from w.marts.{} x join w.marts.dim_report r using (report_id)"
        )
        totals = [
            _compare(con, "truth_reports", report, ["source_file", "report_ordinal"], REPORT_FIELDS),
            _compare(
                con,
                "truth_fund_lines",
                by_report.format("fct_budget_execution"),
                ["source_file", "report_ordinal", "fund_line"],
                FUND_FIELDS,
            ),
            _compare(
                con,
                "truth_indicators",
                by_report.format("fct_indicator_outcome"),
                ["source_file", "report_ordinal", "indicator_seq"],
                INDICATOR_FIELDS,
            ),
            _compare(
                con,
                "truth_level1_weights",
                by_report.format("fct_indicator_group"),
                ["source_file", "report_ordinal", "level1"],
                {"level1_weight": "level1_weight"},
                complete=False,  # the truth lists 权重 only where the report prints them
            ),
        ]
    return Accuracy(sum(t[0] for t in totals), sum(t[1] for t in totals), [e for t in totals for e in t[2]])
