"""Text as any extractor prints a table, brought to the rows of cells the parsers read.

The five sample reports come as tab-separated text: one table row a line, one
cell between two tabs, empty cells kept.  Other extractors print the same
tables other ways, and each is recognised per document:

* ``|``-separated rows (Markdown and the like): cells between the bars, empty
  ones kept; ``|---|---|`` separator lines are blank rows;
* space-aligned text as ``pdftotext -layout`` prints it: cells are separated by
  two or more spaces and empty cells vanish, so a cell's column is read from
  its position under the last header row (a row of known column headings);
  a number that cannot be put under one column with confidence is left out
  of the row with a parse issue, never put in a neighbouring column;
* one cell a line, each ending in ``|`` (an HTML table turned to text, empty cells
  kept as a bare ``|``): rows are told apart by the cells that begin one, known
  from the template (row labels, fund lines, 一级 / 二级 labels, headings after numbers);
* free text: one line, one cell.

Whatever the layout, cells are cleaned the same way: HTML inline tags and
entities are removed (paragraph tags stay for the goal text), and full-width
digits and letters (and the full-width punctuation of a number) become ASCII.
The common case, tab-separated text with nothing to clean, takes the path it
always took.
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from ingest import layout_wrapped
from ingest.model import WARNING, ParseIssue
from ingest.numbers import parse_measure, parse_number
from ingest.text import Row, split_rows, squash
from ingest.vocabulary import Vocabulary

DEFAULT_MIN_GAP = 2  # spaces between two cells of a space-aligned row
DEFAULT_MIN_TABLE_LINES = 3  # lines of a layout before a document is read as that layout
DEFAULT_MIN_HEADINGS = 2  # known column headings that make a row a header row
DEFAULT_MIN_CELL_LINE_SHARE = 0.8  # share of the lines ending in one | for a document of cell lines
DEFAULT_LABEL_MAX_CHARS = 12  # a fund-line label that begins a row is short; longer text only mentions it
# Cells that begin a row of the template wherever they stand (the texts they start with).
ROW_LABELS = (
    "报表编号",
    "项目名称",
    "主管部门",
    "项目基本情况",
    "预算执行情况",
    "绩效指标",
    "合计",
    "总分",
    "评分等级",
    "评价结论",
    "存在问题",
    "改进措施",
    "项目负责人",
    "财务负责人",
)
# Cells that stand first in their row in every template: where they stand gives the width of a
# table's rows when every row prints all its cells.
FIRST_CELLS = (
    *ROW_LABELS,
    "单位名称",
    "部门（单位）名称",
    "部门(单位)名称",
    "整体支出规模",
    "项目资金",
    "年度总体目标",
    "分解目标",
    "一级指标",
)
TITLE_MARKS = ("自评表", "自评报告")
DEFAULT_MIN_ROW_CELLS = 3  # narrower "rows" are not a grid
DEFAULT_GRID_SHARE = 0.7  # share of the gaps between first cells that the row width must divide
CELL_LINE_RE = re.compile(r"^[^|\n]*\|[ \t]*$", re.MULTILINE)
NUMBER_START = frozenset("0123456789+-=≥≤<>—－/")
PLACEHOLDERS = frozenset({"-", "—", "－", "/"})  # printed for "not applicable" in a number's cell
DEFAULT_ALIGN_TOLERANCE = 1  # display columns a left-aligned cell may start before its heading

PIPE_SEPARATOR_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
PIPE_SPLIT_RE = re.compile(r"(?<!\\)\|")
PIPE_LINE_RE = re.compile(r"^[^\n|]*\|[^\n|]*\|", re.MULTILINE)  # a line with two bars or more
ALIGNED_LINE_RE = re.compile(rf"^[^\n]*?\S {{{DEFAULT_MIN_GAP},}}\S", re.MULTILINE)  # a line with a gap between cells
CELL_RE = re.compile(r"\S+(?: \S+)*")  # text with single spaces inside: a cell of a space-aligned row
# Characters that ask for cleaning: full-width digits, letters and number punctuation, HTML.
INLINE_TAG_RE = re.compile(r"</?(?!(?:p|br|li|ol|ul|div)\b)[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>", re.IGNORECASE)
FULL_WIDTH_RE = re.compile(r"[\uff05\uff0e\uff10-\uff19\uff1d\uff21-\uff3a\uff41-\uff5a\u3000]")
ENTITY_RE = re.compile(r"&#?\w+;")
FULL_WIDTH_ALNUM = {
    **{c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)},
    **{c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)},
    **{c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)},
    0x3000: 0x20,
}
NUMBER_PUNCTUATION_RE = re.compile(r"(?<=\d)[．，](?=\d)|(?<=\d)％|＝(?=\d)")


@dataclass
class TextLayout:
    """A document read from text: its rows, and what could not be placed on the way."""

    rows: list[Row]
    issues: list[ParseIssue] = field(default_factory=list)
    layout: str = "tab"  # tab | pipe | aligned | cell_lines | wrapped | plain


def read_text(text: str, vocab: Vocabulary, first_line_no: int = 1) -> TextLayout:
    """The rows of a text document, whatever extractor printed it (``text`` has \\n newlines).

    ``vocab`` gives the column headings that make a space-aligned row a header row, and the
    labels that begin a row of cell lines.
    """
    if "\t" in text:  # the samples' layout: as fast as it always was
        rows = split_rows(text, first_line_no)
        layout = TextLayout(rows)
    else:
        lines = text.split("\n")
        if TITLE_MARKS[0] in text and layout_wrapped.wrapped(lines, vocab):
            rows, issues = layout_wrapped.wrapped_rows(lines, vocab, first_line_no)
            layout = TextLayout(rows, issues, layout="wrapped")
        elif "|" in text and len(PIPE_LINE_RE.findall(text)) >= DEFAULT_MIN_TABLE_LINES:
            layout = TextLayout(_pipe_rows(lines, first_line_no), layout="pipe")
        elif "  " in text and len(ALIGNED_LINE_RE.findall(text)) >= DEFAULT_MIN_TABLE_LINES:
            layout = _aligned_rows(lines, vocab.headings, first_line_no)
        elif "|" in text and _cell_lines(text):
            layout = TextLayout(_cell_line_rows(lines, vocab, first_line_no), layout="cell_lines")
        else:
            rows = [Row(n, (line.strip(),)) for n, line in enumerate(lines, start=first_line_no)]
            layout = TextLayout(rows, layout="plain")
    if _needs_cleaning(text):
        layout.rows = [_cleaned(row) for row in layout.rows]
    return layout


# --- cleaning ------------------------------------------------------------------


def _needs_cleaning(text: str) -> bool:
    """Full-width digits or letters, HTML entities or inline tags anywhere (cheap tests first)."""
    return bool(
        ("&" in text and ENTITY_RE.search(text))
        or ("<" in text and INLINE_TAG_RE.search(text))
        or FULL_WIDTH_RE.search(text)
    )


def clean_cell(text: str) -> str:
    """A cell without HTML inline tags or entities, full-width digits and letters made ASCII.

    A cell that is a number or a measure once NFKC-normalised ("＝１００．００（％）") is
    normalised whole; in other text only digits, letters and the punctuation between
    digits are, since full-width brackets and commas are how Chinese text is written.
    """
    if "<" in text:
        text = INLINE_TAG_RE.sub("", text)
    if "&" in text:
        text = html.unescape(text).replace("\xa0", " ")
    if text.isascii():
        return text.strip()
    normal = unicodedata.normalize("NFKC", text).strip()
    if _is_number(normal):
        return normal
    text = text.translate(FULL_WIDTH_ALNUM)
    return NUMBER_PUNCTUATION_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text).strip()


def _numeric(text: str) -> bool:
    measure = parse_measure(text)
    return measure is not None and measure.is_quantitative


def _cleaned(row: Row) -> Row:
    cells = tuple(clean_cell(c) if c else c for c in row.cells)
    return row if cells == row.cells else Row(row.line_no, cells, row.page)


# --- | separated rows ------------------------------------------------------------


def _pipe_rows(lines: list[str], first_line_no: int) -> list[Row]:
    rows = []
    for n, line in enumerate(lines, start=first_line_no):
        text = line.strip()
        if text.count("|") < 2 and not (text.startswith("|") and text.endswith("|") and len(text) > 1):
            rows.append(Row(n, (text,)))
        elif PIPE_SEPARATOR_RE.match(text):
            rows.append(Row(n, ("",)))
        else:
            if text.startswith("|"):
                text = text[1:]
            if text.endswith("|") and not text.endswith("\\|"):
                text = text[:-1]
            cells = tuple(c.strip().replace("\\|", "|") for c in PIPE_SPLIT_RE.split(text))
            rows.append(Row(n, cells))
    return rows


# --- one cell a line -------------------------------------------------------------


def _cell_lines(text: str) -> bool:
    filled = sum(1 for line in text.split("\n") if line.strip())
    cells = len(CELL_LINE_RE.findall(text))
    return cells >= DEFAULT_MIN_TABLE_LINES and cells >= DEFAULT_MIN_CELL_LINE_SHARE * filled


def _cell_line_rows(lines: list[str], vocab: Vocabulary, first_line_no: int) -> list[Row]:
    """Rows of cell lines: free-text lines are rows of their own; each run of cells is cut into rows
    of the table's width where every row prints all its cells, else at the cells that begin a row."""
    rows: list[Row] = []
    run: list[tuple[int, str]] = []  # (line number, cell) of the current run of cell lines
    for n, line in enumerate(lines, start=first_line_no):
        stripped = line.strip()
        if stripped.endswith("|"):
            run.append((n, stripped[:-1].strip()))
            continue
        if not stripped:  # a blank line inside a table (a page break) does not end it
            continue
        if run:
            rows.extend(_cut(run, vocab))
            run = []
        rows.append(Row(n, (stripped,)))
    if run:
        rows.extend(_cut(run, vocab))
    return rows


def _first_cell(cell: str) -> bool:
    text = squash(cell)
    return bool(text) and (text.startswith(FIRST_CELLS) or any(m in text for m in TITLE_MARKS))


def _row_width(starts: list[int]) -> int | None:
    """The width that divides most gaps between cells standing first in their rows."""
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    if len(gaps) < 2:
        return None
    for width in range(max(gaps), DEFAULT_MIN_ROW_CELLS - 1, -1):
        if sum(1 for g in gaps if g % width == 0) >= DEFAULT_GRID_SHARE * len(gaps):
            return width
    return None


def _cut(run: list[tuple[int, str]], vocab: Vocabulary) -> list[Row]:
    starts = [k for k, (_, cell) in enumerate(run) if _first_cell(cell)]
    width = _row_width(starts)
    if width is None:
        return _cut_at_labels(run, vocab)
    rows = []
    bounds = [0, *starts, len(run)]
    for a, b in itertools.pairwise(bounds):
        for k in range(a, b, width):  # a gap the width does not divide ends in a shorter row
            cells = run[k : min(k + width, b)]
            if cells:
                rows.append(Row(cells[0][0], tuple(c for _, c in cells)))
    return rows


def _cut_at_labels(run: list[tuple[int, str]], vocab: Vocabulary) -> list[Row]:
    rows: list[Row] = []
    current: list[str] = []
    start = run[0][0]
    closed = False  # the current row is a title: the next cell begins a row
    headings = vocab.headings
    fund_labels = tuple(p for f in vocab.fund_lines for p in f.printed_as)

    def begins(cell: str) -> bool:
        text = squash(cell)
        if not text:
            return False
        if closed or any(m in text for m in TITLE_MARKS) or text.startswith(ROW_LABELS):
            return True
        if len(text) <= DEFAULT_LABEL_MAX_CHARS and any(label in text for label in fund_labels):
            return True
        label = vocab.label(text)
        if label is not None:
            previous = vocab.label(current[-1]) if current else None
            return label.level == 1 or previous is None or previous.level != 1
        return any(text.startswith(h) for h in headings) and any(_is_number(c) for c in current if c)

    for n, cell in run:
        if current and begins(cell):
            rows.append(Row(start, tuple(current)))
            current, closed = [], False
        if not current:
            start = n
        current.append(cell)
        closed = any(m in squash(cell) for m in TITLE_MARKS) and len(current) == 1
    if current:
        rows.append(Row(start, tuple(current)))
    return rows


# --- space-aligned rows ------------------------------------------------------------


def display_width(text: str) -> int:
    """Columns a text takes in a monospaced layout: wide (CJK) characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@dataclass(frozen=True)
class _Span:
    start: int  # display column of the first character
    end: int  # display column after the last character
    text: str


def _spans(line: str) -> list[_Span]:
    spans, column, position = [], 0, 0
    for match in CELL_RE.finditer(line):
        column += display_width(line[position : match.start()])
        width = display_width(match.group(0))
        if " " in match.group(0) and match.group(0)[0] in NUMBER_START:
            spans.extend(_split_numbers(match.group(0), column))
        else:
            spans.append(_Span(column, column + width, match.group(0)))
        column += width
        position = match.end()
    return spans


def _split_numbers(text: str, column: int) -> list[_Span]:
    """Numbers one space apart are cells of their own ("6.00 10.00 100.00", "- 100.00"); a number
    broken at its separators ("275, 112, 698. 88") or followed by its unit ("100. 00 (%)") is one."""
    spans: list[_Span] = []
    start, parts = column, []
    for token in text.split(" "):
        if parts and _whole_number(parts[-1]) and _whole_number(token):
            joined = " ".join(parts)
            spans.append(_Span(start, start + display_width(joined), joined))
            start += display_width(joined) + 1
            parts = []
        parts.append(token)
    joined = " ".join(parts)
    spans.append(_Span(start, start + display_width(joined), joined))
    return spans


def _whole_number(token: str) -> bool:
    return token in PLACEHOLDERS or (token[-1] not in ",.，．" and _is_number(token))


@dataclass(frozen=True)
class _Grid:
    """Columns of a space-aligned table: the cells of its header row.

    Text is read as left-aligned and may run on to the right, so a text cell belongs to the
    last heading that starts at or before it.  A number may be aligned any way, so it belongs
    to the one heading it lies under; under two headings, or under none while reaching the
    next one, its column is not certain.
    """

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    @classmethod
    def from_header(cls, spans: list[_Span]) -> _Grid:
        return cls(tuple(s.start for s in spans), tuple(s.end for s in spans))

    def text_column(self, span: _Span) -> int:
        return max(
            (k for k, start in enumerate(self.starts) if start <= span.start + DEFAULT_ALIGN_TOLERANCE), default=0
        )

    def number_column(self, span: _Span) -> int | None:
        under = [
            k for k, (a, b) in enumerate(zip(self.starts, self.ends, strict=True)) if span.start < b and span.end > a
        ]
        if len(under) == 1:
            return under[0]
        if under:
            return None
        column = self.text_column(span)
        return None if column + 1 < len(self.starts) and span.end > self.starts[column + 1] else column


def _is_header(spans: list[_Span], headings: frozenset[str]) -> bool:
    found = 0
    for span in spans:
        text = squash(span.text)
        if any(text.startswith(h) for h in headings):
            found += 1
            if found >= DEFAULT_MIN_HEADINGS:
                return True
    return False


def _is_number(text: str) -> bool:
    return parse_number(text) is not None or _numeric(text)


def _aligned_rows(lines: list[str], headings: frozenset[str], first_line_no: int) -> TextLayout:
    layout = TextLayout([], layout="aligned")
    grid: _Grid | None = None
    for n, line in enumerate(lines, start=first_line_no):
        spans = _spans(line)
        if not spans or (len(spans) == 1 and grid is None):
            layout.rows.append(Row(n, (spans[0].text if spans else "",)))
        elif len(spans) > 1 and _is_header(spans, headings):
            grid = _Grid.from_header(spans)
            layout.rows.append(Row(n, tuple(s.text for s in spans)))
        elif grid is None:
            layout.rows.append(Row(n, tuple(s.text for s in spans)))
        else:
            layout.rows.append(_place(n, spans, grid, layout.issues))
    return layout


def _place(line_no: int, spans: list[_Span], grid: _Grid, issues: list[ParseIssue]) -> Row:
    """A row's cells put under the header's columns; numbers that fit no single column are left out."""
    cells: dict[int, str] = {}
    numbers: dict[int, bool] = {}
    for span in spans:
        number = _is_number(span.text)
        column = grid.number_column(span) if number else grid.text_column(span)
        if column is None:
            issues.append(_unplaced(line_no, span, "lies under two column headings or none"))
            continue
        if column in cells:
            if number or numbers[column]:
                issues.append(_unplaced(line_no, span, f"shares column {column + 1} with '{cells[column][:20]}'"))
                if numbers[column]:
                    cells[column] = ""
                continue
            cells[column] += " " + span.text
            continue
        cells[column], numbers[column] = span.text, number
    width = max(len(grid.starts), max(cells, default=-1) + 1)
    return Row(line_no, tuple(cells.get(k, "") for k in range(width)))


def _unplaced(line_no: int, span: _Span, reason: str) -> ParseIssue:
    return ParseIssue(
        line_no, WARNING, "cell_unplaced", f"'{span.text[:30]}' {reason}: its column is not certain, left NULL"
    )
