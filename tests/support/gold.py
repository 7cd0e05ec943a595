"""How much of the gold a parsed document reproduces: fields compared, missing and wrong.

The same fields and the same comparison as tests/ingest/test_gold.py, counted instead of
listed, so that a rendering or an extractor's text can be given one figure. A field is
*missing* when the parser left it NULL and *wrong* when it holds another value: the first
costs coverage, the second is never acceptable.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.ingest.test_gold import FUND_LINE_FIELDS, INDICATOR_FIELDS, REPORT_FIELDS, same


@dataclass
class Score:
    compared: int = 0
    missing: int = 0
    wrong: int = 0
    examples: list[str] = None

    def __post_init__(self):
        self.examples = self.examples or []

    @property
    def share(self) -> float:
        return 1 - (self.missing + self.wrong) / self.compared if self.compared else 0.0

    def add(self, other: Score) -> None:
        self.compared += other.compared
        self.missing += other.missing
        self.wrong += other.wrong
        self.examples += other.examples

    def check(self, where: str, found, expected) -> None:
        if expected is None:
            return
        self.compared += 1
        if found is None:
            self.missing += 1
        elif not same(found, expected):
            self.wrong += 1
            self.examples.append(f"{where}: {found!r} != {expected!r}")


def score(document, gold: dict) -> Score:
    """Every non-null gold field checked against the document's reports, matched by position."""
    result = Score()
    reports = list(document.reports) if document else []
    for n, expected in enumerate(gold["reports"]):
        report = reports[n] if n < len(reports) else None
        where = f"{gold['file']} report {n + 1}"
        for key in ("doc_kind", "town", "fiscal_year"):
            result.check(f"{where} {key}", getattr(report, key, None), gold[key])
        for key in REPORT_FIELDS & expected.keys():
            result.check(f"{where} {key}", getattr(report, key, None), expected[key])
        weights = {w.level1: w.weight for w in getattr(report, "level1_weights", [])}
        for level1, weight in (expected.get("level1_weights") or {}).items():
            result.check(f"{where} 权重 {level1}", weights.get(level1), weight)
        lines = {f.fund_line: f for f in getattr(report, "fund_lines", [])}
        for line in expected["fund_lines"]:
            for key, attribute in FUND_LINE_FIELDS.items():
                found = getattr(lines.get(line["fund_line"]), attribute, None)
                result.check(f"{where} {line['fund_line']} {key}", found, line[key])
        indicators = getattr(report, "indicators", [])
        for seq, gold_indicator in enumerate(expected["indicators"]):
            indicator = indicators[seq] if seq < len(indicators) else None
            for key in sorted(INDICATOR_FIELDS):
                result.check(f"{where} indicator {seq + 1} {key}", getattr(indicator, key, None), gold_indicator[key])
    return result
