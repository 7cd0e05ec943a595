"""The parsers reproduce every field of the hand-checked gold extractions: a field the gold leaves null
(ambiguous in the source) must be None, and every other must be equal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bench.accuracy import FUND_FIELDS, INDICATOR_FIELDS, REPORT_FIELDS, score
from ingest.parse import parse_document
from ingest.vocabulary import load_vocabulary
from tests.conftest import SAMPLE_REPORTS, load_gold

GOLD = load_gold()
NOT_FIELDS = {"fund_lines", "indicators", "level1_weights", "known_inconsistencies"}


def mismatches(document, gold: dict) -> list[str]:
    """Every gold field the parsed document does not reproduce (bench.accuracy.score): a null in the gold
    must be None, and a report, fund line or indicator the gold lacks is a mismatch too."""
    return [" ".join(str(part) for part in example) for example in score(document, gold).examples]


def test_every_gold_field_is_compared():
    for gold in GOLD:
        for report in gold["reports"]:
            assert set(report) - NOT_FIELDS <= REPORT_FIELDS.keys()
            assert all(set(i) == INDICATOR_FIELDS.keys() for i in report["indicators"])
            assert all(set(f) == {"fund_line", *FUND_FIELDS} for f in report["fund_lines"])


@pytest.mark.parametrize("gold", GOLD, ids=[g["file"] for g in GOLD])
def test_parser_reproduces_gold(gold):
    text = (SAMPLE_REPORTS / gold["file"]).read_text(encoding="utf-8")
    document = parse_document(text, load_vocabulary())
    assert mismatches(document, gold) == []


def test_gold_corpus_size():
    """The gold files describe 12 reports, 45 fund lines and 157 indicator rows."""
    reports = [r for g in GOLD for r in g["reports"]]
    assert len(reports) == 12
    assert sum(len(r["fund_lines"]) for r in reports) == 45
    assert sum(len(r["indicators"]) for r in reports) == 157


def _null_fields(document, gold: dict):
    """(object, attribute) of every parsed field whose gold value is null, paired as the comparison pairs them."""
    for report, expected in zip(document.reports, gold["reports"], strict=True):
        yield from ((report, key) for key in REPORT_FIELDS.keys() & expected.keys() if expected[key] is None)
        lines = {line.fund_line: line for line in report.fund_lines}
        for line in expected["fund_lines"]:
            yield from ((lines[line["fund_line"]], key) for key in FUND_FIELDS if line[key] is None)
        for indicator, gold_indicator in zip(report.indicators, expected["indicators"], strict=True):
            yield from ((indicator, key) for key in sorted(INDICATOR_FIELDS) if gold_indicator[key] is None)


def test_a_value_where_the_gold_is_null_is_a_mismatch():
    """Null in the gold means ambiguous in the source: a parser that invents a value there is wrong."""
    checked = 0
    for gold in GOLD:
        text = (SAMPLE_REPORTS / gold["file"]).read_text(encoding="utf-8")
        document = parse_document(text, load_vocabulary())
        invented = list(_null_fields(document, gold))
        for target, attribute in invented:
            assert getattr(target, attribute) is None
            setattr(target, attribute, Decimal("1") if attribute not in {"grade", "level1", "level2"} else "优")
        result = score(document, gold)
        assert (result.wrong, result.missing) == (len(invented), 0), gold["file"]
        checked += len(invented)
    assert checked == 579  # fields the gold leaves null: qualitative targets, notes, 一级 left ambiguous …
