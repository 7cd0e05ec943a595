"""The questions of BI users in one query each, checked against the gold files of the sample corpus."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

pytestmark = pytest.mark.build

# The order in which a report's whole budget is read (README, "Whole budgets"), written out again here.
BASES = [
    ("total", ["total"], []),
    ("sources", ["fiscal_appropriation", "other_funds"], []),
    ("budget_types", ["general_public_budget"], ["government_fund_budget"]),
    ("structure", ["basic_expenditure", "project_expenditure"], []),
]


def _whole_budget(fund_lines: list[dict]) -> tuple[str | None, Decimal | None, Decimal | None]:
    lines = {f["fund_line"]: f for f in fund_lines}
    for basis, required, optional in BASES:
        terms = [lines[n] for n in required + optional if n in lines]
        if all(n in lines for n in required) and all(t["adjusted_budget_yuan"] is not None for t in terms):
            adjusted = sum(Decimal(str(t["adjusted_budget_yuan"])) for t in terms)
            executed = sum(Decimal(str(t["executed_yuan"])) for t in terms)
            return basis, adjusted, executed
    return None, None, None


def _gold_reports(gold):
    for document in gold:
        for report in document["reports"]:
            yield document, report


def test_every_report_has_its_whole_budget_in_dim_report(sample_build, gold):
    rows = {
        (unit, project): (basis, adjusted, executed, rate)
        for unit, project, basis, adjusted, executed, rate in sample_build.query(
            "select unit_name, project_name, report_budget_basis, report_adjusted_budget_yuan, "
            "report_executed_yuan, report_execution_rate_pct from marts.dim_report where is_current"
        )
    }
    checked = 0
    for _, report in _gold_reports(gold):
        basis, adjusted, executed = _whole_budget(report["fund_lines"])
        got = rows[(report["unit_name"], report["project_name"])]
        assert got[:3] == (basis, adjusted, executed), report["unit_name"]
        assert got[3] == pytest.approx(float(executed * 100 / adjusted), abs=1e-4)
        checked += 1
    assert checked == len(rows) == 12
    kinds = {k for (k,) in sample_build.query("select distinct doc_kind from marts.dim_report")}
    assert kinds == {"dept_table", "project_table", "dept_narrative"}


def test_every_scored_kind_has_its_average_score(sample_build, gold):
    scores = defaultdict(list)
    for document, report in _gold_reports(gold):
        if report["total_score"] is not None:
            scores[(document["town"], document["fiscal_year"], document["doc_kind"])].append(report["total_score"])
    got = {
        (town, year, kind): avg
        for town, year, kind, avg in sample_build.query(
            "select town, fiscal_year, doc_kind, avg_score from marts.town_year_kind_summary"
        )
    }
    assert {k for k, v in got.items() if v is not None} == set(scores)
    for key, values in scores.items():
        assert float(got[key]) == pytest.approx(sum(values) / len(values), abs=0.005), key
    assert ("浦锦街道", 2023, "dept_table") in scores  # a department table's score, absent from avg_project_score


def test_joining_indicators_to_their_group_drops_none(sample_build, gold):
    indicators = sum(len(r["indicators"]) for _, r in _gold_reports(gold))
    unlabelled = sum(1 for _, r in _gold_reports(gold) for i in r["indicators"] if i["level1"] is None)
    assert unlabelled > 0  # the sample has indicators whose 一级 is ambiguous
    joined = sample_build.query(
        "select count(*), count(*) filter (where o.level1_label = '未标注') from marts.fct_indicator_outcome as o "
        "inner join marts.fct_indicator_group as g on o.report_id = g.report_id and o.level1_label = g.level1_label"
    )[0]
    assert joined == (indicators, unlabelled)


def test_units_and_projects_have_keys_and_a_year_over_year_line(sample_build, gold):
    units = {r["unit_name"] for _, r in _gold_reports(gold)}
    projects = {(r["unit_name"], r["project_name"]) for _, r in _gold_reports(gold) if r["project_name"]}
    assert {u for (u,) in sample_build.query("select unit_name from marts.dim_unit")} == units
    assert set(sample_build.query("select unit_name, project_name from marts.dim_project")) == projects
    # every project's key leads to its unit
    orphans = sample_build.query(
        "select count(*) from marts.dim_project as p anti join marts.dim_unit as u on p.unit_key = u.unit_key"
    )
    assert orphans == [(0,)]
    lines = sample_build.query(
        "select subject_kind, count(*), count(previous_fiscal_year) from marts.year_over_year group by all order by 1"
    )
    department_reports = sum(1 for d, _ in _gold_reports(gold) if d["doc_kind"] != "project_table")
    # one year per unit in the sample: a line per report, none with a previous year
    assert lines == [("project", len(projects), 0), ("unit", department_reports, 0)]
