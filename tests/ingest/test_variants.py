"""The five samples as other extractors print them reproduce the gold: at least 95% of its
non-null fields each, and not one wrong value (bench/variants.py makes the variants from the
samples' tab-separated text, never from the parser's output)."""

from __future__ import annotations

import pytest

from bench.variants import DEFAULT_WRAP_WIDTHS, VARIANTS, aligned, pipes, score_variant
from tests.conftest import SAMPLE_REPORTS

DEFAULT_MIN_SHARE = 0.95


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_reproduces_the_gold(name):
    result = score_variant(name)
    assert result.wrong == 0, result.examples[: result.wrong]
    assert result.values == 1778  # every non-null gold field of the five samples is compared
    assert result.value_share >= DEFAULT_MIN_SHARE, f"{name}: {result.summary()}"


def test_variants_are_what_they_claim():
    text = (SAMPLE_REPORTS / "002_9036fe76fdcdc1b3.txt").read_text(encoding="utf-8")
    assert "\t" not in pipes(text) and "|---|" in pipes(text)
    spaced = aligned(text)
    assert "\t" not in spaced
    assert "  年度资金总额:" in spaced  # a row that begins with an empty cell begins with spaces
    assert len(DEFAULT_WRAP_WIDTHS) >= 3
