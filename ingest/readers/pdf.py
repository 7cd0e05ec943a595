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
from dataclasses import dataclass

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


@dataclass
class _Line:
    text: str
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    left: float  # left and right edge of the page's text
    right: float


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


def _continues(prev: _Line, line: _Line) -> bool:
    """Whether ``line`` continues the paragraph ``prev`` wrapped out of."""
    height = max(prev.bottom - prev.top, 1.0)
    reaches_edge = prev.x1 >= prev.right - (prev.right - prev.left) * DEFAULT_RIGHT_EDGE_TOLERANCE
    indented = line.x0 > line.left + height * DEFAULT_INDENT_TOLERANCE
    if not reaches_edge or indented:
        return False
    if line.page == prev.page:
        return line.top - prev.bottom <= height * DEFAULT_MAX_LINE_GAP
    return line.page == prev.page + 1


def _page_items(page, number: int):
    """(top, kind, payload) of the page's table rows and text lines."""
    tables = page.find_tables(TABLE_SETTINGS)
    boxes = [t.bbox for t in tables]
    items = []
    for table in tables:
        for row, cells in zip(table.rows, table.extract(), strict=True):
            texts = [join_wrapped(c.split("\n")) if c else "" for c in cells]
            items.append((row.bbox[1], "row", texts))
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    lines = outside.extract_text_lines(strip=True, return_chars=False)
    if lines:
        left, right = min(ln["x0"] for ln in lines), max(ln["x1"] for ln in lines)
        for ln in lines:
            line = _Line(ln["text"], number, ln["top"], ln["bottom"], ln["x0"], ln["x1"], left, right)
            items.append((ln["top"], "line", line))
    items.sort(key=lambda item: item[0])
    return items


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


def read(data: bytes, name: str) -> Rows:
    pdf = _open(data, name)
    issues = []
    lines: list[tuple[list[str], int]] = []
    try:
        with pdf:
            pages = pdf.pages
            if not pages:
                raise DocumentRejected("corrupt_pdf", "the PDF has no pages")
            pages_with_text, images = 0, 0
            paragraph: list[_Line] = []
            for number, page in enumerate(pages, start=1):
                if page.chars:
                    pages_with_text += 1
                elif page.images:
                    images += 1
                    issues.append((number, f"page {number} has no text layer (scanned?): its content is not read"))
                for _, kind, payload in _page_items(page, number):
                    if kind == "line" and paragraph and _continues(paragraph[-1], payload):
                        paragraph.append(payload)
                        continue
                    if paragraph:
                        lines.append(([join_wrapped([p.text for p in paragraph])], paragraph[0].page))
                        paragraph = []
                    if kind == "line":
                        paragraph = [payload]
                    else:
                        lines.append((payload, number))
                page.close()
            if paragraph:
                lines.append(([join_wrapped([p.text for p in paragraph])], paragraph[0].page))
    except DocumentRejected:
        raise
    except Exception as err:  # a damaged object or content stream met while reading the pages
        raise DocumentRejected("corrupt_pdf", f"the PDF is corrupt ({type(err).__name__}: {err})") from err
    if not pages_with_text:
        if images:
            raise DocumentRejected("scanned_pdf", SCANNED_REASON)
        raise DocumentRejected("empty_pdf", "the PDF holds no text on any page")
    rows = numbered(lines)
    first_row_of_page = {}
    for row in rows:
        first_row_of_page.setdefault(row.page, row.line_no)
    rows.issues = [
        ParseIssue(first_row_of_page.get(page), WARNING, "page_without_text", message) for page, message in issues
    ]
    return rows
