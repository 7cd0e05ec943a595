"""The rule catalog (data) and the expectations (code) describe the same rules."""

import csv

from quality.rules import build_checks
from tests.conftest import REPO

with open(REPO / "seeds" / "reference" / "dq_rules.csv", encoding="utf-8") as catalog_file:
    CATALOG = list(csv.DictReader(catalog_file))


def test_rules_checked_by_expectations_match_the_catalog():
    thresholds = {r["rule_id"]: float(r["threshold"]) for r in CATALOG if r["threshold"]}
    in_code = {check.rule_id for check in build_checks(thresholds)}
    in_catalog = {r["rule_id"] for r in CATALOG if r["checked_by"] == "great_expectations"}
    assert in_code == in_catalog


def test_catalog_rules_are_complete():
    ids = [r["rule_id"] for r in CATALOG]
    assert len(ids) == len(set(ids))
    for rule in CATALOG:
        assert rule["severity"] in {"fatal", "error", "warning", "info"}
        for column in ("category", "description_zh", "description_en", "tolerance", "message_zh", "message_en"):
            assert rule[column], (rule["rule_id"], column)
    fatal_by_dbt = {r["rule_id"] for r in CATALOG if r["checked_by"] == "dbt"}
    assert all(r["severity"] == "fatal" for r in CATALOG if r["rule_id"] in fatal_by_dbt)


def test_issue_rules_are_all_present_with_their_severity():
    expected = {
        **dict.fromkeys(["B1", "B3", "B5", "I1", "I2", "I3", "I4"], "error"),
        **dict.fromkeys(["B2", "B6", "I5", "I6", "I7", "I8", "I9"], "warning"),
        "B4": "info",
    }
    severities = {r["rule_id"]: r["severity"] for r in CATALOG}
    assert {rule: severities.get(rule) for rule in expected} == expected
