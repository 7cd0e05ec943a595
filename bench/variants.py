"""The sample reports as other extractors print them, and how much of the gold each variant keeps.

Each variant is made from a report's tab-separated text (the layout the samples come in), never
from the parser's output: its tables with ``|`` between cells (Markdown), aligned with spaces as
``pdftotext -layout`` prints them (empty cells vanish, long cells wrap inside their column),
one cell a line (an HTML table as text), with full-width digits and letters, with thousands
separators in the amounts, and its prose wrapped at another width. ``score`` parses a variant
and compares it with the gold the way
tests/ingest/test_gold.py does, counting the non-null gold fields reproduced, missing (NULL)
and wrong (a value other than the gold's).

    python -m bench.variants               # the share of the gold fields each variant reproduces
    python -m bench.variants --texts DIR   # the same for text files extracted another way
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ingest.model import DocumentRejected
from ingest.parse import parse_document
from ingest.vocabulary import load_vocabulary

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "data" / "reports"
GOLD = REPO / "tests" / "fixtures" / "gold"
DEFAULT_WRAP_WIDTHS = (20, 27, 33, 41, 57)  # characters a line, as narrow and wide pages print prose
DEFAULT_CELL_WIDTH = 40  # display columns before a cell of a space-aligned table wraps
DEFAULT_GAP = 3  # spaces between two columns of a space-aligned table

NUMERIC_CELL_RE = re.compile(r"[=≥≤<>]?\s*[\d,. ]+\s*(?:\([^()]*\)|%)?")  # amounts, rates, scores, measures
AMOUNT_CELL_RE = re.compile(r"\d{4,}(?:\.\d+)?")  # a table cell holding an amount without separators
AMOUNT_IN_PROSE_RE = re.compile(r"(?<![\d.,])\d{4,}(?:\.\d+)?(?=\s*(?:亿元|万元|元|万))")
MEASURE_TOKEN_RE = re.compile(r"[=≥≤<>]?\d[\d,.]*(?:\s*\([^()]*\)|%)?")


# --- variants ----------------------------------------------------------------------


def pipes(text: str) -> str:
    """Tables with ``|`` between cells, a ``|---|`` line under the first row of each table."""
    out, in_table = [], False
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            in_table = False
            continue
        cells = line.split("\t")
        out.append("| " + " | ".join(c.strip() for c in cells) + " |")
        if not in_table:
            out.append("|" + "---|" * len(cells))
            in_table = True
    return "\n".join(out)


def cell_lines(text: str) -> str:
    """Tables one cell a line, each ending in |, an empty cell a bare | (as an HTML table turned
    to text prints them); free text stays as it is."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            out.extend(f"{c.strip()} |" if c.strip() else "|" for c in line.split("\t"))
        else:
            out.append(line)
    return "\n".join(out)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap_cell(text: str, width: int) -> list[str]:
    chunks, current = [], ""
    for char in text:
        if current and _width(current + char) > width:
            chunks.append(current)
            current = ""
        current += char
    return [*chunks, current] if current else chunks or [""]


def aligned(text: str, numbers_right: bool = False) -> str:
    """Tables aligned with spaces as pdftotext -layout prints them: empty cells are only spaces,
    each column starts where the widest cell of the column before it ends, and a cell wider than
    DEFAULT_CELL_WIDTH wraps onto the next lines of its column. ``numbers_right``: numbers end
    where their column ends, as tables print them right-aligned."""
    lines = text.split("\n")
    out: list[str] = []
    k = 0
    while k < len(lines):
        if "\t" not in lines[k]:
            out.append(lines[k])
            k += 1
            continue
        block = []
        while k < len(lines) and ("\t" in lines[k] or not lines[k].strip()):
            block.append(lines[k])
            k += 1
        out.extend(_align_block(block, numbers_right))
    return "\n".join(out)


def _align_block(block: list[str], numbers_right: bool) -> list[str]:
    rows = [[" ".join(c.split()) for c in line.split("\t")] if "\t" in line else [] for line in block]
    columns = max(len(r) for r in rows)
    widths = [0] * columns
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], min(_width(cell), DEFAULT_CELL_WIDTH))
    starts = [sum(widths[:i]) + DEFAULT_GAP * i for i in range(columns)]
    out = []
    for row in rows:
        if not row:
            out.append("")
            continue
        wrapped = [_wrap_cell(cell, DEFAULT_CELL_WIDTH) if cell else [] for cell in row]
        for depth in range(max((len(w) for w in wrapped), default=1) or 1):
            line = ""
            for i, chunks in enumerate(wrapped):
                if depth < len(chunks):
                    start = starts[i]
                    if numbers_right and NUMERIC_CELL_RE.fullmatch(chunks[depth]):
                        start += widths[i] - _width(chunks[depth])
                    line += " " * max(start - _width(line), DEFAULT_GAP if line else 0) + chunks[depth]
            out.append(line.rstrip())
    return out


def full_width(text: str) -> str:
    """Digits and Latin letters in their full-width forms, and the punctuation of numbers too
    ("=100.00(%)" -> "＝１００．００（％）"): what some PDF fonts map their glyphs to."""

    def wide(match: re.Match) -> str:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in match.group(0))

    text = MEASURE_TOKEN_RE.sub(wide, text)
    return re.sub(r"[A-Za-z]", wide, text)


def _grouped(number: str) -> str:
    whole, _, fraction = number.partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def thousands(text: str) -> str:
    """Amounts printed with thousands separators ("17916.15" -> "17,916.15"): the cells of a table
    that hold a plain number, and the figures of prose followed by their unit (元, 万元 …)."""
    out = []
    for line in text.split("\n"):
        if "\t" in line:
            cells = [_grouped(c) if AMOUNT_CELL_RE.fullmatch(c.strip()) else c for c in line.split("\t")]
            out.append("\t".join(cells))
        else:
            out.append(AMOUNT_IN_PROSE_RE.sub(lambda m: _grouped(m.group(0)), line))
    return "\n".join(out)


def rewrap(text: str, width: int) -> str:
    """Prose wrapped at ``width`` characters, wherever that falls (also between a label and its
    amount); table rows and blank lines are kept as they are."""
    out = []
    for line in text.split("\n"):
        if "\t" in line or len(line) <= width:
            out.append(line)
        else:
            out.extend(line[i : i + width] for i in range(0, len(line), width))
    return "\n".join(out)


VARIANTS = {
    "pipes": pipes,
    "aligned": aligned,
    "aligned_right": lambda t: aligned(t, numbers_right=True),
    "cell_lines": cell_lines,
    "full_width": full_width,
    "thousands": thousands,
    **{f"wrapped_{w}": (lambda t, w=w: rewrap(t, w)) for w in DEFAULT_WRAP_WIDTHS},
}


# --- score -------------------------------------------------------------------------


@dataclass
class Score:
    compared: int = 0
    missing: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return (self.compared - self.missing - len(self.wrong)) / self.compared if self.compared else 0.0

    def add(self, other: Score) -> None:
        self.compared += other.compared
        self.missing += other.missing
        self.wrong += other.wrong


REPORT_FIELDS = (
    "project_name",
    "unit_name",
    "supervisor",
    "amount_unit",
    "total_weight",
    "total_score",
    "grade",
    "budget_execution_weight",
    "budget_execution_score",
)
FUND_FIELDS = ("initial_budget_yuan", "adjusted_budget_yuan", "executed_yuan", "execution_rate_pct")
INDICATOR_FIELDS = (
    "level1",
    "level2",
    "name",
    "target_text",
    "actual_text",
    "target_op",
    "target_value",
    "target_unit",
    "actual_value",
    "actual_unit",
    "weight",
    "score",
    "deviation_note",
)


def _same(found, expected) -> bool:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return found is not None and Decimal(str(found)) == Decimal(str(expected))
    return found == expected


def _field(score: Score, where: str, found, expected) -> None:
    if expected is None:
        return
    score.compared += 1
    if found is None:
        score.missing += 1
    elif not _same(found, expected):
        score.wrong.append(f"{where}: {found!r} != {expected!r}")


def score(text: str, gold: dict) -> Score:
    """The non-null gold fields a text reproduces, misses and gets wrong (rows the gold lacks are wrong)."""
    result = Score()
    try:
        document = parse_document(text, load_vocabulary())
        reports = document.reports
    except DocumentRejected:
        reports = []
    for n, expected in enumerate(gold["reports"]):
        report = reports[n] if n < len(reports) else None
        where = f"{gold['file']} report {n + 1}"
        for key in ("doc_kind", "town", "fiscal_year"):
            _field(result, f"{where} {key}", getattr(report, key, None), gold[key])
        for key in REPORT_FIELDS:
            _field(result, f"{where} {key}", getattr(report, key, None), expected.get(key))
        weights = {w.level1: w.weight for w in getattr(report, "level1_weights", [])}
        for level1, weight in (expected.get("level1_weights") or {}).items():
            _field(result, f"{where} 权重 {level1}", weights.get(level1), weight)
        lines = {line.fund_line: line for line in getattr(report, "fund_lines", [])}
        for line in expected["fund_lines"]:
            found = lines.get(line["fund_line"])
            for key in FUND_FIELDS:
                _field(result, f"{where} {line['fund_line']} {key}", getattr(found, key, None), line[key])
        extra = set(lines) - {line["fund_line"] for line in expected["fund_lines"]}
        result.wrong += [f"{where}: fund line {code} not in the gold" for code in sorted(extra)]
        indicators = getattr(report, "indicators", [])
        for k, gold_indicator in enumerate(expected["indicators"]):
            indicator = indicators[k] if k < len(indicators) else None
            for key in INDICATOR_FIELDS:
                _field(result, f"{where} indicator {k + 1} {key}", getattr(indicator, key, None), gold_indicator[key])
        if len(indicators) > len(expected["indicators"]):
            result.wrong.append(f"{where}: {len(indicators) - len(expected['indicators'])} indicators not in the gold")
    if len(reports) > len(gold["reports"]):
        result.wrong.append(f"{gold['file']}: {len(reports) - len(gold['reports'])} reports not in the gold")
    return result


def load_gold() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]


def score_variant(name: str) -> Score:
    total = Score()
    for gold in load_gold():
        text = (SAMPLES / gold["file"]).read_text(encoding="utf-8")
        total.add(score(VARIANTS[name](text), gold))
    return total


def score_texts(folder: Path) -> Score:
    """Text files extracted some other way (``pdftotext -layout`` of a rendered PDF …), each named
    after its sample (``001_d843cb21d2372b47*.txt``), against the samples' gold."""
    total = Score()
    for gold in load_gold():
        for path in sorted(folder.glob(f"{Path(gold['file']).stem}*.txt")):
            total.add(score(path.read_text(encoding="utf-8"), gold))
    return total


def _print(name: str, s: Score) -> None:
    print(f"{name:<14} {s.compared:>6} {s.share:>10.1%} {s.missing:>7} {len(s.wrong):>5}")
    for example in s.wrong[:5]:
        print(f"    {example}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.variants", description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=Path, help="score the text files of this folder instead of the variants")
    args = parser.parse_args(argv)
    print(f"{'variant':<14} {'fields':>6} {'reproduced':>10} {'missing':>7} {'wrong':>5}")
    if args.texts:
        _print(args.texts.name, score_texts(args.texts))
        return 0
    for name in VARIANTS:
        _print(name, score_variant(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
