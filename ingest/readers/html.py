"""HTML pages: tables (rowspan / colspan expanded on a grid) and the text around them, with Python's html.parser."""

from __future__ import annotations

from html.parser import HTMLParser

from ingest.decoding import decode
from ingest.readers import Rows, numbered
from ingest.readers.grid import Cell, lay_out, span
from ingest.text import tidy

BLOCK_TAGS = frozenset(
    {"p", "div", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd"}
    | {"section", "article", "header", "footer", "caption", "blockquote", "pre"}
)
SKIPPED_TAGS = frozenset({"script", "style", "head", "template", "noscript"})


class _Page(HTMLParser):
    """Collects free-text lines and top-level tables in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[list[str]] = []  # rows of cells, in order
        self._line: list[str] = []
        self._skip = 0
        self._depth = 0  # table nesting: only the outermost table is laid out; inner tables are cell text
        self._rows: list[list[Cell]] = []
        self._cell: list[str] | None = None
        self._cell_spans = (1, 1)

    # text outside tables
    def _flush_line(self) -> None:
        text = tidy("".join(self._line))
        if text:
            self.items.append([text])
        self._line = []

    def _flush_cell(self) -> None:
        if self._cell is not None and self._rows:
            rowspan, colspan = self._cell_spans
            self._rows[-1].append(Cell(tidy("".join(self._cell)), rowspan, colspan))
        self._cell = None

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED_TAGS:
            self._skip += 1
            return
        if tag == "table":
            if self._depth == 0:
                self._flush_line()
                self._rows = []
            self._depth += 1
        elif self._depth == 1 and tag == "tr":
            self._flush_cell()
            self._rows.append([])
        elif self._depth == 1 and tag in ("td", "th"):
            self._flush_cell()
            if not self._rows:
                self._rows.append([])
            values = dict(attrs)
            self._cell = []
            self._cell_spans = (span(values.get("rowspan")), span(values.get("colspan")))
        elif tag in BLOCK_TAGS or (self._depth > 1 and tag in ("tr", "td", "th")):
            self._break()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr"):
            self.handle_endtag(tag)

    def _break(self) -> None:
        if self._depth == 0:
            self._flush_line()
        elif self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS:
            self._skip = max(self._skip - 1, 0)
            return
        if tag == "table" and self._depth:
            self._depth -= 1
            if self._depth == 0:
                self._flush_cell()
                self.items.extend(lay_out(self._rows))
                self._rows = []
        elif self._depth == 1 and tag in ("td", "th", "tr"):
            self._flush_cell()
        elif tag in BLOCK_TAGS:
            self._break()

    def handle_data(self, data):
        if self._skip:
            return
        if self._depth and self._cell is not None:
            self._cell.append(data)
        elif not self._depth:
            self._line.append(data)

    def close(self):
        super().close()
        if self._depth:  # a table never closed: keep what was read
            self._flush_cell()
            self.items.extend(lay_out(self._rows))
        self._flush_line()


def read(data: bytes, name: str) -> Rows:
    decoded = decode(data)
    page = _Page()
    page.feed(decoded.text)
    page.close()
    rows = numbered((cells, None) for cells in page.items)
    rows.encoding = decoded.encoding
    return rows
