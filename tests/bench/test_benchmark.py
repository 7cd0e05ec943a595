"""make bench keeps working: a small run prints each stage against its floor and a perfect round trip."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.build


def test_small_benchmark_runs_and_reports_every_stage(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bench", "run", "--sizes", "300", "--work", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    table = (tmp_path / "results.md").read_text(encoding="utf-8")
    for stage in ("read and parse", "seed load", "dbt build (rest)", "expectations", "publish", "**total**"):
        assert f"| {stage} |" in table
    assert "DuckDB read_csv" in table
    assert "round-trip accuracy 100.0000%" in table
    assert "incremental build with 1% of the files changed" in table
    assert "rebuild with nothing changed" in table
    # three 1% rebuilds in a row, each of other files: the figure reported is their median
    (size,) = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    runs = size["incremental_runs"]
    assert len(runs) == 3
    assert size["incremental"]["seconds"] == sorted(runs)[1]
