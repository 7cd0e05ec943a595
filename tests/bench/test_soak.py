"""A small soak in CI: builds killed and finished while readers query; no reader error, no damaged file.

make soak runs the same for as many rounds as asked (figures in the README).
"""

from __future__ import annotations

import pytest

from bench.soak import soak

pytestmark = pytest.mark.build


def test_small_soak_has_no_reader_error_and_no_damaged_file(tmp_path):
    lines = []
    result = soak(rounds=2, work=tmp_path / "soak", readers=2, seed=3, say=lines.append, plan=[True, False])
    assert (result.rounds, result.kills, result.finished) == (2, 1, 1), lines
    assert result.exit_codes.get(0, 0) + result.exit_codes.get(3, 0) == 1, result.exit_codes
    assert result.reader_queries > 50
    assert (result.reader_errors, result.reader_error_examples) == (0, [])
    assert result.damaged == []
    assert result.published_checked == 2
