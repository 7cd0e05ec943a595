"""Property-based tests of the parsers on mutated sample reports (hypothesis).

Each example deletes, duplicates or swaps lines, drops, merges or splits cells, inserts
noise or shifts columns, then encodes the text in one of the accepted encodings and may
cut it at a random byte. The parser must reject the file with DocumentRejected or read
only numbers printed in the cells they come from; nothing else may be raised. ``make
test`` runs a bounded number of examples; ``make fuzz`` runs for as long as asked and saves
failures in tests/fixtures/fuzz/, which the regression test below replays.
"""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from ingest.parse import parse_document
from ingest.vocabulary import load_vocabulary
from tests.ingest import fuzz, fuzzing
from tests.ingest.fuzzing import CASES, REGRESSIONS, SAMPLES, Case, run_case, violations

DEFAULT_EXAMPLES = int(os.environ.get("BUDGET_FUZZ_EXAMPLES", "300"))


def test_unmutated_samples_keep_the_property():
    for name in SAMPLES:
        outcome = run_case(Case(name, (), "utf-8", None).data())
        assert (outcome.rejected, outcome.problems) == (False, []), name


@settings(
    max_examples=DEFAULT_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples on every run of make test; make fuzz explores
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(CASES)
def test_mutated_reports_are_rejected_or_read_from_their_cells(case):
    outcome = run_case(case.data())
    assert outcome.problems == [], outcome.problems


@pytest.mark.parametrize("path", sorted(REGRESSIONS.glob("*.bin")), ids=lambda p: p.stem)
def test_saved_fuzz_failures_stay_fixed(path):
    outcome = run_case(path.read_bytes())
    assert outcome.problems == [], outcome.problems


def test_the_property_catches_a_number_not_in_its_cell():
    """The check is not vacuous: a cent added to an amount, or a score taken from another cell, is caught."""
    text = SAMPLES["002_9036fe76fdcdc1b3.txt"]
    document = parse_document(text, load_vocabulary())
    line = document.reports[0].fund_lines[0]
    line.executed_yuan += Decimal("0.01")
    indicator = document.reports[0].indicators[0]
    indicator.score = indicator.weight + 1
    problems = violations(document, text)
    assert len(problems) == 2
    assert "年度资金总额: executed" in problems[0] and "score" in problems[1]


def test_make_fuzz_saves_a_failing_example_as_a_fixture(tmp_path, monkeypatch):
    """A failure (here: any file holding 项目资金, made to fail on purpose) is shrunk and saved for replay."""

    def planted_bug(data):
        if "项目资金".encode() in data:
            raise IndexError("planted")
        return fuzzing.Outcome(True, [])

    monkeypatch.setattr(fuzz, "run_case", planted_bug)
    monkeypatch.setattr(fuzz, "REGRESSIONS", tmp_path)
    examples, saved = fuzz.fuzz(seconds=0.1)
    assert examples >= 1 and len(saved) == 1
    note = (tmp_path / f"{saved[0]}.txt").read_text(encoding="utf-8")
    assert "IndexError: planted" in note
    assert "项目资金".encode() in (tmp_path / f"{saved[0]}.bin").read_bytes()
