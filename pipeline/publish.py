"""Atomic publication of a finished build.

The new database replaces the published one by a single rename.  Readers that
hold the old file open keep reading it (its data stays on disk until they
close); connections opened afterwards see the new one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pipeline.catalog import describe
from pipeline.paths import WarehousePaths, wal_of


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(paths: WarehousePaths) -> list[str]:
    """Move the work database and Data Docs into place; returns notes for the operator."""
    notes = []
    if wal_of(paths.work_database).exists():
        raise RuntimeError("the new database still has a write-ahead log: it was not closed cleanly")
    describe(paths.work_database, paths.dbt_target / "manifest.json")  # comments of seeds and ops.build_runs
    with open(paths.work_database, "rb+") as f:
        os.fsync(f.fileno())
    stale_wal = wal_of(paths.published)
    if stale_wal.exists():
        # left by a writer that crashed on the published file; it must not be replayed onto the new one
        stale_wal.unlink()
        notes.append(f"removed a stale write-ahead log {stale_wal.name} (BI tools must connect read-only)")
    paths.published.parent.mkdir(parents=True, exist_ok=True)
    os.replace(paths.work_database, paths.published)
    _fsync_dir(paths.published.parent)

    if paths.work_docs.exists():
        previous = paths.data_docs.with_name(paths.data_docs.name + ".previous")
        shutil.rmtree(previous, ignore_errors=True)
        if paths.data_docs.exists():
            os.replace(paths.data_docs, previous)
        os.replace(paths.work_docs, paths.data_docs)
        shutil.rmtree(previous, ignore_errors=True)
    return notes
