"""Word .docx documents with python-docx: paragraphs and tables in body order, merged cells on the grid."""

from __future__ import annotations

import io

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.model import DocumentRejected
from ingest.readers import Rows, numbered
from ingest.text import tidy

VMERGE_CONTINUE = "continue"  # w:vMerge without val="restart": a cell covered by the one above


def _cell_text(tc) -> str:
    """The cell's paragraphs, those of a table nested in it included, as one text."""
    return tidy(" ".join(Paragraph(p, None).text for p in tc.xpath(".//w:p")))


def _table_rows(table: Table):
    """Each w:tr as its grid cells: the text in a merged range's first cell, the covered ones empty."""
    for tr in table._tbl.tr_lst:
        cells = [""] * tr.grid_before
        for tc in tr.tc_lst:
            covered = tc.vMerge == VMERGE_CONTINUE
            cells.append("" if covered else _cell_text(tc))
            cells.extend([""] * (tc.grid_span - 1))
        yield cells


def _items(document):
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = tidy(block.text)
            if text:
                yield [text]
        else:
            yield from _table_rows(block)


def read(data: bytes, name: str) -> Rows:
    try:
        document = docx.Document(io.BytesIO(data))
        items = list(_items(document))
    except Exception as err:  # python-docx raises zip, XML and key errors for damaged packages
        reason = f"the Word document cannot be read ({type(err).__name__}: {err})"
        raise DocumentRejected("corrupt_docx", reason) from err
    return numbered((cells, None) for cells in items)
