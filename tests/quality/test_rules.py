"""Every rule of the catalog, through the whole build: a report that breaks it, and one at the edge of
its tolerance that must stay silent. The expected findings are worked out by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import run_build
from tests.quality.reports import DEPT_INDICATORS, PROJECT_INDICATORS, DeptTable, Fund, Narrative, ProjectTable, replace

pytestmark = pytest.mark.build

CASES = {
    # file: (report, {rule: number of findings})
    "base_project": (ProjectTable("基础项目"), {}),
    "base_dept": (DeptTable("基础中心"), {}),
    # B1: 全年执行数 101.00 > 全年预算数 100.00 on the total and the appropriation lines
    "b1_break": (ProjectTable("B1超支", total=Fund(executed="101.00", rate="101.00")), {"B1": 2}),
    "b1_edge": (ProjectTable("B1持平", total=Fund(executed="100.00")), {}),
    # B2 (万元, two decimals): 99.99 / 100.00 = 99.99 %; rounding of the amounts allows
    # 0.005 + 100 × (50 + 0.9999 × 50) / 1,000,000 = 0.0149995 points: 99.98 passes, 99.97 does not
    "b2_edge": (ProjectTable("B2边界", total=Fund(executed="99.99", rate="99.98")), {}),
    "b2_break": (ProjectTable("B2超差", total=Fund(executed="99.99", rate="99.97")), {"B2": 2}),
    # B2 (元): 3,441,760.72 / 3,444,197.01 = 99.9293 %, printed truncated as 99.92 (off by 0.0093 > 0.005)
    "b2_truncated": (DeptTable("B2截断中心", basic_rate="99.92"), {"B2": 1}),
    # B3 (project): total 100.03 against parts 100.00 + 0 + 0: 300 元 > 4 terms × 50 元, for each measure;
    # 100.01 differs by 100 元 and passes
    "b3_break": (
        ProjectTable("B3不平", total=Fund("100.03", "100.03", "100.03"), appropriation=Fund()),
        {"B3": 3},
    ),
    "b3_edge": (ProjectTable("B3尾差", total=Fund("100.01", "100.01", "100.01"), appropriation=Fund()), {}),
    # B3 (prose): 711.68 + 4938.91 = 5650.59 against 5,650.61: 200 元 > 3 terms × 50 元; 5,650.60 passes
    "b3_prose_break": (Narrative("城运中心"), {"B3": 1}),
    "b3_prose_edge": (Narrative("城运分中心", total="5,650.60"), {}),
    # B4: 125.00 → 100.00 is a cut of exactly 20 % (silent); 125.01 → 100.00 cuts 20.006 % (info, total line only)
    "b4_edge": (ProjectTable("B4调减20", total=Fund(initial="125.00")), {}),
    "b4_break": (ProjectTable("B4调减过半", total=Fund(initial="125.01")), {"B4": 1}),
    # B5: other funds of -5.00 in every measure (the total, 95.00, still adds up)
    "b5_break": (
        ProjectTable(
            "B5负数",
            total=Fund("95.00", "95.00", "95.00"),
            appropriation=Fund(),
            other=Fund("-5.00", "-5.00", "-5.00", "100.00"),
        ),
        {"B5": 3},
    ),
    # B6: the total's 全年预算数 and 全年执行数 printed as — (the appropriation line keeps its amounts)
    "b6_break": (
        ProjectTable("B6未填", total=Fund(adjusted="—", executed="—"), appropriation=Fund()),
        {"B6": 2},
    ),
    # I1: a qualitative indicator scored 22 of 20 (total 102, still 优)
    "i1_break": (
        ProjectTable("I1超分", indicators=replace(PROJECT_INDICATORS, 3, score="22.00"), total_score="102.00"),
        {"I1": 1},
    ),
    # I2: one indicator worth 15 instead of 20: weights add up to 85 + 10 = 95
    "i2_break": (
        ProjectTable(
            "I2缺分",
            indicators=replace(PROJECT_INDICATORS, 3, weight="15.00", score="15.00"),
            total_weight="95.00",
            total_score="95.00",
        ),
        {"I2": 1},
    ),
    # I3: scores add up to 100, the printed 总分 says 99
    "i3_break": (ProjectTable("I3总分", total_score="99.00"), {"I3": 1}),
    # I4: 89 points graded 优 (良 is 80 to < 90); 90 points graded 优 is right
    "i4_break": (
        ProjectTable(
            "I4等级",
            indicators=replace(PROJECT_INDICATORS, 3, score="9.00", note="宣传不足"),
            total_score="89.00",
        ),
        {"I4": 1},
    ),
    "i4_edge": (
        ProjectTable(
            "I4边界",
            indicators=replace(PROJECT_INDICATORS, 3, score="10.00", note="宣传不足"),
            total_score="90.00",
        ),
        {},
    ),
    # I5: 18 of 20 points without a deviation note
    "i5_break": (
        ProjectTable("I5无说明", indicators=replace(PROJECT_INDICATORS, 3, score="18.00"), total_score="98.00"),
        {"I5": 1},
    ),
    "i5_edge": (
        ProjectTable(
            "I5有说明", indicators=replace(PROJECT_INDICATORS, 3, score="18.00", note="覆盖面不足"), total_score="98.00"
        ),
        {},
    ),
    # I6: target ≥90 %, actual 85 %: missed, yet full points; with 16 points and a note it is fine
    "i6_break": (ProjectTable("I6满分", indicators=replace(PROJECT_INDICATORS, 4, actual="85.00(%)")), {"I6": 1}),
    "i6_edge": (
        ProjectTable(
            "I6扣分",
            indicators=replace(PROJECT_INDICATORS, 4, actual="85.00(%)", score="16.00", note="满意度未达标"),
            total_score="96.00",
        ),
        {},
    ),
    # I7: target =100 % met exactly, yet 18 of 20 points (with a note, so I5 is silent)
    "i7_break": (
        ProjectTable(
            "I7扣分", indicators=replace(PROJECT_INDICATORS, 0, score="18.00", note="抽查问题"), total_score="98.00"
        ),
        {"I7": 1},
    ),
    # I8: target in %, actual in 个 (not comparable: no I6 / I7 either)
    "i8_break": (ProjectTable("I8单位", indicators=replace(PROJECT_INDICATORS, 0, actual="100.00(个)")), {"I8": 1}),
    # I9: 产出 printed 25 holds 20 points, 满意度 printed 10 holds 15 (total still 100)
    "i9_break": (
        DeptTable(
            "I9权重中心",
            indicators=replace(
                replace(DEPT_INDICATORS, 3, weight="5.00", score="5.00"), 5, weight="15.00", score="15.00"
            ),
        ),
        {"I9": 2},
    ),
    # I10: the 总分 row carries no values
    "i10_break": (ProjectTable("I10空总分", total_weight="", total_score=""), {"I10": 1}),
}


@pytest.fixture(scope="module")
def rules_build(tmp_path_factory):
    reports = tmp_path_factory.mktemp("rules")
    for name, (report, _) in CASES.items():
        (reports / f"{name}.txt").write_text(report.text(), encoding="utf-8")
    run = run_build(reports, reports.parent / "rules.duckdb")
    assert run.exit_code == 0, run.stdout + run.stderr
    return run


def findings_by_file(build) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {}
    for source_file, rule_id, count in build.query(
        "select source_file, rule_id, count(*) from marts.dq_finding group by all"
    ):
        found.setdefault(source_file.removesuffix(".txt"), {})[rule_id] = count
    return found


def test_every_case_parses_cleanly(rules_build):
    issues = rules_build.query("select source_file, issue_code from ops.ingest_issues where severity <> 'info'")
    assert issues == [("b6_break.txt", "value_missing")] * 2  # the two amounts printed as —
    assert rules_build.query("select count(*) from marts.dim_report") == [(len(CASES),)]


@pytest.mark.parametrize("case", sorted(CASES))
def test_rule_fires_exactly_where_broken(rules_build, case):
    assert findings_by_file(rules_build).get(case, {}) == CASES[case][1]


def test_every_catalog_rule_checked_by_expectations_has_a_breaking_case(rules_build):
    broken = {rule for _, expected in CASES.values() for rule in expected}
    catalog = {r[0] for r in rules_build.query("select rule_id from reference.dq_rules where severity <> 'fatal'")}
    assert catalog <= broken


def test_findings_report_value_found_expected_and_difference(rules_build):
    row = rules_build.query(
        "select observed, expected, difference, tolerance, message_zh from marts.dq_finding "
        "where source_file = 'b3_prose_break.txt'"
    )
    assert row == [
        (
            "56505900",
            "56506100",
            Decimal("-200.0000"),
            Decimal("150.000000"),
            "合计 = 基本支出 + 项目支出（全年预算数）："
            "分项合计 56505900 元，合计 56506100 元，相差 -200 元（允许 ±150 元）",
        )
    ]
    b4 = rules_build.query("select severity, observed, expected from marts.dq_finding where rule_id = 'B4'")
    assert b4 == [("info", "1000000", "1250100")]


def test_dim_report_counts_findings_by_severity(rules_build):
    rows = dict(
        rules_build.query(
            "select project_name, (error_findings, warning_findings, info_findings) from marts.dim_report "
            "where project_name in ('B1超支', 'B2超差', 'B4调减过半', '基础项目')"
        )
    )
    assert rows == {"B1超支": (2, 0, 0), "B2超差": (0, 2, 0), "B4调减过半": (0, 0, 1), "基础项目": (0, 0, 0)}


def test_missing_amount_finding_names_the_cell(rules_build):
    rows = rules_build.query(
        "select detail, observed, expected, message_zh, message_en from marts.dq_finding "
        "where rule_id = 'B6' order by detail"
    )
    assert rows == [
        (
            "adjusted_budget_yuan",
            "—",
            "全年预算数",
            "年度资金总额：全年预算数未填写金额（印为“—”）",
            "年度资金总额: no amount for 全年预算数 (printed '—')",
        ),
        (
            "executed_yuan",
            "—",
            "全年执行数",
            "年度资金总额：全年执行数未填写金额（印为“—”）",
            "年度资金总额: no amount for 全年执行数 (printed '—')",
        ),
    ]
