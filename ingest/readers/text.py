"""Extracted report text, in any encoding ``ingest.decoding`` accepts, as rows of tab-separated cells."""

from __future__ import annotations

from ingest.decoding import decode
from ingest.readers import Rows
from ingest.text import normalise_newlines, split_rows


def read(data: bytes, name: str) -> Rows:
    decoded = decode(data)
    return Rows(split_rows(normalise_newlines(decoded.text)), encoding=decoded.encoding)
