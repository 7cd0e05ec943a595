"""Extracted report text, in any encoding ``ingest.decoding`` accepts and in any layout an extractor
prints (tab-separated, ``|`` rows, space-aligned columns, one cell a line: ``ingest.layouts``)."""

from __future__ import annotations

from ingest.decoding import decode
from ingest.layouts import read_text
from ingest.readers import Rows
from ingest.text import normalise_newlines
from ingest.vocabulary import load_vocabulary


def read(data: bytes, name: str) -> Rows:
    decoded = decode(data)
    layout = read_text(normalise_newlines(decoded.text), load_vocabulary())
    return Rows(layout.rows, encoding=decoded.encoding, issues=list(layout.issues), layout=layout.layout)
