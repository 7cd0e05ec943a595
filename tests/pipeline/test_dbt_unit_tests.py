"""dbt's unit tests (unit_tests: in models/**.yml) and the tests of the committed reference seeds,
which builds leave out, run against a copy of the sample warehouse."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, SAMPLE_REPORTS

pytestmark = pytest.mark.build


def declared_unit_tests() -> int:
    files = (REPO / "models").rglob("*.yml")
    return sum(len(yaml.safe_load(f.read_text(encoding="utf-8")).get("unit_tests", [])) for f in files)


def declared_reference_tests() -> int:
    seeds = yaml.safe_load((REPO / "seeds" / "reference" / "_reference__seeds.yml").read_text(encoding="utf-8"))
    columns = sum(len(column.get("data_tests", [])) for seed in seeds["seeds"] for column in seed.get("columns", []))
    return columns + sum(len(seed.get("data_tests", [])) for seed in seeds["seeds"])


def test_dbt_unit_tests_pass(sample_build, tmp_path):
    warehouse = tmp_path / "unit.duckdb"
    shutil.copy(sample_build.warehouse, warehouse)  # unit tests read column types from the built models
    seeds = tmp_path / "seeds"
    subprocess.run(
        [sys.executable, "-m", "pipeline", "seeds", str(seeds), "--reports", str(SAMPLE_REPORTS)], check=True
    )
    env = {
        **os.environ,
        "WAREHOUSE_PATH": str(warehouse),
        "BUDGET_PARSED_SEEDS": str(seeds),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    dbt = str(Path(sys.executable).with_name("dbt"))
    done = subprocess.run(
        [
            dbt,
            "test",
            "--select",
            "test_type:unit",
            "tag:reference",
            "--profiles-dir",
            ".",
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert f"PASS={declared_unit_tests() + declared_reference_tests()} " in done.stdout
