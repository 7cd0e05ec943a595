"""The indicator table (分解目标 / 绩效指标) shared by department and project tables.

Columns, left to right: 一级指标, [权重], 二级指标, 三级指标, 年度指标值,
全年完成值, 分值, 得分, 偏差原因; the headings vary by province and are read with
the vocabulary of seeds/reference/column_headings.csv (完成值, 权重 for 分值 …),
and some print the target in three cells: comparator, value and unit.  Real
files break this grid in the ways handled here:

* rows shifted left by one or two cells: the 分值/得分 pair anchors the row
  and the other cells are read relative to it;
* labels in the wrong column (a 二级 name in the 一级 column): a cell left of
  the indicator name is recognised by the framework vocabulary, not by position;
* 一级 labels missing after a page break: the 二级 name determines its 一级;
* labels wrapped across rows ("质量" / "指标") and cells continued on a later line;
* rows placed under the wrong 一级 label: where the printed 一级 weights show
  that rows belong to the group above, their group is left NULL with a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from decimal import Decimal
from operator import itemgetter

from ingest.model import Indicator, IssueLog, Level1Weight
from ingest.numbers import COMPARATORS, Measure, is_placeholder, parse_measure, parse_number
from ingest.text import Row, printed, squash, tidy
from ingest.vocabulary import Vocabulary

HEADER_MARK = "级"  # in every header row (一级指标 …)
TOTAL_LABELS = ("总分", "合计", "总计")
TABLE_END_LABELS = ("评分等级",)
# Whether a row may be a header, the end of the table or its total: most rows are none of them
ROW_MARKS_RE = re.compile("|".join(map(re.escape, (HEADER_MARK, *TABLE_END_LABELS, *TOTAL_LABELS))))
INPUT_MANAGEMENT = "投入管理指标"  # its rows carry no target: the 二级 name is the indicator
DEFAULT_WEIGHT_TOLERANCE = Decimal("0.005")  # weights are printed with two decimals


@dataclass(frozen=True)
class IndicatorLayout:
    """Column of each field, read from the table's header row."""

    level1: int
    level1_weight: int | None
    level2: int
    name: int
    target: int
    actual: int
    weight: int
    score: int
    note: int | None
    target_op: int | None = None  # where the target is split into comparator, value and unit cells
    target_unit: int | None = None

    @classmethod
    def from_header(cls, row: Row, vocab: Vocabulary) -> IndicatorLayout | None:
        """The layout a header row prints, or None if the row is not the indicator table's header."""
        if HEADER_MARK not in row.squashed:  # runs on every row: the cheap test first
            return None
        # the same header rows recur in every table of a template: each is read once
        return vocab.remembered(("indicator_layout", row.cells), lambda: cls._read_header(row, vocab))

    @classmethod
    def _read_header(cls, row: Row, vocab: Vocabulary) -> IndicatorLayout | None:
        candidates: list[tuple[int, tuple[str, ...]]] = []  # (column, fields its heading may name)
        for i, cell in enumerate(row.squashed_cells):
            if cell and (named := vocab.fields_named("indicator", cell)):
                candidates.append((i, named))
        positions: dict[str, int] = {}
        for i, named in candidates:  # headings that name one field first ...
            if len(named) == 1 and named[0] not in positions:
                positions[named[0]] = i
        # ... then 权重, right to left: 分值 where none is printed, else (further left) the 一级 weight
        for i, named in reversed(candidates):
            free = next((f for f in named if f not in positions), None) if len(named) > 1 else None
            if free:
                positions[free] = i
        if not positions.keys() >= _REQUIRED_FIELDS:
            return None
        # a cell left of 一级指标 ("绩效指标(90分)") spans the table's rows: they do not repeat it
        lead = sum(1 for cell in row.cells[: positions["level1"]] if cell)
        return cls(**{name: positions[name] - lead if name in positions else None for name in _LAYOUT_FIELDS})


_LAYOUT_FIELDS = tuple(f.name for f in fields(IndicatorLayout))
_REQUIRED_FIELDS = frozenset(_LAYOUT_FIELDS) - {"level1_weight", "note", "target_op", "target_unit"}


@dataclass
class IndicatorTable:
    indicators: list[Indicator]
    level1_weights: list[Level1Weight]
    total_row: Row | None  # the 总分 row, if the table has one
    next_index: int  # first row after the table


# --- reading one row ---------------------------------------------------------


@dataclass
class _Entry:
    """A row of the table before its 一级/二级 are known."""

    row: Row
    labels: list[tuple[int, str]] = field(default_factory=list)  # (1 or 2, printed text)
    level1_weight: str | None = None
    indicator: Indicator | None = None  # None for rows holding only labels
    candidate: tuple[int, str] | None = None  # (column, text) of the name cell
    shift: int = 0  # how many cells the row is shifted left
    unit: str | None = None  # the unit printed in a unit column of its own, for target and actual


def _anchors(row: Row, layout: IndicatorLayout) -> tuple[int, int] | None:
    """Columns of 分值 and 得分: where the header says, else the rightmost pair of numbers."""
    if parse_number(row.cell(layout.weight)) and parse_number(row.cell(layout.score)):
        return layout.weight, layout.score
    filled = row.filled()
    for k in range(len(filled) - 2, -1, -1):
        (i, left), (j, right) = filled[k], filled[k + 1]
        rest_is_text = not any(parse_number(t) for _, t in filled[k + 2 :])
        if parse_number(left) and parse_number(right) and rest_is_text:
            return i, j
    return None


def _is_total(row: Row) -> bool:
    return row.mentions(*TOTAL_LABELS) and any(c in TOTAL_LABELS for c in row.squashed_cells)


def _ends_table(row: Row) -> bool:
    return row.mentions(*TABLE_END_LABELS) and any(c.startswith(TABLE_END_LABELS) for c in row.squashed_cells)


def _numbers_only(row: Row) -> bool:
    return all(map(parse_number, filter(None, row.cells)))  # every non-empty cell a number


def _label_column(column: int, layout: IndicatorLayout) -> int:
    return 1 if column == layout.level1 else 2


_TEXT = itemgetter(1)  # of a (column, text) pair


def _read_data_row(row: Row, anchors: tuple[int, int], layout: IndicatorLayout, vocab: Vocabulary) -> _Entry:
    weight_col, score_col = anchors
    shift = layout.weight - weight_col
    target_col, actual_col = layout.target - shift, layout.actual - shift
    entry = _Entry(row, shift=shift)
    first_value = target_col if layout.target_op is None else min(target_col, layout.target_op - shift)
    left = list(filter(_TEXT, enumerate(row.cells[: max(first_value, 0)])))  # the filled cells left of the values
    if left:
        entry.candidate = left.pop()
    for column, text in left:
        if parse_number(text):
            entry.level1_weight = text
        else:
            label = vocab.label(text)
            entry.labels.append((label.level if label else _label_column(column, layout), text))
    note = " ".join(filter(None, row.cells[score_col + 1 :]))  # the non-empty cells right of 得分
    target_text = printed(row.cell(target_col))
    if layout.target_op is not None or layout.target_unit is not None:
        target_text, entry.unit = _split_target(row, target_text, layout, shift)
    entry.indicator = Indicator(
        seq=0,
        line_no=row.line_no,
        name="",
        target_text=target_text,
        actual_text=printed(row.cell(actual_col)),
        weight_text=printed(row.cell(weight_col)),
        score_text=printed(row.cell(score_col)),
        deviation_note=tidy(note) or None,
    )
    return entry


def _split_target(row: Row, value: str | None, layout: IndicatorLayout, shift: int) -> tuple[str | None, str | None]:
    """A target printed in comparator, value and unit cells, as one text ("≥" "50" "个" -> "≥50(个)")."""
    op = printed(row.cell(layout.target_op - shift)) if layout.target_op is not None else None
    unit = printed(row.cell(layout.target_unit - shift)) if layout.target_unit is not None else None
    if not value or parse_number(value) is None:
        return value, None  # a qualitative target: the comparator cell says 定性
    op = op if op in COMPARATORS else None
    return f"{op or ''}{value}" + (f"({unit})" if unit else ""), unit


def _looks_like_indicator(row: Row, layout: IndicatorLayout) -> bool:
    """A row with a name and a target or actual but no 分值/得分 is an indicator missing its scores."""
    return sum(bool(row.cell(c)) for c in (layout.name, layout.target, layout.actual)) >= 2


def _continue_cells(row: Row, entries: list[_Entry], layout: IndicatorLayout, issues: IssueLog) -> _Entry | None:
    """A row of loose cells: label fragments, or cells continued from the row above."""
    entry = _Entry(row)
    previous = next((e for e in reversed(entries) if e.indicator), None)
    continued = {layout.target: "target_text", layout.actual: "actual_text", layout.note: "deviation_note"}
    if previous is not None and previous.shift > 0 and layout.note is not None:
        # a row printed a cell to the left goes on under its own cells: its note at note - shift
        continued[layout.note - previous.shift] = "deviation_note"
    for column, text in row.filled():
        if column in (layout.level1, layout.level2):
            entry.labels.append((_label_column(column, layout), text))
        elif column == layout.level1_weight and parse_number(text):
            entry.level1_weight = text
        elif previous is not None and (column == layout.name or column in continued):
            if column == layout.name and previous.candidate:
                previous.candidate = (previous.candidate[0], previous.candidate[1] + text)
            elif column in continued:
                attribute = continued[column]
                joined = (getattr(previous.indicator, attribute) or "") + tidy(text)
                setattr(previous.indicator, attribute, printed(joined) if attribute != "deviation_note" else joined)
            issues.info(row.line_no, "cell_continued", f"cell continued from line {previous.row.line_no}")
        else:
            issues.warn(row.line_no, "stray_cell", f"text outside any column ignored: {tidy(text)[:40]}")
    return entry if entry.labels or entry.level1_weight else None


# --- 一级 / 二级 assignment --------------------------------------------------


@dataclass
class _Levels:
    """The 一级 / 二级 in force, carried down the table as the merged cells of the PDF are."""

    vocab: Vocabulary
    issues: IssueLog
    level1: str | None = None
    level2: str | None = None
    raw: dict[int, str] = field(default_factory=dict)  # last printed label text per column
    weights: dict[str, Level1Weight] = field(default_factory=dict)

    def apply(self, column: int, text: str, line_no: int, printed_level1: str | None) -> None:
        if is_placeholder(text):  # printed for a label that cannot be read: the row's levels are not known
            self.issues.info(line_no, "label_unknown", f"{'一' if column == 1 else '二'}级 label not known: NULL")
            self.level1 = self.level2 = None
            self.raw.clear()
            return
        label = self.vocab.label(text)
        fragment = squash(text)
        if label is None and self.raw.get(column):
            merged = self.vocab.label(self.raw[column] + fragment)
            if merged:
                self.issues.info(line_no, "label_continued", f"label '{self.raw[column]}' continues as '{merged.name}'")
                self.raw[column] += fragment
                self._set(merged, line_no, printed_level1)
                return
        if label is None:
            if any(name.endswith(fragment) for name in self._known_names()):
                self.issues.info(line_no, "label_fragment", f"label fragment '{fragment}' ignored")
                return
            self.issues.info(
                line_no,
                "label_unknown",
                f"{'一' if column == 1 else '二'}级 label '{fragment}' is not in the framework",
            )
            if column == 1:
                self.level1, self.level2 = fragment, None
                self.raw.pop(2, None)
            else:
                self.level2 = fragment
        else:
            self._set(label, line_no, printed_level1)
        self.raw[column] = fragment

    def _known_names(self) -> list[str]:
        return [*self.vocab.level1_names, *self.vocab.level1_of]

    def _set(self, label, line_no: int, printed_level1: str | None) -> None:
        if label.level == 1:
            self.level1, self.level2 = label.name, None
            self.raw.pop(2, None)
            return
        if printed_level1 and printed_level1 != label.level1:
            self.issues.warn(
                line_no,
                "level_conflict",
                f"二级 {label.name} belongs to {label.level1}, printed under {printed_level1}",
            )
        elif self.level1 != label.level1 and printed_level1 is None:
            self.issues.info(line_no, "level1_repaired", f"一级 {label.level1} derived from 二级 {label.name}")
        self.level1, self.level2 = label.level1, label.name

    def weigh(self, text: str, line_no: int) -> None:
        number = parse_number(text)
        if self.level1 is None or number is None:
            return
        known = self.weights.get(self.level1)
        if known is None:
            self.weights[self.level1] = Level1Weight(self.level1, printed(text), number.value, line_no)
        elif known.weight != number.value:
            self.issues.warn(
                line_no,
                "level1_weight_conflict",
                f"权重 {text} ignored: {self.level1} already has {known.weight_text} (line {known.line_no})",
            )


def _is_level2(text: str, vocab: Vocabulary) -> bool:
    label = vocab.label(text)
    return label is not None and label.level == 2


def _printed_level1(labels: list[tuple[int, str]], vocab: Vocabulary) -> str | None:
    """The 一级 a row prints in its 一级 column, if the framework knows it."""
    for column, text in labels:
        if column == 1 and (label := vocab.label(text)):
            return label.name
    return None


def _assign(entries: list[_Entry], layout: IndicatorLayout, vocab: Vocabulary, issues: IssueLog) -> _Levels:
    levels = _Levels(vocab, issues)
    for entry in entries:
        line_no = entry.row.line_no
        printed_level1 = None
        if entry.labels:  # most rows print no label: they carry on under the labels above
            printed_level1 = _printed_level1(entry.labels, vocab)
            for column, text in entry.labels:
                levels.apply(column, text, line_no, printed_level1)
        if entry.level1_weight:
            levels.weigh(entry.level1_weight, line_no)
        indicator = entry.indicator
        if indicator is None:
            continue
        column, text = entry.candidate or (None, "")
        in_label_column = column is not None and column <= layout.level2 - entry.shift
        if in_label_column and (is_placeholder(text) or (text and _is_level2(text, vocab))):
            levels.apply(2, text, line_no, printed_level1)  # the row's 二级, its name not printed
            text = ""
        if not indicator.target_text and not indicator.actual_text and text:
            label = vocab.label(text)
            if (label and label.level == 2) or column == layout.level2 - entry.shift:
                levels.apply(2, text, line_no, printed_level1)
                text = ""
            elif levels.level1 == INPUT_MANAGEMENT:
                indicator.criteria_note, text = tidy(text), ""
        indicator.name = squash(text) or (levels.level2 if levels.level1 == INPUT_MANAGEMENT else "") or None
        indicator.level1, indicator.level2 = levels.level1, levels.level2
        if column is not None and column == layout.level1 and entry.shift:
            indicator.level2 = None
            issues.warn(line_no, "level2_lost", "row shifted into the 一级 column: its 二级 cannot be told, left NULL")
        if not indicator.name:
            issues.warn(line_no, "name_missing", "indicator row without a name")
    return levels


def _clear_misplaced_rows(indicators: list[Indicator], weights: dict[str, Level1Weight], issues: IssueLog) -> None:
    """Rows printed under the next 一级 label although the printed weights put them in the group above.

    When a group's printed 权重 is not yet reached as a new group starts, and
    the first rows of the new group make up exactly the shortfall, those rows
    cannot be placed with confidence: their 一级 / 二级 are left NULL.
    """
    for k in range(1, len(indicators)):
        before, current = indicators[k - 1].level1, indicators[k].level1
        if before == current or before not in weights:
            continue
        group = [i for i in indicators[:k] if i.level1 == before]
        shortfall = weights[before].weight - sum(i.weight or 0 for i in group)
        if shortfall <= DEFAULT_WEIGHT_TOLERANCE:
            continue
        running = Decimal(0)
        for m in range(k, len(indicators)):
            running += indicators[m].weight or 0
            if abs(running - shortfall) <= DEFAULT_WEIGHT_TOLERANCE:
                for moved in indicators[k : m + 1]:
                    issues.warn(
                        moved.line_no,
                        "level_ambiguous",
                        f"printed under {moved.level2 or moved.level1}, but the 权重 of {before} "
                        f"({weights[before].weight_text}) needs its points: 一级/二级 left NULL",
                    )
                    moved.level1 = moved.level2 = None
                break
            if running > shortfall:
                break


def _points(indicator: Indicator, text: str | None, header: str, issues: IssueLog) -> Decimal | None:
    """The 分值 or 得分 of an indicator row; None with a warning if it prints no number."""
    number = parse_number(text)
    if number is not None:
        return number.value
    where = f"{header} of '{indicator.name or indicator.line_no}'"
    if text and not is_placeholder(text):
        issues.warn(indicator.line_no, "points_unreadable", f"{where}: '{text}' is not a number: left NULL")
    else:
        shown = f"printed '{text}'" if text else "empty"
        issues.warn(indicator.line_no, "value_missing", f"{where}: {shown}, no value: left NULL")
    return None


def _measure(indicator: Indicator, side: str, issues: IssueLog) -> Measure | None:
    """The target or the actual value (``side``) of an indicator row; None with a warning if unreadable."""
    text = getattr(indicator, f"{side}_text")
    measure = parse_measure(text)
    if measure is None:
        issues.warn(indicator.line_no, f"{side}_unreadable", f"{side} '{text}' is not a readable number")
    return measure


def _finish(indicators: list[Indicator], units: list[str | None], issues: IssueLog) -> None:
    for seq, (indicator, column_unit) in enumerate(zip(indicators, units, strict=True), start=1):
        indicator.seq = seq
        indicator.weight = _points(indicator, indicator.weight_text, "分值", issues)
        indicator.score = _points(indicator, indicator.score_text, "得分", issues)
        if (target := _measure(indicator, "target", issues)) is not None:
            indicator.target_op, indicator.target_value, indicator.target_unit = target.op, target.value, target.unit
        if (actual := _measure(indicator, "actual", issues)) is not None:
            unit = actual.unit or (column_unit if actual.value is not None else None)
            indicator.actual_value, indicator.actual_unit = actual.value, unit


def parse_indicator_table(
    rows: list[Row], start: int, layout: IndicatorLayout, vocab: Vocabulary, issues: IssueLog
) -> IndicatorTable:
    """Read indicator rows from ``rows[start]`` (the row after the header) to the 总分 row."""
    entries: list[_Entry] = []
    total_row = None
    index = start
    while index < len(rows):
        row = rows[index]
        marked = ROW_MARKS_RE.search(row.squashed) is not None
        if row.is_blank or (marked and IndicatorLayout.from_header(row, vocab)):
            index += 1
            continue
        if marked and _ends_table(row):
            break
        index += 1
        if marked and _is_total(row):
            total_row = row
            break
        anchors = _anchors(row, layout)
        if anchors and _numbers_only(row):
            if any(_anchors(r, layout) and not _numbers_only(r) for r in rows[index:] if not _ends_table(r)):
                issues.warn(row.line_no, "row_without_name", "row with numbers only, no indicator: dropped")
                continue
            total_row = row  # a total row printed without its 总分 label
            break
        if anchors:
            entries.append(_read_data_row(row, anchors, layout, vocab))
        elif _looks_like_indicator(row, layout):
            issues.warn(row.line_no, "scores_missing", "indicator row without readable 分值/得分: left NULL")
            entries.append(_read_data_row(row, (layout.weight, layout.score), layout, vocab))
        elif entry := _continue_cells(row, entries, layout, issues):
            entries.append(entry)
    levels = _assign(entries, layout, vocab, issues)
    indicators = [e.indicator for e in entries if e.indicator]
    _finish(indicators, [e.unit for e in entries if e.indicator], issues)
    if levels.weights:
        _clear_misplaced_rows(indicators, levels.weights, issues)
    return IndicatorTable(indicators, list(levels.weights.values()), total_row, index)
