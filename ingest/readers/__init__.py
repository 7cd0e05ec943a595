"""Readers of the published formats: bytes and a file name in, the document's rows out.

Every reader has the same shape, ``read(data: bytes, name: str) -> Rows``: the rows of cells
and free-text lines (one-cell rows) of the document in reading order, numbered by a running
``line_no``, with the ``page`` they were printed on where the format has pages. ``Rows`` is a
list of :class:`ingest.text.Row` that also carries what reading found out on the way (the
text encoding, and issues such as a formula without a cached value). A reader raises
``DocumentRejected`` when the file cannot be read at all. The document parsers read only rows,
so a reader of a new format is one small module here plus a line in ``READERS``.

Merged cells are given in the convention of the sample layout: the text sits in the merged
range's first (top-left) cell and the cells it covers are empty. The parsers carry row labels
(一级 / 二级指标) down themselves, and copying a value across into covered columns could put a
number into a column it does not belong to.
"""

from __future__ import annotations

import platform
from functools import cache
from importlib import import_module
from importlib.metadata import version

from ingest import formats
from ingest.model import ParseIssue
from ingest.text import Row

# Format -> (module of ingest.readers, what does the reading: a distribution, or a module of
# Python's own library or of this project; None where the file is recognised but not read).
READERS = {
    formats.PDF: ("pdf", "pdfplumber"),
    formats.HTML: ("html", "html.parser"),
    formats.DOCX: ("docx", "python-docx"),
    formats.XLSX: ("xlsx", "openpyxl"),
    formats.DOC: ("legacy", None),
    formats.XLS: ("xls", "xlrd"),
    formats.TEXT: ("text", "ingest.decoding"),
}
BUILT_IN = {"html.parser", "ingest.decoding"}  # versioned with Python and this project


class Rows(list[Row]):
    """The rows of one document, with what the reader learnt about the file."""

    def __init__(
        self,
        rows=(),
        encoding: str | None = None,
        issues: list[ParseIssue] | None = None,
        layout: str | None = None,
    ):
        super().__init__(rows)
        self.encoding = encoding
        self.issues = issues if issues is not None else []
        self.layout = layout  # how a text file's cells were laid out (ingest.layouts): tab, pipe, aligned …


def numbered(lines, first_line_no: int = 1) -> Rows:
    """Rows from (cells, page) pairs, with a running line_no."""
    return Rows(Row(n, tuple(cells), page) for n, (cells, page) in enumerate(lines, start=first_line_no))


@cache
def reader_name(fmt: str) -> str | None:
    """The library (and version) that reads a format, as recorded in ops.ingest_files."""
    _, library = READERS[fmt]
    if library is None:
        return None
    if library in BUILT_IN:
        return f"{library} (python {platform.python_version()})"
    return f"{library} {version(library)}"


def read(fmt: str, data: bytes, name: str) -> Rows:
    """Read a file of a known format into rows (the dispatch by format)."""
    module, _ = READERS[fmt]
    return import_module(f"ingest.readers.{module}").read(data, name)
