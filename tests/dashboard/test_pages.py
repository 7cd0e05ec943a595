"""Every page of the dashboard, run by Streamlit's AppTest on the sample warehouse.

The figures shown (metrics, table cells, the values each chart plots) are compared with the
marts, queried here directly with SQL of the test's own; nothing is compared with the
dashboard's queries module.
"""

from __future__ import annotations

import base64
import json
import math
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.queries import NO_TOWN, UNLABELLED_LEVEL1, WAREHOUSE_ENV

pytestmark = pytest.mark.build

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
TIMEOUT = 60
SEVERITY_ORDER = {"fatal": 0, "error": 1, "warning": 2, "info": 3}


# ---------------------------------------------------------------- helpers


@pytest.fixture
def warehouse(sample_build, monkeypatch):
    monkeypatch.setenv(WAREHOUSE_ENV, str(sample_build.warehouse))
    return sample_build


def open_page(page: str | None = None, **query_params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    if page:
        at.switch_page(page)
        for key, value in query_params.items():
            at.query_params[key] = value
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


TABLE_COLUMNS = {  # a column only that table of its page shows
    "town_years": "reports_with_budget",
    "fund_lines": "fund_line_label",
    "indicators": "indicator_seq",
    "findings": "observed",
    "level1_table": "qualitative_indicators",
    "missed_targets": "target_text",
    "findings_table": "rule_zh",
}


def table(at: AppTest, name: str):
    [frame] = [d.value for d in at.dataframe if TABLE_COLUMNS[name] in d.value.columns]
    return frame


def chart(at: AppTest, key: str) -> list[dict]:
    """The traces a chart plots, with typed arrays decoded."""
    [element] = [c for c in at.get("plotly_chart") if c.key == key]
    return [{k: _decode(v) for k, v in trace.items()} for trace in json.loads(element.proto.spec)["data"]]


def _decode(value):
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return value


def same(a, b) -> bool:
    """Equal numbers (as floats, NULL equal to NULL) or equal values."""
    missing = [x is None or (isinstance(x, float) and math.isnan(x)) for x in (a, b)]
    if any(missing):
        return all(missing)
    if isinstance(a, (int, float)) or isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-9)
    return a == b


def assert_rows(shown, expected: list[tuple], columns: list[str]) -> None:
    rows = [tuple(r) for r in shown[columns].itertuples(index=False)]
    assert len(rows) == len(expected), (rows, expected)
    for got, want in zip(rows, expected, strict=True):
        assert all(same(g, w) for g, w in zip(got, want, strict=True)), (got, want)


def short_labels(run) -> dict[str, str]:
    return dict(run.query("select doc_kind, short_label_zh from reference.doc_kinds"))


# ---------------------------------------------------------------- towns × years


TOWN_YEAR_COLUMNS = [
    "town",
    "fiscal_year",
    "reports",
    "reports_with_budget",
    "budget_yuan",
    "executed_yuan",
    "execution_rate_pct",
    "initial_budget_yuan",
    "budget_change_yuan",
    "reports_with_budget_reduced",
    "reports_with_mid_year_cut",
]


def test_towns_page_shows_the_town_year_kind_mart(warehouse):
    at = open_page()
    labels = short_labels(warehouse)
    expected = warehouse.query(
        f"select doc_kind, {', '.join(TOWN_YEAR_COLUMNS)} from marts.town_year_kind_summary "
        "order by fiscal_year, town, (select sort_order from reference.doc_kinds k where k.doc_kind = "
        "town_year_kind_summary.doc_kind)"
    )
    shown = table(at, "town_years")
    assert_rows(shown, [r[1:] for r in expected], TOWN_YEAR_COLUMNS)
    assert shown["doc_kind_label"].tolist() == [labels[r[0]] for r in expected]

    shown_metrics = metrics(at)
    [(reports, cut)] = warehouse.query(
        "select count(*), count(*) filter (where report_id in "
        "(select report_id from marts.dq_finding where rule_id = 'B4')) "
        "from marts.dim_report where is_current and town is not null"
    )
    assert shown_metrics["报告 reports"] == str(reports)
    assert shown_metrics["调减超20%的报告 cut > 20%"] == str(cut)
    [(town_years,)] = warehouse.query("select count(*) from marts.town_year_summary")
    assert shown_metrics["镇街年度 town-years"] == str(town_years)
    [(run_id,)] = warehouse.query(
        "select run_id from ops.build_runs where status = 'published' order by finished_at desc limit 1"
    )
    assert run_id == warehouse.summary()["run_id"]
    assert any(run_id in caption.value for caption in at.sidebar.caption)

    # what the charts plot, bar by bar: (town year, kind) → value
    by_bar = {(f"{r[1]} {r[2]}", labels[r[0]]): r for r in expected}
    budget, executed = chart(at, "budget_execution")
    rate = chart(at, "execution_rate")[0]
    change = chart(at, "budget_change")[0]
    for trace, column in [(budget, 5), (executed, 6), (rate, 7), (change, 9)]:
        bars = list(zip(*trace["x"], strict=True))
        assert sorted(bars) == sorted(by_bar)
        for bar, value in zip(bars, trace["y"], strict=True):
            assert same(value, by_bar[bar][column]), (trace["name"], bar, value)


def test_the_kinds_add_up_to_the_town_year_summary(warehouse):
    """The new mart agrees with town_year_summary: departments' kinds sum to its budget, projects apart."""
    rows = warehouse.query(
        "select s.town, s.fiscal_year, s.budget_yuan, s.executed_yuan, s.project_budget_yuan, "
        "  (select sum(budget_yuan) from marts.town_year_kind_summary k where k.town = s.town "
        "     and k.fiscal_year = s.fiscal_year and k.doc_kind <> 'project_table'), "
        "  (select sum(executed_yuan) from marts.town_year_kind_summary k where k.town = s.town "
        "     and k.fiscal_year = s.fiscal_year and k.doc_kind <> 'project_table'), "
        "  (select sum(budget_yuan) from marts.town_year_kind_summary k where k.town = s.town "
        "     and k.fiscal_year = s.fiscal_year and k.doc_kind = 'project_table') "
        "from marts.town_year_summary s"
    )
    assert rows
    for town, year, budget, executed, projects, kind_budget, kind_executed, kind_projects in rows:
        assert (budget, executed, projects) == (kind_budget, kind_executed, kind_projects), (town, year)


def test_filters_narrow_every_table(warehouse):
    at = open_page()
    [(year, kind)] = warehouse.query(
        "select fiscal_year, doc_kind from marts.town_year_kind_summary order by reports desc limit 1"
    )
    at.multiselect(key="filter_years").set_value([year])
    at.multiselect(key="filter_kinds").set_value([kind])
    at.run()
    assert not at.exception
    expected = warehouse.query(
        f"select {', '.join(TOWN_YEAR_COLUMNS)} from marts.town_year_kind_summary "
        "where fiscal_year = ? and doc_kind = ? order by town",
        [year, kind],
    )
    assert_rows(table(at, "town_years"), expected, TOWN_YEAR_COLUMNS)

    at.switch_page("views/findings.py")
    at.run()
    [(findings,)] = warehouse.query(
        "select count(*) from marts.dq_finding f join marts.dim_report r using (report_id) "
        "where f.is_current and f.fiscal_year = ? and r.doc_kind = ?",
        [year, kind],
    )
    assert metrics(at)["发现 findings"] == str(findings)


# ---------------------------------------------------------------- one report


def test_report_page_shows_every_fund_line_and_indicator_of_each_report(warehouse):
    reports = warehouse.query(
        "select report_id, source_file, total_score, indicator_count, error_findings, warning_findings, "
        "info_findings from marts.dim_report where is_current order by report_id"
    )
    assert len(reports) > 1
    for report_id, source_file, total_score, indicator_count, errors, warnings, infos in reports:
        at = open_page("views/report.py", report=report_id)
        assert at.selectbox(key="report_pick").value == report_id
        shown = metrics(at)
        assert shown["总分 total score"] == ("—" if total_score is None else str(float(total_score)))
        assert shown["指标 indicators"] == str(indicator_count)
        assert shown["发现 findings (error / warning / info)"] == f"{errors} / {warnings} / {infos}"
        assert any(source_file in m.value for m in at.markdown), source_file

        fund_lines = warehouse.query(
            "select coalesce(fund_line_label, fund_line), initial_budget_yuan, adjusted_budget_yuan, executed_yuan, "
            "execution_rate_reported_pct, execution_rate_computed_pct, line_no "
            "from marts.fct_budget_execution where report_id = ? order by line_no, fund_line",
            [report_id],
        )
        assert_rows(
            table(at, "fund_lines"),
            fund_lines,
            [
                "fund_line_label",
                "initial_budget_yuan",
                "adjusted_budget_yuan",
                "executed_yuan",
                "execution_rate_reported_pct",
                "execution_rate_computed_pct",
                "line_no",
            ],
        )
        if fund_lines:
            plotted = {t["name"].split()[0]: t for t in chart(at, "fund_lines")}
            for name, column in [("年初预算数", 1), ("全年预算数", 2), ("全年执行数", 3)]:
                assert plotted[name]["x"] == [r[0] for r in fund_lines]
                assert all(same(y, r[column]) for y, r in zip(plotted[name]["y"], fund_lines, strict=True)), name
        indicators = warehouse.query(
            "select indicator_seq, coalesce(level1, ?), indicator_name, target_text, actual_text, weight, score, "
            "deviation_note, line_no from marts.fct_indicator_outcome where report_id = ? order by indicator_seq",
            [UNLABELLED_LEVEL1, report_id],
        )
        assert len(indicators) == indicator_count
        if indicators:
            assert_rows(
                table(at, "indicators"),
                indicators,
                [
                    "indicator_seq",
                    "level1",
                    "indicator_name",
                    "target_text",
                    "actual_text",
                    "weight",
                    "score",
                    "deviation_note",
                    "line_no",
                ],
            )
        findings = warehouse.query("select rule_id from marts.dq_finding where report_id = ?", [report_id])
        if findings:
            assert sorted(table(at, "findings")["rule_id"]) == sorted(r[0] for r in findings)


def test_indicators_with_no_level1_are_shown_as_unlabelled(warehouse):
    [(report_id, unlabelled)] = warehouse.query(
        "select report_id, count(*) from marts.fct_indicator_outcome where level1 is null "
        "group by report_id order by count(*) desc limit 1"
    )
    at = open_page("views/report.py", report=report_id)
    assert (table(at, "indicators")["level1"] == UNLABELLED_LEVEL1).sum() == unlabelled


# ---------------------------------------------------------------- indicator outcomes


def test_indicators_page_counts_every_indicator(warehouse):
    at = open_page("views/indicators.py")
    [(indicators, quantitative, missed)] = warehouse.query(
        "select count(*), count(*) filter (where is_quantitative), count(*) filter (where target_met = false) "
        "from marts.fct_indicator_outcome where is_current"
    )
    shown = metrics(at)
    assert shown["指标 indicators"] == str(indicators)
    assert shown["定量指标 quantitative"] == str(quantitative)
    assert shown["未达目标 missed targets"] == str(missed)
    assert shown["定量占比 quantitative share"] == f"{quantitative / indicators:.2%}"

    groups = dict(
        warehouse.query(
            "select coalesce(level1, ?), count(*) from marts.fct_indicator_outcome where is_current group by all",
            [UNLABELLED_LEVEL1],
        )
    )
    assert UNLABELLED_LEVEL1 in groups  # the sample has indicators whose 一级指标 is ambiguous
    level1_table = table(at, "level1_table")
    assert dict(zip(level1_table["level1"], level1_table["indicators"], strict=True)) == groups
    assert level1_table["indicators"].sum() == indicators  # no row vanishes with a NULL level1

    bars = {t["name"]: dict(zip(t["x"], t["y"], strict=True)) for t in chart(at, "indicators_by_level1")}
    counts = warehouse.query(
        "select coalesce(level1, ?), count(*) filter (where is_quantitative), "
        "count(*) filter (where not is_quantitative), count(*) filter (where target_met = false) "
        "from marts.fct_indicator_outcome where is_current group by all",
        [UNLABELLED_LEVEL1],
    )
    for level1, quantitative_n, qualitative_n, missed_n in counts:
        assert bars["定量 quantitative"][level1] == quantitative_n
        assert bars["定性 qualitative"][level1] == qualitative_n
        assert bars["未达目标 missed"][level1] == missed_n

    scores = defaultdict(list)
    for level1, score in warehouse.query(
        "select coalesce(level1, ?), score from marts.fct_indicator_outcome where is_current and score is not null",
        [UNLABELLED_LEVEL1],
    ):
        scores[level1].append(float(score))
    boxes = {t["name"]: sorted(t["y"]) for t in chart(at, "score_distribution")}
    assert boxes == {k: sorted(v) for k, v in scores.items()}

    missed_rows = warehouse.query(
        "select 'report?report=' || report_id, indicator_name, target_text, actual_text, weight, score "
        "from marts.fct_indicator_outcome where is_current and target_met = false "
        "order by fiscal_year, town, coalesce(project_name, unit_name), "
        "indicator_seq"
    )
    assert_rows(
        table(at, "missed_targets"),
        missed_rows,
        ["link", "indicator_name", "target_text", "actual_text", "weight", "score"],
    )


def test_quantitative_share_of_one_town_year_equals_the_summary_mart(warehouse):
    for town, year, share in warehouse.query(
        "select town, fiscal_year, quantitative_indicator_share from marts.town_year_summary where indicators > 0"
    ):
        at = open_page()
        at.multiselect(key="filter_towns").set_value([town])
        at.multiselect(key="filter_years").set_value([year])
        at.switch_page("views/indicators.py")
        at.run()
        assert not at.exception
        assert metrics(at)["定量占比 quantitative share"] == f"{share:.2%}", (town, year)


# ---------------------------------------------------------------- consistency findings


def test_findings_page_lists_every_current_finding_with_a_link_to_its_report(warehouse):
    at = open_page("views/findings.py")
    expected = warehouse.query(
        "select severity, rule_id, coalesce(town, ?), fiscal_year, message_zh, source_file, "
        "'report?report=' || report_id from marts.dq_finding where is_current",
        [NO_TOWN],
    )
    expected.sort(key=lambda r: (SEVERITY_ORDER[r[0]], r[1], r[5]))
    shown = table(at, "findings_table")
    columns = ["severity", "rule_id", "town", "fiscal_year", "message_zh", "source_file", "link"]
    assert sorted(map(tuple, shown[columns].itertuples(index=False))) == sorted(expected)
    assert [SEVERITY_ORDER[s] for s in shown["severity"]] == sorted(SEVERITY_ORDER[s] for s in shown["severity"])

    by_severity = Counter(r[0] for r in expected)
    shown_metrics = metrics(at)
    assert shown_metrics["发现 findings"] == str(len(expected))
    assert shown_metrics["错误 error"] == str(by_severity["error"])
    assert shown_metrics["警告 warning"] == str(by_severity["warning"])
    assert shown_metrics["提示 info"] == str(by_severity["info"])
    assert shown_metrics["致命 fatal"] == "0"  # a fatal finding stops the build: never published

    for key, column in [("findings_by_rule", 1), ("findings_by_town", 2)]:
        plotted = Counter()
        for trace in chart(at, key):
            for x, y in zip(trace["x"], trace["y"], strict=True):
                plotted[(trace["name"].split()[-1], x)] += y
        assert plotted == Counter((r[0], r[column]) for r in expected), key


def test_a_finding_link_opens_its_report(warehouse):
    [(report_id, rule_id)] = warehouse.query("select report_id, rule_id from marts.dq_finding limit 1")
    at = open_page("views/report.py", report=report_id)
    assert rule_id in table(at, "findings")["rule_id"].tolist()


# ---------------------------------------------------------------- no warehouse


def test_a_missing_warehouse_gives_one_clear_message(tmp_path, monkeypatch):
    missing = tmp_path / "none.duckdb"
    monkeypatch.setenv(WAREHOUSE_ENV, str(missing))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    [error] = at.error
    assert str(missing) in error.value and "make build" in error.value

    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "--warehouse", str(missing)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().splitlines() == [
        f"dashboard: no warehouse at {missing}: run `make build` first, or give WAREHOUSE=path"
    ]


# ---------------------------------------------------------------- district-level units


def test_reports_of_district_level_units_are_filtered_as_such_not_lost(sample_build, tmp_path, monkeypatch):
    """A report with no town (a district-level unit) is offered under its own name in the town filter."""
    warehouse = tmp_path / "district.duckdb"
    shutil.copyfile(sample_build.warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as con:
        [(report_id, indicators)] = con.execute(
            "select report_id, indicator_count from marts.dim_report where is_current and indicator_count > 0 "
            "order by report_id limit 1"
        ).fetchall()
        for mart in ["dim_report", "fct_indicator_outcome", "fct_budget_execution", "dq_finding"]:
            con.execute(f"update marts.{mart} set town = null where report_id = ?", [report_id])
    monkeypatch.setenv(WAREHOUSE_ENV, str(warehouse))

    at = open_page()
    assert NO_TOWN in at.multiselect(key="filter_towns").options
    at.multiselect(key="filter_towns").set_value([NO_TOWN])
    at.switch_page("views/indicators.py")
    at.run()
    assert not at.exception
    assert metrics(at)["指标 indicators"] == str(indicators)

    at.switch_page("views/report.py")
    at.run()
    pick = at.selectbox(key="report_pick")
    assert pick.value == report_id
    assert len(pick.options) == 1
