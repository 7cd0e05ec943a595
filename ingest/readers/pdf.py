"""PDF files with pdfplumber: tables from their ruling lines, the text around them as paragraphs, by page.

Cell boundaries come from the lines drawn on the page, so they are exact rather than
guessed. Text outside tables is read line by line and the lines a paragraph wrapped into
are joined again (a line that reaches the right edge continues on the next one), so that a
sentence broken by the page width reads as one row. Files that cannot be read are rejected
with the reason: encrypted, corrupt, cut off, or scanned (no text layer).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from ingest.model import WARNING, DocumentRejected, ParseIssue
from ingest.readers import Rows, numbered

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
EOF_MARKER = b"%%EOF"
DEFAULT_EOF_WINDOW = 2048  # %%EOF ends every complete PDF, give or take trailing bytes
DEFAULT_RIGHT_EDGE_TOLERANCE = 0.06  # share of the text width: a line ending this close to the edge wraps on
DEFAULT_INDENT_TOLERANCE = 0.5  # share of a line's height: a line starting further right begins a paragraph
DEFAULT_MAX_LINE_GAP = 0.8  # share of a line's height: a wider gap between lines ends a paragraph
SCANNED_REASON = "no text layer (scanned): needs OCR"
WORD_CHAR_RE = re.compile(r"[A-Za-z]")
DEFAULT_PAGE_MARGIN = 0.08  # share of the page height at its top and bottom where page numbers print
DEFAULT_SAME_EDGE = 2.0  # points: column edges or table sides this close are the same
PAGE_NUMBER_RE = re.compile(r"[-—–\s]*\d{1,4}[-—–\s]*|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+")


@dataclass(frozen=True)
class PdfSettings:
    """The PDF reader's tolerances in one place: pdfplumber's table finder, rejoining wrapped lines."""

    table_settings: dict = field(default_factory=lambda: dict(TABLE_SETTINGS))
    right_edge_tolerance: float = DEFAULT_RIGHT_EDGE_TOLERANCE
    indent_tolerance: float = DEFAULT_INDENT_TOLERANCE
    max_line_gap: float = DEFAULT_MAX_LINE_GAP
    page_margin: float = DEFAULT_PAGE_MARGIN
    same_edge: float = DEFAULT_SAME_EDGE


SETTINGS = PdfSettings()


@dataclass
class _Line:
    text: str
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    left: float = 0.0  # left and right edge of the document's text (its type area)
    right: float = 0.0


def join_wrapped(parts: list[str]) -> str:
    """Lines of one wrapped paragraph or cell as one text: Chinese and numbers join without a space."""
    text = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if text and WORD_CHAR_RE.match(text[-1]) and WORD_CHAR_RE.match(part[0]):
            text += " "
        text += part
    return text


def _inside(obj: dict, boxes: list[tuple]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _continues(prev: _Line, line: _Line, s: PdfSettings) -> bool:
    """Whether ``line`` continues the paragraph ``prev`` wrapped out of."""
    height = max(prev.bottom - prev.top, 1.0)
    reaches_edge = prev.x1 >= prev.right - (prev.right - prev.left) * s.right_edge_tolerance
    indented = line.x0 > line.left + height * s.indent_tolerance
    if not reaches_edge or indented:
        return False
    if line.page == prev.page:
        return line.top - prev.bottom <= height * s.max_line_gap
    return line.page == prev.page + 1


@dataclass
class _Fragment:
    """The part of a table printed on one page: each row's cells with the left edge they start at."""

    page: int
    bbox: tuple[float, float, float, float]
    rows: list[list[tuple[float, str]]]

    def continued_by(self, other: _Fragment, s: PdfSettings) -> bool:
        """A table cut by the page end goes on at the top of the next page, as wide as it was."""
        return (
            other.page == self.page + 1
            and abs(other.bbox[0] - self.bbox[0]) <= s.same_edge
            and abs(other.bbox[2] - self.bbox[2]) <= s.same_edge
        )


def _columns(fragments: list[_Fragment], s: PdfSettings) -> list[float]:
    """The left edges of a table's columns, over all its fragments (merged cells hide some on a page)."""
    edges: list[float] = []
    for x in sorted({x for f in fragments for row in f.rows for x, _ in row}):
        if not edges or x - edges[-1] > s.same_edge:
            edges.append(x)
    return edges


def _table_rows(fragments: list[_Fragment], s: PdfSettings):
    """(cells, page) of every row of a table that may run over several pages, on one grid of columns."""
    edges = _columns(fragments, s)
    for fragment in fragments:
        for row in fragment.rows:
            cells = [""] * len(edges)
            for x, text in row:
                cells[min(range(len(edges)), key=lambda i: abs(edges[i] - x))] = text
            yield cells, fragment.page


def _page_items(page, number: int, s: PdfSettings):
    """(top, table fragment or text line) of what is printed on the page, top to bottom."""
    tables = page.find_tables(s.table_settings)
    boxes = [t.bbox for t in tables]
    items = []
    for table in tables:
        rows = []
        for row, texts in zip(table.rows, table.extract(), strict=True):
            cells = zip(row.cells, texts, strict=True)  # a cell's box, or None where a merged cell covers it
            rows.append([(box[0], join_wrapped((t or "").split("\n"))) for box, t in cells if box])
        items.append((table.bbox[1], _Fragment(number, table.bbox, rows)))
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    lines = [ln for ln in outside.extract_text_lines(strip=True, return_chars=False) if ln["text"]]
    margin = page.height * s.page_margin
    lines = [  # a page number in the top or bottom margin is not part of the text
        ln
        for ln in lines
        if not (PAGE_NUMBER_RE.fullmatch(ln["text"]) and (ln["bottom"] < margin or ln["top"] > page.height - margin))
    ]
    for ln in lines:
        items.append((ln["top"], _Line(ln["text"], number, ln["top"], ln["bottom"], ln["x0"], ln["x1"])))
    items.sort(key=lambda item: item[0])
    return [item for _, item in items]


def _document_rows(items: list, s: PdfSettings):
    """(cells, page) of every row, in reading order: tables on one grid over their pages, paragraphs joined."""
    # The type area, where a line that wraps on ends: over the whole document, tables included
    # (a page may hold one short line, a document only short titles between its tables).
    lines = [item for item in items if isinstance(item, _Line)]
    edges = [(i.x0, i.x1) if isinstance(i, _Line) else (i.bbox[0], i.bbox[2]) for i in items]
    if lines:
        left, right = min(x0 for x0, _ in edges), max(x1 for _, x1 in edges)
        for line in lines:
            line.left, line.right = left, right
    paragraph: list[_Line] = []
    table: list[_Fragment] = []
    for item in items:
        if isinstance(item, _Line) and paragraph and _continues(paragraph[-1], item, s):
            paragraph.append(item)
            continue
        if isinstance(item, _Fragment) and table and table[-1].continued_by(item, s):
            table.append(item)
            continue
        if paragraph:
            yield [join_wrapped([p.text for p in paragraph])], paragraph[0].page
        if table:
            yield from _table_rows(table, s)
        paragraph, table = ([item], []) if isinstance(item, _Line) else ([], [item])
    if paragraph:
        yield [join_wrapped([p.text for p in paragraph])], paragraph[0].page
    if table:
        yield from _table_rows(table, s)


def _open(data: bytes, name: str):
    if EOF_MARKER not in data[-DEFAULT_EOF_WINDOW:]:
        raise DocumentRejected("truncated_pdf", "the PDF is cut off (it does not end with %%EOF)")
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as err:
        cause = err.args[0] if err.args else err
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise DocumentRejected("encrypted_pdf", "the PDF is encrypted (it needs a password to open)") from err
        raise DocumentRejected("corrupt_pdf", f"the PDF is corrupt ({type(cause).__name__}: {cause})") from err


def read(data: bytes, name: str, settings: PdfSettings | None = None) -> Rows:
    s = settings or SETTINGS
    pdf = _open(data, name)
    scanned_pages = []
    items = []
    try:
        with pdf:
            if not pdf.pages:
                raise DocumentRejected("corrupt_pdf", "the PDF has no pages")
            pages_with_text = 0
            for number, page in enumerate(pdf.pages, start=1):
                if page.chars:
                    pages_with_text += 1
                elif page.images:
                    scanned_pages.append(number)
                items.extend(_page_items(page, number, s))
                page.close()
            lines = list(_document_rows(items, s))
    except DocumentRejected:
        raise
    except Exception as err:  # a damaged object or content stream met while reading the pages
        raise DocumentRejected("corrupt_pdf", f"the PDF is corrupt ({type(err).__name__}: {err})") from err
    if not pages_with_text:
        if scanned_pages:
            raise DocumentRejected("scanned_pdf", SCANNED_REASON)
        raise DocumentRejected("empty_pdf", "the PDF holds no text on any page")
    rows = numbered(lines)
    rows.issues = [
        ParseIssue(
            None, WARNING, "page_without_text", f"page {n} has no text layer (scanned?): its content is not read"
        )
        for n in scanned_pages
    ]
    return rows
