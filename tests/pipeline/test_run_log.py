"""The run log and the published file agree, however a build ended."""

from __future__ import annotations

import duckdb

from pipeline import runlog
from pipeline.build import _keep_published


def test_a_build_killed_after_its_rename_is_remembered_as_published(tmp_path):
    """Killed between publishing and writing its end line: the log says started, the file says published."""
    log, published = tmp_path / "runs.jsonl", tmp_path / "budget.duckdb"
    killed_late = runlog.RunRecord(run_id="r2", started_at=runlog.now())
    killed_early = runlog.RunRecord(run_id="r3", started_at=runlog.now())
    done = runlog.RunRecord(run_id="r1", started_at=runlog.now(), status=runlog.PUBLISHED)
    for record in (done, killed_late, killed_early):
        runlog.append(log, record)
    with duckdb.connect(str(published)) as con:  # what r2 wrote into the file it then renamed into place
        runlog.write_table(
            con, [done, runlog.RunRecord(run_id="r2", started_at=killed_late.started_at, status="published")]
        )
    past = runlog.history(log)
    assert [r.status for r in past] == ["published", "interrupted", "interrupted"]
    _keep_published(past, published)
    assert [(r.run_id, r.status) for r in past] == [("r1", "published"), ("r2", "published"), ("r3", "interrupted")]
