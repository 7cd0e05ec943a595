"""Reading report files: discovery, hashing, telling the format, reading and parsing one file.

Every file is read by its content, not its name (``ingest.formats``). A file that cannot be
used (empty, binary, encrypted, scanned, cut off, of an unknown kind, not a self-evaluation,
or one that trips a parser bug) becomes a skipped FileResult with one clear reason; it
never stops the rest of the corpus.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ingest import readers
from ingest.formats import UnknownFormat, detect
from ingest.model import ERROR, DocumentRejected, FileResult, ParseIssue
from ingest.parse import parse_rows
from ingest.vocabulary import load_vocabulary

__all__ = ["FileResult", "discover", "parse_file"]


def discover(root: Path) -> list[str]:
    """Every file under ``root`` (recursively, hidden ones left out), as sorted relative paths.

    What a file is, its content decides (``parse_file``), not its name.
    """
    found = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith("."):
                found.append(Path(directory, name).relative_to(root).as_posix())
    return sorted(found)


def parse_file(root: Path, source_file: str) -> FileResult:
    path = root / source_file
    data = path.read_bytes()
    result = FileResult(source_file, hashlib.sha256(data).hexdigest(), len(data), path.stat().st_mtime)
    try:
        fmt = detect(data)
        result.detected_format, result.reader = fmt, readers.reader_name(fmt)
        rows = readers.read(fmt, data, source_file)
        result.encoding = rows.encoding
        result.document = parse_rows(rows, load_vocabulary())
        result.issues = [*rows.issues, *result.document.issues]
    except UnknownFormat as unknown:
        result.issues = [ParseIssue(None, ERROR, "unknown_format", f"not a report: {unknown}")]
    except DocumentRejected as rejected:
        result.issues = [ParseIssue(rejected.line_no, ERROR, rejected.code, rejected.message)]
    except Exception as exc:  # a reader or parser bug must cost one file, not the build
        result.issues = [ParseIssue(None, ERROR, "parser_failed", f"parser failed: {type(exc).__name__}: {exc}")]
    return result
