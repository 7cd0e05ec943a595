"""make docs: the dbt docs site of the published warehouse, out of the box."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.build


def test_docs_site_of_the_published_warehouse(sample_build, tmp_path):
    before = hashlib.sha256(sample_build.warehouse.read_bytes()).hexdigest()
    out = tmp_path / "docs"
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "docs", "--warehouse", str(sample_build.warehouse), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "index.html").exists() and (out / "static_index.html").exists()
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert not catalog.get("errors")
    marts = {n["metadata"]["name"] for n in catalog["nodes"].values() if n["metadata"]["schema"] == "marts"}
    expected = {t for (t,) in sample_build.query("select table_name from duckdb_tables() where schema_name = 'marts'")}
    assert marts == expected
    column = catalog["nodes"]["model.budget_warehouse.fct_budget_execution"]["columns"]["initial_budget_yuan"]
    assert column["type"] == "DECIMAL(18,2)" and "年初预算数" in column["comment"]
    assert "source.budget_warehouse.ops.build_runs" in catalog["sources"]
    # the published file is read from a copy: untouched, and no work files left behind
    assert hashlib.sha256(sample_build.warehouse.read_bytes()).hexdigest() == before
    assert not (out / "work").exists()
