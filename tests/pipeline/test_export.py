"""Open exports: every mart and ops table as Parquet or CSV, a manifest, and an atomic swap."""

from __future__ import annotations

import csv
import io
import json
import threading

import duckdb
import pytest

from pipeline import export as export_module
from pipeline.export import BOM, ExportError, export
from tests.conftest import SAMPLE_REPORTS, run_build

pytestmark = pytest.mark.build


def _tables(build) -> list[str]:
    return [
        t
        for (t,) in build.query(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "where schema_name in ('marts', 'ops') order by 1"
        )
    ]


def test_parquet_export_holds_every_table_with_its_rows_and_descriptions(sample_build, tmp_path):
    out = tmp_path / "export"
    result = export(sample_build.warehouse, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [t["table"] for t in manifest["tables"]] == _tables(sample_build)
    assert manifest["build_run_id"] == sample_build.summary()["run_id"]
    assert result.tables == len(manifest["tables"])
    by_name = {t["table"]: t for t in manifest["tables"]}
    with duckdb.connect() as con:
        for name, entry in by_name.items():
            assert entry["rows"] == sample_build.query(f"select count(*) from {name}")[0][0], name
            if entry["partitioned_by"]:
                data = con.execute(
                    f"select * from read_parquet('{out / entry['path']}/**/*.parquet', hive_partitioning = true)"
                )
            else:
                data = con.execute(f"select * from read_parquet('{out / entry['path']}')")
            assert len(data.fetchall()) == entry["rows"], name
        # facts by year, the amounts exactly as in the warehouse
        assert by_name["marts.fct_budget_execution"]["partitioned_by"] == ["fiscal_year"]
        assert sorted(p.name for p in (out / "marts" / "fct_budget_execution").iterdir()) == [
            f"fiscal_year={y}"
            for (y,) in sample_build.query("select distinct fiscal_year from marts.fct_budget_execution order by 1")
        ]
        exported = con.execute(
            f"select report_id, fund_line, executed_yuan from read_parquet("
            f"'{out}/marts/fct_budget_execution/**/*.parquet', hive_partitioning = true) order by all"
        ).fetchall()
    assert exported == sample_build.query(
        "select report_id, fund_line, executed_yuan from marts.fct_budget_execution order by all"
    )
    columns = {c["name"]: c for c in by_name["marts.fct_budget_execution"]["columns"]}
    assert "年初预算数" in columns["initial_budget_yuan"]["description"]
    assert columns["initial_budget_yuan"]["type"].startswith("DECIMAL(18,2)")
    assert by_name["marts.dim_report"]["description"].startswith("### Description")


def test_csv_export_is_utf8_with_a_byte_order_mark_so_excel_shows_the_chinese(sample_build, tmp_path):
    out = tmp_path / "csv"
    export(sample_build.warehouse, out, "csv")
    raw = (out / "marts" / "dim_report.csv").read_bytes()
    assert raw.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    expected = sample_build.query("select report_id, unit_name, town from marts.dim_report order by report_id")
    assert sorted((r["report_id"], r["unit_name"], r["town"]) for r in rows) == expected
    assert any("镇" in r["town"] for r in rows)
    assert not list(out.rglob("*.part"))


def test_a_reader_never_sees_a_half_written_export(sample_build, tmp_path):
    out = tmp_path / "export"
    export(sample_build.warehouse, out)
    seen, stop = [], threading.Event()

    def read_while_exporting():
        while not stop.is_set():
            try:
                manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
            except FileNotFoundError:
                seen.append("no manifest")
                continue
            missing = [t["path"] for t in manifest["tables"] if not (out / t["path"]).exists()]
            seen.append(missing)

    reader = threading.Thread(target=read_while_exporting)
    reader.start()
    try:
        for _ in range(3):
            export(sample_build.warehouse, out)
    finally:
        stop.set()
        reader.join()
    assert seen and all(entry == [] for entry in seen)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]  # no temporary folder left


def test_a_failed_export_leaves_the_previous_one_in_place(sample_build, tmp_path, monkeypatch):
    out = tmp_path / "export"
    export(sample_build.warehouse, out)
    before = (out / "manifest.json").read_text(encoding="utf-8")
    calls = []
    real = export_module._write_table

    def fail_on_the_third(*args, **kwargs):
        calls.append(args[1])
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(export_module, "_write_table", fail_on_the_third)
    with pytest.raises(ExportError, match="No space left on device"):
        export(sample_build.warehouse, out)
    assert (out / "manifest.json").read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]


def test_a_folder_that_is_not_an_export_is_never_replaced(sample_build, tmp_path):
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="is not an export"):
        export(sample_build.warehouse, precious)
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_a_missing_warehouse_is_one_clear_error(tmp_path):
    with pytest.raises(ExportError, match="no warehouse at"):
        export(tmp_path / "absent.duckdb", tmp_path / "out")


def test_build_with_export_writes_it_after_publishing(tmp_path):
    warehouse, out = tmp_path / "budget.duckdb", tmp_path / "exports" / "latest"
    run = run_build(SAMPLE_REPORTS, warehouse, "--export", str(out), "--export-format", "csv")
    assert run.exit_code == 0, run.stdout + run.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "csv"
    assert manifest["build_run_id"] == run.summary()["run_id"]
    assert run.summary()["stage_seconds"]["export"] >= 0


def test_an_export_killed_before_its_swap_leaves_nothing_behind_the_next_one(sample_build, tmp_path):
    abandoned = tmp_path / ".export.writing-999999999"  # no such process
    (abandoned / "marts").mkdir(parents=True)
    export(sample_build.warehouse, tmp_path / "export")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]
