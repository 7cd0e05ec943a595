"""Shared fixtures: the gold extractions, and builds of the warehouse through the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE_REPORTS = REPO / "data" / "reports"
FIXTURES = REPO / "tests" / "fixtures"
GOLD_DIR = FIXTURES / "gold"


def load_gold() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD_DIR.glob("*.json"))]


@dataclass
class BuildRun:
    exit_code: int
    stdout: str
    stderr: str
    warehouse: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def summary(self) -> dict:
        """The JSON summary line the build prints last when not on a terminal."""
        return json.loads(self.stdout.strip().splitlines()[-1])


def run_build(reports: Path, warehouse: Path, *args: str) -> BuildRun:
    """Run ``python -m pipeline build`` as a scheduler would (not on a terminal)."""
    command = [
        sys.executable,
        "-m",
        "pipeline",
        "build",
        "--reports",
        str(reports),
        "--warehouse",
        str(warehouse),
        *args,
    ]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900)
    return BuildRun(done.returncode, done.stdout, done.stderr, warehouse)


@pytest.fixture(scope="session")
def gold() -> list[dict]:
    return load_gold()


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> BuildRun:
    """The bundled sample corpus, built once for the whole session."""
    run = run_build(SAMPLE_REPORTS, tmp_path_factory.mktemp("sample") / "budget.duckdb")
    assert run.exit_code == 0, run.stdout + run.stderr
    return run
