"""The dashboard's named queries: SQL over the published marts, run read-only.

Each page load (one Streamlit script run, inside ``request()``) opens one read-only connection
to the published file and closes it when the page is drawn: the page's queries all read the same
version, a build that publishes a new warehouse (an atomic rename) is seen by the next page
load without restarting the server, and no reader holds the file open between loads. Outside a
request, each call opens and closes its own connection.

Filters arrive as lists bound to ``$years``, ``$towns`` and ``$kinds``; reports of district-level
units (no town) are filtered under the name ``$no_town``. Every number shown comes from a mart
column, or is a count or sum of mart rows; no rule or threshold lives here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

WAREHOUSE_ENV = "BUDGET_WAREHOUSE"
DEFAULT_WAREHOUSE = Path(__file__).resolve().parent.parent / "warehouse" / "budget.duckdb"
NO_TOWN = "区级单位"
UNLABELLED_LEVEL1 = "未标注"


class WarehouseMissing(RuntimeError):
    """The published warehouse file is not there (not built yet, or a wrong path)."""


@dataclass(frozen=True)
class Filters:
    """The sidebar's selection: fiscal years, towns and document kinds."""

    years: tuple[int, ...]
    towns: tuple[str, ...]
    kinds: tuple[str, ...]

    def params(self) -> dict:
        return {"years": list(self.years), "towns": list(self.towns), "kinds": list(self.kinds), "no_town": NO_TOWN}


QUERIES: dict[str, str] = {
    # ---------- the build that published this warehouse
    "last_build": """
        select run_id, finished_at
        from ops.build_runs
        where status = 'published'
        order by finished_at desc
        limit 1
    """,
    # ---------- filters and report choice
    "filter_options": """
        select distinct
            reports.fiscal_year,
            coalesce(reports.town, $no_town) as town,
            reports.doc_kind,
            coalesce(kinds.short_label_zh, reports.doc_kind) as doc_kind_label,
            kinds.sort_order
        from marts.dim_report as reports
        left join reference.doc_kinds as kinds on reports.doc_kind = kinds.doc_kind
        where reports.is_current
        order by reports.fiscal_year, town, kinds.sort_order
    """,
    "report_options": """
        select
            reports.report_id,
            concat_ws(' · ', coalesce(reports.town, $no_town), reports.fiscal_year::varchar,
                      coalesce(reports.project_name, reports.unit_name),
                      coalesce(kinds.short_label_zh, reports.doc_kind)) as label
        from marts.dim_report as reports
        left join reference.doc_kinds as kinds on reports.doc_kind = kinds.doc_kind
        where reports.is_current
            and list_contains($years, reports.fiscal_year)
            and list_contains($towns, coalesce(reports.town, $no_town))
            and list_contains($kinds, reports.doc_kind)
        order by reports.fiscal_year, reports.town, kinds.sort_order, reports.source_file, reports.report_ordinal
    """,
    # ---------- towns × years
    "town_years": """
        select
            summary.town,
            summary.fiscal_year,
            summary.doc_kind,
            coalesce(kinds.short_label_zh, summary.doc_kind) as doc_kind_label,
            summary.reports,
            summary.reports_with_budget,
            summary.initial_budget_yuan,
            summary.budget_yuan,
            summary.executed_yuan,
            summary.execution_rate_pct,
            summary.budget_change_yuan,
            summary.reports_with_budget_reduced,
            summary.reports_with_mid_year_cut
        from marts.town_year_kind_summary as summary
        left join reference.doc_kinds as kinds on summary.doc_kind = kinds.doc_kind
        where list_contains($years, summary.fiscal_year)
            and list_contains($towns, summary.town)
            and list_contains($kinds, summary.doc_kind)
        order by summary.fiscal_year, summary.town, kinds.sort_order
    """,
    "mid_year_cuts": """
        select
            findings.town,
            findings.fiscal_year,
            coalesce(findings.project_name, findings.unit_name) as report,
            findings.subject,
            findings.message_zh,
            findings.source_file,
            findings.report_id
        from marts.dq_finding as findings
        inner join marts.dim_report as reports on findings.report_id = reports.report_id
        where findings.is_current and findings.rule_id = 'B4'
            and list_contains($years, findings.fiscal_year)
            and list_contains($towns, coalesce(findings.town, $no_town))
            and list_contains($kinds, reports.doc_kind)
        order by findings.fiscal_year, findings.town, report
    """,
    # ---------- one report
    "report": """
        select
            reports.report_id,
            reports.doc_kind,
            coalesce(kinds.label_zh, reports.doc_kind) as doc_kind_label,
            reports.fiscal_year,
            coalesce(reports.town, $no_town) as town,
            reports.unit_name,
            reports.project_name,
            reports.supervisor,
            reports.source_file,
            reports.amount_unit,
            reports.total_weight,
            reports.total_score,
            reports.grade,
            reports.grade_from_total,
            reports.indicator_count,
            reports.error_findings,
            reports.warning_findings,
            reports.info_findings,
            reports.is_current
        from marts.dim_report as reports
        left join reference.doc_kinds as kinds on reports.doc_kind = kinds.doc_kind
        where reports.report_id = $report_id
    """,
    "report_fund_lines": """
        select
            coalesce(fund_line_label, fund_line) as fund_line_label,
            initial_budget_yuan,
            adjusted_budget_yuan,
            executed_yuan,
            budget_change_yuan,
            execution_rate_reported_pct,
            execution_rate_computed_pct,
            amount_unit,
            page,
            line_no
        from marts.fct_budget_execution
        where report_id = $report_id
        order by line_no, fund_line
    """,
    "report_indicators": """
        select
            indicator_seq,
            coalesce(level1, $unlabelled) as level1,
            coalesce(level2, $unlabelled) as level2,
            indicator_name,
            target_text,
            actual_text,
            target_met,
            weight,
            score,
            points_deducted,
            deviation_note,
            page,
            line_no
        from marts.fct_indicator_outcome
        where report_id = $report_id
        order by indicator_seq
    """,
    "report_findings": """
        select
            findings.rule_id,
            findings.severity,
            findings.subject,
            findings.observed,
            findings.expected,
            findings.difference,
            findings.message_zh
        from marts.dq_finding as findings
        left join reference.severities as severities on findings.severity = severities.severity
        where findings.report_id = $report_id
        order by severities.sort_order, findings.rule_id
    """,
    # ---------- indicator outcomes
    "indicator_totals": """
        select
            count(*) as indicators,
            count(*) filter (where is_quantitative) as quantitative_indicators,
            round(count(*) filter (where is_quantitative) / nullif(count(*), 0), 4) as quantitative_indicator_share,
            count(*) filter (where target_met = false) as missed_targets,
            count(*) filter (where level1 is null) as unlabelled_indicators
        from marts.fct_indicator_outcome
        where is_current
            and list_contains($years, fiscal_year)
            and list_contains($towns, coalesce(town, $no_town))
            and list_contains($kinds, doc_kind)
    """,
    "indicators_by_level1": """
        select
            coalesce(level1, $unlabelled) as level1,
            count(*) as indicators,
            count(*) filter (where is_quantitative) as quantitative_indicators,
            count(*) filter (where not is_quantitative) as qualitative_indicators,
            count(*) filter (where target_met = false) as missed_targets,
            sum(weight) as weight_sum,
            sum(score) as score_sum
        from marts.fct_indicator_outcome
        where is_current
            and list_contains($years, fiscal_year)
            and list_contains($towns, coalesce(town, $no_town))
            and list_contains($kinds, doc_kind)
        group by all
        order by bool_or(level1 is null), indicators desc, 1
    """,
    "indicator_scores": """
        select
            coalesce(level1, $unlabelled) as level1,
            indicator_name,
            weight,
            score,
            points_deducted,
            report_id,
            indicator_seq
        from marts.fct_indicator_outcome as outcomes
        where is_current and score is not null
            and list_contains($years, fiscal_year)
            and list_contains($towns, coalesce(town, $no_town))
            and list_contains($kinds, doc_kind)
        order by outcomes.level1 is null, outcomes.level1, report_id, indicator_seq
    """,
    "missed_targets": """
        select
            coalesce(town, $no_town) as town,
            fiscal_year,
            coalesce(project_name, unit_name) as report,
            coalesce(level1, $unlabelled) as level1,
            indicator_name,
            target_text,
            actual_text,
            weight,
            score,
            deviation_note,
            report_id
        from marts.fct_indicator_outcome
        where is_current and target_met = false
            and list_contains($years, fiscal_year)
            and list_contains($towns, coalesce(town, $no_town))
            and list_contains($kinds, doc_kind)
        order by fiscal_year, town, report, indicator_seq
    """,
    # ---------- consistency findings
    "severities": """
        select severity, concat_ws(' ', label_zh, severity) as severity_label
        from reference.severities
        order by sort_order
    """,
    "findings": """
        select
            findings.severity,
            concat_ws(' ', severities.label_zh, findings.severity) as severity_label,
            findings.rule_id,
            rules.description_zh as rule_zh,
            coalesce(findings.town, $no_town) as town,
            findings.fiscal_year,
            coalesce(findings.project_name, findings.unit_name) as report,
            findings.message_zh,
            findings.source_file,
            findings.report_id
        from marts.dq_finding as findings
        inner join marts.dim_report as reports on findings.report_id = reports.report_id
        left join marts.dq_rule_summary as rules on findings.rule_id = rules.rule_id
        left join reference.severities as severities on findings.severity = severities.severity
        where findings.is_current
            and list_contains($years, findings.fiscal_year)
            and list_contains($towns, coalesce(findings.town, $no_town))
            and list_contains($kinds, reports.doc_kind)
        order by severities.sort_order, findings.rule_id, findings.source_file, findings.finding_id
    """,
}

# which parameters each query binds (duckdb refuses unused named parameters)
_FILTERED = {"years", "towns", "kinds", "no_town"}
PARAMETERS: dict[str, set[str]] = {
    "last_build": set(),
    "filter_options": {"no_town"},
    "report_options": _FILTERED,
    "town_years": {"years", "towns", "kinds"},
    "mid_year_cuts": _FILTERED,
    "report": {"report_id", "no_town"},
    "report_fund_lines": {"report_id"},
    "report_indicators": {"report_id", "unlabelled"},
    "report_findings": {"report_id"},
    "indicator_totals": _FILTERED,
    "indicators_by_level1": _FILTERED | {"unlabelled"},
    "indicator_scores": _FILTERED | {"unlabelled"},
    "missed_targets": _FILTERED | {"unlabelled"},
    "severities": set(),
    "findings": _FILTERED,
}


def warehouse_path() -> Path:
    """The published warehouse: ``$BUDGET_WAREHOUSE``, else warehouse/budget.duckdb of the project."""
    return Path(os.environ.get(WAREHOUSE_ENV) or DEFAULT_WAREHOUSE)


_REQUEST: ContextVar[duckdb.DuckDBPyConnection | None] = ContextVar("request_connection", default=None)


def _connect() -> duckdb.DuckDBPyConnection:
    path = warehouse_path()
    if not path.is_file():
        raise WarehouseMissing(f"没有找到数据仓库 {path}（no published warehouse at {path}: run `make build` first)")
    return duckdb.connect(str(path), read_only=True)


@contextmanager
def request() -> Iterator[None]:
    """One read-only connection for every query of one page load; closed when the block ends."""
    con = _connect()
    token = _REQUEST.set(con)
    try:
        yield
    finally:
        _REQUEST.reset(token)
        con.close()


def run(name: str, filters: Filters | None = None, **params) -> pd.DataFrame:
    """Run the named query (on the page load's connection, else a fresh one) and return its rows."""
    values = {"unlabelled": UNLABELLED_LEVEL1, "no_town": NO_TOWN, **(filters.params() if filters else {}), **params}
    bound = {key: values[key] for key in PARAMETERS[name]}
    con = _REQUEST.get()
    if con is not None:
        return con.execute(QUERIES[name], bound).df()
    with _connect() as con:
        return con.execute(QUERIES[name], bound).df()
