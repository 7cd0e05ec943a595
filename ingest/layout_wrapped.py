"""Tables as PDF text extractors print them: cells one space apart, cells wrapped over lines.

``pdftotext -layout`` and pdfplumber's text output of a self-evaluation table print each table
row on one line only where every cell of the row fits on one line.  A cell too long for its
column is wrapped over several lines, centred around the line that holds the row's one-line
cells (its numbers); a label merged over several rows stands on a line in the middle of them;
and pdfplumber puts one space between cells, as between the words of a cell.  Column positions
cannot be trusted either: they shift with every wrapped line.

What a row means is read from the template instead:

* the budget table's header row is the line of its column headings (全年预算数 …); each budget
  row is a fund-line label followed by exactly as many numbers (or placeholders) as there are
  columns, assigned left to right; the table's merged label (整体支出规模（元）) is put together
  from the fragments around those rows, since it carries the amount unit;
* the indicator table's header row is the line of its headings; each indicator row is the line
  holding its 分值 and 得分 (the rightmost pair of numbers, followed only by text: the note);
  left of them stand the target and the actual value, and left of those the name, preceded by
  the 二级 label where one is printed; the cells are assigned right to left only where the
  number of cells leaves no doubt, else the row's uncertain cells are left NULL with an issue;
  one text beside the actual value is the target where the row's wrapped lines fill the name
  column (as wide as the names other rows of the table wrap at), else name or target is not known;
* lines between indicator rows are wrapped fragments; they are not guessed into a row;
* each 二级 label stands for a block of rows, the blocks in the order of the labels and together
  every row: a label is centred on its block, or heads it from its own row's line.  A row gets
  the label it falls under in every cut of the rows into such blocks that fits (a 二级 framework
  name gives its 一级); a row that two cuts give different labels is left NULL.

The result is rows in the grid of the tab-separated samples, read by the same parsers.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field

from ingest.dept_table import UNIT_LABELS
from ingest.model import INFO, WARNING, ParseIssue
from ingest.numbers import COMPARATORS, QUALITATIVE_ACHIEVED, is_placeholder, parse_measure, parse_number
from ingest.text import Row, squash
from ingest.vocabulary import Vocabulary

TITLE_MARK = "自评表"
BUDGET_MARKS = ("整体支出规模", "项目资金")  # the budget table's merged label, which prints its unit
GOALS_MARK = "年度总体目标"
OTHER_HEAD_CELLS = ("下属单位个数", "主管部门", "实施单位", "项目名称")  # head cells beside the unit's name
DEFAULT_MIN_BUDGET_HEADINGS = 2  # budget headings on a line that make it the budget table's header
DEFAULT_MIN_INDICATOR_HEADINGS = 4  # indicator headings on a line that make it the indicator header
UNIT_FRAGMENT_RE = re.compile(r"^[(（]?\s*[万亿]?元?\s*[)）]?$")  # "(万" "元)" "（元）": the label's unit, wrapped
GLUED_RE = re.compile(r"^(-?[\d,]*\d\.\d+|[-—－/])(?=[\u4e00-\u9fff])")  # "10.00社会": a number run into text
TOTAL_LABELS = ("总分", "合计", "总计")
GRADE_LABEL = "评分等级"
NOTE_FIELD = "note"
LABEL_SUFFIX = "指标"
DEFAULT_MAX_LABEL_GAP = 2  # lines between the two parts of a label wrapped in its merged cell
DEFAULT_MAX_JOINED = 5  # tokens of one heading or label printed with spaces ("可持 续影 响指 标")
PAGE_BREAK = "\f"  # both extractors end a page with a form feed
UNKNOWN_LABEL = "—"  # a 二级 cell that cannot be told: read as no label (NULL), not carried from above
PAGE_GAP = 1000  # positions between two pages, so that no label is centred across a page break
LABEL_TOLERANCE = 0.25  # lines a merged label may stand off the middle of its rows
DEFAULT_NEAR_LINES = 1  # lines a label may stand off a one-row cell (the extractor's line grouping)
DEFAULT_MIN_WIDTH_ROWS = 2  # wrapped name lines that must agree before the name column's width is known


def wrapped(lines: list[str], vocab: Vocabulary) -> bool:
    """Whether a document prints its budget header without the table's label, as PDF text does.

    The samples' layouts put 整体支出规模 / 项目资金 on the header line of the budget table; a
    PDF extractor prints that merged label on a line of its own, among the budget rows.
    """
    for line in lines:
        tokens = _tokens(line)
        if sum(1 for t in tokens if vocab.fields_named("budget", squash(t))) >= DEFAULT_MIN_BUDGET_HEADINGS:
            return not any(mark in squash(line) for mark in BUDGET_MARKS)
    return False


def _tokens(line: str) -> list[str]:
    """The words of a line: a number run into the text after it ("10.00社会") split off, a number
    broken at its separator ("7. 50") or followed by its unit ("100.00 (%)") joined."""
    tokens: list[str] = []
    for token in line.replace("\f", " ").split():
        match = GLUED_RE.match(token)
        if match and (parse_number(match.group(1)) or is_placeholder(match.group(1))):
            parts = [match.group(1), token[match.end() :]]
        else:
            parts = [token]
        for part in parts:
            if tokens and _continues_number(tokens[-1], part):
                tokens[-1] += " " + part  # as printed: the parsers read "7. 50" and "100.00 (%)"
            else:
                tokens.append(part)
    return tokens


def _continues_number(previous: str, token: str) -> bool:
    if previous[-1] in ".,，．" and token[0].isdigit() and previous[-2:-1].isdigit():
        return True
    return token[0] in "(（" and previous[-1].isdigit() and parse_measure(previous + token) is not None


def _value(token: str) -> bool:
    return parse_number(token) is not None or is_placeholder(token)


@dataclass
class _Reader:
    """The state of reading one document: which part of a table the current line is in."""

    vocab: Vocabulary
    rows: list[Row] = field(default_factory=list)
    issues: list[ParseIssue] = field(default_factory=list)
    part: str = "head"  # head | budget | goals | indicators
    budget_columns: list[str] = field(default_factory=list)
    budget_header_at: int = 0  # index in rows of the budget header row, filled in when the table ends
    budget_header_line: int = 0
    mark_fragments: list[str] = field(default_factory=list)
    last_fragment: list[str] = field(default_factory=list)  # the budget line before, if only text
    values_pending: tuple[int, list[str], list[str]] | None = None  # values whose label continues below
    indicator_fields: list[str] = field(default_factory=list)  # field of each header cell
    previous_tokens: list[str] = field(default_factory=list)  # of the last line that has any
    heading_tail: bool = False  # the indicator header's last heading may end on the next line
    table_lines: list[tuple[int, list[str] | None]] = field(default_factory=list)  # None: page break
    head_lines: int = 0  # lines of the head read so far (blank ones aside)
    unit_label_start: tuple[int, str] | None = None  # (head line, text) of a unit label wrapped in its cell
    unit_row: int | None = None  # index in rows of the unit's name, which may wrap onto one more line
    unit_tail: int | None = None  # index in rows of that line

    def warn(self, line_no: int, code: str, message: str) -> None:
        self.issues.append(ParseIssue(line_no, WARNING, code, message))

    def info(self, line_no: int, code: str, message: str) -> None:
        self.issues.append(ParseIssue(line_no, INFO, code, message))

    # --- per line ---------------------------------------------------------------

    def read(self, line_no: int, line: str) -> None:
        if PAGE_BREAK in line:
            first, *pages = line.split(PAGE_BREAK)
            self.read(line_no, first)
            for page in pages:
                if self.part == "indicators":
                    self.table_lines.append((line_no, None))
                self.read(line_no, page)
            return
        tokens = _tokens(line)
        if not tokens:
            self.rows.append(Row(line_no, ("",)))
            return
        self._read_tokens(line_no, line, tokens)
        self.previous_tokens = tokens

    def _read_tokens(self, line_no: int, line: str, tokens: list[str]) -> None:
        if len(tokens) == 1 and TITLE_MARK in tokens[0]:
            self._end_budget()
            self._end_indicators()
            self.unit_row = self.unit_tail = self.unit_label_start = None
            self.part = "head"
            self.rows.append(Row(line_no, (line.strip(),)))
            return
        if self.part in ("budget", "goals", "head") and self._indicator_header(line_no, tokens):
            return
        if self.part == "head":
            if self._budget_header(line_no, tokens):
                return
            self._head_line(line_no, tokens)
        elif self.part == "budget":
            self._budget_line(line_no, tokens)
        elif self.part == "indicators":
            self._indicator_line(line_no, tokens)
        # goals: the goal and the result text are interleaved line by line; not read

    # --- head ---------------------------------------------------------------------

    def _head_line(self, line_no: int, tokens: list[str]) -> None:
        """A row of the head.  The unit's label and name may wrap inside their cells: "部门（单位）"
        on a line before "名称 <name>" (another head cell may print between them), and the end of
        the name alone on the line after it, the last before the budget table's header.  A line
        there that begins with other text leaves the name's end unknown: NULL."""
        self.head_lines += 1
        text = squash(tokens[0])
        if self.unit_row is not None and self.unit_tail is None and not _head_cell(text):
            if len(tokens) == 1 and not _value(text):
                self.unit_tail = len(self.rows)
                self.rows.append(Row(line_no, tuple(tokens)))
                return
            self._unit_name_uncertain(line_no)
        elif self.unit_tail is not None:
            self._unit_name_uncertain(line_no)  # more text after what would be the name's end
        self.unit_row = None  # else a head cell follows: the name ended on its line
        start = self.unit_label_start
        if start and self.head_lines - start[0] <= DEFAULT_MAX_LABEL_GAP and start[1] + text in UNIT_LABELS:
            tokens = [start[1] + text, *tokens[1:]]
            self.unit_label_start = None
            self.info(line_no, "label_wrapped", f"unit label wrapped in its cell: {tokens[0]}")
        elif len(tokens) == 1 and any(label.startswith(text) and label != text for label in UNIT_LABELS):
            self.unit_label_start = (self.head_lines, text)
        if squash(tokens[0]) in UNIT_LABELS and len(tokens) == 2:
            self.unit_row = len(self.rows)  # its name may wrap onto the next line
        self.rows.append(Row(line_no, tuple(tokens)))

    def _unit_name_uncertain(self, line_no: int) -> None:
        """More head text after a wrapped unit label's row: whether the name ends there is not known."""
        row = self.rows[self.unit_row]
        self.rows[self.unit_row] = Row(row.line_no, row.cells[:1])
        if self.unit_tail is not None:
            self.rows[self.unit_tail] = Row(self.rows[self.unit_tail].line_no, ("",))
        self.warn(row.line_no, "unit_name_wrapped", f"unit name may go on beside line {line_no}: left NULL")
        self.unit_row = self.unit_tail = None

    def _end_head(self) -> None:
        """The head ends at the budget table's header: a unit name's wrapped end joins the name."""
        if self.unit_row is not None and self.unit_tail is not None:
            line_no, (label, name) = self.rows[self.unit_row].line_no, self.rows[self.unit_row].cells
            tail = self.rows[self.unit_tail]
            self.rows[self.unit_row] = Row(line_no, (label, name + tail.cells[0]))
            self.rows[self.unit_tail] = Row(tail.line_no, ("",))
            self.info(tail.line_no, "unit_name_joined", f"unit name wrapped in its cell: {name + tail.cells[0]}")
        self.unit_row = self.unit_tail = self.unit_label_start = None
        self.head_lines = 0

    # --- budget table -------------------------------------------------------------

    def _budget_header(self, line_no: int, tokens: list[str]) -> bool:
        named = [t for t in tokens if self.vocab.fields_named("budget", squash(t))]
        if len(named) < DEFAULT_MIN_BUDGET_HEADINGS or len(named) != len(tokens):
            return False
        self._end_head()
        self.part, self.budget_columns, self.mark_fragments = "budget", named, []
        self.budget_header_at, self.budget_header_line = len(self.rows), line_no
        self.rows.append(Row(line_no, ("",)))  # replaced by the header once its label is complete
        return True

    def _budget_line(self, line_no: int, tokens: list[str]) -> None:
        if self._goals_start(tokens):
            self._end_budget()
            self.part = "goals"
            self.rows.append(Row(line_no, (GOALS_MARK,)))
            self.info(line_no, "goals_interleaved", "goal and result text interleaved by the extractor: left NULL")
            return
        width = len(self.budget_columns)
        trailing = 0
        while trailing < len(tokens) and _value(tokens[-1 - trailing]):
            trailing += 1
        if self._wrapped_label(line_no, tokens, trailing, width):
            return
        label_tokens = tokens[: len(tokens) - min(trailing, width)]
        mark, label_tokens = _split_mark(label_tokens)
        label = "".join(label_tokens)
        if not label or not any(needle in label for needle in _fund_labels(self.vocab)):
            self.mark_fragments.extend(tokens)
            self.last_fragment = tokens if not trailing else []
            if trailing:
                self.warn(line_no, "budget_row_unknown", f"budget values without a fund line: {' '.join(tokens)[:40]}")
            return
        self.mark_fragments.extend(mark)
        if trailing < width:
            self.warn(
                line_no,
                "fund_row_unaligned",
                f"{trailing} values for {width} columns in '{label}': their columns are not certain, left NULL",
            )
            self.rows.append(Row(line_no, ("", label)))
            return
        self.rows.append(Row(line_no, ("", label, *tokens[-width:])))

    def _wrapped_label(self, line_no: int, tokens: list[str], trailing: int, width: int) -> bool:
        """A row whose label is wrapped around its values: "资金来源：（1）" / values / "财政拨款"."""
        if trailing == len(tokens) == width and self.last_fragment:
            above = self.last_fragment
            del self.mark_fragments[len(self.mark_fragments) - len(above) :]
            self.values_pending, self.last_fragment = (line_no, tokens, above), []
            return True
        pending, self.values_pending = self.values_pending, None
        if pending is None:
            return False
        values_line, values, above = pending
        label = "".join(above + tokens)
        if trailing == 0 and any(needle in label for needle in _fund_labels(self.vocab)):
            self.info(line_no, "label_wrapped", f"budget row label wrapped around its values: {label}")
            self.rows.append(Row(values_line, ("", label, *values)))
            return True
        self.mark_fragments.extend(above)
        self.warn(values_line, "budget_row_unknown", f"budget values without a fund line: {' '.join(values)[:40]}")
        return False

    def _goals_start(self, tokens: list[str]) -> bool:
        text = squash("".join(tokens))
        return GOALS_MARK in text or bool(self.vocab.fields_named("goals", text))

    def _end_budget(self) -> None:
        if self.part != "budget":
            return
        label = "".join(self.mark_fragments)
        self.rows[self.budget_header_at] = Row(self.budget_header_line, (label, "", *self.budget_columns))

    # --- indicator table ------------------------------------------------------------

    def _indicator_header(self, line_no: int, tokens: list[str]) -> bool:
        cells = _join_headings(tokens, self.vocab)
        named = [self.vocab.fields_named("indicator", squash(c)) for c in cells]
        if sum(1 for n in named if n) < DEFAULT_MIN_INDICATOR_HEADINGS:
            return False
        self._end_budget()
        header = [c for c, n in zip(cells, named, strict=True) if n]
        fields = [n[0] for n in named if n]
        if "level1_weight" not in fields and fields.count("weight") == 2:
            fields[fields.index("weight")] = "level1_weight"  # 权重 left of 分值: the 一级 weight
        if NOTE_FIELD not in fields:
            header.append("偏差")
            fields.append(NOTE_FIELD)
        self.part, self.indicator_fields = "indicators", fields
        previous = self.previous_tokens
        self.heading_tail = len(previous) == 1 and bool(self.vocab.fields_named("indicator", squash(previous[0])))
        self.rows.append(Row(line_no, tuple(header)))
        last = max(k for k, n in enumerate(named) if n)
        rest = cells[last + 1 :]
        if _score_pair(rest) is not None:  # pdfplumber ran the first row into the header line
            self.warn(line_no, "row_unplaced", "indicator row printed on the header line: its name left NULL")
            self._indicator_line(line_no, rest)
        return True

    def _indicator_line(self, line_no: int, tokens: list[str]) -> None:
        if self.heading_tail and not self.table_lines and len(tokens) == 1 and not _score_pair(tokens):
            self.heading_tail = False  # "偏差原因分析及改进" / header / "措施": the heading's end
            return
        self.heading_tail = False
        if tokens[0] == GRADE_LABEL or tokens[0] in TOTAL_LABELS or _total(tokens):
            self._end_indicators()
            self._closing_row(line_no, tokens)
            return
        self.table_lines.append((line_no, tokens))

    def _end_indicators(self) -> None:
        if self.table_lines:
            self.rows.extend(_IndicatorBlock(self, self.table_lines).rows())
            self.table_lines = []

    def _closing_row(self, line_no: int, tokens: list[str]) -> None:
        if tokens[0] == GRADE_LABEL:
            self.rows.append(Row(line_no, tuple(tokens)))
            self.part = "head"
            return
        cells = {"level1": tokens[0] if not parse_number(tokens[0]) else ""}
        numbers = [t for t in tokens if parse_number(t)]
        if len(numbers) == 2:
            cells["weight"], cells["score"] = numbers
        self.rows.append(self.grid(line_no, cells))

    def grid(self, line_no: int, cells: dict[str, str]) -> Row:
        return Row(line_no, tuple(cells.get(f, "") for f in self.indicator_fields))


def _head_cell(text: str) -> bool:
    """A cell of the head other than the unit's name: not the end of a name wrapped before it."""
    return any(cell in text for cell in (*UNIT_LABELS, *OTHER_HEAD_CELLS))


def _total(tokens: list[str]) -> bool:
    """The total row printed without its label: two numbers alone."""
    return len(tokens) == 2 and all(parse_number(t) for t in tokens)


@dataclass
class _TableRow:
    """One indicator row: the line of its 分值 / 得分 and what the wrapped lines around it add."""

    position: int  # index of its line in the block
    line_no: int
    cells: dict[str, str]
    needs_name: bool
    above: int = 0  # wrapped lines above and below its line
    below: int = 0
    certain: bool = True  # whether its wrapped lines are known
    over: list[list[str]] = field(default_factory=list)  # tokens of its wrapped lines above its line
    under: list[list[str]] = field(default_factory=list)  # ... and below it
    unplaced: str | None = None  # a text on its line that is the name or the target, not known which


class _IndicatorBlock:
    """The lines of an indicator table between its header and its total row, read as rows.

    Every cell is centred vertically in its row, so a cell wrapped over n lines takes as many
    lines above its row's line as below it: the wrapped lines between two rows are the first
    row's lower half, then the second row's upper half.  Labels merged over several rows stand
    in the middle of them: a label's rows are the ones whose span it is centred on.
    """

    def __init__(self, reader: _Reader, lines: list[tuple[int, list[str]]]):
        self.reader, self.vocab = reader, reader.vocab
        self.table: list[_TableRow] = []
        self.cell_lines: list[tuple[int, list[str]]] = []  # (position, tokens) of wrapped text
        self.labels: list[tuple[float, str, int | None]] = []  # (position, 二级 name, row printed in)
        self.level1_labels: list[tuple[float, int | None, str]] = []  # (position, row printed in, 一级) of 一级 labels
        self.level1_rows: list[tuple[int, Row]] = []  # (position, row) of 一级 labels with their weight
        self.weighted_level2: list[tuple[float, str, int | None]] = []  # 二级 names printed with a 权重
        pending: tuple[int, str] | None = None  # a label fragment waiting for its end
        self.pending_weight: str | None = None
        self.open_label: int | None = None  # index in labels of one whose 指标 may follow
        self.breaks: list[int] = []  # positions where a page begins
        offset = 0
        for index, (line_no, tokens) in enumerate(lines):
            position = index + offset
            if tokens is None:  # a page break: no row or label spans it
                offset += PAGE_GAP
                self.breaks.append(index + offset)
                continue
            segments = _segments(tokens)
            if not segments and len(tokens) == 1 and parse_number(tokens[0]) and pending:
                self.pending_weight = tokens[0]  # the 一级 weight beside a wrapped label
                continue
            if not segments:
                tokens, pending = self._labels_of(position, line_no, tokens, pending, None)
                if tokens:
                    self.cell_lines.append((position, tokens))
            for segment in segments:
                segment, pending = self._labels_of(position, line_no, segment, pending, len(self.table))
                self.table.append(self._row(position, line_no, segment))

    # --- labels -------------------------------------------------------------------

    def _labels_of(self, position, line_no, tokens, pending, row):
        """The tokens of a line without its framework labels, which are recorded with their position."""
        tokens = _join_labels(tokens, self.vocab)
        rest = []
        k = 0
        while k < len(tokens):
            token = tokens[k]
            if pending and position - pending[0] > DEFAULT_MAX_LABEL_GAP:
                pending = None  # too far: the fragment was text, not a label's start
            joined = self.vocab.label(pending[1] + token) if pending else None
            in_row = row is not None and (rest or any(r == row for *_, r in self.labels))
            label = joined or (None if in_row else self.vocab.label(token))  # labels lead a row, one 二级 each
            at = (pending[0] + position) / 2 if joined else position
            if joined:
                self._drop_fragment(pending)
                pending = None
            if label is not None and row is None and not joined and not squash(token).endswith(LABEL_SUFFIX):
                label = None  # "数量" alone: a label whose 指标 may follow, or the end of a name
                pending = (position, token, len(rest))
            if label is not None:
                weight = tokens[k + 1] if k + 1 < len(tokens) and parse_number(tokens[k + 1]) else None
                if joined and weight is None and self.pending_weight:
                    weight, self.pending_weight = self.pending_weight, None
                    tokens.insert(k + 1, weight)
                segment_end = weight is not None and k + 2 < len(tokens) and parse_number(tokens[k + 2])
                if (weight is not None and not segment_end) or label.level == 1:
                    self.level1_labels.append((at, None if joined else row, label.level1))
                if weight is not None and not segment_end:
                    if label.level == 2:  # a 二级 printed in the 一级 column, with its group's weight
                        self.weighted_level2.append((at, label.name, None if joined else row))
                    cells = {"level1": label.name, "level1_weight": weight}
                    self.level1_rows.append((position, self.reader.grid(line_no, cells)))
                    k += 2
                    continue
                if label.level == 2:
                    self.labels.append((at, label.name, None if joined else row))
                    # "质量" may end on a later line ("指标"): the label stands between the two
                    self.open_label = None if squash(token).endswith(LABEL_SUFFIX) else len(self.labels) - 1
                k += 1
                continue
            if token == LABEL_SUFFIX:  # the end of a label wrapped over two lines ("质量" / "指标")
                if self.open_label is not None:
                    start, name, _ = self.labels[self.open_label]
                    self.labels[self.open_label] = ((start + position) / 2, name, None)
                    self.open_label = None
                k += 1
                continue
            if not in_row and self._label_start(token):
                pending = (position, token, len(rest) if row is None else None)
                if row is not None:  # a label's start before a row's cells: not one of them
                    k += 1
                    continue
            rest.append(token)
            k += 1
        return rest, pending

    def _drop_fragment(self, pending: tuple[int, str, int | None]) -> None:
        """A label's start, kept among the wrapped text of its line until its end was found."""
        position, _, index = pending
        if index is None:
            return
        for n, (p, tokens) in enumerate(self.cell_lines):
            if p == position and index < len(tokens):
                del tokens[index]
                if not tokens:
                    del self.cell_lines[n]
                return

    def _label_start(self, token: str) -> bool:
        return len(token) >= 2 and any(n.startswith(token) and n != token for n in self._label_names())

    def _label_names(self) -> list[str]:
        return [*self.vocab.level1_names, *self.vocab.level1_of]

    # --- rows ---------------------------------------------------------------------

    def _row(self, position: int, line_no: int, tokens: list[str]) -> _TableRow:
        weight_at = _score_pair(tokens)
        cells = {"weight": tokens[weight_at], "score": tokens[weight_at + 1]}
        note = "".join(tokens[weight_at + 2 :])
        left = tokens[:weight_at]
        needs_name, unplaced = False, None
        if len(left) >= 3:
            cells["name"], cells["target"], cells["actual"] = "".join(left[:-2]), left[-2], left[-1]
        elif len(left) == 2 and _target_like(left[0]):
            cells["target"], cells["actual"] = left
            needs_name = True
        elif len(left) == 2 and _actual_like(left[1]):
            cells["actual"] = left[1]  # a name or a target wrapped around the row: which one is not known yet
            unplaced = left[0]
        elif len(left) == 1 and not _target_like(left[0]):
            cells["name"] = left[0]
        elif left:
            self.reader.warn(
                line_no, "cells_ambiguous", f"'{' '.join(left)[:30]}': name, target and actual not told apart: NULL"
            )
        else:
            needs_name = True
        row = _TableRow(position, line_no, cells, needs_name, unplaced=unplaced)
        if note:
            row.cells[NOTE_FIELD] = note
        return row

    def _heights(self) -> None:
        """Lines above and below each row, from the wrapped lines between rows (cells are centred):
        a row takes as many below its line as above it, and a page holds whole rows."""
        positions = [p for p, _ in self.cell_lines]
        previous_end = -1
        for k, row in enumerate(self.table):
            page_start = max((b for b in self.breaks if b <= row.position), default=-1)
            if k and any(previous_end < p < page_start for p in positions):
                self.table[k - 1].certain = False  # lines left at the foot of the page above
            row.above = sum(1 for p in positions if max(previous_end, page_start) < p < row.position)
            following = self.table[k + 1].position if k + 1 < len(self.table) else None
            page_end = min((b for b in self.breaks if b > row.position), default=None)
            bounds = [b for b in (following, page_end) if b is not None]
            bound = min(bounds) if bounds else None
            available = sum(1 for p in positions if row.position < p and (bound is None or p < bound))
            row.below = min(row.above, available)
            if bound is None or bound == page_end:  # the last row of its page takes what is left
                row.certain = row.certain and row.above == available
            elif row.above > available:
                row.certain = False
            previous_end = max(
                [row.position, *[p for p in positions if row.position < p][: row.below]], default=row.position
            )

    def rows(self) -> list[Row]:
        self._heights()
        self._fragments()
        self._names()
        rows, level1_rows = [], list(self.level1_rows)
        for row, level2 in zip(self.table, self._levels(), strict=True):
            while level1_rows and level1_rows[0][0] <= row.position:
                rows.append(level1_rows.pop(0)[1])
            row.cells["level2"] = level2
            rows.append(self.reader.grid(row.line_no, row.cells))
        return rows + [r for _, r in level1_rows]

    def _fragments(self) -> None:
        """Each row's wrapped lines: its upper half before its line, its lower half after it."""
        taken: set[int] = set()
        for k, row in enumerate(self.table):
            following = self.table[k + 1].position if k + 1 < len(self.table) else None
            before = [(p, t) for p, t in self.cell_lines if p < row.position and p not in taken]
            after = [(p, t) for p, t in self.cell_lines if p > row.position and (following is None or p < following)]
            over = before[len(before) - row.above :] if row.above else []
            under = after[: row.below]
            taken.update(p for p, _ in over + under)
            row.over, row.under = [t for _, t in over], [t for _, t in under]

    def _names(self) -> None:
        """A name wrapped around its row and a note beside it: one word of each on every wrapped
        line; a row whose wrapped lines hold one word each wraps its name alone (or, with its
        name on its line, its note alone).  Any other mix cannot be told apart: left NULL."""
        width = self._name_width()
        for row in self.table:
            lines = row.over + row.under
            if row.unplaced is not None:
                if self._wrapped_name(row, lines, width):
                    continue
                message = f"'{row.unplaced[:30]}': name or target, not known: NULL"
                self.reader.warn(row.line_no, "cells_ambiguous", message)
            if not lines:
                continue
            widths = {len(t) for t in lines}
            anchor_note = row.cells.get(NOTE_FIELD, "")
            if (
                not row.certain
                or len(widths) > 1
                or max(widths) > 2
                or (row.needs_name and anchor_note and widths == {1})
            ):
                self.reader.warn(row.line_no, "cell_wrapped", "wrapped cells around the row not told apart: NULL")
                row.cells.pop(NOTE_FIELD, None)
                continue
            if row.needs_name:
                row.cells["name"] = "".join(t[0] for t in lines)
                over, under = ["".join(t[1:]) for t in row.over], ["".join(t[1:]) for t in row.under]
            elif widths == {1} and anchor_note:
                over, under = ["".join(t) for t in row.over], ["".join(t) for t in row.under]
            else:
                # a note of two lines, or the rest of the name or of another cell: not known which
                self.reader.warn(row.line_no, "cell_wrapped", "wrapped lines beside a row's name: name and note NULL")
                row.cells.pop(NOTE_FIELD, None)
                row.cells.pop("name", None)
                continue
            note = "".join(over) + anchor_note + "".join(under)
            if note:
                row.cells[NOTE_FIELD] = note

    def _name_width(self) -> int | None:
        """How wide the name column is: the widest of the name lines that wrapped on (a wrapped
        name's lines but its last fill the column, or end early at a space), where two show it."""
        named = [r.over + r.under for r in self.table if r.needs_name and r.certain and NOTE_FIELD not in r.cells]
        widths = [_display_width(t[0]) for lines in named if all(len(t) == 1 for t in lines) for t in lines[:-1]]
        widest = max(widths, default=None)
        return widest if widths.count(widest) >= DEFAULT_MIN_WIDTH_ROWS else None

    def _wrapped_name(self, row: _TableRow, lines: list[list[str]], width: int | None) -> bool:
        """A row whose line holds one text beside its actual value, its wrapped lines one word each
        and as wide as the name column (all but the last, which is no wider): the wrapped lines are
        its name, the text its target.  Returns whether the row was read so."""
        fills = [_display_width(t[0]) for t in lines[:-1]] if lines else []
        if (
            width is None
            or not row.certain
            or not lines
            or any(len(t) != 1 for t in lines)
            or any(w != width for w in fills)
            or _display_width(lines[-1][0]) > width
            or NOTE_FIELD in row.cells
        ):
            return False
        row.cells["name"], row.cells["target"] = "".join(t[0] for t in lines), row.unplaced
        self.reader.info(row.line_no, "name_by_width", "wrapped lines as wide as the name column: the name")
        return True

    def _levels(self) -> list[str]:
        """The 二级 of each row.

        A label merged over rows stands in the middle of them: its rows are the span, from the
        first row no earlier label took, that it is centred on (one span only, else none).  A
        label printed once in the first row of its group is centred on that row; the rows below
        it, up to the next label, carry it.  Rows no label can be given with confidence get the
        placeholder that the indicator parser reads as no label (NULL).
        """
        result = [UNKNOWN_LABEL] * len(self.table)
        self.groups = self._groups()
        start, carried = 0, None
        for n, (at, name, own) in enumerate(self.labels):
            later = [r for _, _, r in self.labels[n + 1 :] if r is not None]
            last = (later[0] - 1) if later else len(self.table) - 1
            if own is not None and own >= start:
                start, carried = self._own_row(result, n, start, last, carried)
                continue
            chosen = self._span(at, own, start, last) or self._nearest(at, own, start, last)
            if not chosen or not all(r.certain for r in self.table[chosen[0] : chosen[1] + 1]):
                end = own if own is not None else start - 1
                self._carry(result, start, end + 1, None)
                start, carried = max(start, end + 1), None
                continue
            i, j = chosen
            self._carry(result, start, i, carried)
            for r in range(i, j + 1):
                result[r] = name
            start, carried = j + 1, name
        self._carry(result, start, len(self.table), carried)
        return self._fill_from_partitions(result)

    # --- labels as a partition of the rows -------------------------------------------

    def _fill_from_partitions(self, result: list[str]) -> list[str]:
        """Rows left without a 二级 above that every reading of the labels as blocks gives one label.

        Each 二级 label stands for a contiguous block of rows, the blocks in the order of their
        labels and together every row of the table (the last may run into the total row): a label
        is centred on its block, or, printed on its own row's line, heads it.  Of all the ways to
        cut the rows into such blocks, a row that falls under the same label in every one of them
        gets it; a row whose label from ``_levels`` some cut contradicts loses it; where no cut
        fits the layout, nothing is changed.
        """
        readings = self._readings()
        if readings is None:
            return result
        for r, names in enumerate(readings):
            if result[r] == UNKNOWN_LABEL and len(names) == 1 and self.table[r].certain:
                result[r] = next(iter(names))
            elif result[r] != UNKNOWN_LABEL and names != {result[r]}:
                result[r] = UNKNOWN_LABEL  # the two readings differ: not certain
        return result

    def _readings(self) -> list[set[str]] | None:
        """The labels each row takes over every cut of the rows into label blocks that fits."""
        labels = sorted(self.labels + self.weighted_level2, key=lambda label: label[0])
        if not labels or not self.table:
            return None
        rows, blocks = len(self.table), self._blocks(labels)
        # the ends of each label's blocks after a cut of the rows above that fits, and the starts
        # of its blocks before a cut of the rows below that fits
        reach: list[set[int]] = []
        for k, fitting in enumerate(blocks):
            starts = {0} if k == 0 else {e + 1 for e in reach[-1]}
            reach.append({e for b, e in fitting if b in starts})
        back: list[set[int]] = [set()] * len(blocks)
        for k in reversed(range(len(blocks))):
            finals = {rows - 1, rows} if k == len(blocks) - 1 else {b - 1 for b in back[k + 1]}
            back[k] = {b for b, e in blocks[k] if e in finals}
        taken: list[set[str]] = [set() for _ in range(rows)]
        for k, fitting in enumerate(blocks):
            starts = {0} if k == 0 else {e + 1 for e in reach[k - 1]}
            finals = {rows - 1, rows} if k == len(blocks) - 1 else {b - 1 for b in back[k + 1]}
            for b, e in fitting:
                if b in starts and e in finals:
                    for r in range(b, min(e, rows - 1) + 1):
                        taken[r].add(labels[k][1])
        return taken if any(taken) else None

    def _blocks(self, labels: list[tuple[float, str, int | None]]) -> list[list[tuple[int, int]]]:
        """The (first, last) rows each label's block may have: headed by the label printed on its
        first row's line, or centred on the label; the last label's may end in the total row
        (index ``len(self.table)``)."""
        rows = len(self.table)
        tops = [r.position - r.above for r in self.table]
        bottoms = [r.position + r.below for r in self.table]
        tops.append(bottoms[-1] + 1)  # the total row below the last one, where a merged label may end
        bottoms.append(bottoms[-1] + 1)
        result = []
        for k, (at, _, own) in enumerate(labels):
            end = rows if k == len(labels) - 1 else rows - 1
            fitting = [(own, e) for e in range(own, end + 1)] if own is not None else []  # printed atop
            for first in range(rows):
                target = 2 * at - tops[first]  # the bottom a block from ``first`` centred on the label has
                low = bisect.bisect_left(bottoms, target - 2 * LABEL_TOLERANCE, lo=first, hi=end + 1)
                high = bisect.bisect_right(bottoms, target + 2 * LABEL_TOLERANCE, lo=first, hi=end + 1)
                for last in range(low, high):
                    inside = tops[first] <= at <= bottoms[last] if own is None else first <= own <= last
                    certain = all(self.table[r].certain for r in range(first, min(last, rows - 1) + 1))
                    if inside and certain and (first, last) not in fitting:
                        fitting.append((first, last))
            result.append(fitting)
        return result

    def _own_row(self, result: list[str], n: int, start: int, last: int, carried: str | None):
        """A label on its own row's line: printed once atop its group (the rows above it carry the
        label before), or centred on merged rows from ``start``.  Where both readings fit and
        differ, the rows above it are left without a label.  Returns (next start, label carried)."""
        at, name, own = self.labels[n]
        merged = self._span(at, own, start, last)
        merged = merged if merged is not None and merged[0] == start else None
        if not self.table[own].certain:
            self._carry(result, start, own + 1, None)
            return own + 1, None
        if merged is None:
            self._carry(result, start, own, carried)
            result[own] = name
            return own + 1, name
        if carried != name:
            self._carry(result, start, own, None)
        for r in range(own, merged[1] + 1):
            result[r] = name
        return merged[1] + 1, name

    def _span(self, at: float, own: int | None, start: int, last: int) -> tuple[int, int] | None:
        """The one run of rows from ``start`` on that a label at ``at`` is centred on, if one."""
        tops = [r.position - r.above for r in self.table]
        bottoms = [r.position + r.below for r in self.table]
        spans = [
            (i, j)
            for i in range(start, len(self.table))
            for j in range(i, last + 1)
            if tops[i] <= at <= bottoms[j]
            and abs((tops[i] + bottoms[j]) / 2 - at) <= LABEL_TOLERANCE
            and (own is None or i <= own <= j)
        ]
        contiguous = [s for s in spans if s[0] == start]
        chosen = contiguous if len(contiguous) == 1 else spans if len(spans) == 1 else []
        return chosen[0] if chosen else None

    def _nearest(self, at: float, own: int | None, start: int, last: int) -> tuple[int, int] | None:
        """The one row without a label of its own within a line of a label no span is centred on:
        a label printed a line off its one-row cell."""
        if own is not None:
            return None
        labelled = {r for *_, r in self.labels if r is not None}
        near = [
            r
            for r in range(start, last + 1)
            if abs(self.table[r].position - at) <= DEFAULT_NEAR_LINES and r not in labelled
        ]
        return (near[0], near[0]) if len(near) == 1 else None

    def _groups(self) -> list[int | None]:
        """The 一级 group of each row (an index), None where its 一级 label's rows are not known."""
        groups: list[int | None] = [None] * len(self.table)
        start = 0
        for n, (at, own, _) in enumerate(self.level1_labels):
            span = self._span(at, own, start, len(self.table) - 1)
            if span is None:
                return groups
            for r in range(span[0], span[1] + 1):
                groups[r] = n
            start = span[1] + 1
        return groups

    def _carry(self, result: list[str], begin: int, end: int, name: str | None) -> None:
        """Rows below a label printed once carry it while their wrapped lines are known, within its
        一级 group, or into a group whose 一级 label is the one the framework gives the label."""
        group = self.groups[begin - 1] if begin > 0 else None
        for r in range(begin, end):
            same_group = group is not None and self.groups[r] == group
            if not same_group and self.groups[r] is not None and name is not None:
                same_group = self.level1_labels[self.groups[r]][2] == self.vocab.level1_of.get(name)
            if name is None or not self.table[r].certain or not same_group:
                name = None
                continue
            result[r] = name


def _segments(tokens: list[str]) -> list[list[str]]:
    """The indicator rows on one line: pdfplumber prints rows whose lines nearly meet as one."""
    segments, begin = [], 0
    k = 0
    while k + 1 < len(tokens):
        third = tokens[k + 2] if k + 2 < len(tokens) else None
        if parse_number(tokens[k]) and parse_number(tokens[k + 1]) and not parse_number(third):
            segments.append(tokens[begin : k + 2])
            begin = k + 2
            k += 2
            continue
        k += 1
    if segments and begin < len(tokens):
        segments[-1].extend(tokens[begin:])
    return segments


def _display_width(text: str) -> int:
    """Columns a text takes on the page: CJK characters two, others one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _actual_like(token: str) -> bool:
    measure = parse_measure(token)
    return measure is not None and (measure.is_quantitative or token == QUALITATIVE_ACHIEVED)


def _split_mark(tokens: list[str]) -> tuple[list[str], list[str]]:
    """The table's merged label printed before a row's label ("项目资金 (万元) 其中: …"), and the rest."""
    k = 0
    while k < len(tokens) and (any(m in tokens[k] for m in BUDGET_MARKS) or UNIT_FRAGMENT_RE.match(tokens[k])):
        k += 1
    return tokens[:k], tokens[k:]


def _fund_labels(vocab: Vocabulary) -> tuple[str, ...]:
    """Every printed fund-line label of either table."""
    return tuple(p for f in vocab.fund_lines for p in f.printed_as)


def _target_like(token: str) -> bool:
    """A target as the template prints one: a comparator and a number ("=100.00(%)", "≥95")."""
    measure = parse_measure(token)
    return measure is not None and measure.is_quantitative and token[:1] in "".join(COMPARATORS)


def _score_pair(tokens: list[str]) -> int | None:
    """Index of 分值 in a row: the rightmost pair of numbers followed by text only."""
    for k in range(len(tokens) - 2, -1, -1):
        if parse_number(tokens[k]) and parse_number(tokens[k + 1]):
            if not any(parse_number(t) for t in tokens[k + 2 :]):
                return k
            return None
    return None


def _join_headings(tokens: list[str], vocab: Vocabulary) -> list[str]:
    """Headings printed with a space inside ("一级 指标") as one cell."""
    return _join(tokens, lambda text: bool(vocab.fields_named("indicator", text)), shortest=True)


def _join_labels(tokens: list[str], vocab: Vocabulary) -> list[str]:
    """Framework labels printed with spaces inside ("社会 效益 指标") as one cell."""
    return _join(tokens, lambda text: vocab.label(text) is not None, exact=True)


def _join(tokens: list[str], known, shortest: bool = False, exact: bool = False) -> list[str]:
    """Runs of up to three tokens that are one known text only together, joined (headings are
    matched by their start, so the shortest run is taken; labels exactly, so the longest)."""
    cells, k = [], 0
    while k < len(tokens):
        ends = range(k + 2, min(len(tokens), k + DEFAULT_MAX_JOINED) + 1)
        for end in ends if shortest else reversed(ends):
            joined = "".join(tokens[k:end])
            if (exact or not known(squash(tokens[k]))) and known(joined):
                cells.append(joined)
                k = end
                break
        else:
            cells.append(tokens[k])
            k += 1
    return cells


def wrapped_rows(lines: list[str], vocab: Vocabulary, first_line_no: int = 1):
    """The rows of a document printed by a PDF text extractor, and the issues of reading them."""
    reader = _Reader(vocab)
    for n, line in enumerate(lines, start=first_line_no):
        reader.read(n, line)
    reader._end_budget()
    reader._end_indicators()
    return reader.rows, reader.issues
