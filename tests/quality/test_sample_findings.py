"""On the sample corpus the rules fire where the published reports really are inconsistent, and only there.

Worked out by reading the reports:
  000  基本支出 711.68 + 项目支出 4938.91 = 5650.59 万元, printed total 5,650.61 (B3)
  001  基本支出 3,441,760.72 / 3,444,197.01 = 99.9293 %, printed 99.92 (B2)
  002  three projects cut by more than 20 % mid-year: 派出所维护管理 289.44 → 228.27 (-21.1 %),
       消防安全 457.21 → 293.23 (-35.9 %), 实有人口管理与服务 74.92 → 56.58 (-24.5 %) (B4, info)
  003  indicator weights add up to 95 (I2), and the 总分 row is printed empty (I10)
Everything else adds up: rates, identities, weights, scores and grades.
"""

import pytest

pytestmark = pytest.mark.build

EXPECTED = {
    ("000_8225f3caa16837dd.txt", "B3", "error", None, "合计 = 基本支出 + 项目支出（全年预算数）"),
    ("001_d843cb21d2372b47.txt", "B2", "warning", "basic_expenditure", "基本支出"),
    ("002_9036fe76fdcdc1b3.txt", "B4", "info", "total", "年度资金总额"),
    ("003_161f74cd7f3998b9.txt", "I2", "error", None, "上海市闵行区虹桥镇城市建设管理事务中心"),
    ("003_161f74cd7f3998b9.txt", "I10", "warning", None, "上海市闵行区虹桥镇城市建设管理事务中心"),
}


def test_findings_are_exactly_the_real_inconsistencies(sample_build):
    found = sample_build.query(
        "select source_file, rule_id, severity, fund_line, subject, project_name from marts.dq_finding"
    )
    assert {row[:5] for row in found} == EXPECTED
    assert sorted(row[5] for row in found if row[1] == "B4") == ["实有人口管理与服务", "派出所维护管理", "消防安全"]
    assert len(found) == 7


def test_known_inconsistencies_of_the_gold_files_are_found(sample_build, gold):
    by_file = {}
    for file, rule in sample_build.query("select source_file, rule_id from marts.dq_finding"):
        by_file.setdefault(file, set()).add(rule)
    # the gold files' notes, in words, and the rules that say the same
    notes = {
        "basic + project adjusted budget = 5650.59 万元 vs total 5650.61 万元": {"B3"},
        "indicator weights sum to 95 (expected 100); total score row empty": {"I2", "I10"},
    }
    for document in gold:
        for report in document["reports"]:
            for note in report.get("known_inconsistencies", []):
                assert notes[note] <= by_file.get(document["file"], set()), note


def test_b3_finding_carries_the_numbers_of_report_000(sample_build):
    assert sample_build.query(
        "select observed_value, expected_value, difference, tolerance from marts.dq_finding where rule_id = 'B3'"
    ) == [(56505900.0, 56506100.0, -200, 150)]
