"""Parsing many files in parallel: each worker returns its rows already written as CSV text.

Flattening rows and writing CSV in the workers keeps the parent process (which
only appends the text to the seed files) off the critical path, and sends
plain strings between processes instead of parsed objects.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ingest.rows import TABLES, rows_of
from ingest.seeds import csv_writer
from ingest.service import DEFAULT_MAX_FILE_BYTES, parse_file

DEFAULT_BATCH_FILES = 64  # files a worker parses before handing back its rows


@dataclass(frozen=True)
class FileOutcome:
    source_file: str
    skip_reason: str | None  # None when the file was parsed


@dataclass
class Batch:
    outcomes: list[FileOutcome]
    csv_text: dict[str, str]  # table -> its rows as CSV, without header
    row_counts: dict[str, int]


def parse_batch(root: Path, files: list[str], max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Batch:
    buffers = {table: io.StringIO() for table in TABLES}
    writers = {table: csv_writer(buffers[table]) for table in TABLES}
    counts = dict.fromkeys(TABLES, 0)
    outcomes = []
    for source_file in files:
        result = parse_file(root, source_file, max_bytes)
        outcomes.append(FileOutcome(source_file, result.reason if result.skipped else None))
        for table, rows in rows_of(result).items():
            writers[table].writerows(rows)
            counts[table] += len(rows)
    return Batch(outcomes, {table: buffer.getvalue() for table, buffer in buffers.items()}, counts)


def parse_in_parallel(
    root: Path,
    files: Iterable[str],
    workers: int | None = None,
    initializer: Callable[[], None] | None = None,
    max_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> Iterator[Batch]:
    """Parse ``files`` with one process per core (in this process for a few files), in order.

    ``initializer`` runs in each worker process as it starts.
    """
    files = list(files)
    batches = [files[i : i + DEFAULT_BATCH_FILES] for i in range(0, len(files), DEFAULT_BATCH_FILES)]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(batches) <= 1:
        for batch in batches:
            yield parse_batch(root, batch, max_bytes)
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=initializer) as pool:
        yield from pool.map(parse_batch, [root] * len(batches), batches, [max_bytes] * len(batches))
