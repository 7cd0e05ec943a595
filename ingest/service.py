"""Reading report files: discovery, hashing, decoding and parsing one file.

A file that cannot be used (empty, binary, cut off, unrecognised, or one that
trips a parser bug) becomes a skipped FileResult with one clear reason; it
never stops the rest of the corpus.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ingest.decoding import decode
from ingest.model import ERROR, DocumentRejected, ParsedDocument, ParseIssue
from ingest.parse import parse_document
from ingest.vocabulary import load_vocabulary

REPORT_SUFFIX = ".txt"


@dataclass
class FileResult:
    source_file: str  # path relative to the reports folder, with / separators
    sha256: str
    size_bytes: int
    mtime: float
    encoding: str | None = None
    document: ParsedDocument | None = None
    issues: list[ParseIssue] = field(default_factory=list)

    @property
    def skipped(self) -> bool:
        return self.document is None

    @property
    def reason(self) -> str | None:
        return next((i.message for i in self.issues if i.severity == ERROR), None)


def discover(root: Path) -> list[str]:
    """Report files under ``root`` (recursively, hidden ones left out), as sorted relative paths."""
    found = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if not name.startswith(".") and name.lower().endswith(REPORT_SUFFIX):
                found.append(Path(directory, name).relative_to(root).as_posix())
    return sorted(found)


def parse_file(root: Path, source_file: str) -> FileResult:
    path = root / source_file
    data = path.read_bytes()
    result = FileResult(source_file, hashlib.sha256(data).hexdigest(), len(data), path.stat().st_mtime)
    try:
        decoded = decode(data)
        result.encoding = decoded.encoding
        result.document = parse_document(decoded.text, load_vocabulary())
        result.issues = list(result.document.issues)
    except DocumentRejected as rejected:
        result.issues = [ParseIssue(rejected.line_no, ERROR, rejected.code, rejected.message)]
    except Exception as exc:  # a parser bug must cost one file, not the build
        result.issues = [ParseIssue(None, ERROR, "parser_failed", f"parser failed: {type(exc).__name__}: {exc}")]
    return result
