"""The sample reports as other extractors print them, and how much of the gold each variant keeps.

Each variant is made from a report's tab-separated text (the layout the samples come in), never
from the parser's output: its tables with ``|`` between cells (Markdown), aligned with spaces as
``pdftotext -layout`` prints them (empty cells vanish, long cells wrap inside their column),
one cell a line (an HTML table as text), with full-width digits and letters, with thousands
separators in the amounts, and its prose wrapped at another width. ``score`` parses a variant
and compares it with the gold (bench.accuracy.score, as the parsers' tests do): the share of the
non-null gold fields reproduced, how many are missing (NULL) and how many values are wrong (a
value other than the gold's, a value where the gold is null, a row the gold lacks).

    python -m bench.variants               # the share of the gold fields each variant reproduces
    python -m bench.variants --texts DIR   # the same for text files extracted another way
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

from bench.accuracy import Accuracy
from bench.accuracy import score as score_document
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


def score(text: str, gold: dict) -> Accuracy:
    """A text parsed and compared with its gold (bench.accuracy.score: both ways, rows the gold lacks are wrong)."""
    try:
        document = parse_document(text, load_vocabulary())
    except DocumentRejected:
        document = None  # every gold field of the file is missing
    return score_document(document, gold)


def load_gold() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(GOLD.glob("*.json"))]


def score_variant(name: str) -> Accuracy:
    total = Accuracy()
    for gold in load_gold():
        text = (SAMPLES / gold["file"]).read_text(encoding="utf-8")
        total.add(score(VARIANTS[name](text), gold))
    return total


def score_texts(folder: Path) -> Accuracy:
    """Text files extracted some other way (``pdftotext -layout`` of a rendered PDF …), each named
    after its sample (``001_d843cb21d2372b47*.txt``), against the samples' gold."""
    total = Accuracy()
    for gold in load_gold():
        for path in sorted(folder.glob(f"{Path(gold['file']).stem}*.txt")):
            total.add(score(path.read_text(encoding="utf-8"), gold))
    return total


def _print(name: str, s: Accuracy) -> None:
    print(f"{name:<14} {s.values:>6} {s.value_share:>10.1%} {s.missing:>7} {s.wrong:>5}")
    for example in s.examples[: min(s.wrong, 5)]:  # wrong values come first
        print(f"    {example}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.variants", description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=Path, help="score the text files of this folder instead of the variants")
    args = parser.parse_args(argv)
    print("Non-null gold fields of the five samples, the share reproduced, missing (NULL) and wrong values")
    print(f"{'variant':<14} {'fields':>6} {'reproduced':>10} {'missing':>7} {'wrong':>5}")
    if args.texts:
        _print(args.texts.name, score_texts(args.texts))
        return 0
    for name in VARIANTS:
        _print(name, score_variant(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
